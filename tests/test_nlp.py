"""Tests of ketluan.nlp (underthesea tokenizer in spaCy, the trained item classifier) and ketluan.actors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from ketluan.actors import find_actors
from ketluan.nlp import (
    TEXTCAT_DIR,
    ModelNotFoundError,
    blank_nlp,
    classify,
    get_nlp,
    load_textcat,
    model_available,
    segment,
    word_tokenize,
)

TRAINING_DIR = Path(__file__).resolve().parents[1] / "data" / "training"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --------------------------------------------------------------------------- tokenizer

# fmt: off
ROUND_TRIP = [
    "Rà soát văn bản quy phạm pháp luật.",
    "Tiến độ giải ngân vốn đầu tư công còn chậm, mới đạt 32% kế hoạch.",
    "Hoà giải cơ sở; khoẻ mạnh; tuỳ theo; thuý; hoá chất.",          # old-style tone placement
    nfd("Bệnh viện thông báo để các khoa, phòng biết, thực hiện./."),  # decomposed input
    "Các phòng tổ chức thực hiện kịp thời,\nchặt chẽ các nhiệm vụ",  # a wrapped line
    "  Hai  dấu cách\tvà tab  ",
    "**II. Những hạn chế cần chú ý**",
    "Thu 7.356 tỷ đồng (32,5%) trước ngày 30/6/2024; email vp@quangngai.gov.vn",
    "nghành y tế",                                                    # underthesea rewrites this word
    "",
]
# fmt: on


@pytest.mark.parametrize("text", ROUND_TRIP)
def test_nlp_tokenizer_keeps_text_exactly(text: str) -> None:
    doc = blank_nlp()(text)
    assert doc.text == text
    for token in doc:
        assert text[token.idx : token.idx + len(token.text)] == token.text


# fmt: off
@pytest.mark.parametrize("text, word", [
    ("Rà soát văn bản quy phạm pháp luật.", "văn bản"),
    ("Tiến độ giải ngân vốn đầu tư công còn chậm.", "vốn đầu tư công"),
    ("Cuộc họp giao ban tháng 5/2020 của Thanh tra tỉnh.", "giao ban"),
    ("Chánh Thanh tra tỉnh kết luận như sau:", "Thanh tra"),
    ("Công tác hoà giải ở cơ sở được duy trì.", "hoà giải"),
    (nfd("Rà soát văn bản quy phạm pháp luật."), nfd("văn bản")),
])
# fmt: on
def test_nlp_tokenizer_keeps_multisyllable_words(text: str, word: str) -> None:
    assert word in [t.text for t in blank_nlp()(text)]


def test_nlp_tokenizer_splits_word_across_line_wrap() -> None:
    doc = blank_nlp()("Rà soát văn\nbản")
    assert doc.text == "Rà soát văn\nbản"
    assert "văn\nbản" not in [t.text for t in doc]


def test_nlp_blank_uses_registered_underthesea_tokenizer() -> None:
    nlp = blank_nlp()
    assert nlp.lang == "vi"
    assert nlp.config["nlp"]["tokenizer"]["@tokenizers"] == "ketluan.UndertheseaTokenizer.v1"
    assert "UBND" in nlp.tokenizer.fixed_words


def test_nlp_tokenizer_serializes_fixed_words(tmp_path: Path) -> None:
    nlp = blank_nlp()
    nlp.tokenizer.to_disk(tmp_path / "tok")
    other = type(nlp.tokenizer)(nlp.vocab, ())
    other.from_disk(tmp_path / "tok")
    assert other.fixed_words == nlp.tokenizer.fixed_words


# fmt: off
@pytest.mark.parametrize("text, words", [
    ("Tiến độ giải ngân vốn đầu tư công còn chậm", ["Tiến độ", "giải ngân", "vốn đầu tư công", "còn", "chậm"]),
    ("Công tác hoà giải ở cơ sở", ["Công tác", "hoà giải", "ở", "cơ sở"]),
    ("UBND tỉnh", ["UBND", "tỉnh"]),
])
# fmt: on
def test_nlp_word_tokenize_returns_words_as_written(text: str, words: list[str]) -> None:
    assert word_tokenize(text) == words


def test_nlp_segment_covers_every_character() -> None:
    text = nfd("Sở Tài chính: Theo dõi chặt chẽ tiến độ thu ngân sách ⚡ ∑.")
    spans = segment(text)
    assert "".join("".join(text[s:e].split()) for s, e in spans) == "".join(text.split())
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))


# --------------------------------------------------------------------------- classifier

# Sentences written for this test, none of them in data/training (checked below).
# fmt: off
CLASSIFY_CASES = [
    ("Tiến độ giải ngân vốn đầu tư công còn chậm, mới đạt 32% kế hoạch.", "limitation"),
    ("Giao Sở Tài chính chủ trì, phối hợp với các đơn vị liên quan rà soát, báo cáo UBND tỉnh trước ngày 30/6/2024.", "task"),
    ("Thu ngân sách nhà nước đạt 7.356 tỷ đồng, bằng 32,5% dự toán.", "result"),
    ("Nguyên nhân chủ yếu do một số cơ quan chưa quan tâm đúng mức.", "cause"),
    ("Văn phòng UBND tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện./.", "other"),
    ("Công tác cải cách thủ tục hành chính ở một số xã chưa được quan tâm đúng mức, hồ sơ còn trễ hạn.", "limitation"),
    ("Trong tháng đã tiếp nhận và giải quyết 215 hồ sơ, đạt tỷ lệ 98,6% đúng hạn.", "result"),
    ("Yêu cầu Thủ trưởng các cơ quan, đơn vị nghiêm túc thực hiện, báo cáo kết quả trước ngày 15/12/2024.", "task"),
    ("Tình trạng xả rác thải ra kênh mương vẫn còn xảy ra ở nhiều thôn.", "limitation"),
    ("Phòng Văn hóa và Thông tin khẩn trương hoàn thành kế hoạch tổ chức Tết Nguyên đán, trình UBND huyện trước ngày 10/01/2025.", "task"),
    ("Ngày 03/01/2025, Phó Chủ tịch UBND tỉnh Võ Phiên chủ trì họp nghe báo cáo về tình hình thực hiện công tác cổ phần hóa Công ty.", "other"),
    ("Giao Sở Nội vụ tiếp thu các ý kiến tại cuộc họp, chủ trì, phối hợp với các Sở: Tài chính, Kế hoạch và Đầu tư khẩn trương rà soát thành viên Ban Chỉ đạo cổ phần hóa.", "task"),
    ("Hoàn thành tiêm vắc xin sởi cho 1.250 trẻ, đạt 98% kế hoạch.", "result"),
    (nfd("Nguyên nhân do nguồn kinh phí bố trí cho công tác hoà giải còn hạn hẹp."), "cause"),
]
# fmt: on


def training_texts() -> set[str]:
    texts = set()
    for path in TRAINING_DIR.glob("written_*.txt"):
        texts.update(
            line.split("\t", 1)[1].strip()
            for line in path.read_text(encoding="utf-8").splitlines()
            if "\t" in line
        )
    for line in (TRAINING_DIR / "gold_items.jsonl").read_text(encoding="utf-8").splitlines():
        texts.add(json.loads(line)["text"])
    return texts


def test_nlp_classify_cases_are_not_training_data() -> None:
    seen = training_texts()
    assert not [t for t, _ in CLASSIFY_CASES if unicodedata.normalize("NFC", t) in seen]


def test_nlp_model_loads_from_models_dir() -> None:
    assert model_available()
    nlp = get_nlp()
    assert "textcat" in nlp.pipe_names
    assert set(nlp.get_pipe("textcat").labels) == {"result", "limitation", "cause", "task", "other"}
    assert nlp.config["nlp"]["tokenizer"]["@tokenizers"] == "ketluan.UndertheseaTokenizer.v1"
    assert load_textcat(TEXTCAT_DIR) is load_textcat(TEXTCAT_DIR)  # loaded once per process


@pytest.mark.parametrize("text, label", CLASSIFY_CASES)
def test_nlp_classify_labels_real_sentences(text: str, label: str) -> None:
    probs = classify([text])[0]
    assert max(probs, key=lambda k: probs[k]) == label


def test_nlp_classify_returns_probabilities_per_text() -> None:
    out = classify([t for t, _ in CLASSIFY_CASES[:3]] + [""])
    assert len(out) == 4
    for probs in out:
        assert set(probs) == {"result", "limitation", "cause", "task", "other"}
        assert sum(probs.values()) == pytest.approx(1.0, abs=1e-4)


def test_nlp_missing_model_raises_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match="make train"):
        classify(["Tiến độ giải ngân còn chậm."], model_dir=tmp_path / "nothing")
    assert not model_available(tmp_path / "nothing")


# --------------------------------------------------------------------------- actors


# fmt: off
@pytest.mark.parametrize("text, actors", [
    ("- Sở Tài chính: Theo dõi chặt chẽ tiến độ thu ngân sách, tham mưu các giải pháp chống thất thu.", ["Sở Tài chính"]),
    ("Giao Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Tài chính rà soát, báo cáo UBND tỉnh trước ngày 20/4/2024.",
     ["Sở Kế hoạch và Đầu tư", "Sở Tài chính"]),
    ("Phòng Quản lý nước và công trình chủ trì, phối hợp với chính quyền địa phương kiểm tra các công trình đầu mối.",
     ["Phòng Quản lý nước và công trình", "chính quyền địa phương"]),
    ("Công an xã tăng cường tuần tra, kiểm soát, bảo đảm an ninh trật tự dịp nghỉ hè của học sinh.", ["Công an xã"]),
    ("UBND các huyện, thị xã, thành phố: Chủ động rà soát, xử lý dứt điểm các kiến nghị của cử tri.",
     ["UBND các huyện, thị xã, thành phố"]),
    ("Sở Văn hóa, Thể thao và Du lịch: Hoàn chỉnh kế hoạch tổ chức các hoạt động du lịch hè năm 2024.",
     ["Sở Văn hóa, Thể thao và Du lịch"]),
    ("Công chức Tài chính - Kế toán phối hợp với Trưởng các ấp đôn đốc thu thuế sử dụng đất phi nông nghiệp.",
     ["Công chức Tài chính - Kế toán", "Trưởng các ấp"]),
    ("Trưởng các ấp chưa nộp báo cáo rà soát hộ nghèo phải hoàn thành trong ngày 19/6/2024.", ["Trưởng các ấp"]),
    ("Yêu cầu các sở, ban, ngành, UBND các huyện, thị xã, thành phố tập trung thực hiện quyết liệt các nhiệm vụ.",
     ["các sở, ban, ngành", "UBND các huyện, thị xã, thành phố"]),
    ("Văn phòng UBND tỉnh theo dõi, đôn đốc việc thực hiện các nhiệm vụ nêu trên.", ["Văn phòng UBND tỉnh"]),
    ("Bộ phận Địa chính - Nông nghiệp hướng dẫn nông dân thăm đồng, phòng trừ rầy nâu.", ["Bộ phận Địa chính - Nông nghiệp"]),
    ("Giao Sở Tài chính, Sở Xây dựng và UBND các huyện khẩn trương rà soát giá vật liệu.",
     ["Sở Tài chính", "Sở Xây dựng", "UBND các huyện"]),
    ("Khoa Dược phối hợp với Phòng Tài chính - Kế toán hoàn thành đấu thầu thuốc trong quý II.",
     ["Khoa Dược", "Phòng Tài chính - Kế toán"]),
    ("Ban quản lý dự án đầu tư xây dựng huyện đẩy nhanh tiến độ thi công.", ["Ban quản lý dự án đầu tư xây dựng huyện"]),
    ("Chi cục Kiểm lâm tăng cường tuần tra, kiểm soát lâm sản tại các tuyến đường giáp ranh.", ["Chi cục Kiểm lâm"]),
    ("Đội Cảnh sát giao thông - Trật tự tăng cường tuần tra, kiểm soát.", ["Đội Cảnh sát giao thông - Trật tự"]),
    (nfd("Trung tâm Y tế huyện chủ trì tổ chức phun hoá chất diệt muỗi."), ["Trung tâm Y tế huyện"]),
    ("Tiến độ giải ngân vốn đầu tư công còn chậm, mới đạt 32% kế hoạch.", []),
    ("Thu ngân sách nhà nước đạt 7.356 tỷ đồng, bằng 32,5% dự toán.", []),
])
# fmt: on
def test_nlp_find_actors_names_assigned_agencies(text: str, actors: list[str]) -> None:
    assert find_actors(text) == actors


def test_nlp_fixed_words_do_not_leak_into_underthesea() -> None:
    """underthesea keeps fixed words in a module global; ours must not change later plain calls."""
    from underthesea import word_tokenize as plain

    sentence = "Tiến độ giải ngân vốn đầu tư công còn chậm"
    before = plain(sentence)
    segment("Giao ban tháng 5, vốn đầu tư công giải ngân chậm", ("vốn đầu tư công", "giải ngân"))
    assert plain(sentence) == before


# fmt: off
@pytest.mark.parametrize("text,name", [
    ("Giao Sở Khoa học và Công nghệ chủ trì thẩm định.", "Khoa học và Công nghệ"),
    ("Phòng Lao động - Thương binh và Xã hội huyện rà soát hộ nghèo.", "Lao động - Thương binh và Xã hội"),
    ("Đẩy mạnh ứng dụng khoa học và công nghệ trong sản xuất.", "khoa học và công nghệ"),
])
# fmt: on
def test_nlp_agency_names_joined_by_va_stay_one_word(text: str, name: str) -> None:
    assert name in [text[s:e] for s, e in segment(text)]


# --------------------------------------------------------------------------- underthesea, computed once

# fmt: off
TAGGED = [
    "Giao Sở Tài chính chủ trì, phối hợp với UBND các huyện rà soát",
    "Ông Nguyễn Văn An, Giám đốc Sở Y tế, báo cáo tại Hà Nội",
    nfd("Đồng chí Chủ tịch UBND xã chỉ đạo hoà giải cơ sở"),
    "Các phòng tổ chức thực hiện kịp thời,\nchặt chẽ các nhiệm vụ",
    "",
]
# fmt: on


@pytest.mark.parametrize("text", TAGGED)
def test_nlp_pos_and_ner_equal_underthesea(text: str) -> None:
    from underthesea import ner as underthesea_ner
    from underthesea import pos_tag as underthesea_pos

    from ketluan.nlp import ner, pos_tag

    nfc = unicodedata.normalize("NFC", text)
    assert pos_tag(nfc) == underthesea_pos(nfc)
    assert ner(nfc) == underthesea_ner(nfc)
    assert ner(nfc, pos_tag(nfc)) == underthesea_ner(nfc)  # NER from POS tags computed before


@pytest.mark.parametrize(
    "text",
    [
        "Giao Sở Tài chính chủ trì, phối hợp với UBND các huyện rà soát",
        "Thu 7.356 tỷ đồng (32,5%) trước ngày 30/6/2024",
    ],
)
def test_nlp_segment_words_equal_underthesea_word_tokenize(text: str) -> None:
    """segment tokenizes once; its words are still underthesea's word_tokenize with the fixed words."""
    from underthesea import word_tokenize as underthesea_words

    from ketluan.nlp import _underthesea_patterns_kept, default_fixed_words

    with _underthesea_patterns_kept():
        expected = underthesea_words(text, fixed_words=list(default_fixed_words()))
    assert [text[s:e] for s, e in segment(text)] == expected


