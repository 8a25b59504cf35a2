"""An uploaded XLSX or CSV read into plain tables of text, refusing what it must refuse before
reading it: a file over the size limit, an XLSX whose zip members unpack to more than the limit
(a zip bomb), a formula cell, more rows or columns than the limits allow.

Every value comes back as a stripped string (numbers as written: `3`, not `3.0`), so the rules
that read the rows (`roles.imports.sheet`) see the same thing from both formats.
"""

from __future__ import annotations

import csv
import functools
import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from teamorg.limits import (
    IMPORT_COLUMNS_MAX,
    IMPORT_FILE_MAX_BYTES,
    IMPORT_ROWS_MAX,
    IMPORT_UNPACKED_MAX_BYTES,
)

XLSX, CSV = "xlsx", "csv"
# What Chinese Excel writes a CSV in when not told UTF-8: GB18030 is a superset of GBK and GB2312.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Table:
    """One sheet: its name, its header and its rows (row numbers as the spreadsheet shows
    them, the header being row 1 unless blank rows came first)."""

    name: str
    header: list[str]
    header_row: int
    rows: list[tuple[int, list[str]]]


def file_error(message: str, code: str) -> ValidationError:
    return ValidationError({"file": ValidationError(message, code=code)})


def file_format(name: str, content: bytes) -> str:
    """XLSX or CSV, from the content first (an XLSX is a zip), then the file name."""
    if content[:4] == b"PK\x03\x04":
        return XLSX
    lowered = name.lower()
    if lowered.endswith((".xlsx", ".xlsm", ".xls")):
        if lowered.endswith(".xls"):
            raise file_error(
                _("Old Excel files (.xls) cannot be read: save the sheet as .xlsx or CSV."),
                "unsupported_format",
            )
        raise file_error(_("This file is not a readable XLSX workbook."), "unreadable")
    return CSV


def read_tables(name: str, content: bytes) -> list[Table]:
    """The file's sheets (a CSV is one), each refused as a whole when over a limit."""
    if len(content) > IMPORT_FILE_MAX_BYTES:
        raise file_error(
            _("The file has %(size)s MB; at most %(limit)s MB can be imported.")
            % {
                "size": f"{len(content) / 1024 / 1024:.1f}",
                "limit": IMPORT_FILE_MAX_BYTES // 1024 // 1024,
            },
            "file_too_large",
        )
    if not content.strip():
        raise file_error(_("The file is empty."), "empty")
    if file_format(name, content) == XLSX:
        tables = _read_xlsx(content)
    else:
        tables = [_read_csv(name, content)]
    tables = [table for table in tables if table.header]
    if not tables:
        raise file_error(_("The file has no header row."), "empty")
    return tables


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(name: str, raw_rows) -> Table:
    """Header (the first non-blank row) and the rows under it, blank rows dropped."""
    header: list[str] = []
    header_row = 0
    rows: list[tuple[int, list[str]]] = []
    for number, values in raw_rows:
        if not any(values):
            continue
        if not header:
            if len(values) > IMPORT_COLUMNS_MAX:
                raise file_error(
                    _("Sheet “%(sheet)s” has %(count)s columns; at most %(limit)s are read.")
                    % {"sheet": name, "count": len(values), "limit": IMPORT_COLUMNS_MAX},
                    "too_many_columns",
                )
            header, header_row = values, number
            continue
        if len(rows) >= IMPORT_ROWS_MAX:
            raise file_error(
                _("Sheet “%(sheet)s” has more than %(limit)s rows.")
                % {"sheet": name, "limit": IMPORT_ROWS_MAX},
                "too_many_rows",
            )
        rows.append((number, values))
    while header and not header[-1]:
        header.pop()
    return Table(name=name, header=header, header_row=header_row, rows=rows)


def _read_csv(name: str, content: bytes) -> Table:
    for encoding in CSV_ENCODINGS:
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise file_error(
            _("The CSV file is neither UTF-8 nor GBK/GB18030: save it as “CSV UTF-8”."),
            "encoding",
        )
    if "\x00" in text:
        raise file_error(_("This file is not a text CSV file."), "unreadable")
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    sheet = name.rsplit("/", 1)[-1] or "CSV"

    def rows():
        try:
            for number, values in enumerate(reader, start=1):
                yield number, [_unquoted(value.strip()) for value in values]
        except csv.Error as error:
            raise file_error(
                _("The CSV file cannot be read at row %(row)s: %(error)s")
                % {"row": reader.line_num, "error": error},
                "unreadable",
            ) from error

    return _table(sheet, rows())


