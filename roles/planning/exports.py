"""The head-count plan as a download: CSV (UTF-8 with a BOM, for Excel) and XLSX (the plan and
the hiring roadmap, one sheet each). Both carry the same table, `plan_table`.

Both are produced as a stream of chunks (`Download.chunks`): the plan is computed first (every
query done, so a streamed response never touches the database), then the rows are formatted as
the client reads them. The XLSX goes through `teamorg.xlsx` (openpyxl's write-only mode took
6.7 s for a 5,000-role plan). A plan larger than `XLSX_ROLE_PHASES_WHILE_YOU_WAIT` (roles ×
phases) is not built while the request waits: the URL answers with the page of a background
export job (`roles.exports`, kind `plan_xlsx`), as the handbook does.

User text that a spreadsheet would run as a formula stays text in both formats.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.utils.translation import pgettext

from departments.models import Organization
from roles.models import Level
from roles.planning.data import Range
from roles.planning.plan import HeadcountPlan, organization_plan
from teamorg import xlsx
from teamorg.cells import csv_cell
from teamorg.i18n import content_language, translated_text

CSV, XLSX = "csv", "xlsx"

# The XLSX of a plan with more roles × growth phases than this is made by a background export
# job, not while the request waits. The roadmap sheet grows with roles × phases as the plan
# sheet's columns do, so that product is what decides. 5,000 roles in three phases (15,000,
# the largest design the benchmarks measure) download within the 2-second budget
# (docs/benchmarks.md, "plan").
XLSX_ROLE_PHASES_WHILE_YOU_WAIT = 15_000

_CSV_ROWS_PER_CHUNK = 500


@dataclass(frozen=True)
class Download:
    """A file as chunks of bytes, produced as they are read (once)."""

    chunks: Iterable[bytes]
    content_type: str
    filename: str

    def read(self) -> bytes:
        return b"".join(self.chunks)


def plan_download(organization: Organization, file_format: str) -> Download:
    """The organization's head-count plan as a CSV or XLSX file (eight queries, all made
    before this returns)."""
    stream, content_type = _WRITERS[file_format]
    return Download(
        chunks=stream(organization_plan(organization)),
        content_type=content_type,
        filename=f"{organization.slug}-plan.{file_format}",
    )


def xlsx_waits_for_a_job(organization: Organization) -> bool:
    """Whether the plan's XLSX is too large to build while the request waits (two counts)."""
    phases = max(1, organization.phases.count())
    return organization.roles.count() * phases > XLSX_ROLE_PHASES_WHILE_YOU_WAIT


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
    # Once per table, not per role: `get_level_display()` hashes the choices on every call and
    # the `title` descriptor asks for the active language on every read (a third of the
    # export's time at 5,000 roles).
    level_names = {value: str(label) for value, label in Level.choices}
    content = content_language()
    rows = []
    for row in plan.roles:
        role = row.role
        rows.append(
            [kinds["role"], row.department.code, paths[row.department.pk], role.code,
             translated_text(role.title_zh, role.title_en, content),
             level_names.get(role.level, role.level), role.hiring_priority or "",
             role.salary_min or "", role.salary_max or ""] + _count_cells(row.counts)
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
    return b"".join(stream_plan_csv(plan))


def stream_plan_csv(plan: HeadcountPlan) -> Iterator[bytes]:
    """The plan table as CSV, a chunk per few hundred rows (the table is built now, the text
    as it is read)."""
    header, rows = plan_table(plan)
    return _csv_chunks(header, rows)


def _csv_chunks(header: list, rows: list[list]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # The BOM makes Excel read the file as UTF-8, so Chinese is not garbled.
    buffer.write("\ufeff")
    # The header holds user text too: "<phase> min" starts with the phase's name.
    writer.writerow([csv_cell(value) for value in header])
    for number, row in enumerate(rows, start=1):
        writer.writerow([csv_cell(value) for value in row])
        if number % _CSV_ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def plan_xlsx(plan: HeadcountPlan) -> bytes:
    return b"".join(stream_plan_xlsx(plan))


def stream_plan_xlsx(plan: HeadcountPlan) -> Iterator[bytes]:
    """Two sheets: the plan table, and the hiring roadmap step by step."""
    header, rows = plan_table(plan)
    roadmap_header = [
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
    ]
    content = content_language()
    names: dict[tuple[str, int], str] = {}  # a role's title, a phase's name: read once each

    def name(kind: str, node, field: str) -> str:
        key = (kind, node.pk)
        if key not in names:
            names[key] = translated_text(
                getattr(node, f"{field}_zh"), getattr(node, f"{field}_en"), content
            )
        return names[key]

    roadmap = (
        [
            step.number,
            name("phase", step.phase, "name"),
            step.role.code,
            name("role", step.role, "title"),
            name("department", step.department, "name"),
            step.role.hiring_priority or "",
            str(step.before),
            str(step.after),
            step.hires.min,
            step.hires.max,
            step.cumulative.min,
            step.cumulative.max,
        ]
        for step in plan.roadmap
    )  # fmt: skip
    return xlsx.stream_xlsx(
        [
            xlsx.Sheet(pgettext("plan", "Head count"), header, rows),
            xlsx.Sheet(pgettext("plan", "Hiring roadmap"), roadmap_header, roadmap),
        ]
    )


_WRITERS: dict[str, tuple[Callable[[HeadcountPlan], Iterator[bytes]], str]] = {
    CSV: (stream_plan_csv, "text/csv; charset=utf-8"),
    XLSX: (stream_plan_xlsx, xlsx.CONTENT_TYPE),
}
