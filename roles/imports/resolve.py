"""A read sheet matched against the organization it goes into: which departments, roles, phases
and collaboration lines it creates, which it changes (and which fields), which it leaves alone,
and every problem (unknown manager, cycle, duplicate code, limits) before anything is written.

Matching, by natural key as template loading does: a department by its code, else by its path of
names; a role by its code, else by its department and title; a phase by its name. What the sheet
does not mention is left as it is (an import never deletes), and a column the sheet does not
have leaves that field as it is. The apply service (`roles.imports.apply`) runs this again under
the tree lock and writes exactly what it says.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from departments.models import Department, DepartmentHeadcount, HeadcountPhase, Organization
from roles.imports.sheet import Problem, Sheet, Where
from roles.models import KPI, Collaboration, Duty, HeadcountTarget, Requirement, Role
from roles.services import ROLE_FIELDS as ROLE_SERVICE_FIELDS
from roles.services.roles import ROLE_FLAGS
from teamorg.limits import (
    DEPARTMENTS_PER_ORGANIZATION,
    PHASES_PER_ORGANIZATION,
    ROLES_PER_ORGANIZATION,
)

CREATE, CHANGE, SAME = "create", "change", "same"
LINE_MODELS = {"duties": Duty, "requirements": Requirement, "kpis": KPI}
DEPARTMENT_FIELDS = (
    "name_zh",
    "name_en",
    "summary_zh",
    "summary_en",
    "functions_zh",
    "functions_en",
    "function_group",
    "origin",
    "source_note",
)
# The role fields a sheet can set: what the role services write (with their flags: a key
# position), except the code, by which a row finds its role.
ROLE_FIELDS = tuple(sorted((ROLE_SERVICE_FIELDS | ROLE_FLAGS) - {"code"}))
# A model field → the sheet column its problems are reported on.
FIELD_COLUMNS = {
    "name_zh": "department_zh",
    "name_en": "department_en",
    "salary_min": "salary_min",
    "salary_max": "salary_max",
}


@dataclass
class Node:
    """A department or a role as the design will have it."""

    key: str  # "d12" (existing id 12) or "n3" (new)
    existing: dict | None
    parent: str | None  # the key of its parent department / manager
    fields: dict  # new: every field; existing: only those that change
    where: Where | None = None
    department: str | None = None  # roles: the key of their department
    code: str = ""
    moved: bool = False

    @property
    def action(self) -> str:
        if self.existing is None:
            return CREATE
        return CHANGE if self.fields or self.moved else SAME


@dataclass
class PhasePlan:
    key: str  # "p<id>" or "n<k>"
    existing: dict | None
    fields: dict
    where: Where | None = None


@dataclass
class Resolution:
    organization: Organization
    problems: list[Problem] = field(default_factory=list)
    replace_phases: bool = False  # an empty organization takes the sheet's phases as they are
    phases: dict[str, PhasePlan] = field(default_factory=dict)
    departments: dict[str, Node] = field(default_factory=dict)
    roles: dict[str, Node] = field(default_factory=dict)
    department_order: list[str] = field(default_factory=list)  # final tree, parents first
    role_order: list[str] = field(default_factory=list)
    lines: dict[str, dict[str, list[tuple]]] = field(default_factory=dict)  # changed only
    headcount: dict[str, dict[str, tuple[int, int] | None]] = field(default_factory=dict)
    # Departments whose own head count (部门定编) changes: key → every phase's (min, max), the
    # whole list `department_set_headcount` takes.
    department_headcount: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    combinable: dict[str, set[str]] = field(default_factory=dict)  # changed only
    collaborations_new: list[dict] = field(default_factory=list)
    collaborations_changed: list[tuple[int, dict]] = field(default_factory=list)
    line_changes: set[str] = field(default_factory=set)  # role keys whose lines, head count…
    revision: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changes_anything(self) -> bool:
        return bool(
            self.replace_phases
            or any(p.existing is None or p.fields for p in self.phases.values())
            or any(n.action != SAME for n in self.departments.values())
            or any(n.action != SAME for n in self.roles.values())
            or self.line_changes
            or self.department_headcount
            or self.collaborations_new
            or self.collaborations_changed
        )

    def counts(self) -> dict[str, dict[str, int]]:
        result: dict[str, dict[str, int]] = {}
        for kind, nodes in (("departments", self.departments), ("roles", self.roles)):
            tally = {CREATE: 0, CHANGE: 0, SAME: 0}
            for node in nodes.values():
                action = node.action
                if action == SAME and node.key in (
                    self.line_changes if kind == "roles" else self.department_headcount
                ):
                    action = CHANGE
                tally[action] += 1
            result[kind] = tally
        result["phases"] = {
            CREATE: sum(1 for p in self.phases.values() if p.existing is None),
            CHANGE: sum(1 for p in self.phases.values() if p.existing and p.fields),
            SAME: sum(1 for p in self.phases.values() if p.existing and not p.fields),
        }
        result["collaborations"] = {
            CREATE: len(self.collaborations_new),
            CHANGE: len(self.collaborations_changed),
            SAME: 0,
        }
        return result


def _new_key(counter: list[int]) -> str:
    counter[0] += 1
    return f"n{counter[0]}"


class _Resolver:
    def __init__(self, organization: Organization, sheet: Sheet):
        self.organization = organization
        self.sheet = sheet
        self.result = Resolution(organization=organization, problems=list(sheet.problems))
        self.counter = [0]
        self.checked: dict[tuple, list[str]] = {}  # (model, field, value) → its errors
        self.departments = list(
            Department.objects.filter(organization=organization)
            .order_by("tree_id", "lft")
            .values("id", "parent_id", "code", *DEPARTMENT_FIELDS)
        )
        self.roles = list(
            Role.objects.filter(organization=organization)
            .order_by("tree_id", "lft")
            .values("id", "reports_to_id", "department_id", "code", *ROLE_FIELDS)
        )
        self.phases = list(
            HeadcountPhase.objects.filter(organization=organization)
            .order_by("order")
            .values("id", "order", "name_zh", "name_en", "start_month", "end_month",
                    "description_zh", "description_en", "origin", "source_note")
        )  # fmt: skip

    def problem(self, where: Where | None, key: str, message: str, code: str) -> None:
        self.result.problems.append(
            Problem(
                where.sheet if where else self.sheet.name,
                where.row if where else None,
                where.column(key) if where else "",
                message,
                code,
            )
        )

    # --- phases -------------------------------------------------------------------------------

    def resolve_phases(self) -> dict[str, str]:
        """Phase name (either language) → phase key."""
        result = self.result
        names: list[tuple[str, str, dict, Where | None]] = [
            (row.name_zh, row.name_en, row.fields, row.where) for row in self.sheet.phases
        ]
        named = {n for zh, en, _f, _w in names for n in (zh, en) if n}
        for name in self.sheet.phase_columns:
            if name not in named:
                names.append((name, "", {}, None))
                named.add(name)
        empty = not self.departments and not self.roles
        by_name: dict[str, str] = {}
        if empty and names:
            result.replace_phases = True
            current = {}
            for phase in self.phases:
                for name in (phase["name_zh"], phase["name_en"]):
                    current.setdefault(name, phase)
            for order, (zh, en, fields, where) in enumerate(names, start=1):
                key = _new_key(self.counter)
                # A default phase of the same name keeps its other language and months.
                same = current.get(zh) or current.get(en) or {}
                kept = {k: v for k, v in same.items() if k not in ("id", "order")}
                given = {"name_zh": zh, "name_en": en}
                values = {**kept, **{k: v for k, v in given.items() if v}, **fields}
                values["order"] = order
                result.phases[key] = PhasePlan(key, None, values, where)
                by_name.update({n: key for n in (zh, en) if n})
        else:
            existing = {}
            for phase in self.phases:
                key = f"p{phase['id']}"
                result.phases[key] = PhasePlan(key, phase, {})
                for name in (phase["name_zh"], phase["name_en"]):
                    if name:
                        existing.setdefault(name, key)
            order = max((p["order"] for p in self.phases), default=0)
            for zh, en, fields, where in names:
                key = existing.get(zh) or existing.get(en)
                if key is None:
                    order += 1
                    key = _new_key(self.counter)
                    values = {"order": order, "name_zh": zh, "name_en": en, **fields}
                    result.phases[key] = PhasePlan(key, None, values, where)
                else:
                    plan = result.phases[key]
                    wanted = {"name_zh": zh, "name_en": en, **fields} if where else {}
                    plan.fields = {
                        k: v for k, v in wanted.items() if v != plan.existing[k] and (v or where)
                    }
                    plan.where = where
                by_name.update({n: key for n in (zh, en) if n})
            for phase in self.phases:
                for name in (phase["name_zh"], phase["name_en"]):
                    by_name.setdefault(name, f"p{phase['id']}")
        if len(result.phases) > PHASES_PER_ORGANIZATION:
            self.problem(
                None,
                "",
                _("The design would have %(count)s growth phases; at most %(limit)s are allowed.")
                % {"count": len(result.phases), "limit": PHASES_PER_ORGANIZATION},
                "limit_reached",
            )
        for plan in result.phases.values():
            values = {**(plan.existing or {}), **plan.fields}
            self.check_model(
                HeadcountPhase(organization=self.organization, **{
                    k: v for k, v in values.items() if k not in ("id",)
                }),
                plan.where,
                ["organization"],
            )  # fmt: skip
        return by_name

    # --- departments ----------------------------------------------------------------------------

    def resolve_departments(self) -> None:
        result = self.result
        self.department_by_code: dict[str, str] = {}
        self.department_by_path: dict[tuple[str, tuple], str] = {}
        self.department_by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
        parent_of: dict[str, str | None] = {}
        paths: dict[int, tuple[tuple, tuple]] = {}
        for row in self.departments:
            key = f"d{row['id']}"
            parent = paths.get(row["parent_id"], ((), ()))
            path = (parent[0] + (row["name_zh"],), parent[1] + (row["name_en"],))
            paths[row["id"]] = path
            node = Node(key, row, f"d{row['parent_id']}" if row["parent_id"] else None, {},
                        code=row["code"])  # fmt: skip
            result.departments[key] = node
            parent_of[key] = node.parent
            self.department_by_code[row["code"]] = key
            for lang in ("zh", "en"):
                if row[f"name_{lang}"]:
                    self.department_by_name[(lang, row[f"name_{lang}"])].append(key)
            if row["name_zh"]:
                self.department_by_path.setdefault(("zh", path[0]), key)
            if row["name_en"]:
                self.department_by_path.setdefault(("en", path[1]), key)
        self.touched_departments: dict[str, Where] = {}
        self.department_counts: dict[str, dict[str, tuple[int, int] | None]] = {}
        for row in self.sheet.departments:
            key = self.department(row.path_zh, row.path_en, row.code, row.where, row.fields)
            if key is not None and row.headcount:
                self.department_counts.setdefault(key, {}).update(row.headcount)

    def resolve_department_headcount(self, phases: dict[str, str]) -> None:
        """The departments' own head count (部门定编) the sheet's department rows give, per phase
        column: an empty cell clears that phase, a phase without a column is left as it is."""
        if not self.department_counts:
            return
        current: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
        existing_ids = [
            self.result.departments[key].existing["id"]
            for key in self.department_counts
            if self.result.departments[key].existing
        ]
        if existing_ids and not self.result.replace_phases:
            for department_id, phase_id, low, high in DepartmentHeadcount.objects.filter(
                department_id__in=existing_ids
            ).values_list("department_id", "phase_id", "min_count", "max_count"):
                current[f"d{department_id}"][f"p{phase_id}"] = (low, high)
        for key, counts in self.department_counts.items():
            wanted = dict(current[key])
            for name, value in counts.items():
                phase = phases.get(name)
                if phase is None:
                    continue
                if value is None:
                    wanted.pop(phase, None)
                else:
                    wanted[phase] = value
            if wanted != current[key]:
                self.result.department_headcount[key] = wanted

    def department(
        self, path_zh: tuple, path_en: tuple, code: str, where: Where, fields: dict | None = None
    ) -> str | None:
        """The key of the department a row names, created (with its ancestors) if new."""
        result = self.result
        if not path_zh and not path_en:
            if code and code in self.department_by_code:
                return self.department_by_code[code]
            return None
        language, path = ("zh", path_zh) if path_zh else ("en", path_en)
        key = self.department_by_code.get(code) if code else None
        by_path = self.department_by_path.get((language, path))
        if code and key is None and by_path is not None:
            node = result.departments[by_path]
            if node.code and node.code != code and node.existing is None and node.where:
                self.problem(
                    where,
                    "department_code",
                    _("The department “%(path)s” was given the code “%(other)s” above.")
                    % {"path": " > ".join(path), "other": node.code},
                    "duplicate_code",
                )
                return by_path
        if by_path is None and len(path) == 1 and not code:
            # An HR sheet often names only the department: the one department of that name.
            named = self.department_by_name.get((language, path[0]), [])
            if len(set(named)) == 1:
                return named[0]
        if key is None:
            key = by_path
        parent = None
        if len(path) > 1:
            parent = self.department(path_zh[:-1], path_en[:-1], "", where)
        wanted = {}
        if path_zh:
            wanted["name_zh"] = path_zh[-1]
        if path_en:
            wanted["name_en"] = path_en[-1]
        wanted.update(fields or {})
        if key is None:
            key = _new_key(self.counter)
            values = {name: "" for name in DEPARTMENT_FIELDS}
            values["origin"] = "user"
            values.update(wanted)
            new_code = code or self.free_code("department", path_en[-1] if path_en else "")
            node = Node(key, None, parent, values, where, code=new_code)
            result.departments[key] = node
            self.department_by_code[new_code] = key
            for lang, names in (("zh", path_zh), ("en", path_en)):
                if names:
                    self.department_by_name[(lang, names[-1])].append(key)
        else:
            node = result.departments[key]
            if fields is not None and key in self.touched_departments and node.where is not where:
                other = self.touched_departments[key]
                if code and node.code == code and other.row != where.row:
                    self.problem(
                        where,
                        "department_code",
                        _("The department code “%(code)s” is also used in row %(row)s.")
                        % {"code": code, "row": other.row},
                        "duplicate_code",
                    )
                    return key
            if node.existing is None:
                node.fields.update({k: v for k, v in wanted.items() if v or k not in node.fields})
            else:
                changes = {k: v for k, v in wanted.items() if node.existing.get(k) != v}
                node.fields.update(changes)
                if len(path) > 1 or code:
                    if parent != node.parent:
                        node.parent, node.moved = parent, True
            if code and not node.code:
                node.code = code
            node.where = node.where or where
        if fields is not None:
            self.touched_departments.setdefault(key, where)
            node.where = where
        if path_zh:
            self.department_by_path.setdefault(("zh", path_zh), key)
        if path_en:
            self.department_by_path.setdefault(("en", path_en), key)
        if code:
            self.department_by_code.setdefault(code, key)
        return key

    def free_code(self, kind: str, english: str) -> str:
        """A code for a new node: from its English name, else department-N / role-N."""
        taken = self.department_by_code if kind == "department" else self.role_by_code
        base = slugify(english)[:60] or kind
        number = 1
        candidate = base if base != kind else f"{kind}-1"
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        return candidate

    # --- roles --------------------------------------------------------------------------------

    def resolve_roles(self, phases: dict[str, str]) -> None:
        result = self.result
        self.role_by_code: dict[str, str] = {}
        existing_by_title: dict[tuple, list[str]] = defaultdict(list)
        for row in self.roles:
            key = f"r{row['id']}"
            node = Node(key, row, f"r{row['reports_to_id']}" if row["reports_to_id"] else None,
                        {}, department=f"d{row['department_id']}", code=row["code"])  # fmt: skip
            result.roles[key] = node
            self.role_by_code[row["code"]] = key
            for language in ("zh", "en"):
                if row[f"title_{language}"]:
                    existing_by_title[(node.department, language, row[f"title_{language}"])].append(
                        key
                    )
        seen_codes: dict[str, Where] = {}
        seen_titles: dict[tuple, Where] = {}
        self.sheet_roles: list[tuple[str, object]] = []
        for row in self.sheet.roles:
            where = row.where
            department = self.department(row.path_zh, row.path_en, row.department_code, where)
            if row.department_code and department is None:
                self.problem(
                    where,
                    "department_code",
                    _("No department has the code “%(code)s”.") % {"code": row.department_code},
                    "unknown_department",
                )
                continue
            title_language = "zh" if row.fields.get("title_zh") else "en"
            title = row.fields.get(f"title_{title_language}", "")
            if row.code:
                if row.code in seen_codes:
                    self.problem(
                        where,
                        "code",
                        _("The role code “%(code)s” is also used in row %(row)s.")
                        % {"code": row.code, "row": seen_codes[row.code].row},
                        "duplicate_code",
                    )
                    continue
                seen_codes[row.code] = where
            title_key = (department, title_language, title)
            if title and not row.code:
                if title_key in seen_titles:
                    self.problem(
                        where,
                        "title_zh" if title_language == "zh" else "title_en",
                        _(
                            "“%(title)s” is listed twice in this department (row %(row)s): give "
                            "each its own role code, or merge the rows."
                        )
                        % {"title": title, "row": seen_titles[title_key].row},
                        "duplicate_title",
                    )
                    continue
                seen_titles[title_key] = where
            key = self.role_by_code.get(row.code) if row.code else None
            if key is None and not row.code and title:
                matches = existing_by_title.get(title_key, [])
                if len(matches) == 1:
                    key = matches[0]
            if key is None:
                if department is None:
                    self.problem(
                        where,
                        "department_zh" if "department_zh" in where.columns else "department_en",
                        _("A new role needs its department."),
                        "required",
                    )
                    continue
                if not title:
                    self.problem(where, "title_zh", _("A role needs a title."), "required")
                    continue
                key = _new_key(self.counter)
                values = {name: "" for name in ROLE_FIELDS}
                values.update(
                    level="specialist",
                    employment_type="full-time",
                    key_position=False,
                    hiring_priority=None,
                    salary_min=None,
                    salary_max=None,
                    origin="user",
                )
                values.update(row.fields)
                code = row.code or self.free_code("role", row.fields.get("title_en", ""))
                node = Node(key, None, None, values, where, department=department, code=code)
                result.roles[key] = node
                self.role_by_code[code] = key
            else:
                node = result.roles[key]
                node.where = where
                node.fields = {k: v for k, v in row.fields.items() if node.existing.get(k) != v}
                if department is not None and department != node.department:
                    node.fields["department"] = department
            self.sheet_roles.append((key, row))
        self.resolve_managers()
        self.resolve_role_content(phases)

    def resolve_managers(self) -> None:
        result = self.result
        by_title: dict[str, list[str]] = defaultdict(list)
        sheet_keys = {key for key, _row in self.sheet_roles}
        for key, node in result.roles.items():
            values = {**(node.existing or {}), **node.fields}
            for language in ("zh", "en"):
                if values.get(f"title_{language}"):
                    by_title[values[f"title_{language}"]].append(key)
        for key, row in self.sheet_roles:
            node = result.roles[key]
            if row.reports_to is None:
                continue
            manager = None
            text = row.reports_to
            if text:
                manager = self.role_by_code.get(text)
                if manager is None:
                    matches = list(dict.fromkeys(by_title.get(text, [])))
                    in_sheet = [m for m in matches if m in sheet_keys]
                    if len(matches) > 1 and len(in_sheet) == 1:
                        matches = in_sheet
                    if len(matches) == 1:
                        manager = matches[0]
                    elif matches:
                        self.problem(
                            row.where,
                            "reports_to",
                            _(
                                "“%(manager)s” is the title of %(count)s roles: write the role "
                                "code of the one meant."
                            )
                            % {"manager": text, "count": len(matches)},
                            "ambiguous_manager",
                        )
                        continue
                    else:
                        self.problem(
                            row.where,
                            "reports_to",
                            _("No role has the title or code “%(manager)s”.") % {"manager": text},
                            "unknown_manager",
                        )
                        continue
                if manager == key:
                    self.problem(
                        row.where,
                        "reports_to",
                        _("A role cannot report to itself."),
                        "cycle",
                    )
                    continue
            if node.existing is None:
                node.parent = manager
            elif manager != node.parent:
                node.parent, node.moved = manager, True
        for nodes, column in (
            (result.roles, "reports_to"),
            (result.departments, "department_zh"),
        ):
            self.check_cycles(nodes, column)
        result.department_order = _tree_order(result.departments)
        result.role_order = _tree_order(result.roles)

    def check_cycles(self, nodes: dict[str, Node], column: str) -> None:
        state: dict[str, int] = {}
        for start in nodes:
            path = []
            key = start
            while key is not None and state.get(key) is None:
                state[key] = 1
                path.append(key)
                key = nodes[key].parent if key in nodes else None
            if key is not None and state.get(key) == 1:
                cycle = path[path.index(key) :]
                names = [_name(nodes[k]) for k in cycle]
                for k in cycle:
                    node = nodes[k]
                    if node.where is not None:
                        self.problem(
                            node.where,
                            column if column in node.where.columns else "department_en",
                            _("The reporting lines go round in a circle: %(cycle)s.")
                            % {"cycle": " → ".join([*names, names[0]])},
                            "cycle",
                        )
            for k in path:
                state[k] = 2

    def resolve_role_content(self, phases: dict[str, str]) -> None:
        result = self.result
        existing_ids = [node.existing["id"] for key, node in result.roles.items() if node.existing]
        sheet_existing = {key for key, _row in self.sheet_roles if result.roles[key].existing}
        kinds = {kind for _key, row in self.sheet_roles for kind in row.lines}
        current_lines: dict[str, dict[str, list[tuple]]] = defaultdict(dict)
        if sheet_existing and kinds:
            for kind in kinds:
                model = LINE_MODELS[kind]
                columns = ["role_id", "text_zh", "text_en"]
                if model is Requirement:
                    columns += ["kind", "preferred"]
                for row in (
                    model.objects.filter(role_id__in=existing_ids)
                    .order_by("role_id", "order", "id")
                    .values_list(*columns)
                ):
                    current_lines[f"r{row[0]}"].setdefault(kind, []).append(tuple(row[1:]))
        current_counts: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
        if sheet_existing and self.sheet.phase_columns:
            for role_id, phase_id, low, high in HeadcountTarget.objects.filter(
                role_id__in=existing_ids
            ).values_list("role_id", "phase_id", "min_count", "max_count"):
                current_counts[f"r{role_id}"][f"p{phase_id}"] = (low, high)
        current_combinable: dict[str, set[str]] = defaultdict(set)
        if sheet_existing and "combinable_with" in self.sheet.present:
            through = Role.combinable_with.through
            for a, b in through.objects.filter(from_role_id__in=existing_ids).values_list(
                "from_role_id", "to_role_id"
            ):
                current_combinable[f"r{a}"].add(f"r{b}")
        wanted_combinable: dict[str, set[str]] = {}
        for key, row in self.sheet_roles:
            for kind, lines in row.lines.items():
                if current_lines[key].get(kind, []) != lines:
                    result.lines.setdefault(key, {})[kind] = lines
                    result.line_changes.add(key)
            counts = {}
            for name, value in row.headcount.items():
                phase = phases.get(name)
                if phase is None:
                    continue
                if current_counts[key].get(phase) != value:
                    counts[phase] = value
            if counts:
                result.headcount[key] = counts
                result.line_changes.add(key)
            if row.combinable is not None:
                wanted = set()
                for code in row.combinable:
                    other = self.role_by_code.get(code)
                    if other is None or other == key:
                        self.problem(
                            row.where,
                            "combinable_with",
                            _("No other role has the code “%(code)s”.") % {"code": code},
                            "unknown_role",
                        )
                        continue
                    wanted.add(other)
                wanted_combinable[key] = wanted
        # 一人多职 is symmetrical: a link named on either side stands.
        desired = {key: set(current_combinable.get(key, set())) for key in wanted_combinable}
        for key, wanted in wanted_combinable.items():
            desired[key] = set(wanted)
        for key, wanted in wanted_combinable.items():
            for other in wanted:
                desired.setdefault(other, set(current_combinable.get(other, set()))).add(key)
        for key, links in desired.items():
            if links != current_combinable.get(key, set()):
                result.combinable[key] = links
                result.line_changes.add(key)

    # --- collaborations -----------------------------------------------------------------------

    def resolve_collaborations(self) -> None:
        if not self.sheet.collaborations:
            return
        existing = {}
        for row in Collaboration.objects.filter(organization=self.organization).values(
            "id", "from_department_id", "to_department_id", "from_role_id", "to_role_id",
            "description_zh", "description_en",
        ):  # fmt: skip
            ends = (
                ("d", row["from_department_id"], row["to_department_id"])
                if row["from_department_id"]
                else ("r", row["from_role_id"], row["to_role_id"])
            )
            existing[(ends[0], f"{ends[0]}{ends[1]}", f"{ends[0]}{ends[2]}")] = row
        order = len(existing)
        for row in self.sheet.collaborations:
            if row.source in self.department_by_code and row.target in self.department_by_code:
                kind, ends = "d", (self.department_by_code[row.source],
                                   self.department_by_code[row.target])  # fmt: skip
            elif row.source in self.role_by_code and row.target in self.role_by_code:
                kind, ends = "r", (self.role_by_code[row.source], self.role_by_code[row.target])
            else:
                self.problem(
                    row.where,
                    "from",
                    _(
                        "“%(source)s” and “%(target)s” are not the codes of two departments or of "
                        "two roles."
                    )
                    % {"source": row.source, "target": row.target},
                    "unknown_code",
                )
                continue
            texts = {"description_zh": row.description_zh, "description_en": row.description_en}
            found = existing.get((kind, *ends))
            if found is None:
                order += 1
                self.result.collaborations_new.append(
                    {"kind": kind, "ends": ends, "order": order, **texts, **row.fields,
                     "where": row.where}
                )  # fmt: skip
            else:
                changes = {k: v for k, v in texts.items() if found[k] != v}
                if changes:
                    self.result.collaborations_changed.append((found["id"], changes))

    # --- checks -------------------------------------------------------------------------------

    def check_model(self, instance, where: Where | None, exclude: list[str]) -> None:
        try:
            instance.clean_fields(exclude=exclude)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    column = FIELD_COLUMNS.get(name, name)
                    self.problem(where, column, message, "invalid")

    def check_values(self, model, values: dict, where: Where | None, column_of: dict) -> None:
        """Each value against its model field (length, choices, range, slug), without making a
        model instance per row (at 5,000 roles that was most of the preview's time)."""
        for name, value in values.items():
            for message in self.value_errors(model, name, value):
                self.problem(where, column_of.get(name, name), message, "invalid")

    def value_errors(self, model, name: str, value) -> list[str]:
        """What the field says of the value. No row is involved, so each distinct value of a
        field is asked once: a large sheet repeats its levels, employment types, pay bands,
        texts and empty cells on every row."""
        try:
            key = (model, name, value)
            return self.checked[key]
        except TypeError:  # an unhashable value: asked every time
            return self.field_errors(model, name, value)
        except KeyError:
            self.checked[key] = errors = self.field_errors(model, name, value)
            return errors

    @staticmethod
    def field_errors(model, name: str, value) -> list[str]:
        try:
            model._meta.get_field(name).clean(value, None)
        except ValidationError as error:
            return error.messages
        return []

    def check_nodes(self) -> None:
        result = self.result
        department_columns = {"name_zh": "department_zh", "name_en": "department_en",
                              "code": "department_code"}  # fmt: skip
        for node in result.departments.values():
            if node.action == SAME:
                continue
            changed = dict(node.fields) if node.existing else {**node.fields, "code": node.code}
            self.check_values(Department, changed, node.where, department_columns)
            values = {**(node.existing or {}), **node.fields}
            if not (values["name_zh"] or values["name_en"]):
                message = _("A department needs a name.")
                self.problem(node.where, "department_zh", message, "required")
        for node in result.roles.values():
            if node.action == SAME:
                continue
            changed = dict(node.fields) if node.existing else {**node.fields, "code": node.code}
            changed.pop("department", None)
            self.check_values(Role, changed, node.where, {})
        for what, nodes, limit in (
            (_("departments"), result.departments, DEPARTMENTS_PER_ORGANIZATION),
            (_("roles"), result.roles, ROLES_PER_ORGANIZATION),
        ):
            if len(nodes) > limit:
                self.problem(
                    None,
                    "",
                    _("The design would have %(count)s %(what)s; at most %(limit)s are allowed.")
                    % {"count": len(nodes), "what": what, "limit": limit},
                    "limit_reached",
                )


def _name(node: Node) -> str:
    values = {**(node.existing or {}), **node.fields}
    return (
        values.get("title_zh")
        or values.get("title_en")
        or values.get("name_zh")
        or values.get("name_en")
        or node.code
    )


def _tree_order(nodes: dict[str, Node]) -> list[str]:
    """Every key, parents before their children, siblings in the order they came."""
    children: dict[str | None, list[str]] = defaultdict(list)
    for key, node in nodes.items():
        parent = node.parent if node.parent in nodes else None
        children[parent].append(key)
    order, stack = [], list(reversed(children[None]))
    seen = set()
    while stack:
        key = stack.pop()
        if key in seen:
            continue
        seen.add(key)
        order.append(key)
        stack.extend(reversed(children[key]))
    return order


def resolve(organization: Organization, sheet: Sheet) -> Resolution:
    """Match `sheet` against `organization` as it is now (a handful of queries, whatever the
    size): the plan of the import and every problem."""
    resolver = _Resolver(organization, sheet)
    phases = resolver.resolve_phases()
    resolver.role_by_code = {}
    resolver.resolve_departments()
    resolver.resolve_department_headcount(phases)
    resolver.role_by_code = {}
    resolver.resolve_roles(phases)
    resolver.resolve_collaborations()
    resolver.check_nodes()
    resolver.result.revision = organization.revision
    return resolver.result


def known_phase_names(organization: Organization | None) -> set[str]:
    if organization is None:
        return set()
    names = set()
    for zh, en in HeadcountPhase.objects.filter(organization=organization).values_list(
        "name_zh", "name_en"
    ):
        names.update(n for n in (zh, en) if n)
    return names
