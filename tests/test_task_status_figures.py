"""How much of a task a later result reports (pipeline/task_figures.py): a share below the whole is no `done`."""

from __future__ import annotations

import unicodedata

import pytest

from ketluan import task_figures
from ketluan.task_figures import NO_FIGURE, clause_partial, postponed, result_figures

INF = NO_FIGURE


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        # completion stated: no share below the whole
        ("Phòng Tư pháp đã hoàn thành việc rà soát 100% văn bản quy phạm pháp luật.", (False, 100.0, INF)),
        ("Đã ban hành Quyết định phê duyệt danh mục 12 công trình khởi công mới.", (False, INF, INF)),
        ("UBND xã đã khắc phục xong 05 điểm sạt lở trên tuyến đường liên thôn.", (False, INF, INF)),
        ("Đã trình UBND tỉnh 02 trong tổng số 02 hồ sơ đề nghị thu hồi đất.", (False, INF, INF)),
        ("Đã cấp giấy chứng nhận cho 15 trên 15 hộ đủ điều kiện.", (False, INF, INF)),
        ("Đã tổ chức 03 lớp tập huấn nghiệp vụ trên địa bàn 05 xã.", (False, INF, INF)),
        ("Thu ngân sách trên địa bàn đạt 105% dự toán.", (False, 105.0, INF)),
        # a partial figure: a count out of a total, a share of a plan
        ("Đã giải quyết được 15/17 hồ sơ tồn đọng.", (True, INF, INF)),
        ("Đã giải quyết 12 trên tổng số 15 hồ sơ tồn đọng.", (True, INF, INF)),
        ("Đã cấp được 120 giấy chứng nhận trong số 200 hồ sơ đủ điều kiện.", (True, INF, INF)),
        ("Đoàn đã kiểm tra 9 trên 12 xã theo kế hoạch.", (True, INF, INF)),
        ("Đã nạo vét được 3,8/6,5 km kênh mương nội đồng.", (True, INF, INF)),
        ("Đã trồng rừng thay thế 12,5/12,5 ha theo phương án.", (False, INF, INF)),
        ("Giải ngân vốn đầu tư công đạt 78% kế hoạch.", (False, 78.0, INF)),
        ("Tỷ lệ giải ngân vốn đầu tư công đạt 78% kế hoạch.", (False, 78.0, INF)),
        ("Tỷ lệ hồ sơ giải quyết đúng hạn đạt 96,5% tổng số hồ sơ tiếp nhận.", (False, 96.5, INF)),
        # a rate is no share of the task
        ("Cuộc bầu cử diễn ra an toàn, tỷ lệ cử tri đi bầu đạt 99,6%.", (False, INF, 99.6)),
        # a remainder still under way
        ("Đã khắc phục 8 điểm sạt lở, còn 3 điểm đang thi công.", (True, INF, INF)),
        ("Đã thẩm định 10 hồ sơ, còn lại 02 hồ sơ chờ chủ đầu tư bổ sung.", (True, INF, INF)),
        # work under way (the progressive "đang" before a verb of work), not a state
        ("Các xã đang triển khai thực hiện việc chuyển đổi cây trồng trên đất lúa.", (True, INF, INF)),
        ("Đoàn đã kiểm tra 05 dự án đang triển khai trên địa bàn huyện.", (False, INF, INF)),
        ("Đã kiểm tra an toàn lao động tại 08 công trình đang thi công.", (False, INF, INF)),
        ("Phòng Tài nguyên và Môi trường đang rà soát, tổng hợp hồ sơ trình UBND huyện.", (True, INF, INF)),
        ("Hệ thống xử lý nước thải đã nghiệm thu, đang vận hành ổn định.", (False, INF, INF)),
        # what is expected or planned states no completion, unless "đã" comes before it
        ("Công trình trụ sở xã dự kiến hoàn thành trong tháng 10.", (True, INF, INF)),
        ("Phòng Văn hóa sẽ tổ chức hội thi vào tháng 11.", (True, INF, INF)),
        ("Hoàn thành các bước chuẩn bị bầu cử đúng tiến độ.", (False, INF, INF)),
        ("Đã ban hành kế hoạch, dự kiến tổ chức hội thi vào tháng 11.", (False, INF, INF)),
        # part of the work put off
        (
            "Đoàn kiểm tra đã làm việc tại 2 huyện; huyện Ba Tri đề nghị lùi thời gian kiểm tra sang tháng 11.",
            (True, INF, INF),
        ),
        ("Sở đã gia hạn thời gian hoàn thành dự án đến quý IV.", (True, INF, INF)),
    ],
)
def test_task_figures_result_figures(text: str, figures: tuple[bool, float, float]) -> None:
    assert result_figures(text) == figures
    assert result_figures(unicodedata.normalize("NFD", text)) == figures


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("Đã giải quyết 12 trên tổng số 15 hồ sơ tồn đọng.", (False, INF, INF)),
        ("Tỷ lệ giải ngân vốn đầu tư công đạt 78% kế hoạch.", (False, INF, 78.0)),
        ("Đã thẩm định 10 hồ sơ, còn lại 02 hồ sơ chờ chủ đầu tư bổ sung.", (False, INF, INF)),
    ],
)
def test_task_figures_partial_forms_off(
    monkeypatch: pytest.MonkeyPatch, text: str, figures: tuple[bool, float, float]
) -> None:
    monkeypatch.setattr(task_figures, "PARTIAL_FORMS", False)
    assert result_figures(text) == figures


