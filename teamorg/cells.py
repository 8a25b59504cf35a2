"""The one rule for user text in exported spreadsheet cells (issue 17, item 3).

Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a
formula (`=HYPERLINK(...)`), also behind leading spaces, which they skip before deciding. Every
CSV cell we write, headers included, goes through `csv_cell`: such a text gets a leading
apostrophe, which spreadsheets show as text and our import takes off again
(`roles.imports.reading`). In XLSX a text cell is stored as a string, never as a formula
(`teamorg.xlsx` writes inline strings; openpyxl needs `data_type = "s"` for a text starting
with `=`), so the text stays exactly as typed.
"""

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: str) -> bool:
    """Would a spreadsheet run `text` as a formula?"""
    return text.lstrip(" ").startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """`value` as a CSV cell: text a spreadsheet would run as a formula is quoted with `'`."""
    if isinstance(value, str) and formula_like(value):
        return "'" + value
    return value
