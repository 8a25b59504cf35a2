"""Loading the five built-in templates from `fixtures/templates/*.json`.

`template_load(spec)` creates a template organization or brings it in line with its spec,
matching rows by natural key: organization slug, department and role codes, phase order, line
order. Only what differs is written, so loading twice leaves every row, every id and the
revision as they were. Organizations cloned from a template are separate organizations and are
never touched. The load of one template is one locked tree write. The spec format is described
in `fixtures/templates/README.md`.
"""

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from departments.models import (
    BusinessModel,
    Department,
    DepartmentHeadcount,
    FunctionGroup,
    HeadcountPhase,
    Organization,
)
from departments.revisions import organization_bump_revision
from departments.services import organization_create
from roles.models import (
    KPI,
    Collaboration,
    Duty,
    EmploymentType,
    HeadcountTarget,
    Level,
    PayStructure,
    Requirement,
    RequirementKind,
    Role,
)
from teamorg import trees
from teamorg.limits import (
    DEPARTMENTS_PER_ORGANIZATION,
    LINE_MAX_LENGTH,
    LINES_PER_ROLE,
    PHASES_PER_ORGANIZATION,
    ROLES_PER_ORGANIZATION,
    SHORT_TEXT_MAX_LENGTH,
)
from teamorg.locking import tree_write
from teamorg.tree_actions import DeleteNode, MoveNode

TEMPLATE_DIR = Path(settings.BASE_DIR) / "fixtures" / "templates"
TEMPLATE_SLUGS = ("startup", "platform", "direct-sales", "traditional-brand", "cross-border")
LINE_KINDS = {"duties": Duty, "requirements": Requirement, "kpis": KPI}


def spec_error(where: str, message: str, *, code: str = "invalid_template_spec") -> ValidationError:
    return ValidationError(f"{where}: {message}", code=code)


def read_spec(slug: str) -> dict[str, Any]:
    path = TEMPLATE_DIR / f"{slug}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise spec_error(path.name, str(error)) from error


# --- reading a spec into a validated plan ------------------------------------------------------


@dataclass
class ParsedTemplate:
    slug: str
    organization: dict[str, Any]
    phases: list[dict[str, Any]]  # in order; "key" plus model fields
    departments: list[tuple[str, str | None, dict[str, Any]]]  # (code, parent code, fields)
    roles: list[tuple[str, str | None, dict[str, Any]]]  # fields hold "department" as a code
    lines: dict[str, dict[str, list[tuple]]] = field(default_factory=dict)  # kind → code → rows
    headcount: dict[str, list[tuple]] = field(default_factory=dict)  # role code → rows
    # department code → rows (phase key, min, max, origin, source note): 部门定编
    department_headcount: dict[str, list[tuple]] = field(default_factory=dict)
    combinable: set[tuple[str, str]] = field(default_factory=set)
    collaborations: list[dict[str, Any]] = field(default_factory=list)
    # Where phases and department function lines come from (also in `phases` and the
    # departments' fields, as they are written).
    phase_sources: dict[str, dict[str, str]] = field(default_factory=dict)  # phase key → origin
    function_sources: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # dept code


# Where a text came from is data (`origin`, `source_note`), never part of the text a user reads
# in a page, a job description or an export: "seed", "(fill)", "原文"/"原图" (the article
# says / its chart shows), or a seed file's name.
SOURCE_MARKER = re.compile(
    r"\bseed\b|[（(]\s*fill\s*[)）]|原文|原图|\b00[0-9]_[0-9a-f]{16}\b", re.IGNORECASE
)


def _text(item: dict, key: str, where: str, *, required: bool = True) -> tuple[str, str]:
    value = item.get(key)
    if value is None and not required:
        return "", ""
    if not isinstance(value, dict):
        raise spec_error(where, f"“{key}” must be an object {{zh, en}}")
    zh, en = value.get("zh") or "", value.get("en") or ""
    if isinstance(zh, list) or isinstance(en, list):
        if not (isinstance(zh, list) and isinstance(en, list)) or len(zh) != len(en):
            raise spec_error(where, f"“{key}” needs lists of equal length in both languages")
        zh, en = "\n".join(zh), "\n".join(en)
    if not isinstance(zh, str) or not isinstance(en, str):
        raise spec_error(where, f"“{key}” must hold text")
    if required and (not zh.strip() or not en.strip()):
        raise spec_error(where, f"“{key}” needs both Chinese and English")
    for text in (zh, en):
        marker = SOURCE_MARKER.search(text)
        if marker:
            raise spec_error(
                where,
                f"“{key}” holds the source marker “{marker.group()}”: where a text comes from "
                "belongs in origin and source_note, not in the text users read",
            )
    return zh.strip(), en.strip()


def _origin(item: dict, where: str, default: str = "seed") -> dict[str, str]:
    origin = item.get("origin", default)
    if origin not in ("seed", "fill"):
        raise spec_error(where, f"origin must be “seed” or “fill”, not {origin!r}")
    note = item.get("source_note") or ""
    if len(note) > SHORT_TEXT_MAX_LENGTH:
        raise spec_error(where, f"source_note is longer than {SHORT_TEXT_MAX_LENGTH} characters")
    return {"origin": origin, "source_note": note}


def _choice(value, choices, where: str, name: str, *, blank: bool = False) -> str:
    if blank and not value:
        return ""
    if value not in choices:
        raise spec_error(where, f"{name} {value!r} is not one of {list(choices)}")
    return value