# --------------------------------------------------------------------------- underthesea's models from the cache

# fmt: off
CACHED = [
    "Giao Sở Tài chính chủ trì, phối hợp với UBND các huyện rà soát",
    nfd("Bệnh viện thông báo để các khoa, phòng hoà giải./."),       # decomposed, old tone placement
    "Thu 7.356 tỷ đồng (32,5%) trước ngày 30/6/2024; ĐT: 0912.345.678",
    "Ông Nguyễn Văn An làm việc tại Hà Nội,\nnghành y tế",          # a wrapped line, a rewritten word
    "  Hai  dấu cách\tvà tab  ",
]
# fmt: on


@pytest.fixture
def crf_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder of our own; the process's cached models are restored afterwards."""
    from ketluan import crf_models

    folder = tmp_path / "cache"
    monkeypatch.setattr(crf_models, "CACHE_DIR", folder)
    crf_models.load.cache_clear()
    yield folder
    crf_models.load.cache_clear()


def _underthesea_results(texts: list[str]) -> list[tuple[object, ...]]:
    """segment, pos_tag and ner through underthesea itself (no cached models)."""
    from ketluan import crf_models, nlp

    real = crf_models.load
    crf_models.load = lambda: None  # type: ignore[assignment]
    try:
        return [(nlp.segment(t), nlp.pos_tag(t), nlp.ner(t)) for t in texts]
    finally:
        crf_models.load = real  # type: ignore[method-assign]


