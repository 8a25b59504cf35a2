"""A whole design as one table (CSV or XLSX) that the import reads back: a row per growth phase,
department, role and collaboration line, with both languages of every text, so a design can go
out to a spreadsheet, be edited there and come back (`roles.imports`), or be imported into a new
organization and give the same design.

The head-count plan (`roles/planning/exports.py`) stays the export for planning; it carries
departments, roles and head count but no reporting lines or texts, and imports as such.
"""

from __future__ import annotations

import csv
import io

from django.utils import translation

from departments.models import Department, DepartmentHeadcount, HeadcountPhase, Organization
from roles.imports import columns
from roles.imports.sheet import COLLABORATION, DEPARTMENT, PHASE, ROLE, TYPE_LABELS
from roles.models import KPI, Collaboration, Duty, HeadcountTarget, Requirement, Role
from teamorg.cells import csv_cell, formula_like

CSV, XLSX = "csv", "xlsx"
COLUMNS = (
    "type",
    "department_zh",
    "department_en",
    "department_code",
    "code",
    "title_zh",
    "title_en",
    "reports_to",
    "level",
    "employment_type",
    "hiring_priority",
    "key_position",
    "pay_structure",
    "salary_min",
    "salary_max",
    "pay_note_zh",
    "pay_note_en",
    "location_zh",
    "location_en",
    "offers_zh",
    "offers_en",
    "summary_zh",
    "summary_en",
    "duties_zh",
    "duties_en",
    "requirements_zh",
    "requirements_en",
    "kpis_zh",
    "kpis_en",
    "combinable_with",
    "functions_zh",
    "functions_en",
    "function_group",
    "start_month",
    "end_month",
    "from",
    "to",
    "origin",
    "source_note",
)


