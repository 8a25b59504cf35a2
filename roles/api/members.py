"""Members of an organization, nested under it: `/organizations/{slug}/members/` (list, invite
or set a role), `/organizations/{slug}/members/{username}/` (change a role, remove) and
`/organizations/{slug}/invitations/` (the invitations not accepted yet, withdraw one).

Everyone who can read the organization sees its members; only owners change them, and the
services keep at least one owner. Adding someone who is not a member invites them
(`departments.invitations`): the answer is the same 202 whether or not an account has that user
name or e-mail address, and they become a member only by accepting (`/invitations/`). The
actions are a mixin of `OrganizationViewSet`, whose `get_object()` finds the organization in the
URL (404 when the caller cannot see it).
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from departments import invitations, services
from departments.models import Invitation, MemberRole, Membership
from departments.selectors import OWN, check_access, organization_invitations
from roles.api.common import (
    IF_MATCH_PARAMETER,
    IF_NONE_MATCH_PARAMETER,
    expected_revision,
    not_modified,
    not_modified_response,
    with_etag,
    write,
)
from roles.api.fields import TextField
from teamorg.limits import EMAIL_MAX_LENGTH

USERNAME_PARAMETER = OpenApiParameter(
    "username", OpenApiTypes.STR, OpenApiParameter.PATH, description="The member's user name."
)


# Lazy: a module-level text is read in the language of each answer, not of the import.
INVITED = gettext_lazy(
    "If a TeamOrg account has this user name or e-mail address, it is invited and gets access "
    "once it accepts."
)

INVITATION_PARAMETER = OpenApiParameter(
    "invitation", OpenApiTypes.INT, OpenApiParameter.PATH, description="The invitation's id."
)


class MemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    added_by = serializers.CharField(
        source="added_by.username",
        read_only=True,
        allow_null=True,
        default=None,
        help_text=_("Whose invitation the member accepted (null for the creator)."),
    )

    class Meta:
        model = Membership
        fields = ["username", "role", "created_at", "added_by"]
        read_only_fields = fields


class MemberCreateSerializer(serializers.Serializer):
    username = TextField(
        max_length=EMAIL_MAX_LENGTH,
        required=False,
        help_text=_("The colleague's user name or e-mail address."),
    )
    email = TextField(
        max_length=EMAIL_MAX_LENGTH,
        required=False,
        help_text=_("The colleague's e-mail address (instead of username)."),
    )
    role = serializers.ChoiceField(choices=MemberRole.choices)

    def validate(self, attrs):
        given = [attrs[name] for name in ("username", "email") if attrs.get(name, "").strip()]
        if len(given) != 1:
            raise serializers.ValidationError(
                {"username": [_("Give a user name or an e-mail address (one of them).")]},
                code="required",
            )
        return {"address": given[0], "role": attrs["role"]}


class OrganizationInvitationSerializer(serializers.ModelSerializer):
    """An invitation not accepted yet, as the organization's owners see it: never whether it
    reached an account or was declined."""

    invited_by = serializers.CharField(
        source="invited_by.username", read_only=True, allow_null=True, default=None
    )
    detail = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = ["id", "address", "role", "invited_by", "created_at", "expires_at", "detail"]
        read_only_fields = fields

    def get_detail(self, invitation) -> str:
        return str(INVITED)


class MemberRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=MemberRole.choices)


class OrganizationMembersMixin:
    """The `members` and `member` actions of `OrganizationViewSet`."""

    @extend_schema(
        tags=["members"],
        methods=["GET"],
        parameters=[IF_NONE_MATCH_PARAMETER],
        responses=MemberSerializer(many=True),
        summary="Members of an organization",
        description="Everyone who can read the organization sees its members.",
    )
    @extend_schema(
        tags=["members"],
        methods=["POST"],
        parameters=[IF_MATCH_PARAMETER],
        request=MemberCreateSerializer,
        responses={201: MemberSerializer, 202: OrganizationInvitationSerializer},
        summary="Invite a colleague, or change a member's role",
        description="Owners only. Someone who is not a member is invited: 202 with the "
        "invitation, the same answer whether or not an account has that user name or e-mail "
        "address; they become a member once they accept it (`/api/v1/invitations/`). Giving "
        "someone who is already a member sets their role (201 with the member).",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def members(self, request, *args, **kwargs):
        organization = self.get_object()
        if request.method == "GET":
            if not_modified(request, organization.revision):
                return not_modified_response(organization.revision)
            memberships = organization.memberships.select_related("user").order_by("user__username")
            return with_etag(
                Response(MemberSerializer(memberships, many=True).data), organization.revision
            )
        check_access(request.user, organization, OWN)
        serializer = MemberCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        expected = expected_revision(request, organization)
        result, revision = write(
            organization.pk,
            lambda: invitations.member_add(
                organization=organization,
                **serializer.validated_data,
                invited_by=request.user,
                expected_revision=expected,
            ),
        )
        if result.invitation is not None:
            return Response(
                OrganizationInvitationSerializer(result.invitation).data,
                status=status.HTTP_202_ACCEPTED,
            )
        return with_etag(
            Response(MemberSerializer(result.membership).data, status=status.HTTP_201_CREATED),
            revision,
        )

    @extend_schema(
        tags=["members"],
        responses=OrganizationInvitationSerializer(many=True),
        summary="Invitations not accepted yet",
        description="Owners only. Open invitations, newest first, until they expire.",
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def invitations(self, request, *args, **kwargs):
        organization = self.get_object()
        check_access(request.user, organization, OWN)
        return Response(
            OrganizationInvitationSerializer(organization_invitations(organization), many=True).data
        )

    @extend_schema(
        tags=["members"],
        parameters=[INVITATION_PARAMETER],
        responses={204: None},
        summary="Withdraw an invitation",
        description="Owners only.",
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"invitations/(?P<invitation>[0-9]{1,18})",
        pagination_class=None,
        filter_backends=[],
    )
    def invitation(self, request, *args, invitation: str, **kwargs):
        organization = self.get_object()
        check_access(request.user, organization, OWN)
        found = get_object_or_404(Invitation, organization=organization, pk=int(invitation))
        invitations.invitation_withdraw(invitation=found)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        tags=["members"],
        methods=["PATCH"],
        parameters=[USERNAME_PARAMETER, IF_MATCH_PARAMETER],
        request=MemberRoleSerializer,
        responses=MemberSerializer,
        summary="Change a member's role",
        description="Owners only. An organization keeps at least one owner.",
    )
    @extend_schema(
        tags=["members"],
        methods=["DELETE"],
        parameters=[USERNAME_PARAMETER, IF_MATCH_PARAMETER],
        responses={204: None},
        summary="Remove a member",
        description="Owners only. An organization keeps at least one owner.",
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"members/(?P<username>[^/]{1,150})",
        pagination_class=None,
        filter_backends=[],
    )
    def member(self, request, *args, username: str, **kwargs):
        organization = self.get_object()
        check_access(request.user, organization, OWN)
        membership = get_object_or_404(
            Membership.objects.select_related("user", "organization"),
            organization=organization,
            user__username=username,
        )
        expected = expected_revision(request, organization)
        if request.method == "DELETE":
            _result, revision = write(
                organization.pk,
                lambda: services.membership_remove(
                    membership=membership, expected_revision=expected
                ),
            )
            return with_etag(Response(status=status.HTTP_204_NO_CONTENT), revision)
        serializer = MemberRoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership, revision = write(
            organization.pk,
            lambda: services.membership_set(
                organization=organization,
                user=membership.user,
                role=serializer.validated_data["role"],
                expected_revision=expected,
            ),
        )
        return with_etag(Response(MemberSerializer(membership).data), revision)