def _results(texts: list[str]) -> list[tuple[object, ...]]:
    from ketluan import nlp

    return [(nlp.segment(t), nlp.pos_tag(t), nlp.ner(t)) for t in texts]


def test_nlp_crf_cache_miss_then_hit_give_underthesea_results(
    crf_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ketluan import crf_models

    expected = _underthesea_results(CACHED)
    assert crf_models.load() is not None  # a miss: built from underthesea and written
    assert [p.name.startswith("underthesea-crf-") for p in crf_cache.iterdir()] == [True]
    assert _results(CACHED) == expected
    crf_models.load.cache_clear()

    def no_build(package: Path) -> None:
        raise AssertionError("the cache was built again")

    monkeypatch.setattr(crf_models, "_build", no_build)
    assert crf_models.load() is not None  # a hit: read from the file
    assert _results(CACHED) == expected


def test_nlp_crf_cache_unwritable_falls_back_to_underthesea_files(crf_cache: Path) -> None:
    from ketluan import crf_models

    crf_cache.parent.mkdir(parents=True, exist_ok=True)
    crf_cache.write_text("a file, not a folder", encoding="utf-8")  # nothing can be written under it
    models = crf_models.load()
    assert models is not None and crf_cache.is_file()
    assert _results(CACHED) == _underthesea_results(CACHED)


def test_nlp_crf_cache_damaged_file_is_built_again(crf_cache: Path) -> None:
    from ketluan import crf_models

    crf_models.load()
    (cached,) = crf_cache.iterdir()
    cached.write_bytes(b"not a pickle")
    crf_models.load.cache_clear()
    assert crf_models.load() is not None
    assert cached.read_bytes() != b"not a pickle"
    assert _results(CACHED[:2]) == _underthesea_results(CACHED[:2])


def test_nlp_crf_cache_key_follows_the_model_files(tmp_path: Path) -> None:
    from ketluan import crf_models

    package = crf_models.package_dir()
    assert package is not None
    assert crf_models.source_key(package) == crf_models.source_key(package)
    assert crf_models.source_key(tmp_path) is None  # not an underthesea folder: no cache at all


@pytest.mark.parametrize("word", ["Tài chính", "tài Chính", "UBND", "", " Hà", "Hà  Nội", "2024", "Ông"])
def test_nlp_crf_feature_functions_equal_underthesea(word: str) -> None:
    from underthesea.pipeline.pos_tag.tagged_feature import apply_function

    from ketluan.crf_models import feature_function

    for name in ("lower", "istitle", "isdigit", "isallcap"):
        assert feature_function(name, word) == apply_function(name, word)


# --------------------------------------------------------------------------- textcat without spaCy

# fmt: off
BOW_TEXTS = [
    "Tiến độ giải ngân vốn đầu tư công còn chậm, mới đạt 32% kế hoạch.",
    "Giao Sở Tài chính chủ trì, phối hợp với UBND các huyện rà soát trước ngày 30/9/2024.",
    "Hoà giải cơ sở; khoẻ mạnh; tuỳ theo; thuý; hoá chất.",               # old-style tone placement
    nfd("Công tác cải cách hành chính có chuyển biến tích cực."),         # decomposed input
    "Các phòng tổ chức thực hiện kịp thời,\nchặt chẽ các nhiệm vụ",      # a wrapped line
    "Nguyên nhân   chủ yếu do  công tác phối hợp\tchưa chặt chẽ",        # several spaces, a tab
    "X",                                                                  # a spaCy symbol name: id 101, not a hash
    "Phụ lục X kèm theo NOUN ADJ",
    "",
    "   ",
]
# fmt: on


@pytest.mark.skipif(not model_available(), reason="trained model not built (make train)")
def test_nlp_classify_equals_the_spacy_pipeline_to_the_bit() -> None:
    nlp_model = load_textcat()
    clean = [unicodedata.normalize("NFC", t).strip() for t in BOW_TEXTS]
    docs = iter(nlp_model.pipe([t for t in clean if t], batch_size=3))
    labels = ("result", "limitation", "cause", "task", "other")
    expected = [
        {label: float(doc.cats[label]) for label in labels}
        if t and (doc := next(docs))
        else {label: float(label == "other") for label in labels}
        for t in clean
    ]
    assert classify(BOW_TEXTS, batch_size=3) == expected


def _run(code: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, KETLUAN_CACHE_DIR=str(cache))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)


