"""Members of an organization, nested under it: `/organizations/{slug}/members/` (list, add or
set a role) and `/organizations/{slug}/members/{username}/` (change a role, remove).

Everyone who can read the organization sees its members; only owners change them, and the
services keep at least one owner. The actions are a mixin of `OrganizationViewSet`, whose
`get_object()` finds the organization in the URL (404 when the caller cannot see it).
"""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from departments import services
from departments.models import MemberRole, Membership
from departments.selectors import OWN, check_access
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

USERNAME_PARAMETER = OpenApiParameter(
    "username", OpenApiTypes.STR, OpenApiParameter.PATH, description="The member's user name."
)


class MemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Membership
        fields = ["username", "role", "created_at"]
        read_only_fields = fields


class MemberCreateSerializer(serializers.Serializer):
    username = TextField(max_length=150)
    role = serializers.ChoiceField(choices=MemberRole.choices)

    def validate_username(self, value):
        user = get_user_model().objects.filter(username=value, is_active=True).first()
        if user is None:
            raise serializers.ValidationError(
                _("There is no active user “%(username)s”.") % {"username": value},
                code="does_not_exist",
            )
        return user


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
        responses={201: MemberSerializer},
        summary="Add a member or change their role",
        description="Owners only. Adding someone who is already a member sets their role.",
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
        membership, revision = write(
            organization.pk,
            lambda: services.membership_set(
                organization=organization,
                user=serializer.validated_data["username"],
                role=serializer.validated_data["role"],
                expected_revision=expected,
            ),
        )
        return with_etag(
            Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED), revision
        )

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
