"""Writes to organizations, members, phases and the department tree.

Every write is one recorded transaction (`@design_write`): it bumps the organization's revision,
is refused when it changed a field someone else changed since its `expected_revision`
(`EditConflict`), and raises Django `ValidationError` with a field and a stable code for bad
input, leaving the database unchanged. Department tree writes hold the tree lock.
"""

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from departments.history import recording
from departments.history.recording import design_write
from departments.models import (
    PROFILE_TEXTS,
    BusinessModel,
    Department,
    DepartmentHeadcount,
    HeadcountPhase,
    MemberRole,
    Membership,
    Organization,
    Revision,
    RevisionKind,
)
from departments.revisions import organization_bump_revision
from teamorg import trees
from teamorg.content import Origin, line_pairs, line_source
from teamorg.errors import StaleRevision, field_error
from teamorg.limits import (
    DEPARTMENT_HEADCOUNT_LIMIT,
    DEPARTMENTS_PER_ORGANIZATION,
    PHASES_PER_ORGANIZATION,
    size_limit_error,
)
from teamorg.locking import tree_write
from teamorg.tree_actions import MoveNode

DEFAULT_PHASES = (
    # (order, Chinese, English, from month, to month)
    (1, "启动期", "Launch", 0, 6),
    (2, "成长期", "Growth", 6, 12),
    (3, "成熟期", "Maturity", 12, None),
)

ORGANIZATION_FIELDS = {
    "name_zh",
    "name_en",
    "slug",
    "business_model",
    "description_zh",
    "description_en",
    "span_of_control_limit",
    "layer_limit",
    *(f"{text}_{language}" for text in PROFILE_TEXTS for language in ("zh", "en")),
}
DEPARTMENT_FIELDS = {
    "name_zh",
    "name_en",
    "code",
    "summary_zh",
    "summary_en",
    "functions_zh",
    "functions_en",
    "function_group",
    "origin",
    "source_note",
}
PHASE_FIELDS = {
    "order",
    "name_zh",
    "name_en",
    "start_month",
    "end_month",
    "description_zh",
    "description_en",
    "origin",
    "source_note",
}
FUNCTION_TEXTS = ("functions_zh", "functions_en")


def ensure_editable(organization: Organization, *, allow_template: bool = False) -> None:
    if organization.is_template and not allow_template:
        raise ValidationError(
            _("Templates cannot be edited. Create your own design from it instead."),
            code="template_readonly",
        )


