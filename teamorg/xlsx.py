"""A streaming XLSX writer: sheets of plain values, written as their rows come.

openpyxl's write-only mode took 6.7 s of the 7.8 s a 5,000-role plan export cost (232,000
cells; it builds an element per cell and serializes it through its XML layer). A spreadsheet of
plain values needs none of that: this writer formats each row of SpreadsheetML directly and
deflates it into the zip as it goes, so the file is produced chunk by chunk (a streaming HTTP
response or a background job takes the chunks) and memory stays at one batch of rows.

What it writes is what openpyxl's write-only mode wrote for the same rows, so readers see the
same workbook: text as inline strings (never a formula, whatever it starts with), numbers as
numbers, `None` and `""` as empty cells, a frozen header row and a width per column. Characters
XML cannot carry (control characters other than tab, newline and carriage return) are dropped;
openpyxl refused the whole file for them.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE_MAX = 31  # Excel refuses longer sheet names
_ROWS_PER_CHUNK = 500
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_INVALID_TITLE = re.compile(r"[\\*?:/\[\]]")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@dataclass
class Sheet:
    """One worksheet: a header row (frozen) and its rows, any iterable of sequences."""

    title: str
    header: Sequence
    rows: Iterable[Sequence]
    column_width: float = 16


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _text(value: str) -> str:
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    if "&" in value or "<" in value or ">" in value:
        value = escape(value)
    if value[:1].isspace() or value[-1:].isspace():
        return f'<is><t xml:space="preserve">{value}</t></is>'
    return f"<is><t>{value}</t></is>"


class _RowWriter:
    """Formats rows of one workbook. Text repeats a lot (row kinds, department paths, level
    names): each distinct string is escaped once."""

    def __init__(self) -> None:
        self.letters: list[str] = []
        self.texts: dict[str, str] = {}

    def row(self, number: int, values: Sequence) -> str:
        letters, texts = self.letters, self.texts
        while len(letters) < len(values):
            letters.append(column_letter(len(letters) + 1))
        suffix = str(number)
        cells = []
        for letter, value in zip(letters, values, strict=False):
            kind = type(value)
            if kind is str and value:
                text = texts.get(value)
                if text is None:
                    text = texts[value] = _text(value)
                cells.append(f'<c r="{letter}{suffix}" t="inlineStr">{text}</c>')
            elif value is None or value == "":
                # openpyxl's empty cell, to the byte: readers see the same workbook.
                cells.append(f'<c r="{letter}{suffix}" t="inlineStr"/>')
            elif kind is bool:
                cells.append(f'<c r="{letter}{suffix}" t="b"><v>{int(value)}</v></c>')
            elif kind is int or kind is float or isinstance(value, int | float | Decimal):
                cells.append(f'<c r="{letter}{suffix}" t="n"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{letter}{suffix}" t="inlineStr">{_text(str(value))}</c>')
        return f'<row r="{suffix}">{"".join(cells)}</row>'


class _Chunks(io.RawIOBase):
    """A write-only, unseekable file that hands what was written to whoever reads it next:
    zipfile then writes each member with a data descriptor and never seeks back."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def sheet_title(title: str) -> str:
    """A title Excel accepts: without \\ * ? : / [ ], at most 31 characters."""
    return _INVALID_TITLE.sub(" ", title)[:SHEET_TITLE_MAX] or "Sheet"


def stream_xlsx(sheets: Iterable[Sheet], *, compresslevel: int = 1) -> Iterator[bytes]:
    """The workbook of `sheets` as a sequence of byte chunks; joined, they are the file.

    Deflate level 1: at 5,000 roles it takes a quarter less time than level 6 for a file a
    quarter larger (1.5 MB against 1.1 MB), and the time is what the user waits for."""
    out = _Chunks()
    titles = []
    with zipfile.ZipFile(
        out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel
    ) as book:
        for number, sheet in enumerate(sheets, start=1):
            titles.append(sheet_title(sheet.title))
            with book.open(f"xl/worksheets/sheet{number}.xml", "w") as part:
                part.write(_sheet_start(len(sheet.header), sheet.column_width).encode())
                rows = _RowWriter()
                batch = [rows.row(1, sheet.header)]
                row_number = 1
                for row in sheet.rows:
                    row_number += 1
                    batch.append(rows.row(row_number, row))
                    if len(batch) >= _ROWS_PER_CHUNK:
                        part.write("".join(batch).encode())
                        batch.clear()
                        yield out.take()
                batch.append("</sheetData></worksheet>")
                part.write("".join(batch).encode())
            yield out.take()
        for name, content in _package_parts(titles):
            book.writestr(name, content)
    yield out.take()


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    return b"".join(stream_xlsx(sheets))


def _sheet_start(columns: int, width: float) -> str:
    # One <col> per column, as openpyxl writes them (its reader then sees a width per letter).
    cols = "".join(
        f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>' for n in range(1, columns + 1)
    )
    cols = f"<cols>{cols}</cols>" if cols else ""
    return (
        f'{_HEAD}<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/>{cols}<sheetData>'
    )


def _package_parts(titles: list[str]) -> list[tuple[str, str]]:
    sheet_types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, len(titles) + 1)
    )
    sheets = "".join(
        f'<sheet name={quoteattr(title)} sheetId="{n}" r:id="rId{n}"/>'
        for n, title in enumerate(titles, start=1)
    )
    sheet_rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(titles) + 1)
    )
    styles_id = len(titles) + 1
    return [
        (
            "[Content_Types].xml",
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"'
            f"/>{sheet_types}</Types>",
        ),
        (
            "_rels/.rels",
            f'{_HEAD}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        ),
        (
            "xl/workbook.xml",
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView '
            f'activeTab="0"/></bookViews><sheets>{sheets}</sheets></workbook>',
        ),
        (
            "xl/_rels/workbook.xml.rels",
            f'{_HEAD}<Relationships xmlns="{_PKG_REL}">{sheet_rels}<Relationship '
            f'Id="rId{styles_id}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>',
        ),
        (
            "xl/styles.xml",
            f'{_HEAD}<styleSheet xmlns="{_MAIN}"><fonts count="1"><font><sz val="11"/>'
            '<name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill>'
            '<patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
            '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/>'
            '</border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
            'borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" '
            'fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle '
            'name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
        ),
    ]