@pytest.mark.skipif(not model_available(), reason="trained model not built (make train)")
def test_nlp_classify_loads_no_spacy_once_the_weights_are_cached(tmp_path: Path) -> None:
    code = ("import sys; from ketluan import nlp; p = nlp.classify(['Tiến độ giải ngân vốn đầu tư công còn chậm'])[0]; "
            "print(max(p, key=p.get), 'spacy' in sys.modules)")  # fmt: skip
    first = _run(code, tmp_path)  # builds the cache with spaCy
    assert first.stdout.split() == ["limitation", "True"], first.stderr
    assert len(list(tmp_path.glob("textcat-bow-*.npz"))) == 1
    second = _run(code, tmp_path)
    assert second.stdout.split() == ["limitation", "False"], second.stderr


@pytest.mark.skipif(not model_available(), reason="trained model not built (make train)")
def test_nlp_classify_damaged_weights_cache_is_built_again(tmp_path: Path) -> None:
    code = "from ketluan import nlp; print(nlp.model_available(), round(nlp.classify(['Rà soát hồ sơ'])[0]['task'], 6))"
    first = _run(code, tmp_path)
    (cached,) = tmp_path.glob("textcat-bow-*.npz")
    cached.write_bytes(b"not a zip")
    assert _run(code, tmp_path).stdout == first.stdout
    assert cached.read_bytes() != b"not a zip"


