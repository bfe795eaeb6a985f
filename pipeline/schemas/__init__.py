"""JSON Schemas of the tables: one `<table>.schema.json` beside this module for each table a run writes.

Reads the contract's columns and types (`writers`) and the analysis tables' columns; returns
JSON Schema objects. The shipped files are these objects written out (a test checks they agree
and that written files follow them). It never reads or writes a table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..writers import COLUMNS, OPTIONAL_FLOAT_COLUMNS, sql_type

JSON_TYPES = {"BIGINT": "integer", "DOUBLE": "number", "BOOLEAN": "boolean", "VARCHAR": "string"}
# Columns of the analysis tables (analysis.py's DataFrames; DESIGN.md), and their JSON types where not text.
ANALYSIS_COLUMNS: dict[str, list[str]] = {
    "recurrence": ["cluster_id", "category", "representative", "n_items", "n_docs", "n_periods",
                   "first_period", "last_period", "periods", "max_streak", "issuers"],
    "item_clusters": ["item_id", "cluster_id", "similarity"],
    "followups": ["issuer", "task_item_id", "task_doc_id", "task_period", "task_text", "limitation_item_id",
                  "limitation_doc_id", "limitation_period", "limitation_text", "cluster_id", "similarity",
                  "gap_periods"],
    "task_status": ["task_item_id", "doc_id", "issuer_id", "period", "deadline", "status",
                    "evidence_item_id", "evidence_doc_id", "evidence_page"],
}  # fmt: skip
ANALYSIS_JSON_TYPES = {"n_items": "integer", "n_docs": "integer", "n_periods": "integer", "max_streak": "integer",
                       "cluster_id": "integer", "similarity": "number", "gap_periods": "integer",
                       "evidence_page": ["integer", "null"]}  # fmt: skip


def json_schema(table: str) -> dict[str, Any]:
    r"""The JSON Schema of one contract table's rows as written to `<table>.jsonl` (and CSV columns).

    Dates are ISO text or ""; lists are "; "-joined text; `ocr_confidence` may be null.

    Examples:
        >>> json_schema("items")["properties"]["deadline"]["pattern"] == r"^(\d{4}-\d{2}-\d{2})?$"
        True
    """
    props: dict[str, Any] = {}
    if table in ANALYSIS_COLUMNS:  # rows of <table>.csv; the CSV's header is the property order
        for c in ANALYSIS_COLUMNS[table]:
            props[c] = {"type": ANALYSIS_JSON_TYPES.get(c, "string")}
        return _schema(table, props)
    for c in COLUMNS[table]:
        kind = sql_type(c)
        if kind == "DATE":
            props[c] = {"type": "string", "pattern": r"^(\d{4}-\d{2}-\d{2})?$"}
        elif kind == "VARCHAR[]":
            props[c] = {"type": "string", "description": "a list joined with '; '"}
        elif c in OPTIONAL_FLOAT_COLUMNS:
            props[c] = {"type": ["number", "null"]}
        else:
            props[c] = {"type": JSON_TYPES[kind]}
    return _schema(table, props)


def _schema(table: str, props: dict[str, Any]) -> dict[str, Any]:
    """A JSON Schema object of rows with exactly these properties, all required."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"ketluan/{table}.schema.json",
        "title": f"ketluan {table} row",
        "type": "object",
        "properties": props,
        "required": list(props),
        "additionalProperties": False,
    }


def schema_path(table: str) -> Path:
    """The JSON Schema shipped in the package for a table: `ketluan/schemas/<table>.schema.json`."""
    return Path(__file__).resolve().parent / f"{table}.schema.json"
