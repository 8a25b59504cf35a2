"""The whole design as JSON-ready rows: the REST API's tree and role objects, read from the
database or, for a revision in the history, from the rows the history rebuilds."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from contextlib import contextmanager

from django.db.models import Model, QuerySet

from departments.history import replay
from departments.models import Department, DepartmentHeadcount, HeadcountPhase, Organization
from roles.models import KPI, Collaboration, Duty, HeadcountTarget, Requirement, Role
from roles.selectors.department_headcount import rollup_roles
from roles.selectors.rows import (
    COLLABORATION_COLUMNS,
    DEPARTMENT_COLUMNS,
    PHASE_COLUMNS,
    ROLE_COLUMNS,
)
from teamorg.content import Origin, line_sources
from teamorg.i18n import content_language, translated_columns, translated_text

# --- The whole design as JSON-ready data (REST API tree and role objects) --------------------
# Built from `values_list` rows, not model instances: the tree of a 5,000-role design is about
# 70,000 rows, and instantiating a model per row costs several times the query itself. One query
# per table, filtered by organization (never by a list of ids), so the count stays constant.
# The columns are named once in `roles.selectors.rows`; texts fall back as `TranslatedField`
# does, through `teamorg.i18n.translated_text`.
#
# Where the rows come from is a row source: `DatabaseRows` (the design as it is, the queries
# above) or `RevisionRows` (the design at a revision, from `departments.history.replay`). Both
# give the same tuples in the same order, so one assembly builds the tree from either and a
# design read at revision N and its replay later are the same JSON.

PHASE_TREE_COLUMNS = (*PHASE_COLUMNS, "start_month", "end_month", "origin", "source_note")
LINE_COLUMNS = ("role_id", *translated_columns("text"))
REQUIREMENT_COLUMNS = ("role_id", "kind", "preferred", *translated_columns("text"))
HEADCOUNT_COLUMNS = ("role_id", "phase_id", "min_count", "max_count")
DEPARTMENT_HEADCOUNT_COLUMNS = ("department_id", "phase_id", "min_count", "max_count")
COMBINABLE_COLUMNS = ("from_role_id", "to_role_id")
ORGANIZATION_COLUMNS = (
    "slug",
    "business_model",
    "is_template",
    *translated_columns("name"),
    *translated_columns("description"),
)


@contextmanager
def _cyclic_gc_paused():
    """Building ~100,000 small dicts and lists sets off Python's cyclic garbage collector again
    and again, each pass walking every live object: that doubled the time of a 5,000-role tree
    (430 ms → 200 ms measured without it). These structures hold no cycles, so reference
    counting frees them; collection resumes as soon as the tree is built."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class DatabaseRows:
    """The rows of a design as it is now: one query per table.

    `roles` are the roles to read (in their order) and `scope` a role lookup covering at least
    them (`{"organization": org}` or `{"pk__in": ids}`), which selects their lines, head count
    and combinable links through a join instead of a list of ids. The design-wide tables
    (phases, departments, collaborations) need `organization`.
    """

    def __init__(
        self,
        organization: Organization | None = None,
        *,
        roles: QuerySet | None = None,
        scope: dict | None = None,
    ):
        self.organization = organization
        if roles is None:
            roles = Role.objects.filter(organization=organization).order_by("tree_id", "lft")
        self._roles = roles
        self._scope = scope if scope is not None else {"organization": organization}

    def _related(self, model: type[Model]) -> QuerySet:
        return model.objects.filter(**{f"role__{k}": v for k, v in self._scope.items()})

    def organization_row(self) -> tuple:
        return (
            *(getattr(self.organization, column) for column in ORGANIZATION_COLUMNS),
            self.organization.revision,
        )

    def phases(self) -> Iterable[tuple]:
        return (
            HeadcountPhase.objects.filter(organization=self.organization)
            .order_by("order")
            .values_list(*PHASE_TREE_COLUMNS)
        )

    def departments(self) -> Iterable[tuple]:
        # (tree_id, lft) order: a parent always comes before its children.
        return (
            Department.objects.filter(organization=self.organization)
            .order_by("tree_id", "lft")
            .values_list(*DEPARTMENT_COLUMNS)
        )

    def roles(self) -> Iterable[tuple]:
        return self._roles.values_list(*ROLE_COLUMNS)

    def department_headcount(self) -> Iterable[tuple]:
        """The departments' own head count (部门定编), in phase order."""
        return (
            DepartmentHeadcount.objects.filter(department__organization=self.organization)
            .order_by("phase__order", "phase_id")
            .values_list(*DEPARTMENT_HEADCOUNT_COLUMNS)
        )

    def lines(self, model: type[Model]) -> Iterable[tuple]:
        """Duties or KPIs: (role id, text zh, text en) in each role's order."""
        return self._related(model).order_by("order", "id").values_list(*LINE_COLUMNS)

    def requirements(self) -> Iterable[tuple]:
        return self._related(Requirement).order_by("order", "id").values_list(*REQUIREMENT_COLUMNS)

    def headcount(self) -> Iterable[tuple]:
        return (
            self._related(HeadcountTarget)
            .order_by("phase__order", "phase_id")
            .values_list(*HEADCOUNT_COLUMNS)
        )

    def combinable(self) -> Iterable[tuple]:
        return (
            Role.combinable_with.through.objects.filter(
                **{f"from_role__{k}": v for k, v in self._scope.items()}
            )
            .order_by("to_role_id")
            .values_list(*COMBINABLE_COLUMNS)
        )

    def collaborations(self) -> Iterable[tuple]:
        return (
            Collaboration.objects.filter(organization=self.organization)
            .order_by("order", "id")
            .values_list(*COLLABORATION_COLUMNS)
        )


