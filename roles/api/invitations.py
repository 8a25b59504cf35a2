"""`/invitations/`: the invitations waiting for the caller's answer, and `accept` / `decline`.

Each says which organization, who invited the caller, when, and as what; accepting makes the
caller a member (`departments.invitations`). Another user's invitation, a declined or an
expired one is a 404 like one that never existed.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from departments import invitations
from departments.models import Invitation
from departments.selectors import invitations_for
from roles.api.common import ApiViewMixin
from roles.api.members import MemberSerializer


class InvitationSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(
        source="organization.slug", read_only=True, help_text="Slug of the organization."
    )
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    invited_by = serializers.CharField(
        source="invited_by.username", read_only=True, allow_null=True, default=None
    )
    invited_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = [
            "id",
            "organization",
            "organization_name",
            "role",
            "invited_by",
            "invited_by_name",
            "created_at",
            "expires_at",
        ]
        read_only_fields = fields

    def get_invited_by_name(self, invitation) -> str:
        user = invitation.invited_by
        return (user.get_full_name() or user.get_username()) if user is not None else ""


@extend_schema(tags=["invitations"])
class InvitationViewSet(
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = InvitationSerializer
    lookup_value_regex = "[0-9]{1,18}"
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return invitations_for(self.request.user)

    @extend_schema(
        summary="Invitations waiting for my answer",
        description="The organization, who invited you, when and as what; newest first.",
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="One invitation waiting for my answer")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=None,
        responses={201: MemberSerializer},
        summary="Accept an invitation",
        description="You become a member of the organization with the role it offers.",
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        invitation = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        membership = invitations.invitation_accept(invitation=invitation, user=request.user)
        return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Decline an invitation",
        description="It leaves your list; the organization's owners are not told.",
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, *args, **kwargs):
        invitation = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        invitations.invitation_decline(invitation=invitation, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