def test_task_figures_in_progress_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(task_figures, "IN_PROGRESS_PARTIAL", False)
    assert result_figures("Các xã đang triển khai chuyển đổi cây trồng trên đất lúa.") == (False, INF, INF)


def test_task_figures_expected_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(task_figures, "EXPECTED_PARTIAL", False)
    assert result_figures("Công trình trụ sở xã dự kiến hoàn thành trong tháng 10.") == (False, INF, INF)


def test_task_figures_postponed_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(task_figures, "POSTPONED_PARTIAL", False)
    text = "Đoàn kiểm tra đã làm việc tại huyện A; huyện B đề nghị lùi thời gian kiểm tra sang tháng 11."
    assert result_figures(text) == (False, INF, INF)
    assert clause_partial("Kiểm tra công tác số hóa hộ tịch tại huyện A, huyện B.", text) is False


@pytest.mark.parametrize(
    ("task", "result", "partial"),
    [
        # the clause on the task is whole; the postponement of another part still says the task is not
        (
            "Thành lập đoàn kiểm tra tiến độ số hóa dữ liệu hộ tịch tại 03 huyện Thạnh Phú, Mỏ Cày Bắc, Chợ Lách.",
            "Đoàn kiểm tra đã làm việc tại huyện Thạnh Phú và huyện Chợ Lách về số hóa dữ liệu hộ tịch; "
            "huyện Mỏ Cày Bắc đề nghị lùi thời gian kiểm tra sang tháng 11.",
            True,
        ),
        (
            "Tổ chức đối thoại với các hộ chưa đồng thuận.",
            "Đã tổ chức 02 buổi đối thoại; 31/38 hộ đồng ý nhận tiền.",
            False,
        ),
        ("Thẩm định hồ sơ cấp phép.", "Đã thẩm định 10 hồ sơ.", None),
    ],
)
def test_task_figures_clause_partial(task: str, result: str, partial: bool | None) -> None:
    assert clause_partial(task, result) is partial


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chủ đầu tư xin lùi tiến độ hoàn thành sang quý III.", True),
        ("UBND huyện tạm hoãn tổ chức đấu giá sang quý IV do không đủ hồ sơ.", False),
        ("Phiên đấu giá được hoãn sang quý IV do không đủ hồ sơ.", True),
        ("Đã gia hạn giấy phép khai thác cát cho 03 doanh nghiệp.", False),
        ("Đã tổ chức đấu giá thành công 12 lô đất.", False),
        ("Việc bàn giao mặt bằng được dời sang tháng 10.", True),
    ],
)
def test_task_figures_postponed(text: str, expected: bool) -> None:
    assert postponed(text) is expected
