"""The rows of a sheet read as what they describe: departments, roles (one row per position),
growth phases and collaboration lines, each value parsed and every problem noted with its sheet,
row and column. Nothing here looks at the database; `roles.imports.resolve` matches the result
against the organization.

Two kinds of sheet are read the same way:

- the project's own exports: the head-count plan (`roles/planning/exports.py`, a row type
  column, codes, `<phase> min/max` pairs) and the design sheet (`roles.imports.export`: every
  field, one row per department, role, phase and collaboration line);
- an HR manager's table: one row per position with its department (a path such as
  `运营中心 > 客服部`, or a department and a parent-department column), title, reports-to, level,
  employment type, a head-count column per phase (`3`, `3-5`, `3～5`), salary band and
  duties/requirements/KPIs one per line (or separated by `；`). Department cells left blank
  below the first row (merged cells) take the department of the row above.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from roles.imports import columns
from roles.imports.reading import Table
from teamorg.limits import (
    DEPARTMENT_HEADCOUNT_LIMIT,
    HEADCOUNT_LIMIT,
    HIRING_PRIORITY_LIMIT,
    LINE_MAX_LENGTH,
    LINES_PER_ROLE,
    MONTH_LIMIT,
    SALARY_LIMIT,
)

DEPARTMENT, ROLE, PHASE, COLLABORATION, TOTAL = (
    "department",
    "role",
    "phase",
    "collaboration",
    "total",
)
ROW_TYPES = {
    "部门": DEPARTMENT,
    "department": DEPARTMENT,
    "岗位": ROLE,
    "职位": ROLE,
    "role": ROLE,
    "position": ROLE,
    "阶段": PHASE,
    "phase": PHASE,
    "协作": COLLABORATION,
    "对接": COLLABORATION,
    "collaboration": COLLABORATION,
    "合计": TOTAL,
    "total": TOTAL,
}
TYPE_LABELS = {
    DEPARTMENT: gettext_lazy("department"),
    ROLE: gettext_lazy("role"),
    PHASE: gettext_lazy("phase"),
    COLLABORATION: gettext_lazy("collaboration"),
}
LINE_KINDS = ("duties", "requirements", "kpis")
TEXT_FIELDS = ("title", "summary", "pay_note", "location", "offers", "functions")
PATH_SEPARATOR = re.compile(r"\s*[>＞》→]\s*")
RANGE_SEPARATOR = re.compile(r"\s*(?:-|–|—|~|～|〜|至|到)\s*")
LINE_SEPARATOR = re.compile(r"\s*[；;]\s*")


@dataclass
class Problem:
    sheet: str
    row: int | None
    column: str  # "C (汇报对象)", or "" for the whole row or file
    message: str
    code: str

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "code": self.code,
        }


@dataclass
class Where:
    """A row of the sheet and the columns it was read from, for the problems that name them."""

    sheet: str
    row: int
    columns: dict[str, str]  # field key → "C (汇报对象)"

    def column(self, key: str) -> str:
        return self.columns.get(key, "")


@dataclass
class DepartmentRow:
    where: Where
    path_zh: tuple[str, ...]
    path_en: tuple[str, ...]
    code: str
    fields: dict  # only the columns the sheet has
    # Its own head count (部门定编) per phase name: (min, max), or None for an empty cell.
    headcount: dict[str, tuple[int, int] | None] = field(default_factory=dict)


@dataclass
class RoleRow:
    where: Where
    path_zh: tuple[str, ...]
    path_en: tuple[str, ...]
    department_code: str
    code: str
    reports_to: str | None  # None: no reports-to column; "": a top role
    fields: dict
    lines: dict[str, list[tuple]]  # kind → [(text_zh, text_en[, requirement kind])]
    headcount: dict[str, tuple[int, int] | None]  # phase name → (min, max) or no target
    combinable: list[str] | None


@dataclass
class PhaseRow:
    where: Where
    name_zh: str
    name_en: str
    fields: dict


@dataclass
class CollaborationRow:
    where: Where
    source: str
    target: str
    description_zh: str
    description_en: str
    fields: dict


@dataclass
class Sheet:
    """What one sheet says, and the problems of reading it."""

    name: str = ""
    departments: list[DepartmentRow] = field(default_factory=list)
    roles: list[RoleRow] = field(default_factory=list)
    phases: list[PhaseRow] = field(default_factory=list)
    phase_columns: list[str] = field(default_factory=list)  # phase names in column order
    collaborations: list[CollaborationRow] = field(default_factory=list)
    present: set[str] = field(default_factory=set)  # field keys the sheet has a column for
    problems: list[Problem] = field(default_factory=list)
    unknown_columns: list[dict] = field(default_factory=list)
    columns: list[dict] = field(default_factory=list)  # header → what it was read as
    skipped_sheets: list[str] = field(default_factory=list)


@dataclass
class _Column:
    index: int
    header: str
    key: str | None = None  # a field key
    phase: str | None = None  # a phase name
    bound: str | None = None  # "min"/"max" for the plan's pairs, None for one "3-5" cell

    @property
    def label(self) -> str:
        return f"{columns.column_letter(self.index)} ({self.header})"


def map_columns(table: Table, mapping: dict[str, str]) -> tuple[list[_Column], list[dict]]:
    """Each header as a field, a phase's head count, or unknown. `mapping` (header → field key,
    `phase`, or "" to leave a column out) is the user's answer for headers we do not know."""
    mapped, unknown = [], []
    for index, header in enumerate(table.header):
        column = _Column(index, header)
        if not header:
            mapped.append(column)
            continue
        chosen = mapping.get(header)
        if chosen is not None:
            if chosen == columns.PHASE:
                column.phase = columns.phase_name(header) or header.strip()
            elif chosen in columns.FIELDS:
                column.key = chosen
        elif key := columns.field_of(header):
            column.key = key
        elif bound := columns.plan_phase_bound(header):
            column.phase, column.bound = bound
        elif name := columns.phase_name(header):
            column.phase = name
        else:
            unknown.append(
                {"index": index, "letter": columns.column_letter(index), "header": header}
            )
        mapped.append(column)
    return mapped, unknown


