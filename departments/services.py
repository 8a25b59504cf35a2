"""Writes to organizations, members, phases, departments and collaboration lines.

Every write runs in one transaction, bumps the organization's revision (refusing a stale
`expected_revision`), and raises Django `ValidationError` with a field and a stable code for bad
input, leaving the database unchanged. Department tree writes hold the tree lock.
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from departments.models import (
    BusinessModel,
    Collaboration,
    Department,
    HeadcountPhase,
    MemberRole,
    Membership,
    Organization,
)
from teamorg import trees
from teamorg.errors import field_error
from teamorg.locking import tree_write
from teamorg.revisions import organization_bump_revision

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
}
COLLABORATION_FIELDS = {"description_zh", "description_en", "order", "origin", "source_note"}


def ensure_editable(organization: Organization, *, allow_template: bool = False) -> None:
    if organization.is_template and not allow_template:
        raise ValidationError(
            _("Templates cannot be edited. Create your own design from it instead."),
            code="template_readonly",
        )


def _check_fields(fields: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise ValidationError(
            {
                name: ValidationError(_("This field cannot be changed here."), code="unknown_field")
                for name in unknown
            }
        )


def _begin_write(
    organization: Organization, *, expected_revision: int | None, allow_template: bool = False
) -> Organization:
    """Inside a transaction: refuse templates and stale writers, bump the revision."""
    organization = Organization.objects.get(pk=organization.pk)
    ensure_editable(organization, allow_template=allow_template)
    organization.revision = organization_bump_revision(
        organization_id=organization.pk, expected_revision=expected_revision
    )
    return organization


def _unique_slug(base: str) -> str:
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
) -> Organization:
    """Create an empty organization (with the three default growth phases); `owner` owns it."""
    organization = Organization(
        name_zh=name_zh.strip(),
        name_en=name_en.strip(),
        slug=slug or _unique_slug(name_en or name_zh),
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
    organization.save()
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
    return organization


@transaction.atomic
def organization_update(
    *, organization: Organization, expected_revision: int | None = None, **fields: Any
) -> Organization:
    _check_fields(fields, ORGANIZATION_FIELDS)
    organization = _begin_write(organization, expected_revision=expected_revision)
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.full_clean(exclude=["revision"])
    organization.save()
    return Organization.objects.get(pk=organization.pk)


def organization_clone(
    *,
    source: Organization,
    owner: AbstractBaseUser,
    name_zh: str = "",
    name_en: str = "",
    slug: str | None = None,
) -> Organization:
    """A new, independent organization owned by `owner` with a copy of everything in `source`
    (a template or an organization the owner may read — the caller checks that): phases,
    departments, roles, reporting lines, duties, requirements, KPIs, head count, combinable
    roles and collaboration lines. A constant number of queries whatever the size, under one
    tree lock."""
    from departments.cloning import copy_design
    from roles.models import Role

    name_zh, name_en = name_zh.strip(), name_en.strip()
    with tree_write(Department, Role):
        source = Organization.objects.get(pk=source.pk)
        if not name_zh and not name_en:
            name_zh = f"{source.name_zh}（副本）" if source.name_zh else ""
            name_en = f"{source.name_en} (copy)" if source.name_en else ""
        clone = organization_create(
            name_zh=name_zh,
            name_en=name_en,
            slug=slug or _unique_slug(f"{source.slug}-copy" if source.is_template else source.slug),
            business_model=source.business_model,
            description_zh=source.description_zh,
            description_en=source.description_en,
            owner=owner,
            source_note=source.source_note,
            with_default_phases=False,
        )
        Organization.objects.filter(pk=clone.pk).update(
            cloned_from=source,
            span_of_control_limit=source.span_of_control_limit,
            layer_limit=source.layer_limit,
        )
        copy_design(source_id=source.pk, new_id=clone.pk)
        return Organization.objects.get(pk=clone.pk)


def organization_delete(
    *,
    organization: Organization,
    expected_revision: int | None = None,
    allow_template: bool = False,
) -> None:
    """Delete a whole organization with everything in it. Its trees go as a whole, so the
    trees of other organizations stay valid; the lock keeps a concurrent tree_id shift out."""
    from roles.models import Role

    with tree_write(Department, Role):
        organization = _begin_write(
            organization, expected_revision=expected_revision, allow_template=allow_template
        )
        organization.delete()


@transaction.atomic
def membership_set(
    *,
    organization: Organization,
    user: AbstractBaseUser,
    role: str,
    expected_revision: int | None = None,
) -> Membership:
    """Add `user` to the organization, or change their member role."""
    if role not in MemberRole.values:
        raise field_error("role", _("Choose owner, editor or viewer."), "invalid_choice")
    organization = _begin_write(organization, expected_revision=expected_revision)
    membership, created = Membership.objects.select_for_update().get_or_create(
        organization=organization, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        if membership.role == MemberRole.OWNER and role != MemberRole.OWNER:
            _ensure_another_owner(organization, membership)
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, expected_revision: int | None = None) -> None:
    _begin_write(membership.organization, expected_revision=expected_revision)
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


@transaction.atomic
def phase_create(
    *, organization: Organization, expected_revision: int | None = None, **fields: Any
) -> HeadcountPhase:
    _check_fields(fields, PHASE_FIELDS)
    organization = _begin_write(organization, expected_revision=expected_revision)
    if "order" not in fields:
        last = organization.phases.order_by("-order").values_list("order", flat=True).first()
        fields["order"] = (last or 0) + 1
    phase = HeadcountPhase(organization=organization, **fields)
    phase.full_clean()
    phase.save()
    return phase


@transaction.atomic
def phase_update(
    *, phase: HeadcountPhase, expected_revision: int | None = None, **fields: Any
) -> HeadcountPhase:
    _check_fields(fields, PHASE_FIELDS)
    _begin_write(phase.organization, expected_revision=expected_revision)
    phase = HeadcountPhase.objects.get(pk=phase.pk)
    for name, value in fields.items():
        setattr(phase, name, value)
    phase.full_clean()
    phase.save()
    return phase


@transaction.atomic
def phase_delete(*, phase: HeadcountPhase, expected_revision: int | None = None) -> None:
    """Delete a phase and the head-count targets set for it."""
    _begin_write(phase.organization, expected_revision=expected_revision)
    HeadcountPhase.objects.filter(pk=phase.pk).delete()


def department_create(
    *,
    organization: Organization,
    parent: Department | None = None,
    expected_revision: int | None = None,
    allow_template: bool = False,
    **fields: Any,
) -> Department:
    """Add a department as the last child of `parent`, or as the last top-level department."""
    _check_fields(fields, DEPARTMENT_FIELDS)
    with tree_write(Department):
        organization = _begin_write(
            organization, expected_revision=expected_revision, allow_template=allow_template
        )
        if parent is not None:
            parent = trees.reload(parent)
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
        department.full_clean()
        department.save()
        return trees.reload(department)


@transaction.atomic
def department_update(
    *, department: Department, expected_revision: int | None = None, **fields: Any
) -> Department:
    """Change a department's own fields. The tree is changed only by `department_move`."""
    _check_fields(fields, DEPARTMENT_FIELDS)
    _begin_write(department.organization, expected_revision=expected_revision)
    department = Department.objects.get(pk=department.pk)
    for name, value in fields.items():
        setattr(department, name, value)
    department.full_clean()
    department.save(update_fields=[*fields])
    return department


