"""The head-count plan as a download: CSV (UTF-8 with a BOM, for Excel) and XLSX (the plan and
the hiring roadmap, one sheet each). Both carry the same table, `plan_table`.

User text that a spreadsheet would run as a formula stays text in both formats.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import pgettext

from departments.models import Organization
from roles.planning.data import Range
from roles.planning.plan import HeadcountPlan, organization_plan

CSV, XLSX = "csv", "xlsx"

# Spreadsheets run a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Download:
    content: bytes
    content_type: str
    filename: str


def plan_download(organization: Organization, file_format: str) -> Download:
    """The organization's head-count plan as a CSV or XLSX file (eight queries)."""
    write, content_type = _WRITERS[file_format]
    return Download(
        content=write(organization_plan(organization)),
        content_type=content_type,
        filename=f"{organization.slug}-plan.{file_format}",
    )


def plan_table(plan: HeadcountPlan) -> tuple[list[str], list[list]]:
    """The head-count plan as one table: a row per role, then per department (subtree totals),
    then the organization's total. The same rows go to CSV and XLSX."""
    header = [
        pgettext("plan", "type"),
        pgettext("plan", "department code"),
        pgettext("plan", "department"),
        pgettext("plan", "role code"),
        pgettext("plan", "role"),
        pgettext("plan", "level"),
        pgettext("plan", "hiring priority"),
        pgettext("plan", "salary from"),
        pgettext("plan", "salary to"),
    ]
    for phase in plan.phases:
        header += [
            pgettext("plan", "%(phase)s min") % {"phase": phase.name},
            pgettext("plan", "%(phase)s max") % {"phase": phase.name},
        ]
    paths = {row.department.pk: row.path for row in plan.departments}
    # What each row is, in the reader's language (the codes columns stay for machines).
    kinds = {
        "role": pgettext("plan row", "role"),
        "department": pgettext("plan row", "department"),
        "total": pgettext("plan row", "total"),
    }
    rows = []
    for row in plan.roles:
        role = row.role
        rows.append(
            [kinds["role"], row.department.code, paths[row.department.pk], role.code, role.title,
             role.get_level_display(), role.hiring_priority or "", role.salary_min or "",
             role.salary_max or ""] + _count_cells(row.counts)
        )  # fmt: skip
    for row in plan.departments:
        rows.append(
            [kinds["department"], row.department.code, row.path, "", "", "", "", "", ""]
            + _count_cells(row.total)
        )
    rows.append(
        [kinds["total"], "", plan.organization.name, "", "", "", "", "", ""]
        + _count_cells(plan.totals)
    )
    return header, rows


def _count_cells(values: list[Range | None] | list[Range]) -> list:
    """min and max per phase; two empty cells where a phase has no target."""
    cells: list = []
    for value in values:
        cells += ["", ""] if value is None else [value.min, value.max]
    return cells


def plan_csv(plan: HeadcountPlan) -> bytes:
    header, rows = plan_table(plan)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # The header holds user text too: "<phase> min" starts with the phase's name.
    writer.writerow([_csv_text(value) for value in header])
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    # The BOM makes Excel read the file as UTF-8, so Chinese is not garbled.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_text(value: Any) -> Any:
    """Quote user text that a spreadsheet would run as a formula, also behind leading spaces
    (which spreadsheets skip before deciding)."""
    if isinstance(value, str) and value.lstrip(" ").startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def plan_xlsx(plan: HeadcountPlan) -> bytes:
    # openpyxl takes a quarter of a second to import: only this download pays for it, not the
    # start of every process.
    from openpyxl import Workbook

    header, rows = plan_table(plan)
    # Write-only mode streams rows: a 5,000-role plan is ~80,000 cells.
    book = Workbook(write_only=True)
    sheet = book.create_sheet(pgettext("plan", "Head count")[:31])
    _write_sheet(sheet, header, rows)
    roadmap = book.create_sheet(pgettext("plan", "Hiring roadmap")[:31])
    _write_sheet(
        roadmap,
        [
            pgettext("plan", "step"),
            pgettext("plan", "phase"),
            pgettext("plan", "role code"),
            pgettext("plan", "role"),
            pgettext("plan", "department"),
            pgettext("plan", "hiring priority"),
            pgettext("plan", "before"),
            pgettext("plan", "after"),
            pgettext("plan", "hires min"),
            pgettext("plan", "hires max"),
            pgettext("plan", "planned head count min"),
            pgettext("plan", "planned head count max"),
        ],
        [
            [
                step.number,
                step.phase.name,
                step.role.code,
                step.role.title,
                step.department.name,
                step.role.hiring_priority or "",
                str(step.before),
                str(step.after),
                step.hires.min,
                step.hires.max,
                step.cumulative.min,
                step.cumulative.max,
            ]
            for step in plan.roadmap
        ],  # fmt: skip
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_sheet(sheet, header: list, rows: list[list]) -> None:
    """Header and rows into a write-only sheet (column widths and frozen header first: a
    write-only sheet takes them only before its rows)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    for index in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 16
    sheet.freeze_panes = "A2"

    def text(value):
        # openpyxl stores a string starting with "=" as a formula; user text must stay text.
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            return cell
        return value

    sheet.append([text(value) for value in header])
    for row in rows:
        sheet.append([text(value) for value in row])


_WRITERS: dict[str, tuple[Callable[[HeadcountPlan], bytes], str]] = {
    CSV: (plan_csv, "text/csv; charset=utf-8"),
    XLSX: (plan_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