def _unquoted(value: str) -> str:
    """A CSV cell written as `'=…` so a spreadsheet shows text, not a formula (our exports do
    this, as Excel users do): the text without the apostrophe."""
    if value.startswith("'") and value[1:].lstrip(" ").startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _check_zip(content: bytes) -> None:
    """Refuse an XLSX that would unpack to more than the limit, before openpyxl opens it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise file_error(_("This file is not a readable XLSX workbook."), "unreadable") from error
    unpacked = sum(member.file_size for member in members)
    if unpacked > IMPORT_UNPACKED_MAX_BYTES or len(members) > 10_000:
        raise file_error(
            _(
                "The workbook would unpack to %(size)s MB; at most %(limit)s MB is read. "
                "Save only the sheet to import, or as CSV."
            )
            % {
                "size": f"{unpacked / 1024 / 1024:.0f}",
                "limit": IMPORT_UNPACKED_MAX_BYTES // 1024 // 1024,
            },
            "unpacked_too_large",
        )


def _read_xlsx(content: bytes) -> list[Table]:
    _check_zip(content)
    # openpyxl takes a quarter of a second to import: only an import pays for it.
    from openpyxl.reader.excel import ExcelReader  # noqa: PLC0415
    from openpyxl.styles.stylesheet import apply_stylesheet  # noqa: PLC0415

    try:
        reader = ExcelReader(io.BytesIO(content), read_only=True, data_only=False)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)  # which number formats are dates
        sheets = [
            (sheet.name, rel.target)
            for sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        ]
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise file_error(_("This file is not a readable XLSX workbook."), "unreadable") from error
    tables = []
    try:
        for name, path in sheets:
            with reader.archive.open(path) as source:
                parser = _sheet_parser()(
                    source,
                    reader.shared_strings,
                    epoch=reader.wb.epoch,
                    date_formats=reader.wb._date_formats,
                    timedelta_formats=reader.wb._timedelta_formats,
                )
                tables.append(_table(name, _xlsx_rows(name, parser.parse())))
    except ValidationError:
        raise
    except Exception as error:  # noqa: BLE001 - broken XML inside a sheet, a bad cell
        raise file_error(_("This file is not a readable XLSX workbook."), "unreadable") from error
    finally:
        reader.archive.close()
    return tables


@functools.cache
def _sheet_parser():
    """openpyxl's own parser of a worksheet's XML (what its read-only worksheets use), except
    for a text stored in the cell itself (an "inline string"), whose text is read here
    directly: openpyxl builds a rich-text object for each, three quarters of the time of a
    sheet written by openpyxl, which writes every text inline (our design export included).
    Used without `load_workbook`, which parses a sheet that does not state its size at the
    top (openpyxl's own files) a second time only to measure it. A class made on first use,
    so that only an import pays for importing openpyxl."""
    from openpyxl.utils.cell import coordinate_to_tuple  # noqa: PLC0415
    from openpyxl.worksheet._reader import (  # noqa: PLC0415
        FORMULA_TAG,
        INLINE_STRING,
        WorkSheetParser,
    )
    from openpyxl.xml.constants import SHEET_MAIN_NS  # noqa: PLC0415

    text_tag, run_tag = f"{{{SHEET_MAIN_NS}}}t", f"{{{SHEET_MAIN_NS}}}r"

    class SheetParser(WorkSheetParser):
        def parse_cell(self, element):
            if element.get("t") != "inlineStr" or element.find(FORMULA_TAG) is not None:
                return super().parse_cell(element)
            coordinate = element.get("r")
            if coordinate:
                row, column = coordinate_to_tuple(coordinate)
                self.col_counter = column
            else:
                self.col_counter += 1
                row, column = self.row_counter, self.col_counter
            text = element.find(INLINE_STRING)
            if text is not None:
                # The text, or its runs of rich text; a phonetic guide (`rPh`) is no text.
                runs = [text.findtext(text_tag) or ""]
                runs += [run.findtext(text_tag) or "" for run in text.iterfind(run_tag)]
                text = "".join(runs)
            return {"row": row, "column": column, "value": text, "data_type": "s", "style_id": 0}

    return SheetParser


def _xlsx_rows(sheet: str, rows):
    """Each row's values by column (a row lists only the cells it has); a formula refused."""
    from openpyxl.utils.cell import get_column_letter  # noqa: PLC0415

    for number, cells in rows:
        values: list[str] = []
        for cell in cells:
            if cell["data_type"] == "f":
                raise file_error(
                    _(
                        "Sheet “%(sheet)s”, cell %(cell)s holds a formula. Formulas are not "
                        "imported: paste the values instead (Paste special → Values)."
                    )
                    % {"sheet": sheet, "cell": f"{get_column_letter(cell['column'])}{number}"},
                    "formula",
                )
            column = cell["column"]
            if column > IMPORT_COLUMNS_MAX:
                continue
            if column > len(values):
                values.extend([""] * (column - len(values)))
            values[column - 1] = _cell_text(cell["value"])
        while values and not values[-1]:
            values.pop()
        yield number, values
