"""Writes to collaboration lines (对接): dotted lines between two departments or two roles."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from departments.history.recording import design_write
from departments.models import Department, Organization
from departments.services import begin_write, check_fields
from roles.models import Collaboration
from teamorg import trees
from teamorg.errors import field_error

COLLABORATION_FIELDS = {"description_zh", "description_en", "order", "origin", "source_note"}


def _ensure_in_organization(organization: Organization, node, field: str) -> None:
    """Both ends in the line's organization, as stored: the organization is re-read, so an
    instance carrying a stale or forged `organization_id` cannot link two organizations (a
    line to another organization's node broke its documents and its clone)."""
    if node is None:
        return
    if trees.reload_referenced(node, field=field).organization_id != organization.pk:
        message = _("“%(node)s” belongs to another organization.") % {"node": node}
        raise field_error(field, message, "cross_organization")


@design_write
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
    check_fields(fields, COLLABORATION_FIELDS)
    organization = begin_write(
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


@design_write
def collaboration_update(
    *, collaboration: Collaboration, expected_revision: int | None = None, **fields: Any
) -> Collaboration:
    check_fields(fields, COLLABORATION_FIELDS)
    begin_write(collaboration.organization, expected_revision=expected_revision)
    collaboration = Collaboration.objects.get(pk=collaboration.pk)
    for name, value in fields.items():
        setattr(collaboration, name, value)
    collaboration.full_clean()
    collaboration.save()
    return collaboration


@design_write
def collaboration_delete(
    *, collaboration: Collaboration, expected_revision: int | None = None
) -> None:
    begin_write(collaboration.organization, expected_revision=expected_revision)
    Collaboration.objects.filter(pk=collaboration.pk).delete()
