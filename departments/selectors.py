"""Reads of the organization itself: who may see or change it."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.models import (
    Invitation,
    MemberRole,
    Membership,
    Organization,
)

READ, EDIT, OWN = "read", "edit", "own"
_RANK = {MemberRole.VIEWER: 1, MemberRole.EDITOR: 2, MemberRole.OWNER: 3}
_NEEDED = {READ: 1, EDIT: 2, OWN: 3}


def organizations_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Organization]:
    """Templates (for every signed-in user) and the organizations the user is a member of."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(Q(is_template=True) | Q(memberships__user=user)).distinct()


def member_role(user: AbstractBaseUser | AnonymousUser, organization: Organization) -> str | None:
    """owner/editor/viewer, "viewer" for a template, None when the user may not see it."""
    if not user.is_authenticated:
        return None
    role = (
        Membership.objects.filter(organization=organization, user=user)
        .values_list("role", flat=True)
        .first()
    )
    if role is None and organization.is_template:
        return MemberRole.VIEWER
    return role


def check_access(user, organization: Organization, need: str = READ) -> str:
    """Raise Http404 when the user may not see the organization (no existence leak), and
    PermissionDenied when they see it but lack the rights; return their member role."""
    role = member_role(user, organization)
    if role is None:
        raise Http404(_("No such organization."))
    if organization.is_template and need != READ:
        raise PermissionDenied(
            _("Templates are read-only. Create your own design from this template to edit it.")
        )
    if _RANK[role] < _NEEDED[need]:
        raise PermissionDenied(
            _("Your role in this organization (%(role)s) does not allow this.")
            % {"role": MemberRole(role).label}
        )
    return role


def organization_for(user, slug: str, need: str = READ) -> Organization:
    """The organization with `slug` if `user` may `need` it (read, edit or own)."""
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise Http404(_("No such organization."))
    check_access(user, organization, need)
    return organization


def organization_members(organization: Organization) -> QuerySet[Membership]:
    """The organization's members with their users, owners first, then by name."""
    order = Case(
        When(role=MemberRole.OWNER, then=Value(0)),
        When(role=MemberRole.EDITOR, then=Value(1)),
        default=Value(2),
    )
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by(order, "user__username")
    )


def user_by_name_or_email(text: str) -> AbstractBaseUser | None:
    """The active user whose user name or e-mail address is `text` (case-insensitive); None when
    nobody or more than one user matches (an e-mail shared by two accounts is ambiguous)."""
    text = text.strip()
    if not text:
        return None
    users = get_user_model().objects.filter(is_active=True)
    found = list(users.filter(username__iexact=text)[:2])
    if not found and "@" in text:
        found = list(users.filter(email__iexact=text)[:2])
    return found[0] if len(found) == 1 else None


def organization_owner_names(organization: Organization) -> list[str]:
    """The owners' names (full name, else user name): who a viewer asks for edit rights."""
    return [
        membership.user.get_full_name() or membership.user.get_username()
        for membership in organization_members(organization)
        if membership.role == MemberRole.OWNER
    ]


def invitations_for(user: AbstractBaseUser) -> QuerySet[Invitation]:
    """The invitations waiting for `user`'s answer, newest first, with the organization and
    who invited them."""
    return (
        Invitation.objects.filter(
            user_id=user.pk, declined_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("organization", "invited_by")
        .order_by("-created_at", "-pk")
    )


def organization_invitations(organization: Organization) -> QuerySet[Invitation]:
    """The organization's invitations as its owners see them: every one not yet accepted,
    newest first. Whether one reached an account, or was declined, is not theirs to know: the
    callers show only the address, the role, who invited and when it expires."""
    return (
        Invitation.objects.filter(organization=organization)
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )
