"""Head-count phases of an organization (`/phases/`): the growth stages a role's head count is
planned for. Writes go through `departments.services`."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from departments import services
from departments.models import HeadcountPhase
from roles.api.fields import (
    BaseModelSerializer,
    BilingualInputMixin,
    BilingualOutputMixin,
    VisibleOrganizationField,
    convenience_text,
)
from roles.api.filters import PhaseFilter
from roles.api.scoped import ScopedViewSet, scoped_schema
from teamorg.limits import LONG_TEXT_MAX_LENGTH, PHASE_NAME_MAX_LENGTH


class PhaseSerializer(BilingualOutputMixin, BaseModelSerializer):
    bilingual = ("name", "description")

    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)

    class Meta:
        model = HeadcountPhase
        fields = [
            "id",
            "organization",
            "order",
            "name",
            "start_month",
            "end_month",
            "description",
            "origin",
            "source_note",
            "name_zh",
            "name_en",
            "description_zh",
            "description_en",
        ]
        read_only_fields = ["id", "order", "start_month", "end_month", "origin", "source_note"]


class PhaseUpdateSerializer(BilingualInputMixin, BaseModelSerializer):
    bilingual = ("name", "description")

    name = convenience_text(PHASE_NAME_MAX_LENGTH)
    description = convenience_text(LONG_TEXT_MAX_LENGTH)

    class Meta:
        model = HeadcountPhase
        fields = [
            "order",
            "name",
            "name_zh",
            "name_en",
            "start_month",
            "end_month",
            "description",
            "description_zh",
            "description_en",
        ]
        extra_kwargs = {"order": {"required": False}}
        validators = []  # uniqueness and month order are the service's (full_clean) to judge


class PhaseCreateSerializer(PhaseUpdateSerializer):
    organization = VisibleOrganizationField()

    class Meta(PhaseUpdateSerializer.Meta):
        fields = ["organization", *PhaseUpdateSerializer.Meta.fields]


@scoped_schema(
    tag="phases",
    output=PhaseSerializer,
    create=PhaseCreateSerializer,
    update=PhaseUpdateSerializer,
)
class PhaseViewSet(ScopedViewSet):
    model = HeadcountPhase
    serializer_class = PhaseSerializer
    create_serializer_class = PhaseCreateSerializer
    update_serializer_class = PhaseUpdateSerializer
    fixed_fields = {"organization": _("A phase cannot move to another organization.")}
    filterset_class = PhaseFilter
    search_fields = ["name_zh", "name_en"]
    ordering_fields = ["order", "id"]
    ordering = ["organization", "order"]

    def perform_service_create(self, **kwargs):
        return services.phase_create(**kwargs)

    def perform_service_update(self, phase, **kwargs):
        return services.phase_update(phase=phase, **kwargs)

    def perform_service_delete(self, phase, **kwargs):
        return services.phase_delete(phase=phase, **kwargs)
