"""Writes to roles: create, update, move in the reporting tree, delete, their ordered lines and
their head count per phase. Same rules as `departments.services`: one transaction, the tree lock
for reporting-tree writes, the revision bumped, `ValidationError` with a field and a code."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from departments.history.recording import design_write
from departments.models import Department, HeadcountPhase, Organization
from departments.services import begin_write, check_fields, phase_range
from roles.models import KPI, Duty, HeadcountTarget, Requirement, Role
from teamorg import trees
from teamorg.errors import field_error
from teamorg.limits import HEADCOUNT_LIMIT, LINES_PER_ROLE, ROLES_PER_ORGANIZATION, size_limit_error
from teamorg.locking import tree_write
from teamorg.tree_actions import DeleteNode, MoveNode

# Flags a role's services take beside ROLE_FIELDS (the columns a design sheet sets): a key
# position (优先到岗, issue 20) is set in the editor, the API and the templates.
ROLE_FLAGS = {"key_position"}
ROLE_FIELDS = {
    "code",
    "title_zh",
    "title_en",
    "summary_zh",
    "summary_en",
    "level",
    "employment_type",
    "hiring_priority",
    "pay_structure",
    "salary_min",
    "salary_max",
    "pay_note_zh",
    "pay_note_en",
    "location_zh",
    "location_en",
    "offers_zh",
    "offers_en",
    "origin",
    "source_note",
}
LINE_MODELS = {"duties": Duty, "requirements": Requirement, "kpis": KPI}
LINE_FIELDS = {"text_zh", "text_en", "origin", "source_note"}
# A requirement's own fields: its kind and whether it is a nice-to-have (优先).
REQUIREMENT_FIELDS = {"kind", "preferred"}


def _department_of(organization: Organization, department: Department | None) -> Department:
    if department is None:
        raise field_error("department", _("Choose the role's department."), "required")
    department = trees.reload_referenced(department, field="department")
    if department.organization_id != organization.pk:
        raise field_error(
            "department", _("The department belongs to another organization."), "cross_organization"
        )
    return department


def _manager_of(organization: Organization, manager: Role | None) -> Role | None:
    if manager is None:
        return None
    manager = trees.reload_referenced(manager, field="reports_to")
    if manager.organization_id != organization.pk:
        raise field_error(
            "reports_to", _("The manager belongs to another organization."), "cross_organization"
        )
    return manager


def _build_lines(role: Role, kind: str, lines: Iterable[Mapping[str, Any]]) -> list:
    """Unsaved, validated line objects numbered in the given order."""
    model = LINE_MODELS[kind]
    allowed = (LINE_FIELDS | REQUIREMENT_FIELDS) if model is Requirement else LINE_FIELDS
    lines = list(lines)
    if len(lines) > LINES_PER_ROLE:
        message = _("A role can have at most %(limit)s %(lines)s; this list has %(count)s.")
        raise field_error(
            kind,
            message
            % {
                "limit": LINES_PER_ROLE,
                "lines": model._meta.verbose_name_plural,
                "count": len(lines),
            },
            "limit_reached",
        )
    built = []
    for order, line in enumerate(lines, start=1):
        if not isinstance(line, Mapping):
            raise field_error(kind, _("Line %(n)s is not an object.") % {"n": order}, "invalid")
        unknown = sorted(set(line) - allowed)
        if unknown:
            message = _("Unknown field in line %(n)s: %(fields)s.")
            raise field_error(
                kind, message % {"n": order, "fields": ", ".join(unknown)}, "unknown_field"
            )
        values = {**line}
        for language in ("text_zh", "text_en"):
            text = values.get(language) or ""
            if not isinstance(text, str):
                message = _("Line %(n)s: text must be a string.") % {"n": order}
                raise field_error(kind, message, "invalid")
            values[language] = text.strip()
        if not values["text_zh"] and not values["text_en"]:
            raise field_error(kind, _("Line %(n)s is empty.") % {"n": order}, "blank_line")
        instance = model(role=role, order=order, **values)
        try:
            instance.full_clean(exclude=["role"])
        except ValidationError as error:
            message = _("Line %(n)s: %(error)s") % {"n": order, "error": " ".join(error.messages)}
            raise field_error(kind, message, "invalid") from error
        built.append(instance)
    return built


def _build_headcount(
    role: Role, organization: Organization, targets: Iterable[Mapping[str, Any]]
) -> list[HeadcountTarget]:
    """Unsaved, validated head-count targets (`phase_range`): known phases, each once,
    0 <= min <= max <= HEADCOUNT_LIMIT. A missing max is the min; an explicit null is refused."""
    phases = {phase.pk: phase for phase in HeadcountPhase.objects.filter(organization=organization)}
    too_large = _("Head count cannot be more than %(limit)s per role and phase.")
    built, seen = [], set()
    for target in targets:
        phase, low, high = phase_range(
            target,
            target.get("max", target.get("min")),
            phases,
            seen,
            limit=HEADCOUNT_LIMIT,
            too_large=too_large,
        )
        built.append(
            HeadcountTarget(
                role=role,
                phase=phase,
                min_count=low,
                max_count=high,
                origin=target.get("origin", "user"),
                source_note=target.get("source_note", ""),
            )
        )
    return built


def _replace_related(role: Role, *, lines: Mapping[str, Iterable] | None, headcount, organization):
    """Validate everything first, then write: a bad line changes nothing."""
    built = {kind: _build_lines(role, kind, items) for kind, items in (lines or {}).items()}
    built_headcount = None if headcount is None else _build_headcount(role, organization, headcount)
    for kind, instances in built.items():
        LINE_MODELS[kind].objects.filter(role=role).delete()
        LINE_MODELS[kind].objects.bulk_create(instances)
    if built_headcount is not None:
        HeadcountTarget.objects.filter(role=role).delete()
        HeadcountTarget.objects.bulk_create(built_headcount)


def _split_lines(fields: dict[str, Any]) -> dict[str, Any]:
    lines = {kind: fields.pop(kind) for kind in list(LINE_MODELS) if kind in fields}
    for kind, items in lines.items():
        if not isinstance(items, list | tuple):
            raise field_error(kind, _("Expected a list."), "invalid")
    return lines


def _set_combinable(role: Role, combinable_with: Iterable[Role] | None) -> None:
    """一人多职: the roles one person may hold together with `role`. Only other roles of the
    same organization; the rows are re-read, so an instance carrying a stale or forged
    organization cannot slip through."""
    if combinable_with is None:
        return
    wanted = {other.pk for other in combinable_with}
    others = list(Role.objects.filter(pk__in=wanted).only("pk", "organization_id"))
    if len(others) != len(wanted):
        message = _("A role chosen to combine with no longer exists.")
        raise field_error("combinable_with", message, "does_not_exist")
    for other in others:
        if other.pk == role.pk:
            message = _("A role cannot be combined with itself.")
            raise field_error("combinable_with", message, "self_combination")
        if other.organization_id != role.organization_id:
            message = _("Only roles of the same organization can be combined with “%(role)s”.")
            raise field_error(
                "combinable_with", message % {"role": role.title}, "cross_organization"
            )
    role.combinable_with.set(others)


@design_write
def role_create(
    *,
    organization: Organization,
    department: Department,
    reports_to: Role | None = None,
    headcount: Iterable[Mapping[str, Any]] | None = None,
    combinable_with: Iterable[Role] | None = None,
    expected_revision: int | None = None,
    allow_template: bool = False,
    **fields: Any,
) -> Role:
    """Add a role to `department`, reporting to `reports_to` (last among its reports) or as a top
    role. `duties`, `requirements` and `kpis` are lists of {text_zh, text_en[, kind,
    preferred]};
    `headcount` a list of {phase, min, max}."""
    lines = _split_lines(fields)
    check_fields(fields, ROLE_FIELDS | ROLE_FLAGS)
    with tree_write(Role):
        organization = begin_write(
            organization, expected_revision=expected_revision, allow_template=allow_template
        )
        # Under the tree lock, so two creates cannot both take the last place.
        if Role.objects.filter(organization=organization).count() >= ROLES_PER_ORGANIZATION:
            raise size_limit_error(
                "organization",
                _("An organization can have at most %(limit)s roles."),
                ROLES_PER_ORGANIZATION,
            )
        department = _department_of(organization, department)
        manager = _manager_of(organization, reports_to)
        if not fields.get("code"):
            fields["code"] = trees.next_free_code(
                Role, organization.pk, slugify(fields.get("title_en", ""))[:60] or "role"
            )
        role = Role(organization=organization, department=department, reports_to=manager, **fields)
        role.full_clean(exclude=["reports_to"])
        # Validate the lines before the tree insert so a bad line never leaves a half role.
        for kind, items in lines.items():
            _build_lines(role, kind, items)
        if headcount is not None:
            _build_headcount(role, organization, headcount)
        role.save()
        _replace_related(role, lines=lines, headcount=headcount, organization=organization)
        _set_combinable(role, combinable_with)
        return trees.reload(role)


@design_write
def role_update(
    *,
    role: Role,
    department: Department | None = None,
    headcount: Iterable[Mapping[str, Any]] | None = None,
    combinable_with: Iterable[Role] | None = None,
    expected_revision: int | None = None,
    **fields: Any,
) -> Role:
    """Change a role's own fields, department, lines (replaced as given), head count (replaced
    when given) and combinable roles. The reporting line changes only through `role_move`."""
    lines = _split_lines(fields)
    check_fields(fields, ROLE_FIELDS | ROLE_FLAGS)
    organization = begin_write(role.organization, expected_revision=expected_revision)
    role = Role.objects.get(pk=role.pk)
    if department is not None:
        role.department = _department_of(organization, department)
    for name, value in fields.items():
        setattr(role, name, value)
    role.full_clean(exclude=["reports_to"])
    role.save()
    _replace_related(role, lines=lines, headcount=headcount, organization=organization)
    _set_combinable(role, combinable_with)
    return Role.objects.get(pk=role.pk)


@design_write
def role_set_headcount(
    *,
    role: Role,
    phase: HeadcountPhase,
    min_count: int,
    max_count: int,
    expected_revision: int | None = None,
) -> HeadcountTarget:
    """Set one cell of the head-count grid."""
    organization = begin_write(role.organization, expected_revision=expected_revision)
    (target,) = _build_headcount(
        role, organization, [{"phase": phase.pk, "min": min_count, "max": max_count}]
    )
    existing = HeadcountTarget.objects.filter(role=role, phase_id=phase.pk).first()
    if existing:
        existing.min_count, existing.max_count = target.min_count, target.max_count
        existing.save(update_fields=["min_count", "max_count"])
        return existing
    target.save()
    return target


@design_write
def role_move(
    *,
    role: Role,
    target: Role | None,
    position: str = "last-child",
    expected_revision: int | None = None,
) -> Role:
    """Change a reporting line: `target` with first-child/last-child makes the role report to
    it; left/right places it beside `target`; `target=None` makes it a top role."""
    return MoveNode(role, target, position, field="reports_to").execute(
        before_write=lambda node: begin_write(
            node.organization, expected_revision=expected_revision
        )
    )


@design_write
def role_delete(
    *, role: Role, children: str = "refuse", expected_revision: int | None = None
) -> None:
    """Delete a role with its lines and head count. Its direct reports either move up to its
    manager (`children="lift"`) or the delete is refused (`"refuse"`)."""
    DeleteNode(role, children, what=_("direct reports")).execute(
        before_write=lambda node: begin_write(
            node.organization, expected_revision=expected_revision
        )
    )
