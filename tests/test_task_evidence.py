"""Evidence roles (pipeline/task_evidence.py): what a later item's own words say of a task, whatever its category."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest

from ketluan.analysis import analyze_items
from ketluan.task_evidence import evidence_roles, names_work, reports_done, states_open_shortcoming

ISSUER_ID = "so-xay-dung/tinh-gia-lai"


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# fmt: off
@pytest.mark.parametrize(("text", "expected"), [
    ("Tiến độ lập quy hoạch chung thị trấn Chư Sê vẫn ì ạch; đơn vị tư vấn nhiều lần lùi thời điểm nộp dự thảo.", True),
    ("Số hồ sơ đề nghị thẩm định gửi về Sở tăng mạnh sau Tết, song việc xử lý không theo kịp.", True),
    ("Tuy nhiên, số người mua thẻ bảo hiểm y tế hộ gia đình sụt giảm, độ bao phủ chỉ đạt 87,4%.", True),
    ("Phòng Chính sách dân tộc đã ban hành hướng dẫn định mức hỗ trợ; nhưng đến nay mới 2/12 huyện phê duyệt danh sách.", True),
    ("Danh sách người có uy tín giai đoạn mới chưa được trình phê duyệt đúng hạn, còn 3 huyện chưa gửi hồ sơ.", True),
    (_nfd("Thời gian giải quyết hồ sơ thẩm định báo cáo nghiên cứu khả thi vẫn kéo dài."), True),
    # results: a state kept, a shortcoming cleared or denied, "chưa" inside a relative clause
    ("An ninh chính trị vẫn được bảo đảm, không để xảy ra điểm nóng.", False),
    ("04 hồ sơ thẩm định thiết kế tồn đọng đã được trả kết quả; hiện không còn hồ sơ chưa giải quyết.", False),
    ("Phòng Quản lý chất lượng công trình đã lập danh mục 23 công trình bàn giao sử dụng khi chưa qua kiểm tra.", False),
    ("UBND tỉnh đã ban hành Quyết định điều chuyển 18,6 tỷ đồng từ 7 dự án chậm triển khai sang 11 dự án.", False),
    ("Song song với đó, Sở đã tổ chức tập huấn cho 120 cán bộ.", False),
])
# fmt: on
def test_task_evidence_states_open_shortcoming(text: str, expected: bool) -> None:
    assert states_open_shortcoming(text) is expected


# fmt: off
@pytest.mark.parametrize(("text", "expected"), [
    ("Giám đốc Sở đã ký 09 quyết định xử phạt vi phạm hành chính, buộc tháo dỡ phần xây dựng sai phép.", True),
    ("Phòng Kế hoạch - Nghiệp vụ đã báo cáo danh sách 03 khoa vi phạm; đến cuối tháng 3, các khoa nộp hồ sơ đúng thời hạn.", True),
    ("Đã xác định nguyên nhân lún, nứt sân Trường Tiểu học Ia Dom là do nền đắp không được đầm chặt.", True),
    ("Hoàn thành tiêm phòng lở mồm long móng đợt 2 cho 28.460 con trâu, bò.", True),
    ("Hoàn thành bàn giao toàn bộ mặt bằng giai đoạn 1 Khu công nghiệp Hòa Hội cho nhà đầu tư.", True),
    (_nfd("Chi nhánh Văn phòng Đăng ký đất đai đã tăng cường 04 viên chức cho bộ phận tiếp nhận."), True),
    # "khi chưa …" names what the work concerned, no shortcoming of the reporting body
    ("Phòng Quản lý chất lượng công trình đã lập danh mục 23 công trình bàn giao sử dụng khi chưa qua kiểm tra.", True),
    ("Phòng Quản lý chất lượng công trình đã lập danh mục 23 công trình nhưng chưa gửi văn bản đôn đốc.", False),
    # an event, a shortcoming still open, an order with its deadline, an assignment, a relative "đã"
    ("Trong dịp nghỉ lễ đã xảy ra 02 vụ đuối nước làm 03 học sinh tử vong.", False),
    ("Đơn vị tư vấn đã nộp dự thảo nhưng chưa chỉnh sửa theo góp ý.", False),
    ("Hoàn tất hồ sơ xử phạt 09 công trình xây dựng không phép trong tháng 4/2024.", False),
    ("Hoàn thành giải ngân 100% kế hoạch vốn trước ngày 31/12/2024.", False),
    ("Giao Phòng Tài chính đã nhận hồ sơ tổng hợp, trình UBND huyện.", False),
    ("Tập trung thực hiện các nhiệm vụ 6 tháng cuối năm theo kế hoạch đã được phê duyệt.", False),
    ("Rà soát người bệnh đã ổn định để chuyển điều trị ngoại trú.", False),
    # an order whose object holds a relative "đã": the work verb comes before it (tasks of real conclusions)
    ("Trung tâm Phát triển quỹ đất hoàn chỉnh phương án đấu giá quyền sử dụng đất các khu đất đã được phê duyệt, "
     "tổ chức đấu giá trong quý IV/2024.", False),
    ("Sở Nông nghiệp và Môi trường hướng dẫn thủ tục cấp phép khai thác các mỏ đất đắp đã có trong quy hoạch, "
     "bảo đảm đủ vật liệu cho thi công trong mùa khô.", False),
    ("Tổ chức thực hiện nghiêm Kế hoạch thanh tra năm 2024 đã được phê duyệt; tập trung thanh tra các lĩnh vực "
     "dễ phát sinh tham nhũng.", False),
    (_nfd("Phòng Tài nguyên và Môi trường đã thu hồi 03 giấy phép khai thác cát hết hạn."), True),
    # a work verb printed with a capital is part of the body's name
    ("Đội Kiểm tra thuế đã đưa 27 hộ kinh doanh vào quản lý thuế.", True),
])
# fmt: on
def test_task_evidence_reports_done(text: str, expected: bool) -> None:
    assert reports_done(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("4.739,3", False), ("đạt 27,9%.", False), ("đã giải ngân: 1.324,6", False), ("Rà soát toàn bộ hồ sơ quá hạn.", True)],
)
def test_task_evidence_names_work(text: str, expected: bool) -> None:
    assert names_work(text) is expected


def test_task_evidence_roles_follow_the_words() -> None:
    cats = ["result", "result", "limitation", "cause", "task", "task", "other"]
    texts = [
        "Tuy nhiên, tỷ lệ dân số tham gia bảo hiểm y tế mới đạt 86,1%.",
        "Đã hoàn thành cập nhật dữ liệu doanh nghiệp lên Hệ thống thông tin quốc gia.",
        "Giám đốc Sở đã ký 09 quyết định xử phạt vi phạm hành chính.",
        "Đã xác định nguyên nhân lún, nứt sân trường là do nền đắp không được đầm chặt.",
        "đạt 27,9%.",
        "Giao Phòng Y tế kiểm tra các cơ sở chế biến trước ngày 10/12/2024.",
        "Văn phòng Sở thông báo để các phòng, đơn vị biết, thực hiện./.",
    ]
    assert evidence_roles(cats, texts) == ["limitation", "result", "result", "result", "", "task", ""]


def _items(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Items of one issuer, one document a month of 2024 issued on the 28th: (month, category, text)."""
    return pd.DataFrame({
        "item_id": [f"i{k}" for k in range(len(rows))], "doc_id": [f"d-{m}" for m, _, _ in rows],
        "category": [c for _, c, _ in rows], "text": [t for _, _, t in rows], "page": 1,
        "issuer": "SỞ XÂY DỰNG", "issuer_id": ISSUER_ID, "period_kind": "month",
        "period_start": [f"2024-{m}-01" for m, _, _ in rows], "period_end": [f"2024-{m}-28" for m, _, _ in rows],
        "issue_date": [f"2024-{m}-28" for m, _, _ in rows], "deadline": "",
    })  # fmt: skip