def choose_table(tables: list[Table], mapping: dict[str, str]) -> tuple[Table, list[str]]:
    """The first sheet with a title or a department column; the others are named as not read."""
    for table in tables:
        found, _unknown = map_columns(table, mapping)
        keys = {column.key for column in found}
        if keys & {"title_zh", "title_en", "department_zh", "department_en", "type"}:
            return table, [other.name for other in tables if other is not table]
    return tables[0], [other.name for other in tables[1:]]


def read_sheet(tables: list[Table], mapping: dict[str, str], known_phases: set[str]) -> Sheet:
    """Read the sheet to import. `known_phases` are the organization's phase names (either
    language): a header naming one is that phase's head-count column."""
    table, skipped = choose_table(tables, mapping)
    sheet = Sheet(name=table.name, skipped_sheets=skipped)
    found, unknown = map_columns(table, mapping)
    for column in found:
        if column.key is None and column.phase is None and column.header in known_phases:
            column.phase = column.header
            unknown = [item for item in unknown if item["index"] != column.index]
    sheet.unknown_columns = unknown
    for item in unknown:
        sheet.problems.append(
            Problem(
                table.name,
                table.header_row,
                f"{item['letter']} ({item['header']})",
                _(
                    "This column is not recognised: choose what it holds, or leave it out, in "
                    "the column mapping."
                ),
                "unknown_column",
            )
        )
    by_key: dict[str, _Column] = {}
    for column in found:
        if column.key is None:
            continue
        if column.key in by_key:
            sheet.problems.append(
                Problem(
                    table.name,
                    table.header_row,
                    column.label,
                    _("Two columns hold the same thing (%(other)s): leave one out.")
                    % {"other": by_key[column.key].label},
                    "duplicate_column",
                )
            )
            continue
        by_key[column.key] = column
    sheet.present = set(by_key)
    phase_columns: dict[str, dict[str | None, _Column]] = {}
    for column in found:
        if column.phase:
            phase_columns.setdefault(column.phase, {})[column.bound] = column
    sheet.phase_columns = list(phase_columns)
    sheet.columns = [
        {
            "letter": columns.column_letter(column.index),
            "header": column.header,
            "field": column.key or (columns.PHASE if column.phase else ""),
            "phase": column.phase or "",
        }
        for column in found
        if column.header
    ]
    if not by_key.keys() & {"title_zh", "title_en", "department_zh", "department_en"}:
        sheet.problems.append(
            Problem(
                table.name,
                table.header_row,
                "",
                _(
                    "No column holds a title or a department: the sheet needs at least one "
                    "(for example “岗位名称” / “Title” or “部门” / “Department”)."
                ),
                "no_title_column",
            )
        )
        return sheet
    reader = _RowReader(sheet, table.name, by_key, phase_columns)
    for number, values in table.rows:
        reader.read(number, values)
    return sheet


