"""Collaboration lines (`/collaborations/`): who works with whom across the reporting lines,
between departments or roles of one organization. Writes go through `roles.services`."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from departments.models import Department
from roles import services
from roles.api.fields import (
    BaseModelSerializer,
    BilingualInputMixin,
    BilingualOutputMixin,
    VisibleOrganizationField,
    VisibleRelatedField,
    convenience_text,
)
from roles.api.filters import CollaborationFilter
from roles.api.scoped import ScopedViewSet, scoped_schema
from roles.models import Collaboration, Role
from teamorg.limits import SHORT_TEXT_MAX_LENGTH


class CollaborationSerializer(BilingualOutputMixin, BaseModelSerializer):
    bilingual = ("description",)

    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    from_department = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    to_department = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    from_role = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    to_role = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    description = serializers.CharField(read_only=True)

    class Meta:
        model = Collaboration
        fields = [
            "id",
            "organization",
            "from_department",
            "to_department",
            "from_role",
            "to_role",
            "order",
            "description",
            "origin",
            "source_note",
            "description_zh",
            "description_en",
        ]
        read_only_fields = ["id", "order", "origin", "source_note"]


class CollaborationUpdateSerializer(BilingualInputMixin, BaseModelSerializer):
    bilingual = ("description",)

    description = convenience_text(SHORT_TEXT_MAX_LENGTH)

    class Meta:
        model = Collaboration
        fields = ["order", "description", "description_zh", "description_en"]
        extra_kwargs = {"order": {"max_value": 1_000_000}}


class CollaborationCreateSerializer(CollaborationUpdateSerializer):
    organization = VisibleOrganizationField()
    from_department = VisibleRelatedField(Department, required=False, allow_null=True)
    to_department = VisibleRelatedField(Department, required=False, allow_null=True)
    from_role = VisibleRelatedField(Role, required=False, allow_null=True)
    to_role = VisibleRelatedField(Role, required=False, allow_null=True)

    class Meta(CollaborationUpdateSerializer.Meta):
        fields = [
            "organization",
            "from_department",
            "to_department",
            "from_role",
            "to_role",
            *CollaborationUpdateSerializer.Meta.fields,
        ]


@scoped_schema(
    tag="collaborations",
    output=CollaborationSerializer,
    create=CollaborationCreateSerializer,
    update=CollaborationUpdateSerializer,
)
class CollaborationViewSet(ScopedViewSet):
    model = Collaboration
    serializer_class = CollaborationSerializer
    create_serializer_class = CollaborationCreateSerializer
    update_serializer_class = CollaborationUpdateSerializer
    fixed_fields = {
        name: _("The ends of a line cannot change; delete it and draw a new one.")
        for name in ("organization", "from_department", "to_department", "from_role", "to_role")
    }
    filterset_class = CollaborationFilter
    search_fields = ["description_zh", "description_en"]
    ordering_fields = ["order", "id"]
    ordering = ["order", "id"]

    def perform_service_create(self, **kwargs):
        return services.collaboration_create(**kwargs)

    def perform_service_update(self, collaboration, **kwargs):
        return services.collaboration_update(collaboration=collaboration, **kwargs)

    def perform_service_delete(self, collaboration, **kwargs):
        return services.collaboration_delete(collaboration=collaboration, **kwargs)
