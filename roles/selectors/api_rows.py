"""The whole design as JSON-ready rows: the REST API's tree and role objects."""

import gc
from contextlib import contextmanager

from django.db.models import QuerySet

from departments.models import Department, HeadcountPhase, Organization
from roles.models import KPI, Collaboration, Duty, HeadcountTarget, Requirement, Role
from roles.selectors.rows import (
    COLLABORATION_COLUMNS,
    DEPARTMENT_COLUMNS,
    PHASE_COLUMNS,
    ROLE_COLUMNS,
)
from teamorg.i18n import content_language, translated_columns, translated_text

# --- The whole design as JSON-ready data (REST API tree and role objects) --------------------
# Built from `values_list` rows, not model instances: the tree of a 5,000-role design is about
# 70,000 rows, and instantiating a model per row costs several times the query itself. One query
# per table, filtered by organization (never by a list of ids), so the count stays constant.
# The columns are named once in `roles.selectors.rows`; texts fall back as `TranslatedField`
# does, through `teamorg.i18n.translated_text`.


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


def role_items(
    roles: QuerySet, *, scope: dict, language: str | None = None, both: bool = False
) -> list[dict]:
    """ROLE objects (the shape of `GET /api/v1/roles/{id}/`) for `roles`, in its order.

    `scope` is a role lookup covering at least those roles (`{"organization": org}` or
    `{"pk__in": ids}`); it selects their lines, head count and combinable links through a join
    instead of a list of ids. Seven queries in all.
    """

    with _cyclic_gc_paused():
        return _role_items(roles, scope=scope, language=language, both=both)


def _role_items(roles: QuerySet, *, scope: dict, language: str | None, both: bool) -> list[dict]:

    related = {f"role__{key}": value for key, value in scope.items()}
    primary = content_language(language)
    items, by_id = [], {}
    for row in roles.values_list(*ROLE_COLUMNS):
        (pk, org_slug, code, title_zh, title_en, department_id, reports_to_id, level,
         employment_type, hiring_priority, summary_zh, summary_en, pay_structure, salary_min,
         salary_max, pay_note_zh, pay_note_en, origin, source_note) = row  # fmt: skip
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
            "summary": translated_text(summary_zh, summary_en, primary),
            "pay_structure": pay_structure,
            "salary_min": salary_min,
            "salary_max": salary_max,
            "pay_note": translated_text(pay_note_zh, pay_note_en, primary),
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
        lines = model.objects.filter(**related).order_by("order", "id")
        for role_id, text_zh, text_en in lines.values_list("role_id", *translated_columns("text")):
            item = by_id.get(role_id)
            if item is None:
                continue
            item[key].append(translated_text(text_zh, text_en, primary))
            if both:
                item[f"{key}_zh"].append(text_zh)
                item[f"{key}_en"].append(text_en)
    requirements = Requirement.objects.filter(**related).order_by("order", "id")
    for role_id, kind, text_zh, text_en in requirements.values_list(
        "role_id", "kind", *translated_columns("text")
    ):
        if (item := by_id.get(role_id)) is not None:
            line = {"kind": kind, "text": translated_text(text_zh, text_en, primary)}
            if both:
                line.update(text_zh=text_zh, text_en=text_en)
            item["requirements"].append(line)
    targets = HeadcountTarget.objects.filter(**related).order_by("phase__order", "phase_id")
    for role_id, phase_id, low, high in targets.values_list(
        "role_id", "phase_id", "min_count", "max_count"
    ):
        if (item := by_id.get(role_id)) is not None:
            item["headcount"].append({"phase": phase_id, "min": low, "max": high})
    links = Role.combinable_with.through.objects.filter(
        **{f"from_role__{key}": value for key, value in scope.items()}
    ).order_by("to_role_id")
    for from_id, to_id in links.values_list("from_role_id", "to_role_id"):
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
        return _organization_tree(organization, language=language, both=both)


def _organization_tree(organization: Organization, *, language: str | None, both: bool) -> dict:
    primary = content_language(language)

    def texts(row: dict, name: str, zh: str, en: str) -> None:
        row[name] = translated_text(zh, en, primary)
        if both:
            row[f"{name}_zh"], row[f"{name}_en"] = zh, en

    phases = []
    for pk, order, name_zh, name_en, start, end in (
        HeadcountPhase.objects.filter(organization=organization)
        .order_by("order")
        .values_list(*PHASE_COLUMNS, "start_month", "end_month")
    ):
        phase = {"id": pk, "order": order, "start_month": start, "end_month": end}
        texts(phase, "name", name_zh, name_en)
        phases.append(phase)

    departments, department_roots = {}, []
    for row in (
        Department.objects.filter(organization=organization)
        .order_by("tree_id", "lft")
        .values_list(*DEPARTMENT_COLUMNS)
    ):
        (pk, parent_id, code, name_zh, name_en, summary_zh, summary_en, functions_zh,
         functions_en, function_group, origin, source_note) = row  # fmt: skip
        node = {"id": pk, "code": code, "parent": parent_id}
        texts(node, "name", name_zh, name_en)
        texts(node, "summary", summary_zh, summary_en)
        texts(node, "functions", functions_zh, functions_en)
        node.update(
            function_group=function_group,
            origin=origin,
            source_note=source_note,
            children=[],
            roles=[],
        )
        departments[pk] = node
        # (tree_id, lft) order: a parent always comes before its children.
        parent = departments.get(parent_id)
        (parent["children"] if parent else department_roots).append(node)

    roles = role_items(
        Role.objects.filter(organization=organization).order_by("tree_id", "lft"),
        scope={"organization": organization},
        language=language,
        both=both,
    )
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
    for row in (
        Collaboration.objects.filter(organization=organization)
        .order_by("order", "id")
        .values_list(*COLLABORATION_COLUMNS)
    ):
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

    tree = {
        "slug": organization.slug,
        "business_model": organization.business_model,
        "is_template": organization.is_template,
        "revision": organization.revision,
    }
    texts(tree, "name", organization.name_zh, organization.name_en)
    texts(tree, "description", organization.description_zh, organization.description_en)
    tree.update(
        phases=phases,
        departments=department_roots,
        reporting=reporting_roots,
        collaborations=collaborations,
    )
    return tree
