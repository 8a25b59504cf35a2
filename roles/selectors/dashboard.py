"""Reads of the pages around the editor: the dashboard (the user's designs, the latest changes,
the templates with their previews) and the designs a new organization can start from."""

from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, QuerySet

from departments.models import Invitation, MemberRole, Organization
from departments.selectors import invitations_for, member_role
from roles.selectors.previews import organization_previews

RECENT_CHANGES = 5
EDITING_ROLES = (MemberRole.OWNER, MemberRole.EDITOR)


@dataclass
class Dashboard:
    """What the dashboard shows. Each organization carries `department_count` and
    `role_count`; the user's own also `member_role_label` and `can_edit`, the templates their
    `preview` (`roles.selectors.previews.Preview`)."""

    organizations: list[Organization]  # the user's designs, latest change first
    templates: list[Organization]
    invitations: list[Invitation]  # waiting for the user's answer, newest first

    @property
    def recent(self) -> list[Organization]:
        return self.organizations[:RECENT_CHANGES]


class CopySources(NamedTuple):
    """The designs a user can start a new organization from."""

    templates: list[Organization]
    own: list[Organization]  # the user's designs, by web address


def _counted() -> QuerySet[Organization]:
    return Organization.objects.annotate(
        department_count=Count("departments", distinct=True),
        role_count=Count("roles", distinct=True),
    )


def dashboard_for(user: AbstractBaseUser) -> Dashboard:
    """The user's designs and the templates with their counts and previews, and the invitations
    waiting for the user: six queries whatever the number of organizations (three of them for
    all the previews). A design someone else gave the user access to says who and when
    (`added_by`, `added_at`)."""
    mine = list(
        _counted().filter(memberships__user=user, is_template=False).order_by("-updated_at")
    )
    memberships = {
        membership.organization_id: membership
        for membership in user.memberships.filter(organization__in=mine).select_related("added_by")
    }
    for organization in mine:
        membership = memberships[organization.pk]
        organization.member_role_label = MemberRole(membership.role).label
        organization.can_edit = membership.role in EDITING_ROLES
        added_by = membership.added_by
        organization.added_by = (
            (added_by.get_full_name() or added_by.get_username())
            if (added_by is not None and added_by.pk != user.pk)
            else ""
        )
        organization.added_at = membership.created_at
    templates = list(_counted().filter(is_template=True).order_by("pk"))
    previews = organization_previews(templates)
    for template in templates:
        template.preview = previews[template.pk]
    return Dashboard(
        organizations=mine, templates=templates, invitations=list(invitations_for(user))
    )


def copy_sources(user: AbstractBaseUser) -> CopySources:
    """The templates and the user's own designs, the choices of "start from"."""
    templates = Organization.objects.filter(is_template=True).order_by("pk")
    own = Organization.objects.filter(memberships__user=user, is_template=False).order_by("slug")
    return CopySources(templates=list(templates), own=list(own))


def copy_source(user: AbstractBaseUser, slug: str) -> Organization | None:
    """The organization at `slug` if the user may see it (and so copy it), else None."""
    source = Organization.objects.filter(slug=slug).first() if slug else None
    if source is None or member_role(user, source) is None:
        return None
    return source