def test_nlp_spacy_without_its_command_line() -> None:
    code = ("import sys; from ketluan import nlp; nlp.blank_nlp(); "
            "print('spacy.cli.train' in sys.modules, 'weasel' in sys.modules); "
            "import spacy; print(type(spacy.info()).__name__); "
            "from spacy.cli import setup_cli; import spacy.cli.train; print(callable(setup_cli))")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stdout.split() == ["False", "False", "dict", "True"], done.stderr


@pytest.mark.parametrize("word", ["Tài chính", "UBND", "Hà Nội", "vốn đầu tư công", "2024", "X", "./."])
def test_nlp_bow_hashes_equal_spacy_and_thinc(word: str) -> None:
    import numpy as np
    from spacy.strings import hash_string
    from thinc.api import NumpyOps

    from ketluan import bow_textcat

    assert bow_textcat.string_hash(word) == hash_string(word)
    keys = np.array([bow_textcat.string_hash(w) for w in (word, "Sở", word, "rà soát")], dtype=np.uint64)
    assert bow_textcat.bigram_keys(keys).tolist() == NumpyOps().ngrams(2, keys).tolist()


# --------------------------------------------------------------------------- a text looked at twice

# fmt: off
TWICE = [
    "Giao Sở Tài chính chủ trì, phối hợp với UBND các huyện rà soát",    # no fixed word
    "Tiến độ giải ngân vốn đầu tư công còn chậm",                         # a fixed word
    nfd("Bệnh viện thông báo để các khoa, phòng hoà giải./."),            # decomposed, old tone
    "Ông Nguyễn Văn An làm việc tại Hà Nội,\nnghành y tế",                # wrapped, a rewritten word
]
# fmt: on