def _columns(model: type[Model], names: Iterable[str]) -> list[str]:
    """The database columns of `names` (field names or attnames), as the history keeps them."""
    return [model._meta.get_field(name).column for name in names]


class RevisionRows:
    """The rows of a design as it was at revision `number`, rebuilt by the history
    (`departments.history.replay.rows_at`), in the database reader's orders: trees in the order
    of the `TreeShape` of that time, lines by their `order`. A constant number of queries."""

    def __init__(self, organization: Organization, number: int):
        self.organization = organization
        self.number = number
        self._rows = replay.rows_at(organization.pk, number)

    def _table(self, model: type[Model]) -> dict[int, dict]:
        return self._rows.get(model._meta.db_table, {})

    def _tuples(self, model: type[Model], rows: Iterable[dict], names: Iterable[str]):
        columns = _columns(model, names)
        return [tuple(row.get(column) for column in columns) for row in rows]

    def _sorted(self, model: type[Model], key_columns: tuple[str, ...]) -> list[dict]:
        rows = self._table(model).values()
        return sorted(rows, key=lambda row: tuple(row.get(c) for c in key_columns))

    def _tree(self, model: type[Model], parent: str) -> list[dict]:
        rows = self._table(model)
        table = model._meta.db_table
        shape = replay.shape_at(self.organization.pk, table, self.number) or []
        return [rows[row_id] for row_id in replay.tree_order(rows, parent, shape)]

    def _organization(self) -> dict:
        return self._table(Organization).get(self.organization.pk, {})

    def organization_row(self) -> tuple:
        then = self._organization()
        # `is_template` is not recorded (it never changes); the rest is as it was.
        values = {**then, "is_template": self.organization.is_template}
        return (*(values.get(column) for column in ORGANIZATION_COLUMNS), self.number)

    def phases(self) -> list[tuple]:
        rows = self._sorted(HeadcountPhase, ("order", "id"))
        return self._tuples(HeadcountPhase, rows, PHASE_TREE_COLUMNS)

    def departments(self) -> list[tuple]:
        rows = self._tree(Department, "parent_id")
        return self._tuples(Department, rows, DEPARTMENT_COLUMNS)

    def roles(self) -> list[tuple]:
        # A role row names its organization by slug (a join in the database reader).
        slug = self._organization().get("slug", self.organization.slug)
        columns = [
            None if name == "organization__slug" else Role._meta.get_field(name).column
            for name in ROLE_COLUMNS
        ]
        return [
            tuple(slug if column is None else row.get(column) for column in columns)
            for row in self._tree(Role, "reports_to_id")
        ]

    def lines(self, model: type[Model]) -> list[tuple]:
        return self._tuples(model, self._sorted(model, ("order", "id")), LINE_COLUMNS)

    def requirements(self) -> list[tuple]:
        rows = self._sorted(Requirement, ("order", "id"))
        return self._tuples(Requirement, rows, REQUIREMENT_COLUMNS)

    def headcount(self) -> list[tuple]:
        phase_order = {pk: row.get("order") for pk, row in self._table(HeadcountPhase).items()}
        rows = sorted(
            self._table(HeadcountTarget).values(),
            key=lambda row: (phase_order.get(row["phase_id"], 0), row["phase_id"]),
        )
        return self._tuples(HeadcountTarget, rows, HEADCOUNT_COLUMNS)

    def department_headcount(self) -> list[tuple]:
        phase_order = {pk: row.get("order") for pk, row in self._table(HeadcountPhase).items()}
        rows = sorted(
            self._table(DepartmentHeadcount).values(),
            key=lambda row: (phase_order.get(row["phase_id"], 0), row["phase_id"]),
        )
        return self._tuples(DepartmentHeadcount, rows, DEPARTMENT_HEADCOUNT_COLUMNS)

    def combinable(self) -> list[tuple]:
        through = Role.combinable_with.through
        rows = sorted(self._table(through).values(), key=lambda row: row["to_role_id"])
        return [(row["from_role_id"], row["to_role_id"]) for row in rows]

    def collaborations(self) -> list[tuple]:
        rows = self._sorted(Collaboration, ("order", "id"))
        return self._tuples(Collaboration, rows, COLLABORATION_COLUMNS)


