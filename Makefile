# ketluan — the two set-up commands are `make demo` and `make test`; both install what they need.
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
PYTHON ?= python3
SHARED ?= $(abspath ../shared)
OUT ?= out

.PHONY: setup system venv demo test lint typecheck eval eval-extra eval-real eval-series eval-ocr bench-analyze bench bench-scans-one train notebooks clean

setup: system venv ## system packages (tesseract vie, LibreOffice, fonts, chromium) + the virtual environment

system:
	@bash tests/setup_system.sh

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	$(PY) -m ipykernel install --user --name python3 >/dev/null
	$(PY) -c "from ketluan import crf_models; crf_models.load()"  # underthesea's models in a fast local cache
	$(PY) -c "from ketluan import nlp; nlp.model_available()"  # the item classifier's weights in the cache: runs load no spaCy
	$(PY) -m compileall -q pipeline  # bytecode once (PYTHONDONTWRITEBYTECODE would recompile every run)
	touch $@

demo: setup ## run the main job on the bundled sample in data/samples
	$(BIN)/ketluan run data/samples --out $(OUT)/demo
	$(BIN)/ketluan analyze --db $(OUT)/demo/ketluan.duckdb --out $(OUT)/demo
	@echo "tables: $(OUT)/demo/documents.csv sections.csv items.csv ketluan.xlsx ketluan.duckdb; report: $(OUT)/demo/report.html"

lint: venv
	$(BIN)/ruff check pipeline tests tools
	$(BIN)/ruff format --check pipeline tests tools

typecheck: venv
	$(BIN)/mypy pipeline

test: setup lint typecheck ## lint, types, then the whole test suite
	$(BIN)/pytest -q -p no:cacheprovider

eval: setup ## score the dev corpus rendered as PDF, DOCX, TXT and scans against its gold
	$(PY) -m tools.eval_corpus --corpus $(SHARED)/corpus/dev --kinds pdf docx txt scan --out /tmp/ketluan-eval

eval-extra: setup ## score data/corpus (DOCX, LibreOffice PDF, .doc, stamped scans, photos) against its gold
	$(PY) -m tools.eval_extra --out /tmp/ketluan-extra

eval-real: setup ## the real issued documents in ../shared/corpus/real against their gold: the figure to believe
	$(PY) -m tools.eval_real --corpus $(SHARED)/corpus/real --out /tmp/ketluan-real

eval-series: setup ## recurrence, issuer identity, copies and task status on the held-out series of data/series_eval
	$(PY) -m tools.eval_series --split report

eval-ocr: setup ## OCR character accuracy per document and seconds per page, with and without preparation
	$(PY) -m tools.bench_ocr --variants prepared_psm4,raw_psm4 --out /tmp/ketluan-ocr.json

bench: setup ## speed and memory, next to the bare tools
	$(PY) -m compileall -q pipeline
	$(PY) -m tools.bench

bench-scans-one: setup ## issue 19's one-core scan row only (workers 1 vs one tesseract process, one CPU)
	$(PY) -m compileall -q pipeline
	$(PY) -m tools.bench --scans-one

bench-analyze: setup ## analyze on 100,000 generated items: wall and CPU time, peak memory
	$(PY) -m tools.bench_analyze

train: setup ## rebuild models/item_textcat from data/training and models/word_vectors from local text, reproducibly
	$(PY) -m tools.train_textcat
	$(PY) -m tools.train_vectors
	$(PY) -m tools.train_recurrence  # the recurrence pair model (models/recurrence) from the tune series, CV by writer
	$(PY) -m tools.train_task_status  # the task-status evidence model (models/task_status), CV by writer

notebooks: setup
	$(BIN)/pytest -q tests/test_analyze.py -k notebook

clean:
	rm -rf $(OUT) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