def _count(value, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise spec_error(where, f"head count {value!r} must be a whole number ≥ 0")
    return value


def _function_sources(item: dict, where: str) -> list[dict[str, str]]:
    """`functions_origin`: one {origin, source_note} per function line, in the lines' order;
    without it every line takes the department's origin."""
    lines = (item.get("functions") or {}).get("zh") or []
    if isinstance(lines, list) and any(not str(line).strip() for line in lines):
        # A blank line is no function line (`teamorg.content.line_pairs`): the origins would
        # fall out of step with the lines.
        raise spec_error(where, "functions holds a blank line")
    count = len(lines) if isinstance(lines, list) else 0
    sources = item.get("functions_origin")
    if sources is None:
        return [_origin(item, where)] * count
    if not isinstance(sources, list) or len(sources) != count:
        raise spec_error(where, f"functions_origin needs one entry per function line ({count})")
    return [
        _origin(source, f"{where} functions_origin[{index}]", item.get("origin", "seed"))
        for index, source in enumerate(sources)
    ]


def _flag(item: dict, name: str, where: str) -> bool:
    value = item.get(name, False)
    if not isinstance(value, bool):
        raise spec_error(where, f"{name} must be true or false")
    return value


def _headcount_rows(item: dict, where: str, phase_keys: set[str], origin: str) -> list[tuple]:
    """A role's or a department's `headcount`: [(phase key, min, max, origin, source note)],
    each phase once, 0 <= min <= max."""
    targets, seen = [], set()
    for index, target in enumerate(item.get("headcount") or []):
        target_where = f"{where} headcount[{index}]"
        if target.get("phase") not in phase_keys or target.get("phase") in seen:
            raise spec_error(target_where, f"phase {target.get('phase')!r} unknown or twice")
        seen.add(target["phase"])
        low = _count(target.get("min"), target_where)
        high = _count(target.get("max", low), target_where)
        if low > high:
            raise spec_error(target_where, f"min {low} is above max {high}")
        source = _origin(target, target_where, origin)
        targets.append((target["phase"], low, high, source["origin"], source["source_note"]))
    return targets


def _check_reporting_lines(slug: str, plan: ParsedTemplate, vacancies: dict[str, set]) -> None:
    """A role with people in a phase reports to a manager who has people in that phase too,
    unless the spec says the manager's post is meant to stand empty then
    (`reports_to_vacant_in`); the nearest manager above with people in that phase leads the
    team meanwhile, and there has to be one."""
    most = {
        code: {phase: high for phase, _low, high, _origin, _note in targets}
        for code, targets in plan.headcount.items()
    }
    managers = {code: manager for code, manager, _fields in plan.roles}
    for code, manager, _fields in plan.roles:
        if manager is None:
            if vacancies[code]:
                raise spec_error(f"{slug} role {code!r}", "reports_to_vacant_in needs a reports_to")
            continue
        for phase in (p["key"] for p in plan.phases):
            people = most[code].get(phase, 0)
            staffed = most[manager].get(phase, 0) > 0
            if phase in vacancies[code]:
                acting = managers[manager]
                while acting is not None and not most[acting].get(phase, 0):
                    acting = managers[acting]
                if acting is None:
                    raise spec_error(
                        f"{slug} role {code!r}",
                        f"the post of {manager!r} stands empty in phase {phase!r} and nobody "
                        "above it has people then to lead the team",
                        code="manager_unstaffed",
                    )
                if staffed:
                    raise spec_error(
                        f"{slug} role {code!r}",
                        f"reports_to_vacant_in lists phase {phase!r}, but its manager "
                        f"{manager!r} has people in that phase",
                        code="vacancy_not_vacant",
                    )
            elif people and not staffed:
                raise spec_error(
                    f"{slug} role {code!r}",
                    f"reports to {manager!r}, who has 0 people in phase {phase!r}, where "
                    f"{code!r} has up to {people}: point reports_to at a role with people in "
                    "that phase, or list the phase in reports_to_vacant_in if the post is meant "
                    "to stand empty",
                    code="manager_unstaffed",
                )


def parse_spec(spec: dict[str, Any]) -> ParsedTemplate:
    """Validate a spec completely before anything is written."""
    slug = spec.get("slug")
    if slug not in TEMPLATE_SLUGS:
        raise spec_error("template", f"slug {slug!r} is not one of {list(TEMPLATE_SLUGS)}")
    name_zh, name_en = _text(spec, "name", slug)
    description_zh, description_en = _text(spec, "description", slug, required=False)
    organization = {
        "name_zh": name_zh,
        "name_en": name_en,
        "description_zh": description_zh,
        "description_en": description_en,
        "business_model": _choice(
            spec.get("business_model"), BusinessModel.values, slug, "business_model"
        ),
        "source_note": spec.get("source_note") or "",
    }
    phases, phase_keys = [], set()
    phase_sources: dict[str, dict[str, str]] = {}
    for order, item in enumerate(spec.get("phases") or [], start=1):
        where = f"{slug} phases[{order - 1}]"
        key = item.get("key")
        if not key or key in phase_keys:
            raise spec_error(where, f"phase key {key!r} missing or used twice")
        phase_keys.add(key)
        phase_zh, phase_en = _text(item, "name", where)
        phase_description_zh, phase_description_en = _text(
            item, "description", where, required=False
        )
        phase_sources[key] = _origin(item, where)
        phases.append(
            {
                **phase_sources[key],
                "key": key,
                "order": order,
                "name_zh": phase_zh,
                "name_en": phase_en,
                "start_month": item.get("start_month"),
                "end_month": item.get("end_month"),
                "description_zh": phase_description_zh,
                "description_en": phase_description_en,
            }
        )
    departments: list[tuple[str, str | None, dict[str, Any]]] = []
    function_sources: dict[str, list[dict[str, str]]] = {}
    department_headcount: dict[str, list[tuple]] = {}

    def walk(items: list, parent_code: str | None) -> None:
        for item in items:
            code = item.get("code")
            where = f"{slug} department {code!r}"
            if not code or any(code == known for known, _, _ in departments):
                raise spec_error(where, "code missing or used twice")
            name = _text(item, "name", where)
            summary = _text(item, "summary", where, required=False)
            functions = _text(item, "functions", where, required=False)
            function_sources[code] = _function_sources(item, where)
            department_headcount[code] = _headcount_rows(
                item, where, phase_keys, item.get("origin", "seed")
            )
            departments.append(
                (
                    code,
                    parent_code,
                    {
                        "name_zh": name[0],
                        "name_en": name[1],
                        "summary_zh": summary[0],
                        "summary_en": summary[1],
                        "functions_zh": functions[0],
                        "functions_en": functions[1],
                        "function_group": _choice(
                            item.get("function_group"),
                            FunctionGroup.values,
                            where,
                            "function_group",
                            blank=True,
                        ),
                        "functions_origin": function_sources[code],
                        **_origin(item, where),
                    },
                )
            )
            walk(item.get("children") or [], code)

    walk(spec.get("departments") or [], None)
    department_codes = {code for code, _, _ in departments}
    plan = ParsedTemplate(slug, organization, phases, departments, roles=[])
    plan.phase_sources = phase_sources
    plan.function_sources = function_sources
    plan.department_headcount = department_headcount
    vacancies: dict[str, set[str]] = {}
    plan.lines = {kind: {} for kind in LINE_KINDS}
    role_codes: set[str] = set()
    for item in spec.get("roles") or []:
        code = item.get("code")
        where = f"{slug} role {code!r}"
        if not code or code in role_codes:
            raise spec_error(where, "code missing or used twice")
        manager = item.get("reports_to")
        if manager is not None and manager not in role_codes:
            raise spec_error(where, f"reports_to {manager!r} is not a role listed before it")
        if item.get("department") not in department_codes:
            raise spec_error(where, f"department {item.get('department')!r} does not exist")
        role_codes.add(code)
        role_origin = _origin(item, where)
        vacant_in = item.get("reports_to_vacant_in") or []
        if not isinstance(vacant_in, list) or any(p not in phase_keys for p in vacant_in):
            raise spec_error(where, f"reports_to_vacant_in {vacant_in!r} must list phase keys")
        vacancies[code] = set(vacant_in)
        title = _text(item, "title", where)
        summary = _text(item, "summary", where, required=False)
        pay_note = _text(item, "pay_note", where, required=False)
        priority = item.get("hiring_priority")
        if priority is not None and (not isinstance(priority, int) or priority < 1):
            raise spec_error(where, "hiring_priority must be a whole number ≥ 1 or null")
        plan.roles.append(
            (
                code,
                manager,
                {
                    "department": item["department"],
                    "title_zh": title[0],
                    "title_en": title[1],
                    "summary_zh": summary[0],
                    "summary_en": summary[1],
                    "level": _choice(item.get("level"), Level.values, where, "level"),
                    "employment_type": _choice(
                        item.get("employment_type", "full-time"),
                        EmploymentType.values,
                        where,
                        "employment_type",
                    ),
                    "hiring_priority": priority,
                    "key_position": _flag(item, "key_position", where),
                    "pay_structure": _choice(
                        item.get("pay_structure"),
                        PayStructure.values,
                        where,
                        "pay_structure",
                        blank=True,
                    ),
                    "salary_min": item.get("salary_min"),
                    "salary_max": item.get("salary_max"),
                    "pay_note_zh": pay_note[0],
                    "pay_note_en": pay_note[1],
                    **role_origin,
                },
            )
        )
        for kind in LINE_KINDS:
            rows = []
            for index, line in enumerate(item.get(kind) or []):
                line_where = f"{where} {kind}[{index}]"
                text = _text({"text": line}, "text", line_where)
                origin = _origin(line, line_where, role_origin["origin"])
                if max(len(text[0]), len(text[1])) > LINE_MAX_LENGTH:
                    raise spec_error(line_where, f"longer than {LINE_MAX_LENGTH} characters")
                row = (index + 1, text[0], text[1], origin["origin"], origin["source_note"])
                if kind == "requirements":
                    # `preferred`: a nice-to-have (优先, 「…者优先」), listed apart in the
                    # job description; the text stays as the article has it.
                    row += (
                        _choice(line.get("kind"), RequirementKind.values, line_where, "kind"),
                        _flag(line, "preferred", line_where),
                    )
                rows.append(row)
            if len(rows) > LINES_PER_ROLE:
                raise spec_error(where, f"more than {LINES_PER_ROLE} {kind}")
            plan.lines[kind][code] = rows
        plan.headcount[code] = _headcount_rows(item, where, phase_keys, role_origin["origin"])
        for other in item.get("combinable_with") or []:
            plan.combinable.add((code, other))
    _check_reporting_lines(slug, plan, vacancies)
    # The same organization-size limits as the editor and the API (teamorg.limits).
    for what, items, limit in (
        ("phases", phases, PHASES_PER_ORGANIZATION),
        ("departments", departments, DEPARTMENTS_PER_ORGANIZATION),
        ("roles", plan.roles, ROLES_PER_ORGANIZATION),
    ):
        if len(items) > limit:
            raise spec_error(slug, f"{len(items)} {what}, more than the {limit} allowed")
    for left, right in list(plan.combinable):
        if right not in role_codes or right == left:
            raise spec_error(f"{slug} role {left!r}", f"combinable_with {right!r} is not a role")
        plan.combinable.add((right, left))  # symmetrical, like the model
    for index, item in enumerate(spec.get("collaborations") or []):
        where = f"{slug} collaborations[{index}]"
        ends = {
            k: item.get(k) for k in ("from_department", "to_department", "from_role", "to_role")
        }
        departments_pair = (
            ends["from_department"] in department_codes
            and ends["to_department"] in department_codes
        )
        roles_pair = ends["from_role"] in role_codes and ends["to_role"] in role_codes
        if departments_pair == roles_pair:
            raise spec_error(where, "needs two existing departments or two existing roles")
        description = _text(item, "description", where)
        plan.collaborations.append(
            {
                **ends,
                "order": index + 1,
                "description_zh": description[0],
                "description_en": description[1],
                **_origin(item, where),
            }
        )
    return plan


# --- writing a plan ----------------------------------------------------------------------------


def _set_fields(instance, values: dict[str, Any]) -> list[str]:
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return changed


def _arrange_tree(model, organization, desired, parent_attr: str, resolve) -> tuple[dict, bool]:
    """Create, move and update nodes until the tree of `model` has the `desired` shape
    [(code, parent code, fields)] (depth-first order). Nodes missing from `desired` are left for
    `_prune_tree`. Returns (nodes by code, changed?)."""
    existing = list(
        model._default_manager.filter(organization=organization).order_by("tree_id", "lft")
    )
    code_of = {node.pk: node.code for node in existing}
    wanted = {code for code, _, _ in desired}
    # Compare each parent's ordered children, not the listing order: the spec only promises
    # that a parent comes before its children.
    current: dict[str | None, list[str]] = defaultdict(list)
    for node in existing:
        if node.code in wanted:
            current[code_of.get(getattr(node, f"{parent_attr}_id"))].append(node.code)
    expected: dict[str | None, list[str]] = defaultdict(list)
    for code, parent_code, _ in desired:
        expected[parent_code].append(code)
    by_code = {node.code: node for node in existing}
    changed = False
    if current != expected:
        changed = True
        for code, parent_code, fields in desired:
            parent = trees.reload(by_code[parent_code]) if parent_code else None
            if code in by_code:
                # In depth-first order, "last child of its parent" rebuilds the spec's order.
                move = MoveNode(by_code[code], parent, "last-child", field=parent_attr)
                by_code[code] = move.execute()
            else:
                node = model(organization=organization, code=code, **resolve(fields))
                setattr(node, parent_attr, parent)
                node.full_clean(exclude=[parent_attr])
                node.save()
                by_code[code] = trees.reload(node)
    for code, _parent, fields in desired:
        node = trees.reload(by_code[code]) if changed else by_code[code]
        updated = _set_fields(node, resolve(fields))
        if updated:
            changed = True
            node.full_clean(exclude=[parent_attr])
            node.save(update_fields=updated)
        by_code[code] = node
    return by_code, changed


def _prune_tree(model, organization, wanted: set[str]) -> bool:
    leftovers = list(
        model._default_manager.filter(organization=organization).exclude(code__in=wanted)
    )
    for node in sorted(leftovers, key=lambda n: -n.depth):  # leaves first: nothing to lift
        DeleteNode(node, "refuse").execute()
    return bool(leftovers)


def _sync_phases(organization, plan: ParsedTemplate) -> tuple[dict[str, HeadcountPhase], bool]:
    existing = {p.order: p for p in HeadcountPhase.objects.filter(organization=organization)}
    by_key, changed = {}, False
    for values in plan.phases:
        fields = {k: v for k, v in values.items() if k != "key"}
        phase = existing.pop(values["order"], None)
        if phase is None:
            phase = HeadcountPhase(organization=organization, **fields)
            phase.full_clean()
            phase.save()
            changed = True
        elif updated := _set_fields(phase, fields):
            phase.full_clean()
            phase.save(update_fields=updated)
            changed = True
        by_key[values["key"]] = phase
    if existing:
        HeadcountPhase.objects.filter(pk__in=[p.pk for p in existing.values()]).delete()
        changed = True
    return by_key, changed


def _sync_lines(roles: dict[str, Role], plan: ParsedTemplate) -> bool:
    changed = False
    role_ids = [role.pk for role in roles.values()]
    for kind, model in LINE_KINDS.items():
        columns = ["order", "text_zh", "text_en", "origin", "source_note"]
        if model is Requirement:
            columns += ["kind", "preferred"]
        existing = defaultdict(list)
        for row in (
            model.objects.filter(role_id__in=role_ids)
            .order_by("order", "id")
            .values_list("role_id", *columns)
        ):
            existing[row[0]].append(tuple(row[1:]))
        for code, role in roles.items():
            desired = plan.lines[kind].get(code, [])
            if existing.get(role.pk, []) != desired:
                changed = True
                model.objects.filter(role=role).delete()
                model.objects.bulk_create(
                    model(role=role, **dict(zip(columns, row, strict=True))) for row in desired
                )
    return changed


def _sync_headcount(
    roles: dict[str, Role], phases: dict[str, HeadcountPhase], plan: ParsedTemplate
) -> bool:
    return _sync_phase_ranges(HeadcountTarget, "role", roles, phases, plan.headcount)


def _sync_department_headcount(
    departments: dict[str, Department], phases: dict[str, HeadcountPhase], plan: ParsedTemplate
) -> bool:
    """The departments' own head count (部门定编), as `_sync_headcount` does the roles'."""
    return _sync_phase_ranges(
        DepartmentHeadcount, "department", departments, phases, plan.department_headcount
    )


def _sync_phase_ranges(
    model, owner_field: str, owners: dict, phases: dict, desired_by_code
) -> bool:
    """Make each owner's per-phase ranges (`model` rows: min, max, origin, source note) the
    spec's, rewriting only the owners whose set differs; True when anything was written."""
    key_of = {phase.pk: key for key, phase in phases.items()}
    owner_column = f"{owner_field}_id"
    existing = defaultdict(set)
    for owner_id, phase_id, *rest in model.objects.filter(
        **{f"{owner_column}__in": [owner.pk for owner in owners.values()]}
    ).values_list(owner_column, "phase_id", "min_count", "max_count", "origin", "source_note"):
        existing[owner_id].add((key_of.get(phase_id), *rest))
    changed = False
    for code, owner in owners.items():
        desired = desired_by_code.get(code, [])
        if existing.get(owner.pk, set()) != set(desired):
            changed = True
            model.objects.filter(**{owner_field: owner}).delete()
            model.objects.bulk_create(
                model(
                    **{owner_field: owner},
                    phase=phases[key],
                    min_count=low,
                    max_count=high,
                    origin=origin,
                    source_note=note,
                )
                for key, low, high, origin, note in desired
            )
    return changed


def _sync_combinable(roles: dict[str, Role], plan: ParsedTemplate) -> bool:
    through = Role.combinable_with.through
    code_of = {role.pk: code for code, role in roles.items()}
    existing = {
        (code_of.get(a), code_of.get(b))
        for a, b in through.objects.filter(from_role_id__in=code_of).values_list(
            "from_role_id", "to_role_id"
        )
    }
    if existing == plan.combinable:
        return False
    through.objects.filter(from_role_id__in=code_of).delete()
    through.objects.bulk_create(
        through(from_role_id=roles[a].pk, to_role_id=roles[b].pk)
        for a, b in sorted(plan.combinable)
    )
    return True


def _sync_collaborations(
    organization, departments: dict, roles: dict, plan: ParsedTemplate
) -> bool:
    def node_id(nodes, code):
        return nodes[code].pk if code else None

    desired = [
        (
            node_id(departments, item["from_department"]),
            node_id(departments, item["to_department"]),
            node_id(roles, item["from_role"]),
            node_id(roles, item["to_role"]),
            item["order"],
            item["description_zh"],
            item["description_en"],
            item["origin"],
            item["source_note"],
        )
        for item in plan.collaborations
    ]
    columns = [
        "from_department_id",
        "to_department_id",
        "from_role_id",
        "to_role_id",
        "order",
        "description_zh",
        "description_en",
        "origin",
        "source_note",
    ]
    existing = list(
        Collaboration.objects.filter(organization=organization)
        .order_by("order", "id")
        .values_list(*columns)
    )
    if existing == desired:
        return False
    Collaboration.objects.filter(organization=organization).delete()
    Collaboration.objects.bulk_create(
        Collaboration(organization=organization, **dict(zip(columns, row, strict=True)))
        for row in desired
    )
    return True


def template_load(spec: dict[str, Any]) -> tuple[Organization, bool]:
    """Create or refresh one template from its spec; returns (organization, changed?)."""
    plan = parse_spec(spec)
    with tree_write(Department, Role):
        organization = Organization.objects.filter(slug=plan.slug).first()
        if organization is not None and not organization.is_template:
            raise ValidationError(
                f"The slug “{plan.slug}” belongs to a user's organization, not a template; "
                "rename that organization first.",
                code="slug_taken",
            )
        changed = organization is None
        if organization is None:
            organization = organization_create(
                slug=plan.slug, is_template=True, with_default_phases=False, **plan.organization
            )
        elif updated := _set_fields(organization, plan.organization):
            organization.full_clean(exclude=["revision"])
            organization.save(update_fields=[*updated, "updated_at"])
            changed = True
        phases, phases_changed = _sync_phases(organization, plan)
        departments, departments_changed = _arrange_tree(
            Department, organization, plan.departments, "parent", lambda fields: fields
        )

        def resolve_role(fields):
            return {**fields, "department": departments[fields["department"]]}

        roles, roles_changed = _arrange_tree(
            Role, organization, plan.roles, "reports_to", resolve_role
        )
        pruned = _prune_tree(Role, organization, {code for code, _, _ in plan.roles})
        pruned |= _prune_tree(Department, organization, {code for code, _, _ in plan.departments})
        roles = {code: role for code, role in roles.items() if code in plan.headcount}
        changes = [
            phases_changed,
            departments_changed,
            roles_changed,
            pruned,
            _sync_lines(roles, plan),
            _sync_headcount(roles, phases, plan),
            _sync_department_headcount(
                {code: d for code, d in departments.items() if code in plan.department_headcount},
                phases,
                plan,
            ),
            _sync_combinable(roles, plan),
            _sync_collaborations(organization, departments, roles, plan),
        ]
        changed = changed or any(changes)
        if changed:
            organization_bump_revision(organization_id=organization.pk)
        return Organization.objects.get(pk=organization.pk), changed