def department_move(
    *,
    department: Department,
    target: Department | None,
    position: str = "last-child",
    expected_revision: int | None = None,
) -> Department:
    """Move a department relative to `target` (first-child, last-child, left, right);
    `target=None` makes it a top-level department."""
    trees.check_position(position)
    with tree_write(Department):
        department = trees.reload(department)
        _begin_write(department.organization, expected_revision=expected_revision)
        if target is not None:
            target = trees.reload(target)
        trees.check_move(department, target, field="parent")
        return trees.move_node(department, target, position)


def department_delete(
    *, department: Department, children: str = "refuse", expected_revision: int | None = None
) -> None:
    """Delete a department. `children="lift"` moves its sub-departments up one level and its
    roles into the parent department; `"refuse"` refuses while it has either."""
    from roles.models import Role

    with tree_write(Department):
        department = trees.reload(department)
        _begin_write(department.organization, expected_revision=expected_revision)
        role_count = Role.objects.filter(department=department).count()
        if role_count:
            if children == "refuse":
                raise ValidationError(
                    _("“%(department)s” still has %(count)s roles; move them or lift them.")
                    % {"department": department, "count": role_count},
                    code="department_has_roles",
                )
            if department.parent_id is None:
                raise ValidationError(
                    _(
                        "“%(department)s” is a top-level department with %(count)s roles and "
                        "no parent to take them; move the roles to another department first."
                    )
                    % {"department": department, "count": role_count},
                    code="department_has_roles",
                )
            # Validate the children policy before any role moves, so a refusal changes nothing.
            trees.check_children_policy(children)
            # `department` is not a tree field of the reporting tree: no role tree lock needed.
            Role.objects.filter(department_id=department.pk).update(
                department_id=department.parent_id
            )
        trees.lift_children_and_delete(department, children, what=_("sub-departments"))