@pytest.mark.parametrize("text", TWICE)
def test_nlp_segment_second_look_equals_first_and_is_a_copy(text: str) -> None:
    from ketluan import nlp

    nlp._recent_spans.clear()
    first = segment(text)
    first.append((0, 0))  # a caller changing its list changes nothing kept
    second = segment(text)
    assert second == first[:-1]
    nlp._recent_spans.clear()
    assert segment(text) == second


@pytest.mark.parametrize("text", TWICE)
def test_nlp_pos_tag_after_segment_equals_underthesea(text: str) -> None:
    """POS tags reuse the words of a segmentation without fixed-word matches; still underthesea's."""
    from underthesea import pos_tag as underthesea_pos

    from ketluan import crf_models
    from ketluan.nlp import _nfc_with_offsets, default_fixed_words, pos_tag

    nfc = unicodedata.normalize("NFC", text)
    models = crf_models.load()
    assert models is not None
    tagged, _, words = models.segment(_nfc_with_offsets(text)[0], default_fixed_words())
    kept = any(kind == "fixed_words" for _, kind in tagged) is False
    assert (models.normalize_characters(nfc) in models._recent) is kept
    assert pos_tag(nfc) == underthesea_pos(nfc)
    models._recent.clear()
    assert pos_tag(nfc) == underthesea_pos(nfc)


def test_nlp_recent_words_are_bounded() -> None:
    from ketluan import crf_models, nlp

    models = crf_models.load()
    assert models is not None
    for k in range(max(nlp.RECENT_TEXTS, crf_models.RECENT_TEXTS) + 5):
        segment(f"Sở Tài chính báo cáo lần {k}")
    assert len(nlp._recent_spans) <= nlp.RECENT_TEXTS
    assert len(models._recent) <= crf_models.RECENT_TEXTS
