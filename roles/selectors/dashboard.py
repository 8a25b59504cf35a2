"""Reads of the pages around the editor: the dashboard (the user's designs, the latest changes,
the templates with their previews) and the designs a new organization can start from."""

from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, QuerySet

from departments.models import MemberRole, Organization
from departments.selectors import member_role
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
    """The user's designs and the templates with their counts and previews: five queries
    whatever the number of organizations (three of them for all the previews)."""
    mine = list(
        _counted().filter(memberships__user=user, is_template=False).order_by("-updated_at")
    )
    roles = dict(
        user.memberships.filter(organization__in=mine).values_list("organization_id", "role")
    )
    for organization in mine:
        organization.member_role_label = MemberRole(roles[organization.pk]).label
        organization.can_edit = roles[organization.pk] in EDITING_ROLES
    templates = list(_counted().filter(is_template=True).order_by("pk"))
    previews = organization_previews(templates)
    for template in templates:
        template.preview = previews[template.pk]
    return Dashboard(organizations=mine, templates=templates)


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