def role_items(
    roles: QuerySet, *, scope: dict, language: str | None = None, both: bool = False
) -> list[dict]:
    """ROLE objects (the shape of `GET /api/v1/roles/{id}/`) for `roles`, in its order.

    `scope` is a role lookup covering at least those roles (`{"organization": org}` or
    `{"pk__in": ids}`); it selects their lines, head count and combinable links through a join
    instead of a list of ids. Seven queries in all.
    """

    with _cyclic_gc_paused():
        source = DatabaseRows(roles=roles, scope=scope)
        return _role_items(source, language=language, both=both)


def _role_items(
    source: DatabaseRows | RevisionRows, *, language: str | None, both: bool
) -> list[dict]:
    primary = content_language(language)
    items, by_id = [], {}
    for row in source.roles():
        (pk, org_slug, code, title_zh, title_en, department_id, reports_to_id, level,
         employment_type, hiring_priority, summary_zh, summary_en, pay_structure, salary_min,
         salary_max, pay_note_zh, pay_note_en, origin, source_note, location_zh, location_en,
         offers_zh, offers_en, key_position) = row  # fmt: skip
        item = {
            "id": pk,
            "organization": org_slug,
            "code": code,
            "title": translated_text(title_zh, title_en, primary),
            "department": department_id,
            "reports_to": reports_to_id,
            "level": level,
            "employment_type": employment_type,
            "hiring_priority": hiring_priority,
            # Rows recorded before the column existed have none: not a key position.
            "key_position": bool(key_position),
            "summary": translated_text(summary_zh, summary_en, primary),
            "pay_structure": pay_structure,
            "salary_min": salary_min,
            "salary_max": salary_max,
            "pay_note": translated_text(pay_note_zh, pay_note_en, primary),
            "location": translated_text(location_zh, location_en, primary),
            "offers": translated_text(offers_zh, offers_en, primary),
            "origin": origin,
            "source_note": source_note,
            "combinable_with": [],
            "duties": [],
            "requirements": [],
            "kpis": [],
            "headcount": [],
        }
        if both:
            item.update(
                title_zh=title_zh,
                title_en=title_en,
                summary_zh=summary_zh,
                summary_en=summary_en,
                pay_note_zh=pay_note_zh,
                pay_note_en=pay_note_en,
                location_zh=location_zh or "",
                location_en=location_en or "",
                offers_zh=offers_zh or "",
                offers_en=offers_en or "",
                duties_zh=[],
                duties_en=[],
                kpis_zh=[],
                kpis_en=[],
            )
        items.append(item)
        by_id[pk] = item
    if not items:
        return items
    for key, model in (("duties", Duty), ("kpis", KPI)):
        for role_id, text_zh, text_en in source.lines(model):
            item = by_id.get(role_id)
            if item is None:
                continue
            item[key].append(translated_text(text_zh, text_en, primary))
            if both:
                item[f"{key}_zh"].append(text_zh)
                item[f"{key}_en"].append(text_en)
    for role_id, kind, preferred, text_zh, text_en in source.requirements():
        if (item := by_id.get(role_id)) is not None:
            line = {
                "kind": kind,
                # Rows recorded before the column existed have none: required.
                "preferred": bool(preferred),
                "text": translated_text(text_zh, text_en, primary),
            }
            if both:
                line.update(text_zh=text_zh, text_en=text_en)
            item["requirements"].append(line)
    for role_id, phase_id, low, high in source.headcount():
        if (item := by_id.get(role_id)) is not None:
            item["headcount"].append({"phase": phase_id, "min": low, "max": high})
    for from_id, to_id in source.combinable():
        if (item := by_id.get(from_id)) is not None:
            item["combinable_with"].append(to_id)
    return items


def organization_tree(
    organization: Organization, *, language: str | None = None, both: bool = False
) -> dict:
    """The whole design of one organization (`GET /api/v1/organizations/{slug}/tree/`):
    phases, nested departments each with its ROLE objects, the nested reporting tree and the
    collaboration lines. Nine queries whatever the size; texts in `language` (with both
    languages alongside when `both`). The revision is the one `organization` was read at, so
    read it before calling: the content is then at least as new as the revision it claims."""
    with _cyclic_gc_paused():
        return _organization_tree(DatabaseRows(organization), language=language, both=both)


