"""Task status (pipeline/task_status.py): done / repeated / open / overdue with evidence, hand-built items."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pytest

from ketluan import task_status as task_status_module
from ketluan.analysis import analyze_items
from ketluan.similarity import item_parts, recurrence_matrix
from ketluan.task_objects import compared_texts
from ketluan.task_status import (
    ANCHOR_THRESHOLD,
    DONE_MIN_COSINE,
    SPECIFIC_BONUS,
    TASK_STATUS_COLUMNS,
    _anchors,
    _drop_siblings,
    _Pairs,
    _specifics_matrix,
    clause_partial,
    result_figures,
    specifics,
)

ISSUER_ID = "so-ke-hoach-va-dau-tu/tinh-quang-ngai"


def _items(rows: list[tuple[str, str, str]], deadline: str = "") -> pd.DataFrame:
    """Items of one issuer, one document a month of 2023 issued on the 25th: (month, category, text)."""
    return pd.DataFrame({
        "item_id": [f"i{k}" for k in range(len(rows))], "doc_id": [f"d-{m}" for m, _, _ in rows],
        "category": [c for _, c, _ in rows], "text": [t for _, _, t in rows], "page": [k + 1 for k in range(len(rows))],
        "issuer": "SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "issuer_id": ISSUER_ID, "period_kind": "month",
        "period_start": [f"2023-{m}-01" for m, _, _ in rows], "period_end": [f"2023-{m}-28" for m, _, _ in rows],
        "issue_date": [f"2023-{m}-25" for m, _, _ in rows], "deadline": deadline,
    })  # fmt: skip


def _status(rows: list[tuple[str, str, str]], deadline: str = "") -> pd.Series:
    return analyze_items(_items(rows, deadline))["task_status"].iloc[0]


# fmt: off
@pytest.mark.parametrize(("task", "result"), [
    ("Phòng Tổng hợp tham mưu UBND tỉnh ban hành Kế hoạch đầu tư công trung hạn giai đoạn 2021 - 2025.",
     "UBND tỉnh đã ban hành Kế hoạch đầu tư công trung hạn giai đoạn 2021 - 2025."),
    ("Phòng Đăng ký kinh doanh hoàn thành cập nhật dữ liệu doanh nghiệp lên Hệ thống thông tin quốc gia.",
     "Đã hoàn thành cập nhật dữ liệu doanh nghiệp lên Hệ thống thông tin quốc gia về đăng ký doanh nghiệp."),
    ("Các chủ đầu tư đẩy nhanh giải ngân vốn Chương trình mục tiêu quốc gia xây dựng nông thôn mới.",
     "Các chủ đầu tư đã giải ngân đạt 100% kế hoạch vốn Chương trình mục tiêu quốc gia xây dựng nông thôn mới."),
    ("Phòng Thẩm định hoàn chỉnh hồ sơ điều chỉnh chủ trương đầu tư dự án đường ven biển, trình UBND tỉnh.",
     "Sở đã trình UBND tỉnh hồ sơ điều chỉnh chủ trương đầu tư dự án đường ven biển."),
    ("Văn phòng Sở chuẩn bị tổ chức Hội nghị xúc tiến đầu tư vào khu kinh tế.",
     "Đã tổ chức Hội nghị xúc tiến đầu tư vào khu kinh tế với 120 doanh nghiệp tham dự."),
    # "cơ bản hoàn thành" is the writer's verdict, whatever count follows it
    ("Phòng Doanh nghiệp hoàn tất thủ tục giải thể 42 hợp tác xã ngừng hoạt động.",
     "Việc giải thể hợp tác xã ngừng hoạt động cơ bản hoàn thành, đã có 40/42 hợp tác xã được thu hồi giấy chứng nhận."),
    (unicodedata.normalize("NFD", "Thanh tra Sở giải quyết dứt điểm 05 đơn khiếu nại tồn đọng về đầu tư."),
     unicodedata.normalize("NFD", "Thanh tra Sở đã giải quyết xong 05 đơn khiếu nại tồn đọng về đầu tư.")),
])
# fmt: on
def test_task_status_done_in_other_words(task: str, result: str) -> None:
    row = _status([("03", "task", task), ("04", "result", result)])
    assert (row["status"], row["evidence_item_id"], row["evidence_doc_id"], row["evidence_page"]) == (
        "done", "i1", "d-04", 2
    )


# fmt: off
@pytest.mark.parametrize(("task", "result"), [
    ("Các chủ đầu tư đẩy nhanh giải ngân vốn đầu tư công, hoàn thành trước ngày 15/4/2023.",
     "Các chủ đầu tư đã giải ngân vốn đầu tư công mới đạt 45% kế hoạch."),
    ("Đôn đốc 17 hộ thuộc chương trình xóa nhà tạm hoàn thành xây dựng nhà, xong trước ngày 15/4/2023.",
     "15/17 nhà thuộc chương trình xóa nhà tạm đã hoàn thành, bàn giao cho các hộ."),
])
# fmt: on
def test_task_status_partial_progress_is_not_done(task: str, result: str) -> None:
    # progress only; the deadline passed before the latest (June) notice with nothing reported
    row = _status([("03", "task", task), ("04", "result", result), ("06", "other", "Các nội dung khác theo kế hoạch.")])
    assert (row["status"], row["evidence_item_id"]) == ("overdue", "")


def test_task_status_later_limitation_names_the_problem_again() -> None:
    row = _status([
        ("03", "limitation", "Tiến độ giải ngân vốn đầu tư công còn chậm, mới đạt 18% kế hoạch."),
        ("03", "task", "Các chủ đầu tư tập trung đẩy nhanh tiến độ giải ngân vốn đầu tư công."),
        ("04", "limitation", "Giải ngân vốn đầu tư công vẫn chậm, nhiều dự án chưa có khối lượng thanh toán."),
    ])
    assert (row["status"], row["evidence_item_id"], row["evidence_doc_id"]) == ("repeated", "i2", "d-04")


# fmt: off
@pytest.mark.parametrize(("task", "deadline"), [
    ("Văn phòng Sở tổng hợp, báo cáo Giám đốc Sở trước ngày 15/3.", "2023-03-15"),
    ("Phòng Tổng hợp rà soát danh mục dự án khởi công mới, báo cáo trong tháng 4.", "2023-04-30"),
    ("Phòng Thẩm định hoàn thiện quy trình nội bộ, trình ban hành trong quý II.", "2023-06-30"),
    ("Phòng Kinh tế đối ngoại hoàn chỉnh hồ sơ gia hạn hiệp định vay trước 30/6/2023.", "2023-06-30"),
])
# fmt: on
def test_task_status_deadline_passed_with_nothing_said_is_overdue(task: str, deadline: str) -> None:
    rows = [("02", "task", task), ("07", "other", "Các nội dung khác thực hiện theo kế hoạch.")]
    row = _status(rows)
    assert (row["status"], row["deadline"]) == ("overdue", deadline)
    # the issuer's latest document is no later than the deadline: still open
    early = _status([("02", "task", task), ("02", "other", "Văn phòng Sở thông báo để các đơn vị biết.")])
    assert (early["status"], early["deadline"]) == ("open", deadline)


def test_task_status_deadline_cell_before_the_task_read_again_from_the_text() -> None:
    # a December task "trước ngày 15/01" whose cell took the notice's year: due next January
    items = _items([("12", "task", "Văn phòng Sở hoàn thành báo cáo tổng kết năm trước ngày 15/01.")], "2023-01-15")
    assert analyze_items(items)["task_status"]["deadline"].tolist() == ["2024-01-15"]


def test_task_status_anchors_pair_tasks_with_limitations_one_to_one() -> None:
    # the task on drop-outs shares few words with its limitation; paired one to one, its anchor's
    # later rewording makes it repeated, and the other task's anchor does not steal it
    rows = [
        ("02", "limitation", "Việc duy trì dạy học trực tiếp bị gián đoạn do học sinh, giáo viên mắc Covid-19."),
        ("02", "limitation", "Sau thời gian dài học trực tuyến, còn 412 học sinh trung học chưa trở lại trường."),
        ("02", "task", "Phòng Giáo dục Trung học: lập danh sách, phối hợp địa phương vận động các em trở lại lớp."),
        ("02", "task", "Văn phòng Sở: hướng dẫn kịch bản xử lý ca mắc Covid-19, bảo đảm duy trì dạy học trực tiếp."),
        ("04", "limitation", "Vẫn còn học sinh trung học chưa trở lại trường, nghỉ học dài ngày để đi làm thuê."),
    ]
    ts = analyze_items(_items(rows))["task_status"]
    assert ts["status"].tolist() == ["repeated", "open"]
    assert ts["evidence_item_id"].tolist() == ["i4", ""]


def test_task_status_columns_and_other_issuer() -> None:
    items = _items([("03", "task", "Phòng Tổng hợp tham mưu ban hành Kế hoạch đầu tư công năm 2024."),
                    ("04", "result", "UBND tỉnh đã ban hành Kế hoạch đầu tư công năm 2024.")])  # fmt: skip
    items.loc[1, "issuer_id"] = "so-ke-hoach-va-dau-tu/tinh-quang-nam"  # another province's
    ts = analyze_items(items)["task_status"]
    assert list(ts.columns) == TASK_STATUS_COLUMNS
    assert ts["status"].tolist() == ["open"]


# fmt: off
@pytest.mark.parametrize(("text", "figures"), [
    ("Thu ngân sách cả năm ước đạt 561,7 tỷ đồng, vượt 10,6% dự toán.", (False, float("inf"), float("inf"))),
    ("Số doanh nghiệp thành lập mới tăng 12% so với cùng kỳ.", (False, float("inf"), float("inf"))),
    ("Giải ngân vốn đầu tư công đạt 86% kế hoạch.", (False, 86.0, float("inf"))),
    ("Việc giải thể hợp tác xã cơ bản hoàn thành, đã có 40/42 đơn vị.", (False, float("inf"), float("inf"))),
    (unicodedata.normalize("NFD", "Đã vận động được 356/412 học sinh trở lại trường."), (True, float("inf"), float("inf"))),
    # a dot groups thousands: 612 of 1040 tanks, not "612/1"
    ("Các huyện đã cấp được 612/1.040 bồn chứa nước cho hộ nghèo.", (True, float("inf"), float("inf"))),
    ("Đã tiêm phòng cho 28.460/28.460 con trâu, bò.", (False, float("inf"), float("inf"))),
    ("Đã cấp 1.250/1.300 giấy chứng nhận quyền sử dụng đất.", (True, float("inf"), float("inf"))),
])
# fmt: on
def test_task_status_result_figures(text: str, figures: tuple[bool, float, float]) -> None:
    assert result_figures(text) == figures


# fmt: off
@pytest.mark.parametrize(("task", "result", "partial"), [
    ("Tổ chức đối thoại với các hộ chưa đồng thuận giá bồi thường.",
     "Hội đồng bồi thường đã tổ chức 02 buổi đối thoại; 31/38 hộ đồng ý nhận tiền và bàn giao đất.", False),
    ("Vận động các hộ nhận tiền bồi thường, bàn giao đất cho nhà đầu tư.",
     "Hội đồng bồi thường đã tổ chức 02 buổi đối thoại; 31/38 hộ đồng ý nhận tiền và bàn giao đất.", True),
    ("Vận động 412 học sinh trở lại lớp.", "Đã vận động được 356/412 học sinh trở lại trường.", None),
])
# fmt: on
def test_task_status_clause_partial(task: str, result: str, partial: bool | None) -> None:
    assert clause_partial(task, result) is partial


# fmt: off
@pytest.mark.parametrize(("text", "expected"), [
    ("Còn 17 hộ ở thôn Lùng Thắng, Na Lốc 1 sống sát taluy dương chưa được di chuyển.",
     {"#17", "#17 hộ", "lùng thắng", "na lốc"}),
    (unicodedata.normalize("NFD", "Giao Văn phòng - Thống kê xây dựng lịch trực Tết Nguyên đán Ất Tỵ trước ngày 20/01/2025."),
     {"tết nguyên", "ất tỵ"}),
    ("Việc giải thể hợp tác xã cơ bản hoàn thành, đã có 40/42 đơn vị được thu hồi giấy chứng nhận.",
     {"#42", "#42 đơn"}),
    # bodies, dates, document numbers and percentages are no specifics
    ("Giám đốc Sở đã ban hành Quyết định số 118/QĐ-SKHĐT ngày 12/5/2021, giải ngân đạt 87% kế hoạch.", set()),
])
# fmt: on
def test_task_status_specifics(text: str, expected: set[str]) -> None:
    assert specifics(text) == expected


def test_task_status_anchor_found_through_shared_specifics() -> None:
    # the task shares few words with its limitation, but the same 17 households of the same villages
    texts = [
        "Còn 17 hộ ở thôn Lùng Thắng, Na Lốc 1 sống sát taluy dương có nguy cơ sạt lở nhưng chưa được di chuyển đến nơi an toàn.",
        "Còn 04/13 thôn nộp báo cáo tình hình tháng về UBND xã muộn so với thời gian quy định.",
        unicodedata.normalize("NFD", "Trưởng các thôn Lùng Thắng, Na Lốc 1 phối hợp Ban Chỉ huy Quân sự xã vận động, hỗ trợ 17 hộ di "
                              "chuyển người và tài sản ra khỏi khu vực nguy hiểm, thời hạn trước ngày 10/8/2023."),
    ]
    parts, F = item_parts(texts), _specifics_matrix(texts)
    recurrence = recurrence_matrix(parts, np.arange(3))[2, [0, 1]]
    for dense in (True, False):  # one block of the issuer's products, or a product per comparison
        pairs = _Pairs(parts, F, np.arange(3))
        pairs.dense = dense
        assert pairs.similar(np.array([2]), np.array([0, 1]))[0] == pytest.approx(recurrence + [SPECIFIC_BONUS, 0.0])
        assert _anchors(pairs, np.array([2]), np.array([0, 1]), np.array(["d"] * 3), ANCHOR_THRESHOLD).tolist() == [0]


def test_task_status_later_limitation_of_a_sibling_problem_is_no_repeat() -> None:
    # the March limitation reads most like the other reporting problem of the February notice
    # (investors' supervision reports), not like the one the first task answers (monthly reports)
    rows = [
        ("02", "limitation", "Báo cáo tình hình kinh tế - xã hội hằng tháng của một số sở, ngành và địa phương gửi về Sở chậm, số liệu giữa các nguồn thiếu thống nhất, gây khó khăn cho việc tổng hợp phục vụ phiên họp thường kỳ của UBND tỉnh."),
        ("02", "limitation", "Tỷ lệ chủ đầu tư cập nhật báo cáo giám sát, đánh giá đầu tư năm 2020 trên Hệ thống thông tin quốc gia về giám sát, đánh giá đầu tư còn thấp, mới đạt 46%; nhiều báo cáo chỉ nhập số liệu tổng, thiếu thông tin chi tiết từng dự án."),
        ("02", "task", "Văn phòng Sở tổng hợp danh sách các đơn vị gửi báo cáo chậm, dự thảo văn bản của UBND tỉnh chấn chỉnh chế độ thông tin, báo cáo định kỳ, trình Giám đốc Sở trước ngày 10/3/2023."),
        ("02", "task", "Phòng Thẩm định - Giám sát và Đánh giá đầu tư hướng dẫn, đôn đốc các chủ đầu tư hoàn thành cập nhật báo cáo giám sát, đánh giá đầu tư năm 2020 lên Hệ thống trước ngày 31/3/2023."),
        ("03", "limitation", unicodedata.normalize("NFD", "Đã hết hạn 31/3 nhưng vẫn còn 38 chủ đầu tư chưa gửi báo cáo đánh giá tình hình giám sát đầu tư năm 2020; không ít báo cáo đã gửi có chất lượng sơ sài, sao chép số liệu của năm trước.")),
        ("06", "other", "Văn phòng Sở thông báo để các phòng, đơn vị biết, thực hiện."),
    ]
    status = analyze_items(_items(rows))["task_status"].set_index("task_item_id")
    assert (status.at["i3", "status"], status.at["i3", "evidence_item_id"], status.at["i3", "evidence_page"]) == (
        "repeated", "i4", 5
    )
    assert (status.at["i2", "status"], status.at["i2", "evidence_item_id"]) == ("overdue", "")


@pytest.mark.parametrize("lead, kept", [
    (0.05, True),  # the sibling only a little closer: still the task's problem
    (0.15, False),  # clearly closer to the other problem of the task's notice
])
def test_task_status_sibling_must_be_clearly_closer(lead: float, kept: bool) -> None:
    texts = [
        "Báo cáo kinh tế - xã hội hằng tháng của các sở, ngành gửi về chậm, số liệu thiếu thống nhất.",
        "Nhiều chủ đầu tư chưa cập nhật báo cáo giám sát, đánh giá đầu tư trên Hệ thống thông tin quốc gia.",
        "Văn phòng Sở dự thảo văn bản chấn chỉnh chế độ báo cáo định kỳ, trình Giám đốc Sở trước ngày 10/3/2023.",
        unicodedata.normalize("NFD", "Vẫn còn 38 chủ đầu tư chưa gửi báo cáo giám sát đầu tư năm 2020 đúng hạn."),
    ]
    pairs = _Pairs(item_parts(texts), _specifics_matrix(texts), np.arange(4))
    closest = float(pairs.cosine(np.array([3]), np.array([1]))[0, 0])  # the later limitation to the sibling
    to_anchor = np.array([[closest - lead]])  # its similarity to the task's own limitation (row 0)
    same, margin = np.array([[True]]), np.array([[0.2]])
    _drop_siblings(pairs, np.array([2]), np.array([3]), np.array([0]), {2: np.array([1])}, to_anchor, same,
                   margin, np.array([False]))  # fmt: skip
    assert bool(same[0, 0]) is kept
    assert float(margin[0, 0]) == (0.2 if kept else -1.0)


def test_task_status_done_result_closer_than_a_limitation_of_the_same_notice() -> None:
    # one notice reports the purchase done and names another drug problem: the closer item decides
    row = _status([
        ("01", "limitation", "Khoa Dược để hết cơ số 14 khoản thuốc thiết yếu, người bệnh phải tự mua ngoài."),
        ("01", "task", "Khoa Dược lập dự trù, mua bổ sung 14 khoản thuốc hết cơ số theo hình thức mua sắm trực tiếp."),
        ("02", "result", unicodedata.normalize("NFD", "Giám đốc đã duyệt dự trù; Khoa Dược mua bổ sung 14 khoản thuốc hết cơ số theo hình thức mua sắm trực tiếp.")),
        ("02", "limitation", "Trong kho còn 18 khoản thuốc cận hạn sử dụng, Khoa Dược chưa có phương án điều chuyển."),
    ])
    assert (row["status"], row["evidence_item_id"], row["evidence_doc_id"], row["evidence_page"]) == ("done", "i2", "d-02", 3)


def test_task_status_task_set_again_is_not_done() -> None:
    # the May notice reports progress in words of completion but sets the same task again
    task = "Phòng Doanh nghiệp phối hợp UBND các huyện hoàn tất thủ tục giải thể 42 hợp tác xã ngừng hoạt động."
    row = _status([
        ("04", "task", task),
        ("05", "result", "Đã hoàn tất thủ tục giải thể hợp tác xã ngừng hoạt động tại 02 huyện."),
        ("05", "task", "Tiếp tục giao " + task),
    ])
    assert (row["status"], row["evidence_item_id"]) == ("open", "")


# fmt: off
@pytest.mark.parametrize(("rows", "expected"), [
    # a later limitation of the task's topic (reporting obligations) on another matter (crop
    # statistics): text cosine 0.09, recurrence similarity 0.19; the old vectorize cosine gave
    # any two items of one topic at least 0.5 and took it for the problem named again
    ([("03", "task", "Văn phòng Sở tổng hợp danh sách đơn vị gửi báo cáo chậm, dự thảo văn bản chấn chỉnh chế độ "
                     "thông tin, báo cáo, xong trước ngày 10/4/2023."),
      ("05", "limitation", "Số liệu thống kê diện tích gieo trồng vụ Hè Thu giữa các nguồn còn sai lệch."),
      ("07", "other", "Các nội dung khác theo kế hoạch.")],
     ("overdue", "")),
    # the same project's site named again under another topic (disbursement, not site clearance):
    # the wording and the shared name "Phạm Văn Đồng" reach 0.44; the old cosine halved the
    # wording of two topics (0.33)
    ([("03", "task", unicodedata.normalize("NFD", "Trung tâm Phát triển quỹ đất chi trả tiền bồi thường cho các hộ dự án "
                     "đường Phạm Văn Đồng, bàn giao mặt bằng trước ngày 30/4/2023.")),
      ("05", "limitation", "Dự án đường Phạm Văn Đồng mới giải ngân được 20% kế hoạch vốn do còn vướng mặt bằng."),
      ("05", "limitation", "Giá vật liệu xây dựng trên địa bàn tỉnh tăng cao, nhiều nhà thầu xin điều chỉnh giá hợp đồng."),
      ("07", "other", "Các nội dung khác theo kế hoạch.")],
     ("repeated", "i1")),
])
# fmt: on
def test_task_status_wording_decides_not_the_topic(rows: list[tuple[str, str, str]], expected: tuple[str, str]) -> None:
    row = _status(rows)
    assert (row["status"], row["evidence_item_id"]) == expected


def test_task_status_result_reports_only_the_task_most_like_it() -> None:
    # the result reports the medium-term plan issued; the 2022 plan (similarity 0.73) is another piece of work
    status = analyze_items(_items([
        ("03", "task", "Phòng Tổng hợp tham mưu UBND tỉnh ban hành Kế hoạch đầu tư công trung hạn giai đoạn 2021 - 2025."),
        ("03", "task", "Phòng Tổng hợp tham mưu UBND tỉnh ban hành Kế hoạch đầu tư công năm 2022."),
        ("04", "result", "UBND tỉnh đã ban hành Kế hoạch đầu tư công trung hạn giai đoạn 2021 - 2025."),
    ]))["task_status"]
    assert status[["status", "evidence_item_id"]].values.tolist() == [["done", "i2"], ["open", ""]]


def test_task_status_same_rows_with_or_without_the_analysis_parts() -> None:
    # analyze_items hands its item_parts over; task_status alone computes the same ones
    from ketluan.analysis import _prepare, issuer_key
    from ketluan.task_objects import compared_texts
    from ketluan.task_status import task_status

    df = _prepare(_items([
        ("02", "limitation", "Còn 87 hồ sơ đăng ký đất đai giải quyết quá hạn tại các chi nhánh Văn phòng Đăng ký đất đai."),
        ("02", "task", "Giao Văn phòng Đăng ký đất đai rà soát toàn bộ hồ sơ quá hạn, trả kết quả trước ngày 15/3/2023."),
        ("03", "result", "Văn phòng Đăng ký đất đai đã trả kết quả xong 87 hồ sơ quá hạn."),
    ]))
    parts = item_parts(compared_texts(df))
    given = task_status(df, issuer_key(df).tolist(), parts=parts)
    alone = task_status(df, issuer_key(df).tolist())
    assert given.equals(alone)
    assert given[["status", "evidence_item_id"]].values.tolist() == [["done", "i2"]]


def test_task_status_year_end_deadline_passed_is_overdue() -> None:
    # "trong tháng cuối năm": due 31/12 of the notice's year; the latest notice is of the next January
    rows = [
        ("12", "task", "Thứ tư, BHXH các huyện tập trung khai thác người tham gia BHXH tự nguyện trong tháng cuối năm."),
        ("12", "other", "Văn phòng thông báo để các đơn vị biết, thực hiện."),
    ]
    items = _items(rows)
    items.loc[1, ["period_start", "issue_date"]] = ["2024-01-01", "2024-01-05"]
    row = analyze_items(items)["task_status"].iloc[0]
    assert (row["status"], row["deadline"]) == ("overdue", "2023-12-31")


# fmt: off
@pytest.mark.parametrize("result", [
    "Chủ đầu tư dự án nhà ở xã hội đã nộp hồ sơ thiết kế cơ sở, phòng chuyên môn đang xem xét.",
    unicodedata.normalize("NFD", "Chủ đầu tư dự án nhà ở xã hội đã hoàn thiện một phần hồ sơ thiết kế cơ sở."),
])
# fmt: on
def test_task_status_work_under_way_is_not_done(result: str) -> None:
    task = "Đôn đốc chủ đầu tư dự án nhà ở xã hội hoàn thiện hồ sơ thiết kế cơ sở, đề nghị cấp giấy phép xây dựng."
    row = _status([("03", "task", task), ("04", "result", result)])
    assert (row["status"], row["evidence_item_id"]) == ("open", "")


def test_task_status_result_needs_shared_words_to_report_done(monkeypatch: pytest.MonkeyPatch) -> None:
    # the same district and field (a shared place name, a topic), other work: only the text cosine
    # (at least DONE_MIN_COSINE) lets a result report the task done
    rows = [
        ("01", "task", "Giao Phòng Tuyên truyền phối hợp Bưu điện tỉnh kiểm tra việc phát hành báo, tạp chí tại các huyện Bắc Yên, Phù Yên."),
        ("02", "result", "Hoàn thành thẩm định danh sách người có uy tín ở Phù Yên, Yên Châu."),
    ]
    cosine = float(_Pairs(item_parts(compared_texts(_items(rows))), _specifics_matrix([r[2] for r in rows]),
                          np.arange(2)).cosine(np.array([0]), np.array([1]))[0, 0])  # fmt: skip
    assert _status(rows)["status"] == ("done" if cosine >= DONE_MIN_COSINE else "open")
    monkeypatch.setattr(task_status_module, "DONE_MIN_COSINE", cosine + 0.01)
    assert (_status(rows)["status"], _status(rows)["evidence_item_id"]) == ("open", "")
    monkeypatch.setattr(task_status_module, "DONE_MIN_COSINE", 0.0)
    assert (_status(rows)["status"], _status(rows)["evidence_item_id"]) == ("done", "i1")


def test_task_status_task_set_again_in_other_words_is_not_done() -> None:
    # the May notice reports a step in words of completion, and sets the work again ("tiếp tục") reworded
    row = _status([
        ("04", "task", "Phòng Doanh nghiệp phối hợp UBND các huyện hoàn tất thủ tục giải thể 42 hợp tác xã ngừng hoạt động."),
        ("05", "result", "Đã hoàn tất thủ tục giải thể hợp tác xã ngừng hoạt động tại 02 huyện."),
        ("05", "task", "Tiếp tục giao Phòng Doanh nghiệp đôn đốc các huyện hoàn tất hồ sơ giải thể các hợp tác xã còn lại."),
    ])
    assert (row["status"], row["evidence_item_id"]) == ("open", "")


def test_task_status_result_that_turns_names_the_problem_again() -> None:
    # a result read as such by the items stage, whose sentence turns to what is still lacking
    row = _status([
        ("03", "limitation", "Tiến độ giải ngân vốn đầu tư công còn chậm, mới đạt 18% kế hoạch."),
        ("03", "task", "Các chủ đầu tư tập trung đẩy nhanh tiến độ giải ngân vốn đầu tư công."),
        ("04", "result", "Các chủ đầu tư đã giải ngân thêm 35 tỷ đồng, tuy nhiên vẫn còn chậm so với kế hoạch vốn đầu tư công."),
    ])
    assert (row["status"], row["evidence_item_id"], row["evidence_doc_id"]) == ("repeated", "i2", "d-04")
