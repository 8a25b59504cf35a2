"""Writes of invitations: how an owner adds a colleague to an organization.

An HR tool must not tell whoever owns an organization which accounts exist: adding by user name
or e-mail address answers the same for an unknown address and a known one ("if an account has
this address, it is invited"), and the invitation is listed, re-sent and withdrawn the same way
either way. The invitee sees it on their dashboard (the organization, who invited them, when)
and becomes a member only by accepting it; declining hides it from them while the owner still
sees it open until it expires, so a refusal tells the owner nothing either. Only an address
that names a current member — whom the owner sees in the member list anyway — is answered
differently: it changes that member's right, as adding an existing member always did.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.models import Invitation, MemberRole, Membership, Organization
from departments.selectors import user_by_name_or_email
from departments.services import ensure_editable, membership_set
from teamorg.errors import field_error
from teamorg.limits import EMAIL_MAX_LENGTH, OPEN_INVITATIONS_PER_ORGANIZATION, size_limit_error

# Long enough for a colleague on leave, short enough that a forgotten offer lapses.
INVITATION_DAYS = 14


@dataclass(frozen=True)
class AddResult:
    """What adding a colleague did: invited (`invitation`) or changed a member's right
    (`membership`)."""

    invitation: Invitation | None = None
    membership: Membership | None = None


def _normalized(address: str) -> str:
    address = (address or "").strip()
    if not address:
        raise field_error("who", _("Give a user name or an e-mail address."), "required")
    if len(address) > EMAIL_MAX_LENGTH:
        message = _("A user name or e-mail address has at most %(limit)s characters.")
        raise field_error("who", message % {"limit": EMAIL_MAX_LENGTH}, "max_length")
    return address.casefold()


@transaction.atomic
def member_add(
    *,
    organization: Organization,
    address: str,
    role: str,
    invited_by: AbstractBaseUser,
    expected_revision: int | None = None,
) -> AddResult:
    """Invite the account `address` names (a user name or an e-mail address) to the
    organization as `role`, or change the right of the current member it names. The caller
    checks that `invited_by` owns the organization."""
    ensure_editable(organization)
    if role not in MemberRole.values:
        raise field_error("role", _("Choose owner, editor or viewer."), "invalid_choice")
    address = _normalized(address)
    user = user_by_name_or_email(address)
    if user is not None:
        member = Membership.objects.filter(organization=organization, user=user).first()
        if member is not None:
            membership = membership_set(
                organization=organization,
                user=user,
                role=role,
                expected_revision=expected_revision,
            )
            return AddResult(membership=membership)
    # Lock the organization's row: two invitations at once cannot both take the last place.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    now = timezone.now()
    invitation = Invitation.objects.filter(organization=organization, address=address).first()
    if invitation is None:
        open_count = Invitation.objects.filter(
            organization=organization, expires_at__gt=now
        ).count()
        if open_count >= OPEN_INVITATIONS_PER_ORGANIZATION:
            raise size_limit_error(
                "who",
                _(
                    "An organization can have at most %(limit)s open invitations. Withdraw "
                    "some or wait until they are accepted or expire."
                ),
                OPEN_INVITATIONS_PER_ORGANIZATION,
            )
        invitation = Invitation(organization=organization, address=address)
    # A new invitation, or the same one sent again: it reaches whoever has the address now.
    invitation.user = user
    invitation.role = role
    invitation.invited_by = invited_by
    invitation.created_at = now
    invitation.expires_at = now + timedelta(days=INVITATION_DAYS)
    invitation.declined_at = None
    invitation.full_clean()
    invitation.save()
    return AddResult(invitation=invitation)


def _open_for(invitation: Invitation, user: AbstractBaseUser) -> Invitation:
    """The invitation re-read and locked, if it is open for `user`; else the same 404 as an
    invitation that does not exist (nobody learns about others' invitations)."""
    found = (
        Invitation.objects.select_for_update()
        .filter(
            pk=invitation.pk,
            user_id=user.pk,
            declined_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("organization")
        .first()
    )
    if found is None:
        raise Invitation.DoesNotExist(_("There is no such invitation, or it has expired."))
    return found


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: AbstractBaseUser) -> Membership:
    """`user` accepts an invitation addressed to them: they become a member with the role it
    offers, and the membership says who added them."""
    invitation = _open_for(invitation, user)
    membership = membership_set(
        organization=invitation.organization,
        user=user,
        role=invitation.role,
        added_by=invitation.invited_by,
    )
    invitation.delete()
    return membership


@transaction.atomic
def invitation_decline(*, invitation: Invitation, user: AbstractBaseUser) -> None:
    """`user` declines: it leaves their dashboard. The owner still sees it open until it
    expires, as they would an invitation to an address without an account."""
    invitation = _open_for(invitation, user)
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["declined_at"])


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation) -> None:
    """An owner withdraws an invitation (the caller checks they own its organization)."""
    Invitation.objects.filter(pk=invitation.pk).delete()