def test_task_evidence_limitation_read_as_result_names_the_problem_again() -> None:
    # the items stage read the later shortcoming as a result (a review heading): its words decide
    rows = [
        ("02", "limitation", "Thời gian giải quyết hồ sơ thẩm định dự án nhóm C kéo dài, nhiều hồ sơ quá hạn."),
        ("02", "task", "Phòng Quản lý hoạt động xây dựng rút ngắn thời gian giải quyết hồ sơ thẩm định dự án nhóm C."),
        ("04", "result", "Thời gian giải quyết hồ sơ thẩm định dự án nhóm C vẫn kéo dài, có hồ sơ gần 30 ngày."),
    ]
    row = analyze_items(_items(rows))["task_status"].iloc[0]
    assert (row["status"], row["evidence_item_id"]) == ("repeated", "i2")


@pytest.mark.parametrize("category", ["limitation", "task", "cause"])
def test_task_evidence_report_read_as_other_category_is_done(category: str) -> None:
    rows = [
        ("09", "task", "Giao Phòng Nông nghiệp đôn đốc các xã tiêm phòng lở mồm long móng đợt 2 cho đàn trâu, bò."),
        ("11", category, "Hoàn thành tiêm phòng lở mồm long móng đợt 2 cho 28.460 con trâu, bò."),
    ]
    table = analyze_items(_items(rows))["task_status"]
    row = table[table["task_item_id"] == "i0"].iloc[0]
    assert (row["status"], row["evidence_item_id"]) == ("done", "i1")


def test_task_evidence_table_piece_read_as_task_takes_no_anchor() -> None:
    # "đạt 27,9%." cut from a table row is no task: the limitation stays the real task's anchor
    rows = [
        ("05", "task", "đạt 27,9%."),
        ("05", "limitation", "Sau 5 tháng, vốn đầu tư công đã thanh toán chưa tới 28% kế hoạch."),
        ("05", "task", "Phòng Tổng hợp tham mưu thành lập các tổ công tác tháo gỡ vướng mắc giải ngân tại các địa phương."),
        ("06", "limitation", "Kết thúc 6 tháng, vốn đầu tư công mới giải ngân được 34,6% kế hoạch."),
    ]
    table = analyze_items(_items(rows))["task_status"].set_index("task_item_id")
    assert (table.at["i2", "status"], table.at["i2", "evidence_item_id"]) == ("repeated", "i3")
    assert table.at["i0", "evidence_item_id"] == ""


def test_task_evidence_roles_keep_orders_with_a_relative_perfective() -> None:
    # a task read as a result would never be decided: it keeps its role
    texts = [
        "Trung tâm Phát triển quỹ đất hoàn chỉnh phương án đấu giá các khu đất đã được phê duyệt, tổ chức đấu giá trong quý IV/2024.",
        "Trung tâm Phát triển quỹ đất đã tổ chức đấu giá 03 khu đất, thu 41,2 tỷ đồng.",
    ]
    assert evidence_roles(["task", "task"], texts) == ["task", "result"]