def split_path(text: str) -> tuple[str, ...]:
    text = text.strip()
    return tuple(part for part in PATH_SEPARATOR.split(text) if part) if text else ()


def split_lines(text: str) -> list[str]:
    """A cell's lines: one per line of the cell, or separated by `；` when it is one line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return []
    parts = text.split("\n") if "\n" in text else LINE_SEPARATOR.split(text)
    return [part.strip() for part in parts if part.strip()]


# "学历：本科以上" / "【学历】本科以上": a requirement's kind before its text. Long enough for
# "Personal traits (preferred)".
_REQUIREMENT_PREFIX = re.compile(r"^\s*[【\[]?([^：:】\]]{1,32})[】\]]?\s*[：:]\s*(.*)$", re.S)
# A preferred requirement (优先) says so after its kind: "学历（优先）：…", "Education
# (preferred): …", as the design sheet writes it (`columns.requirement_label`).
_PREFERRED_KIND = re.compile(r"^(.*?)\s*[（(]\s*(优先|preferred)\s*[)）]$", re.IGNORECASE)


class _RowReader:
    def __init__(self, sheet: Sheet, name: str, by_key: dict[str, _Column], phases: dict):
        self.sheet = sheet
        self.name = name
        self.by_key = by_key
        self.phases = phases
        self.choices = {name: columns.choice_values(name) for name in columns.CHOICES}
        self.types = {columns.normalize(k): v for k, v in ROW_TYPES.items()}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                for kind in (DEPARTMENT, ROLE, TOTAL):
                    self.types[columns.normalize(pgettext("plan row", kind))] = kind
                for kind, label in TYPE_LABELS.items():
                    self.types[columns.normalize(str(label))] = kind
        self.labels = {key: column.label for key, column in by_key.items()}  # shared by rows
        # The department of the row above, for cells left blank below a merged cell.
        self.above: dict[str, str] = {}

    def problem(self, where: Where, key: str, message: str, code: str) -> None:
        self.sheet.problems.append(Problem(self.name, where.row, where.column(key), message, code))

    def read(self, number: int, values: list[str]) -> None:
        cells = {
            key: values[column.index] if column.index < len(values) else ""
            for key, column in self.by_key.items()
        }
        where = Where(self.name, number, self.labels)
        kind = None
        if "type" in cells and cells["type"]:
            kind = self.types.get(columns.normalize(cells["type"]))
            if kind is None:
                self.problem(
                    where,
                    "type",
                    _("“%(value)s” is not a row type (department, role, phase, collaboration).")
                    % {"value": cells["type"]},
                    "bad_choice",
                )
                return
        if kind == TOTAL:
            return
        if kind is None:
            has_title = bool(cells.get("title_zh") or cells.get("title_en"))
            kind = ROLE if has_title else DEPARTMENT
        if kind == PHASE:
            self.read_phase(where, cells)
        elif kind == COLLABORATION:
            self.read_collaboration(where, cells)
        else:
            self.read_node(kind, where, cells, values)

    # --- values -------------------------------------------------------------------------------

    def integer(self, where, key, text, low, high) -> int | None:
        value = _number(text)
        if value is None or not low <= value <= high:
            self.problem(
                where,
                key,
                _("“%(value)s” is not a whole number from %(low)s to %(high)s.")
                % {"value": text, "low": low, "high": f"{high:,}"},
                "bad_number",
            )
            return None
        return value

    def choice(self, where, key, name, text) -> str | None:
        value = self.choices[name].get(columns.normalize(text))
        if value is None:
            allowed = " / ".join(
                columns.choice_label(name, v) for v in columns.CHOICES[name].values
            )
            self.problem(
                where,
                key,
                _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed},
                "bad_choice",
            )
        return value

    def texts(self, cells: dict, fields: dict, name: str, *, prefix: str = "") -> None:
        for language in ("zh", "en"):
            key = f"{prefix or name}_{language}"
            if key in cells:
                fields[f"{name}_{language}"] = cells[key].strip()

    def common(self, where: Where, cells: dict, fields: dict) -> None:
        if "origin" in cells and cells["origin"]:
            origin = cells["origin"].strip().lower()
            if origin in ("seed", "fill", "user"):
                fields["origin"] = origin
            else:
                self.problem(where, "origin", _("Origin is one of seed, fill, user."), "bad_choice")
        if "source_note" in cells:
            fields["source_note"] = cells["source_note"]

    # --- rows ---------------------------------------------------------------------------------

    def department_cells(self, cells: dict, kind: str) -> tuple[tuple, tuple, str]:
        """The row's department: its path in each language, filled from the row above when the
        cells are blank (merged in the spreadsheet)."""
        keys = [
            key
            for key in ("department_zh", "department_en", "parent_department", "department_code")
            if key in cells
        ]
        if any(cells[key] for key in keys):
            self.above = {key: cells[key] for key in keys}
        elif kind == ROLE:
            # Every department cell blank: merged down from the row above.
            for key in keys:
                cells[key] = self.above.get(key, "")
        path_zh = split_path(cells.get("department_zh", ""))
        path_en = split_path(cells.get("department_en", ""))
        parent = split_path(cells.get("parent_department", ""))
        if parent:
            if path_zh and len(path_zh) == 1:
                path_zh = parent + path_zh
            elif path_en and len(path_en) == 1:
                path_en = parent + path_en
        return path_zh, path_en, cells.get("department_code", "").strip()

    def read_node(self, kind: str, where: Where, cells: dict, values: list[str]) -> None:
        path_zh, path_en, department_code = self.department_cells(cells, kind)
        if path_zh and path_en and len(path_zh) != len(path_en):
            self.problem(
                where,
                "department_en",
                _("The department paths in Chinese and English have different lengths."),
                "path_mismatch",
            )
            return
        if kind == DEPARTMENT:
            if not (path_zh or path_en):
                if any(cells.values()):
                    self.problem(
                        where,
                        "title_zh" if "title_zh" in cells else "title_en",
                        _("The row has neither a title nor a department."),
                        "required",
                    )
                return
            fields: dict = {}
            self.texts(cells, fields, "summary")
            self.texts(cells, fields, "functions")
            if "function_group" in cells:
                text = cells["function_group"]
                fields["function_group"] = (
                    (self.choice(where, "function_group", "function_group", text) or "")
                    if text
                    else ""
                )
            self.common(where, cells, fields)
            # A department row's phase cells are its own head count (部门定编), read like a
            # role's. The plan export's min/max pairs on its department rows are the sums of
            # the roles below (computed, not set), so they are not read as one.
            headcount = {
                phase: self.headcount(where, bounds, values, DEPARTMENT_HEADCOUNT_LIMIT)
                for phase, bounds in self.phases.items()
                if None in bounds
            }
            self.sheet.departments.append(
                DepartmentRow(where, path_zh, path_en, department_code, fields, headcount)
            )
            return
        fields = {}
        self.texts(cells, fields, "title")
        self.texts(cells, fields, "summary")
        self.texts(cells, fields, "pay_note")
        self.texts(cells, fields, "location")
        self.texts(cells, fields, "offers")
        for key in ("level", "employment_type", "pay_structure"):
            if key in cells:
                text = cells[key]
                if text:
                    value = self.choice(where, key, key, text)
                    if value is not None:
                        fields[key] = value
                elif key == "pay_structure":
                    fields[key] = ""
        if "key_position" in cells:
            text = cells["key_position"]
            flag = columns.flag_value(text)
            if flag is None:
                self.problem(
                    where,
                    "key_position",
                    _("“%(value)s” is not yes or no (是 / 否).") % {"value": text},
                    "bad_choice",
                )
            else:
                fields["key_position"] = flag
        if "hiring_priority" in cells:
            text = cells["hiring_priority"]
            fields["hiring_priority"] = (
                self.integer(where, "hiring_priority", text, 1, HIRING_PRIORITY_LIMIT)
                if text
                else None
            )
        self.salary(where, cells, fields)
        self.common(where, cells, fields)
        lines = {}
        for kind_name in LINE_KINDS:
            if f"{kind_name}_zh" in cells or f"{kind_name}_en" in cells:
                lines[kind_name] = self.lines(where, kind_name, cells)
        headcount = {}
        for phase, bounds in self.phases.items():
            headcount[phase] = self.headcount(where, bounds, values)
        combinable = None
        if "combinable_with" in cells:
            combinable = [
                code for code in re.split(r"[\s,，;；、]+", cells["combinable_with"]) if code
            ]
        reports_to = cells.get("reports_to")
        self.sheet.roles.append(
            RoleRow(
                where=where,
                path_zh=path_zh,
                path_en=path_en,
                department_code=department_code,
                code=cells.get("code", "").strip(),
                reports_to=reports_to.strip() if reports_to is not None else None,
                fields=fields,
                lines=lines,
                headcount=headcount,
                combinable=combinable,
            )
        )

    def salary(self, where: Where, cells: dict, fields: dict) -> None:
        low = high = None
        key = "salary"
        if cells.get("salary"):
            parts = RANGE_SEPARATOR.split(cells["salary"].strip(), maxsplit=1)
            values = [_money(part) for part in parts]
            if any(v is None or not 0 <= v <= SALARY_LIMIT for v in values):
                self.problem(
                    where,
                    "salary",
                    _("“%(value)s” is not a monthly salary or a range such as 8000-12000.")
                    % {"value": cells["salary"]},
                    "bad_number",
                )
                return
            low, high = values[0], values[-1]
        elif "salary" in cells and "salary_min" not in cells and "salary_max" not in cells:
            fields["salary_min"] = fields["salary_max"] = None
            return
        else:
            key = "salary_max"
            for name in ("salary_min", "salary_max"):
                if name not in cells:
                    continue
                text = cells[name]
                value = self.integer(where, name, text, 0, SALARY_LIMIT) if text else None
                if text and value is None:
                    return
                if name == "salary_min":
                    low = value
                else:
                    high = value
            if "salary_min" not in cells and "salary_max" not in cells:
                return
        if low is not None and high is not None and low > high:
            self.problem(
                where,
                key,
                _("The salary from (%(low)s) is above the salary to (%(high)s).")
                % {"low": low, "high": high},
                "min_above_max",
            )
            return
        fields["salary_min"], fields["salary_max"] = low, high

    def lines(self, where: Where, kind: str, cells: dict) -> list[tuple]:
        by_language = {
            language: split_lines(cells.get(f"{kind}_{language}", "")) for language in ("zh", "en")
        }
        kinds: list[str | None] = []
        preferred: list[bool] = []
        if kind == "requirements":
            requirement_kinds = self.choices["requirement"]
            for language in ("zh", "en"):
                stripped = []
                for index, text in enumerate(by_language[language]):
                    match = _REQUIREMENT_PREFIX.match(text)
                    label = match.group(1).strip() if match else ""
                    nice = _PREFERRED_KIND.match(label)
                    if nice:
                        label = nice.group(1)
                    value = requirement_kinds.get(columns.normalize(label)) if match else None
                    if value:
                        text = match.group(2).strip()
                    if len(kinds) <= index:
                        kinds.append(value)
                        preferred.append(bool(value and nice))
                    else:
                        kinds[index] = kinds[index] or value
                        # Either language's cell may say it (the other may have no prefix).
                        preferred[index] = preferred[index] or bool(value and nice)
                    stripped.append(text)
                by_language[language] = stripped
        zh, en = by_language["zh"], by_language["en"]
        count = max(len(zh), len(en))
        key = f"{kind}_zh" if f"{kind}_zh" in cells else f"{kind}_en"
        if zh and en and len(zh) != len(en):
            self.problem(
                where,
                f"{kind}_en",
                _("The Chinese and English cells have %(zh)s and %(en)s lines: give both the same.")
                % {"zh": len(zh), "en": len(en)},
                "line_count_mismatch",
            )
        if count > LINES_PER_ROLE:
            self.problem(
                where,
                key,
                _("%(count)s lines; a role has at most %(limit)s of each kind.")
                % {"count": count, "limit": LINES_PER_ROLE},
                "too_many_lines",
            )
        rows = []
        for index in range(count):
            text_zh = zh[index] if index < len(zh) else ""
            text_en = en[index] if index < len(en) else ""
            if max(len(text_zh), len(text_en)) > LINE_MAX_LENGTH:
                self.problem(
                    where,
                    key,
                    _("Line %(number)s is longer than %(limit)s characters.")
                    % {"number": index + 1, "limit": LINE_MAX_LENGTH},
                    "too_long",
                )
            if kind == "requirements":
                rows.append(
                    (
                        text_zh,
                        text_en,
                        (kinds[index] if index < len(kinds) else None) or "other",
                        index < len(preferred) and preferred[index],
                    )
                )
            else:
                rows.append((text_zh, text_en))
        return rows

    def headcount(
        self, where: Where, bounds: dict, values: list[str], limit: int = HEADCOUNT_LIMIT
    ) -> tuple[int, int] | None:
        def cell(column):
            return values[column.index].strip() if column.index < len(values) else ""

        def report(column, message, code):
            self.sheet.problems.append(Problem(self.name, where.row, column.label, message, code))

        if None in bounds:
            column = bounds[None]
            text = cell(column)
            if not text:
                return None
            parts = RANGE_SEPARATOR.split(unicodedata.normalize("NFKC", text), maxsplit=1)
            numbers = [_number(part) for part in parts]
        else:
            low_column, high_column = bounds.get("min"), bounds.get("max")
            texts = [cell(c) if c else "" for c in (low_column, high_column)]
            if not any(texts):
                return None
            column = low_column or high_column
            numbers = [_number(t) if t else None for t in texts]
            numbers = [
                n if n is not None or not t else None for n, t in zip(numbers, texts, strict=True)
            ]
            if not texts[0]:
                numbers[0] = numbers[1]
            if not texts[1]:
                numbers[1] = numbers[0]
            text = " – ".join(t for t in texts if t)
        if any(n is None or not 0 <= n <= limit for n in numbers):
            report(
                column,
                _("“%(value)s” is not a head count: write 3, or a range such as 3-5.")
                % {"value": text},
                "bad_number",
            )
            return None
        low, high = numbers[0], numbers[-1]
        if low > high:
            report(
                column,
                _("The head count's minimum %(low)s is above its maximum %(high)s.")
                % {"low": low, "high": high},
                "min_above_max",
            )
            return None
        return low, high

    def read_phase(self, where: Where, cells: dict) -> None:
        name_zh = cells.get("title_zh", "").strip()
        name_en = cells.get("title_en", "").strip()
        if not (name_zh or name_en):
            self.problem(where, "title_zh", _("A phase row needs the phase's name."), "required")
            return
        fields = {}
        for key in ("start_month", "end_month"):
            if key in cells:
                text = cells[key]
                fields[key] = self.integer(where, key, text, 0, MONTH_LIMIT) if text else None
        self.texts(cells, fields, "description", prefix="summary")
        self.common(where, cells, fields)
        self.sheet.phases.append(PhaseRow(where, name_zh, name_en, fields))

    def read_collaboration(self, where: Where, cells: dict) -> None:
        source, target = cells.get("from", "").strip(), cells.get("to", "").strip()
        if not source or not target:
            self.problem(
                where,
                "from" if not source else "to",
                _("A collaboration row needs the codes it runs from and to."),
                "required",
            )
            return
        fields: dict = {}
        self.common(where, cells, fields)
        self.sheet.collaborations.append(
            CollaborationRow(
                where,
                source,
                target,
                cells.get("summary_zh", "").strip(),
                cells.get("summary_en", "").strip(),
                fields,
            )
        )


def _number(text: str) -> int | None:
    text = unicodedata.normalize("NFKC", text or "").strip().replace(",", "")
    if re.fullmatch(r"\d+(?:\.0+)?", text):
        return int(float(text))
    return None


def _money(text: str) -> int | None:
    """8000, 8,000, 8k, 0.8万, ¥8000 as a whole number of yuan."""
    text = unicodedata.normalize("NFKC", text or "").strip().lower()
    text = text.replace(",", "").lstrip("¥￥").removesuffix("元").strip()
    factor = 1
    if text.endswith("k"):
        factor, text = 1000, text[:-1]
    elif text.endswith("万"):
        factor, text = 10000, text[:-1]
    if not re.fullmatch(r"\d+(?:\.\d+)?", text):
        return None
    value = float(text) * factor
    return int(value) if value.is_integer() else None