def organization_tree_at(
    organization: Organization, number: int, *, language: str | None = None, both: bool = False
) -> dict:
    """The design as it was at revision `number`, in the shape of `organization_tree` (its
    `revision` is `number`). The caller checks that the history reaches `number`
    (`departments.history.replay.history_start`)."""
    with _cyclic_gc_paused():
        source = RevisionRows(organization, number)
        return _organization_tree(source, language=language, both=both)


def _organization_tree(
    source: DatabaseRows | RevisionRows, *, language: str | None, both: bool
) -> dict:
    primary = content_language(language)

    def texts(row: dict, name: str, zh: str, en: str) -> None:
        row[name] = translated_text(zh, en, primary)
        if both:
            row[f"{name}_zh"], row[f"{name}_en"] = zh, en

    phases = []
    for pk, order, name_zh, name_en, start, end, origin, source_note in source.phases():
        phase = {"id": pk, "order": order, "start_month": start, "end_month": end}
        texts(phase, "name", name_zh, name_en)
        # Rows recorded before the columns existed have neither: the columns' defaults.
        phase.update(origin=origin or Origin.USER, source_note=source_note or "")
        phases.append(phase)

    departments, department_roots = {}, []
    for row in source.departments():
        (pk, parent_id, code, name_zh, name_en, summary_zh, summary_en, functions_zh,
         functions_en, function_group, origin, source_note, functions_origin) = row  # fmt: skip
        node = {"id": pk, "code": code, "parent": parent_id}
        texts(node, "name", name_zh, name_en)
        texts(node, "summary", summary_zh, summary_en)
        texts(node, "functions", functions_zh, functions_en)
        node.update(
            function_group=function_group,
            origin=origin,
            source_note=source_note,
            functions_origin=line_sources(functions_zh, functions_en, functions_origin, origin),
            headcount=[],
            roles_headcount=[],
            children=[],
            roles=[],
        )
        departments[pk] = node
        # Tree order: a parent always comes before its children.
        parent = departments.get(parent_id)
        (parent["children"] if parent else department_roots).append(node)

    roles = _role_items(source, language=language, both=both)
    _department_headcount(source, departments, phases, roles)
    reporting_nodes, reporting_roots = {}, []
    for role in roles:
        if (department := departments.get(role["department"])) is not None:
            department["roles"].append(role)
        node = {
            "id": role["id"],
            "title": role["title"],
            "department": role["department"],
            "level": role["level"],
            "reports_to": role["reports_to"],
            "children": [],
        }
        if both:
            node.update(title_zh=role["title_zh"], title_en=role["title_en"])
        reporting_nodes[role["id"]] = node
        manager = reporting_nodes.get(role["reports_to"])
        (manager["children"] if manager else reporting_roots).append(node)

    collaborations = []
    for row in source.collaborations():
        pk, from_department, to_department, from_role, to_role, zh, en = row
        line = {
            "id": pk,
            "from_department": from_department,
            "to_department": to_department,
            "from_role": from_role,
            "to_role": to_role,
        }
        texts(line, "description", zh, en)
        collaborations.append(line)

    (slug, business_model, is_template, name_zh, name_en, description_zh, description_en,
     revision) = source.organization_row()  # fmt: skip
    tree = {
        "slug": slug,
        "business_model": business_model,
        "is_template": is_template,
        "revision": revision,
    }
    texts(tree, "name", name_zh, name_en)
    texts(tree, "description", description_zh, description_en)
    tree.update(
        phases=phases,
        departments=department_roots,
        reporting=reporting_roots,
        collaborations=collaborations,
    )
    return tree


def _department_headcount(
    source: DatabaseRows | RevisionRows, departments: dict, phases: list, roles: list
) -> None:
    """Each department node's own head count (部门定编, the phases where it has one) and the
    sum of the head count of the roles in it and its sub-departments (every phase)."""
    for department_id, phase_id, low, high in source.department_headcount():
        if (node := departments.get(department_id)) is not None:
            node["headcount"].append({"phase": phase_id, "min": low, "max": high})
    sums = rollup_roles(
        ((pk, node["parent"]) for pk, node in departments.items()),
        (
            (role["department"], target["phase"], target["min"], target["max"])
            for role in roles
            for target in role["headcount"]
        ),
    )
    for pk, node in departments.items():
        for phase in phases:
            low, high = sums.get((pk, phase["id"]), (0, 0))
            node["roles_headcount"].append({"phase": phase["id"], "min": low, "max": high})