def _ensure_in_organization(organization: Organization, node, field: str) -> None:
    if node is not None and node.organization_id != organization.pk:
        message = _("“%(node)s” belongs to another organization.") % {"node": node}
        raise field_error(field, message, "cross_organization")


@transaction.atomic
def collaboration_create(
    *,
    organization: Organization,
    from_department: Department | None = None,
    to_department: Department | None = None,
    from_role=None,
    to_role=None,
    expected_revision: int | None = None,
    allow_template: bool = False,
    **fields: Any,
) -> Collaboration:
    """A dotted line between two departments, or two roles, of one organization."""
    _check_fields(fields, COLLABORATION_FIELDS)
    organization = _begin_write(
        organization, expected_revision=expected_revision, allow_template=allow_template
    )
    for field, node in (
        ("from_department", from_department),
        ("to_department", to_department),
        ("from_role", from_role),
        ("to_role", to_role),
    ):
        _ensure_in_organization(organization, node, field)
    departments_pair = from_department is not None and to_department is not None
    roles_pair = from_role is not None and to_role is not None
    if departments_pair == roles_pair or (
        departments_pair
        and (from_role or to_role)
        or roles_pair
        and (from_department or to_department)
    ):
        raise ValidationError(
            _("A collaboration line links two departments or two roles."), code="invalid_endpoints"
        )
    if (departments_pair and from_department.pk == to_department.pk) or (
        roles_pair and from_role.pk == to_role.pk
    ):
        raise ValidationError(
            _("A collaboration line links two different departments or roles."), code="self_link"
        )
    collaboration = Collaboration(
        organization=organization,
        from_department=from_department,
        to_department=to_department,
        from_role=from_role,
        to_role=to_role,
        **fields,
    )
    collaboration.full_clean()
    collaboration.save()
    return collaboration


@transaction.atomic
def collaboration_update(
    *, collaboration: Collaboration, expected_revision: int | None = None, **fields: Any
) -> Collaboration:
    _check_fields(fields, COLLABORATION_FIELDS)
    _begin_write(collaboration.organization, expected_revision=expected_revision)
    collaboration = Collaboration.objects.get(pk=collaboration.pk)
    for name, value in fields.items():
        setattr(collaboration, name, value)
    collaboration.full_clean()
    collaboration.save()
    return collaboration


@transaction.atomic
def collaboration_delete(
    *, collaboration: Collaboration, expected_revision: int | None = None
) -> None:
    _begin_write(collaboration.organization, expected_revision=expected_revision)
    Collaboration.objects.filter(pk=collaboration.pk).delete()