def check_fields(fields: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise ValidationError(
            {
                name: ValidationError(_("This field cannot be changed here."), code="unknown_field")
                for name in unknown
            }
        )


def begin_write(
    organization: Organization,
    *,
    expected_revision: int | None,
    allow_template: bool = False,
    kind: str = RevisionKind.CHANGE,
    reverts: Revision | None = None,
    restored_number: int | None = None,
    note: str = "",
) -> Organization:
    """Inside a `design_write`: refuse templates, bump the revision and start recording the
    write's changes. A write based on an older `expected_revision` is checked when it ends: it
    is refused only if it changed a field someone else changed since (`EditConflict`)."""
    organization = Organization.objects.get(pk=organization.pk)
    ensure_editable(organization, allow_template=allow_template)
    open_revision = recording.current_revision()
    if open_revision is not None and open_revision.organization_id == organization.pk:
        return organization  # a service called by another service in the same write
    if expected_revision is not None and expected_revision > organization.revision:
        raise StaleRevision(expected=expected_revision, current=organization.revision)
    organization.revision = organization_bump_revision(organization_id=organization.pk)
    recording.open_revision(
        organization,
        number=organization.revision,
        expected=expected_revision,
        kind=kind,
        reverts=reverts,
        restored_number=restored_number,
        note=note,
    )
    return organization


def node_write_hook(expected_revision: int | None) -> Callable[[Any], Organization]:
    """The `before_write` of a user's tree move or delete (`teamorg.tree_actions`): under the
    lock, the node's organization must be editable and still at `expected_revision`; its
    revision goes up."""
    return lambda node: begin_write(node.organization, expected_revision=expected_revision)


def unique_slug(base: str) -> str:
    base = slugify(base)[:70] or "org"
    return trees.next_free_value(Organization.objects.all(), "slug", base)


@transaction.atomic
def organization_create(
    *,
    name_zh: str = "",
    name_en: str = "",
    slug: str | None = None,
    business_model: str = BusinessModel.CUSTOM,
    description_zh: str = "",
    description_en: str = "",
    owner: AbstractBaseUser | None = None,
    is_template: bool = False,
    source_note: str = "",
    with_default_phases: bool = True,
    start_history: bool = True,
) -> Organization:
    """Create an empty organization (with the three default growth phases); `owner` owns it."""
    organization = Organization(
        name_zh=name_zh.strip(),
        name_en=name_en.strip(),
        slug=slug or unique_slug(name_en or name_zh),
        business_model=business_model,
        description_zh=description_zh,
        description_en=description_en,
        is_template=is_template,
        source_note=source_note,
        created_by=owner,
    )
    if not organization.name_zh and not organization.name_en:
        raise field_error("name_zh", _("Give the organization a name."), "required")
    organization.full_clean()
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError:
        # Two creates racing for one slug both pass `full_clean`; the database refuses the
        # second. Only that is a slug clash: any other refusal is not the caller's slug.
        if not Organization.objects.filter(slug=organization.slug).exists():
            raise
        raise field_error("slug", _("This slug is taken; choose another."), "unique") from None
    if owner is not None:
        Membership.objects.create(organization=organization, user=owner, role=MemberRole.OWNER)
    if with_default_phases:
        HeadcountPhase.objects.bulk_create(
            HeadcountPhase(
                organization=organization,
                order=order,
                name_zh=name_zh_,
                name_en=name_en_,
                start_month=start,
                end_month=end,
            )
            for order, name_zh_, name_en_, start, end in DEFAULT_PHASES
        )
    if start_history and not is_template:
        recording.record_start(organization)
    return organization


@design_write
def organization_update(
    *, organization: Organization, expected_revision: int | None = None, **fields: Any
) -> Organization:
    check_fields(fields, ORGANIZATION_FIELDS)
    organization = begin_write(organization, expected_revision=expected_revision)
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.full_clean(exclude=["revision"])
    organization.save()
    return Organization.objects.get(pk=organization.pk)


@design_write
def membership_set(
    *,
    organization: Organization,
    user: AbstractBaseUser,
    role: str,
    expected_revision: int | None = None,
    added_by: AbstractBaseUser | None = None,
) -> Membership:
    """Add `user` to the organization, or change their member role. Colleagues are added by
    invitation (`departments.invitations`), which calls this once they accept; `added_by` is
    then who invited them, kept with a new membership."""
    if role not in MemberRole.values:
        raise field_error("role", _("Choose owner, editor or viewer."), "invalid_choice")
    organization = begin_write(organization, expected_revision=expected_revision)
    membership, created = Membership.objects.select_for_update().get_or_create(
        organization=organization, user=user, defaults={"role": role, "added_by": added_by}
    )
    if not created and membership.role != role:
        if membership.role == MemberRole.OWNER and role != MemberRole.OWNER:
            _ensure_another_owner(organization, membership)
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@design_write
def membership_remove(*, membership: Membership, expected_revision: int | None = None) -> None:
    begin_write(membership.organization, expected_revision=expected_revision)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == MemberRole.OWNER:
        _ensure_another_owner(membership.organization, membership)
    membership.delete()


def _ensure_another_owner(organization: Organization, membership: Membership) -> None:
    others = Membership.objects.filter(organization=organization, role=MemberRole.OWNER).exclude(
        pk=membership.pk
    )
    if not others.exists():
        raise field_error("role", _("An organization needs at least one owner."), "last_owner")


@design_write
def phase_create(
    *, organization: Organization, expected_revision: int | None = None, **fields: Any
) -> HeadcountPhase:
    check_fields(fields, PHASE_FIELDS)
    organization = begin_write(organization, expected_revision=expected_revision)
    # Counted after begin_write: the revision bump locks the organization's row, so two
    # creates cannot both see room for one more.
    if organization.phases.count() >= PHASES_PER_ORGANIZATION:
        raise size_limit_error(
            "organization",
            _("An organization can have at most %(limit)s growth phases."),
            PHASES_PER_ORGANIZATION,
        )
    if "order" not in fields:
        last = organization.phases.order_by("-order").values_list("order", flat=True).first()
        fields["order"] = (last or 0) + 1
    phase = HeadcountPhase(organization=organization, **fields)
    phase.full_clean()
    phase.save()
    return phase


@design_write
def phase_update(
    *, phase: HeadcountPhase, expected_revision: int | None = None, **fields: Any
) -> HeadcountPhase:
    check_fields(fields, PHASE_FIELDS)
    begin_write(phase.organization, expected_revision=expected_revision)
    phase = HeadcountPhase.objects.get(pk=phase.pk)
    for name, value in fields.items():
        setattr(phase, name, value)
    phase.full_clean()
    phase.save()
    return phase


@design_write
def phase_reorder(
    *, organization: Organization, phase_ids: list[int], expected_revision: int | None = None
) -> list[HeadcountPhase]:
    """Put the organization's phases in the order of `phase_ids` (every phase, once)."""
    organization = begin_write(organization, expected_revision=expected_revision)
    phases = {phase.pk: phase for phase in organization.phases.all()}
    if sorted(phase_ids) != sorted(phases):
        raise field_error(
            "phases",
            _("The list of phases has changed meanwhile. Reload the page."),
            "phase_list_changed",
        )
    # Two passes: the orders are unique per organization, so a swap must not pass through a
    # moment where two phases share one.
    offset = max(phase.order for phase in phases.values()) + len(phases) + 1
    for position, pk in enumerate(phase_ids, start=1):
        HeadcountPhase.objects.filter(pk=pk).update(order=offset + position)
    for position, pk in enumerate(phase_ids, start=1):
        HeadcountPhase.objects.filter(pk=pk).update(order=position)
    return list(organization.phases.order_by("order"))


@design_write
def phase_delete(*, phase: HeadcountPhase, expected_revision: int | None = None) -> None:
    """Delete a phase and the head-count targets set for it."""
    begin_write(phase.organization, expected_revision=expected_revision)
    HeadcountPhase.objects.filter(pk=phase.pk).delete()


def _check_sibling_names(
    organization_id: int,
    parent_id: int | None,
    names: dict[str, str],
    *,
    exclude_pk: int | None = None,
) -> None:
    """Refuse a department name that a sibling (same parent; top level counts as one parent)
    already has in the same language, ignoring case and surrounding spaces: two 运营部 under one
    parent cannot be told apart in the charts, the handbook or a spreadsheet."""
    wanted = {
        column: value.strip().casefold()
        for column, value in names.items()
        if value and value.strip()
    }
    if not wanted:
        return
    siblings = Department.objects.filter(organization_id=organization_id, parent_id=parent_id)
    if exclude_pk is not None:
        siblings = siblings.exclude(pk=exclude_pk)
    for sibling in siblings.only("name_zh", "name_en", "parent_id"):
        for column, value in wanted.items():
            if (getattr(sibling, column) or "").strip().casefold() == value:
                if parent_id is None:
                    message = _("There is already a top-level department called “%(name)s”.")
                else:
                    message = _(
                        "There is already a department called “%(name)s” under “%(parent)s”."
                    )
                parent = sibling.parent.name if parent_id is not None else ""
                raise field_error(
                    column,
                    message % {"name": getattr(sibling, column), "parent": parent},
                    "duplicate_name",
                )


def function_origins(
    *,
    department: Department | None,
    functions_zh: str,
    functions_en: str,
    origin: str = Origin.USER,
) -> list[dict[str, str]]:
    """Where each line of a department's new function texts comes from: a line whose two texts
    (line n of each language) are as they were keeps its origin and source note, wherever it
    moved; a new or changed line is the user's. For a new department (`department` None) every
    line takes the department's `origin`, as a template spec's lines do without their own."""
    old: dict[tuple[str, str], deque] = defaultdict(deque)
    if department is not None:
        pairs = line_pairs(department.functions_zh, department.functions_en)
        for pair, source in zip(pairs, department.function_sources, strict=True):
            old[pair].append(source)
    fallback = Origin.USER if department is not None else origin
    return [
        old[pair].popleft() if old[pair] else line_source(fallback)
        for pair in line_pairs(functions_zh, functions_en)
    ]


def changed_function_origins(
    department: Department, fields: Mapping[str, Any]
) -> list[dict[str, str]] | None:
    """The department's `functions_origin` after `fields` are written (`function_origins`), or
    None when they leave its function lines as they are: a form posting the functions back
    unchanged (or with other blank lines or spaces) leaves their origins alone, and so raises
    no conflict with a colleague who changed them meanwhile."""
    if not set(FUNCTION_TEXTS) & set(fields):
        return None
    zh, en = (fields.get(column, getattr(department, column)) for column in FUNCTION_TEXTS)
    if line_pairs(zh, en) == line_pairs(department.functions_zh, department.functions_en):
        return None
    return function_origins(department=department, functions_zh=zh, functions_en=en)


@design_write
def department_create(
    *,
    organization: Organization,
    parent: Department | None = None,
    expected_revision: int | None = None,
    allow_template: bool = False,
    **fields: Any,
) -> Department:
    """Add a department as the last child of `parent`, or as the last top-level department.
    `headcount` ([{phase, min, max}]) is its head count per phase (部门定编)."""
    headcount = fields.pop("headcount", None)
    check_fields(fields, DEPARTMENT_FIELDS)
    with tree_write(Department):
        organization = begin_write(
            organization, expected_revision=expected_revision, allow_template=allow_template
        )
        # Under the tree lock, so two creates cannot both take the last place.
        if Department.objects.filter(organization=organization).count() >= (
            DEPARTMENTS_PER_ORGANIZATION
        ):
            raise size_limit_error(
                "organization",
                _("An organization can have at most %(limit)s departments."),
                DEPARTMENTS_PER_ORGANIZATION,
            )
        if parent is not None:
            parent = trees.reload_referenced(parent, field="parent")
            if parent.organization_id != organization.pk:
                raise field_error(
                    "parent",
                    _("The parent department belongs to another organization."),
                    "cross_organization",
                )
        if not fields.get("code"):
            fields["code"] = trees.next_free_code(
                Department,
                organization.pk,
                slugify(fields.get("name_en", ""))[:60] or "department",
            )
        department = Department(organization=organization, parent=parent, **fields)
        department.functions_origin = function_origins(
            department=None,
            functions_zh=department.functions_zh,
            functions_en=department.functions_en,
            origin=department.origin,
        )
        _check_sibling_names(
            organization.pk,
            parent.pk if parent is not None else None,
            {"name_zh": department.name_zh, "name_en": department.name_en},
        )
        department.full_clean()
        department.save()
        if headcount is not None:
            department_set_headcount(department=department, headcount=headcount)
        return trees.reload(department)


@design_write
def department_update(
    *, department: Department, expected_revision: int | None = None, **fields: Any
) -> Department:
    """Change a department's own fields. The tree is changed only by `department_move`.
    `headcount` ([{phase, min, max}]), when given, replaces its head count per phase. Function
    lines whose text is unchanged keep their origin, new or changed ones are the user's
    (`function_origins`)."""
    headcount = fields.pop("headcount", None)
    check_fields(fields, DEPARTMENT_FIELDS)
    begin_write(department.organization, expected_revision=expected_revision)
    department = Department.objects.get(pk=department.pk)
    if headcount is not None:
        department_set_headcount(department=department, headcount=headcount)
    origins = changed_function_origins(department, fields)
    if origins is not None:
        fields["functions_origin"] = origins
    for name, value in fields.items():
        setattr(department, name, value)
    if {"name_zh", "name_en"} & set(fields):
        _check_sibling_names(
            department.organization_id,
            department.parent_id,
            {column: getattr(department, column) for column in ("name_zh", "name_en")},
            exclude_pk=department.pk,
        )
    department.full_clean()
    if fields:
        department.save(update_fields=[*fields])
    return department


@design_write
def department_move(
    *,
    department: Department,
    target: Department | None,
    position: str = "last-child",
    expected_revision: int | None = None,
) -> Department:
    """Move a department relative to `target` (first-child, last-child, left, right);
    `target=None` makes it a top-level department."""

    def before_write(node: Department) -> Organization:
        organization = begin_write(node.organization, expected_revision=expected_revision)
        # Under the lock: the parent the department will have, read fresh. A target that is
        # gone is the move action's error to report, not a name clash.
        if target is None:
            parents = [None]
        elif position in ("first-child", "last-child"):
            parents = [target.pk]
        else:
            parents = list(
                Department.objects.filter(pk=target.pk).values_list("parent_id", flat=True)
            )
        for new_parent_id in parents:
            if new_parent_id == node.parent_id:
                continue
            _check_sibling_names(
                node.organization_id,
                new_parent_id,
                {"name_zh": node.name_zh, "name_en": node.name_en},
                exclude_pk=node.pk,
            )
        return organization

    return MoveNode(department, target, position, field="parent").execute(before_write=before_write)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def phase_range(
    target: Mapping[str, Any],
    high: Any,
    phases: Mapping[int, HeadcountPhase],
    seen: set[int],
    *,
    limit: int,
    too_large: str,
) -> tuple[HeadcountPhase, int, int]:
    """(phase, min, max) of one {phase, min, …} entry of a head-count list, a role's or a
    department's, validated: a phase of `phases` not in `seen` (added to it), whole numbers,
    0 <= min <= max <= `limit` (`too_large` says so, with %(limit)s). The caller decides what
    a missing max means and passes it as `high`."""
    phase_id = getattr(target.get("phase"), "pk", target.get("phase"))
    if phase_id not in phases:
        message = _("Phase %(phase)s is not a phase of this organization.")
        raise field_error("headcount", message % {"phase": phase_id}, "unknown_phase")
    phase = phases[phase_id]
    if phase_id in seen:
        message = _("Phase “%(phase)s” is given twice.") % {"phase": phase}
        raise field_error("headcount", message, "duplicate_phase")
    seen.add(phase_id)
    low = target.get("min")
    if not _is_count(low) or not _is_count(high):
        raise field_error("headcount", _("Head count must be whole numbers."), "invalid")
    if low < 0 or high < 0:
        raise field_error("headcount", _("Head count cannot be negative."), "negative_headcount")
    if high > limit:
        raise field_error("headcount", too_large % {"limit": limit}, "headcount_too_large")
    if low > high:
        message = _("In phase “%(phase)s” the minimum %(min)s is above the maximum %(max)s.")
        raise field_error(
            "headcount",
            message % {"phase": phase, "min": low, "max": high},
            "inverted_headcount",
        )
    return phase, low, high


def _department_targets(
    department: Department, headcount: Iterable[Mapping[str, Any]]
) -> dict[int, tuple[int, int]]:
    """phase id → (min, max), validated by `phase_range` against DEPARTMENT_HEADCOUNT_LIMIT.
    A missing or empty max is the min."""
    phases = {
        phase.pk: phase
        for phase in HeadcountPhase.objects.filter(organization_id=department.organization_id)
    }
    too_large = _("A department's head count cannot be more than %(limit)s per phase.")
    wanted: dict[int, tuple[int, int]] = {}
    seen: set[int] = set()
    for target in headcount:
        high = target.get("max")
        phase, low, high = phase_range(
            target,
            target.get("min") if high is None else high,
            phases,
            seen,
            limit=DEPARTMENT_HEADCOUNT_LIMIT,
            too_large=too_large,
        )
        wanted[phase.pk] = (low, high)
    return wanted


@design_write
def department_set_headcount(
    *,
    department: Department,
    headcount: Iterable[Mapping[str, Any]],
    expected_revision: int | None = None,
) -> list[DepartmentHeadcount]:
    """Set a department's head count per phase (部门定编): `headcount` is the whole list,
    [{phase, min, max}]; a phase left out has none. Only the phases that differ are written, so
    a form posting every phase back as it read it changes no row (and raises no conflict).

    The range covers the department with its sub-departments; it is kept apart from the sum of
    its roles' head count, which the plan, the charts and the charter show beside it."""
    organization = begin_write(department.organization, expected_revision=expected_revision)
    department = Department.objects.get(pk=department.pk, organization=organization)
    wanted = _department_targets(department, headcount)
    existing = {target.phase_id: target for target in department.headcount.all()}
    gone = [target.pk for phase_id, target in existing.items() if phase_id not in wanted]
    if gone:
        DepartmentHeadcount.objects.filter(pk__in=gone).delete()
    for phase_id, (low, high) in wanted.items():
        target = existing.get(phase_id)
        if target is None:
            target = DepartmentHeadcount(
                department=department, phase_id=phase_id, min_count=low, max_count=high
            )
            target.full_clean()
            target.save()
        elif (target.min_count, target.max_count) != (low, high):
            target.min_count, target.max_count = low, high
            target.full_clean()
            target.save(update_fields=["min_count", "max_count"])
    return list(department.headcount.order_by("phase__order"))