def design_table(organization: Organization) -> tuple[list[str], list[list]]:
    """Header and rows of the design, headers and labels in the active language (a dozen
    queries whatever the size)."""
    language = translation.get_language() or "zh-hans"
    phases = list(HeadcountPhase.objects.filter(organization=organization).order_by("order"))
    header = [columns.export_header(key, language) for key in COLUMNS]
    header += [columns.phase_header(phase.name, language) for phase in phases]
    width = len(COLUMNS)
    position = {key: index for index, key in enumerate(COLUMNS)}

    def row(kind: str, **values) -> list:
        # Blank cells stay None: an XLSX then has no cell there at all, which halves what a
        # reader parses.
        cells: list = [None] * (width + len(phases))
        cells[0] = str(TYPE_LABELS[kind])
        for key, value in values.items():
            cells[position[key]] = None if value in ("", None) else value
        return cells

    rows = []
    for phase in phases:
        rows.append(
            row(
                PHASE,
                title_zh=phase.name_zh,
                title_en=phase.name_en,
                start_month=phase.start_month,
                end_month=phase.end_month,
                summary_zh=phase.description_zh,
                summary_en=phase.description_en,
                origin=phase.origin,
                source_note=phase.source_note,
            )
        )
    departments = list(
        Department.objects.filter(organization=organization).order_by("tree_id", "lft")
    )
    paths: dict[int, tuple[tuple, tuple, str]] = {}
    for department in departments:
        parent = paths.get(department.parent_id, ((), (), ""))
        paths[department.pk] = (
            (*parent[0], department.name_zh),
            (*parent[1], department.name_en),
            department.code,
        )

    def count_cell(value: tuple[int, int]) -> str:
        return str(value[0]) if value[0] == value[1] else f"{value[0]}-{value[1]}"

    def put_counts(cells: list, counts: dict[int, tuple[int, int]]) -> None:
        for index, phase in enumerate(phases):
            value = counts.get(phase.pk)
            if value is not None:
                cells[width + index] = count_cell(value)

    # A department row's phase cells hold its own head count (部门定编), a role row's its own.
    department_counts: dict[int, dict[int, tuple[int, int]]] = {}
    for department_id, phase_id, low, high in DepartmentHeadcount.objects.filter(
        department__organization=organization
    ).values_list("department_id", "phase_id", "min_count", "max_count"):
        department_counts.setdefault(department_id, {})[phase_id] = (low, high)

    def path_cells(department_id: int) -> dict:
        zh, en, code = paths[department_id]
        return {
            "department_zh": " > ".join(zh) if all(zh) else "",
            "department_en": " > ".join(en) if all(en) else "",
            "department_code": code,
        }

    for department in departments:
        cells = row(
            DEPARTMENT,
            **path_cells(department.pk),
            summary_zh=department.summary_zh,
            summary_en=department.summary_en,
            functions_zh=department.functions_zh,
            functions_en=department.functions_en,
            function_group=columns.choice_label("function_group", department.function_group),
            origin=department.origin,
            source_note=department.source_note,
        )
        put_counts(cells, department_counts.get(department.pk, {}))
        rows.append(cells)
    roles = list(Role.objects.filter(organization=organization).order_by("tree_id", "lft"))
    code_of = {role.pk: role.code for role in roles}
    lines: dict[str, dict[int, list]] = {}
    for kind, model in (("duties", Duty), ("requirements", Requirement), ("kpis", KPI)):
        by_role: dict[int, list] = {}
        names = ["role_id", "text_zh", "text_en"]
        if model is Requirement:
            names += ["kind", "preferred"]
        for values in (
            model.objects.filter(role__organization=organization)
            .order_by("role_id", "order", "id")
            .values_list(*names)
        ):
            by_role.setdefault(values[0], []).append(values[1:])
        lines[kind] = by_role
    counts: dict[int, dict[int, tuple[int, int]]] = {}
    for role_id, phase_id, low, high in HeadcountTarget.objects.filter(
        role__organization=organization
    ).values_list("role_id", "phase_id", "min_count", "max_count"):
        counts.setdefault(role_id, {})[phase_id] = (low, high)
    through = Role.combinable_with.through
    combinable: dict[int, list[str]] = {}
    for a, b in through.objects.filter(from_role__organization=organization).values_list(
        "from_role_id", "to_role_id"
    ):
        combinable.setdefault(a, []).append(code_of[b])

    def line_cells(kind: str, role_id: int) -> dict:
        items = lines[kind].get(role_id, [])
        if kind == "requirements":
            return {
                # Kinds (and the preferred mark) in the export's language, in both columns.
                f"{kind}_{column}": "\n".join(
                    f"{columns.requirement_label(item[2], item[3], language)}：{item[index]}"
                    for item in items
                )
                for index, column in ((0, "zh"), (1, "en"))
            }
        return {
            f"{kind}_zh": "\n".join(item[0] for item in items),
            f"{kind}_en": "\n".join(item[1] for item in items),
        }

    for role in roles:
        cells = row(
            ROLE,
            **path_cells(role.department_id),
            code=role.code,
            title_zh=role.title_zh,
            title_en=role.title_en,
            reports_to=code_of.get(role.reports_to_id, ""),
            level=columns.choice_label("level", role.level),
            employment_type=columns.choice_label("employment_type", role.employment_type),
            hiring_priority=role.hiring_priority,
            key_position=columns.flag_label(role.key_position),
            pay_structure=columns.choice_label("pay_structure", role.pay_structure),
            salary_min=role.salary_min,
            salary_max=role.salary_max,
            pay_note_zh=role.pay_note_zh,
            pay_note_en=role.pay_note_en,
            location_zh=role.location_zh,
            location_en=role.location_en,
            offers_zh=role.offers_zh,
            offers_en=role.offers_en,
            summary_zh=role.summary_zh,
            summary_en=role.summary_en,
            combinable_with=" ".join(sorted(combinable.get(role.pk, []))),
            origin=role.origin,
            source_note=role.source_note,
            **line_cells("duties", role.pk),
            **line_cells("requirements", role.pk),
            **line_cells("kpis", role.pk),
        )
        put_counts(cells, counts.get(role.pk, {}))
        rows.append(cells)
    department_codes = {department.pk: department.code for department in departments}
    for line in Collaboration.objects.filter(organization=organization).order_by("order", "id"):
        if line.from_department_id:
            ends = (department_codes[line.from_department_id],
                    department_codes[line.to_department_id])  # fmt: skip
        else:
            ends = (code_of[line.from_role_id], code_of[line.to_role_id])
        rows.append(
            row(
                COLLABORATION,
                **{"from": ends[0], "to": ends[1]},
                summary_zh=line.description_zh,
                summary_en=line.description_en,
                origin=line.origin,
                source_note=line.source_note,
            )
        )
    return header, rows


def design_csv(organization: Organization) -> bytes:
    header, rows = design_table(organization)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for values in [header, *rows]:
        writer.writerow([csv_cell(value) for value in values])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def design_xlsx(organization: Organization) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    header, rows = design_table(organization)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(organization.slug[:31] or "design")
    sheet.freeze_panes = "A2"

    def cell(value):
        if isinstance(value, str) and formula_like(value):
            text = WriteOnlyCell(sheet, value=value)
            text.data_type = "s"
            return text
        return value

    for values in [header, *rows]:
        sheet.append([cell(value) for value in values])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
