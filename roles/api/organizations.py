"""Organizations: list, read, create, rename, delete and clone, plus (from their own modules)
the members and the whole-design tree nested under `/organizations/{slug}/`.

Access: every caller signs in (token or session). Organizations the caller cannot see answer
404, exactly like organizations that do not exist; viewers read, editors write, owners also
manage members and delete the organization; templates are readable by everyone signed in and
writable by nobody (clone them). Writes go through the services, with the `If-Match` revision
as `expected_revision`; every answer about one organization carries its revision as the ETag.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from departments import services as departments_services
from departments.models import PROFILE_TEXTS, MemberRole, Membership, Organization
from departments.selectors import EDIT, OWN, READ, check_access, organizations_visible_to
from roles import services as roles_services
from roles.api.common import (
    IF_MATCH_PARAMETER,
    OBJECT_READ_PARAMETERS,
    READ_PARAMETERS,
    WRITE_PARAMETERS,
    ApiViewMixin,
    BothLanguagesMixin,
    expected_revision,
    not_modified,
    not_modified_response,
    with_etag,
    write,
)
from roles.api.fields import (
    BaseModelSerializer,
    BilingualInputMixin,
    BilingualOutputMixin,
    TextField,
    convenience_text,
)
from roles.api.filters import OrganizationFilter
from roles.api.members import OrganizationMembersMixin
from roles.api.tree import OrganizationTreeMixin
from teamorg.i18n import CONTENT_LANGUAGES, content_language
from teamorg.limits import (
    CODE_MAX_LENGTH,
    CONTACT_MAX_LENGTH,
    LOCATION_MAX_LENGTH,
    LONG_TEXT_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PROFILE_TEXT_MAX_LENGTH,
)

# The profile a candidate's job description shows, each text bilingual (issue 18).
PROFILE_COLUMNS = [f"{text}_{language}" for text in PROFILE_TEXTS for language in CONTENT_LANGUAGES]


class OrganizationSerializer(BilingualOutputMixin, BaseModelSerializer):
    bilingual = ("name", "description", *PROFILE_TEXTS)

    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    company_intro = serializers.CharField(
        read_only=True, help_text=_("Company introduction, shown on candidate job descriptions.")
    )
    locations = serializers.CharField(read_only=True, help_text=_("Work locations, one per line."))
    benefits = serializers.CharField(
        read_only=True, help_text=_("What the organization offers, one per line.")
    )
    how_to_apply = serializers.CharField(
        read_only=True, help_text=_("How to apply: whom to contact, where, what to send.")
    )
    my_role = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = [
            "slug",
            "name",
            "description",
            *PROFILE_TEXTS,
            "business_model",
            "is_template",
            "revision",
            "span_of_control_limit",
            "layer_limit",
            "source_note",
            "my_role",
            "created_at",
            "updated_at",
            "name_zh",
            "name_en",
            "description_zh",
            "description_en",
            *PROFILE_COLUMNS,
        ]
        read_only_fields = [
            "slug",
            "business_model",
            "is_template",
            "revision",
            "span_of_control_limit",
            "layer_limit",
            "source_note",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(
        {"type": "string", "enum": MemberRole.values, "description": "The caller's role."}
    )
    def get_my_role(self, organization: Organization) -> str:
        memberships = getattr(organization, "my_memberships", None)
        if memberships is None:
            request = self.context["request"]
            memberships = list(organization.memberships.filter(user=request.user))
        if memberships:
            return memberships[0].role
        return MemberRole.VIEWER  # a template read by a non-member


class OrganizationCreateSerializer(BilingualInputMixin, BaseModelSerializer):
    bilingual = ("name", "description")

    name = convenience_text(NAME_MAX_LENGTH)
    description = convenience_text(LONG_TEXT_MAX_LENGTH)

    class Meta:
        model = Organization
        fields = [
            "slug",
            "name",
            "name_zh",
            "name_en",
            "business_model",
            "description",
            "description_zh",
            "description_en",
        ]
        extra_kwargs = {"slug": {"required": False}}


# The create fields plus the design limits (a new organization takes the defaults) and the
# profile a candidate's job description shows (a new organization starts without one).
class OrganizationUpdateSerializer(OrganizationCreateSerializer):
    bilingual = ("name", "description", *PROFILE_TEXTS)

    company_intro = convenience_text(PROFILE_TEXT_MAX_LENGTH)
    locations = convenience_text(LOCATION_MAX_LENGTH)
    benefits = convenience_text(PROFILE_TEXT_MAX_LENGTH)
    how_to_apply = convenience_text(CONTACT_MAX_LENGTH)

    class Meta(OrganizationCreateSerializer.Meta):
        fields = [
            *OrganizationCreateSerializer.Meta.fields,
            "span_of_control_limit",
            "layer_limit",
            *PROFILE_TEXTS,
            *PROFILE_COLUMNS,
        ]
        extra_kwargs = {}


class OrganizationCloneSerializer(serializers.Serializer):
    name = TextField(
        max_length=NAME_MAX_LENGTH,
        help_text=_("Name of the copy, in the request language (?lang=)."),
    )
    slug = serializers.SlugField(max_length=CODE_MAX_LENGTH, required=False)

    def validate_slug(self, value):
        if Organization.objects.filter(slug=value).exists():
            raise serializers.ValidationError(
                _("This slug is taken; choose another."), code="unique"
            )
        return value


@extend_schema_view(
    list=extend_schema(
        tags=["organizations"],
        parameters=READ_PARAMETERS,
        description="The templates and the organizations the caller is a member of.",
    ),
    retrieve=extend_schema(tags=["organizations"], parameters=OBJECT_READ_PARAMETERS),
    create=extend_schema(
        tags=["organizations"],
        parameters=READ_PARAMETERS,
        request=OrganizationCreateSerializer,
        responses={201: OrganizationSerializer},
        description="A new, empty organization (with the default growth phases); the caller "
        "becomes its owner.",
    ),
    partial_update=extend_schema(
        tags=["organizations"],
        parameters=WRITE_PARAMETERS,
        request=OrganizationUpdateSerializer,
        responses=OrganizationSerializer,
        description="Editors and owners.",
    ),
    destroy=extend_schema(
        tags=["organizations"],
        parameters=[IF_MATCH_PARAMETER],
        responses={204: None},
        description="Owners only: deletes the organization with everything in it.",
    ),
)
class OrganizationViewSet(
    # ApiViewMixin first: its docstring is the schema's description of `retrieve`.
    ApiViewMixin,
    BothLanguagesMixin,
    OrganizationMembersMixin,
    OrganizationTreeMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = OrganizationSerializer
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]{1,80}"
    filterset_class = OrganizationFilter
    search_fields = ["slug", "name_zh", "name_en"]
    ordering_fields = ["slug", "name_zh", "name_en", "created_at", "updated_at", "revision"]
    ordering = ["-is_template", "slug"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no real user
            return Organization.objects.none()
        return organizations_visible_to(self.request.user).prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(user=self.request.user),
                to_attr="my_memberships",
            )
        )

    def output(self, organization: Organization) -> dict:
        organization = self.get_queryset().get(pk=organization.pk)
        return self.get_serializer(organization).data

    def retrieve(self, request, *args, **kwargs):
        organization = self.get_object()
        if not_modified(request, organization.revision):
            return not_modified_response(organization.revision)
        return with_etag(Response(self.get_serializer(organization).data), organization.revision)

    def create(self, request, *args, **kwargs):
        serializer = OrganizationCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        # A slug taken by a racing create is the service's 400, like one taken before.
        organization = departments_services.organization_create(
            owner=request.user, **serializer.validated_data
        )
        return with_etag(
            Response(self.output(organization), status=status.HTTP_201_CREATED),
            organization.revision,
        )

    def partial_update(self, request, *args, **kwargs):
        organization = self.get_object()
        check_access(request.user, organization, EDIT)
        serializer = OrganizationUpdateSerializer(
            organization, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        expected = expected_revision(request, organization)
        updated, revision = write(
            organization.pk,
            lambda: departments_services.organization_update(
                organization=organization, expected_revision=expected, **serializer.validated_data
            ),
        )
        return with_etag(Response(self.output(updated)), revision)

    def destroy(self, request, *args, **kwargs):
        organization = self.get_object()
        check_access(request.user, organization, OWN)
        expected = expected_revision(request, organization)
        roles_services.organization_delete(organization=organization, expected_revision=expected)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        tags=["organizations"],
        parameters=READ_PARAMETERS,
        request=OrganizationCloneSerializer,
        responses={201: OrganizationSerializer},
        summary="Copy an organization",
        description="A new, independent copy of a template or of an organization the caller "
        "can read, owned by the caller. `name` is the copy's name in the request language.",
    )
    @action(detail=True, methods=["post"])
    def clone(self, request, *args, **kwargs):
        source = self.get_object()
        check_access(request.user, source, READ)
        serializer = OrganizationCloneSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        copy = roles_services.organization_clone(
            source=source,
            owner=request.user,
            slug=serializer.validated_data.get("slug"),
            expected_revision=expected_revision(request, source),
            **{f"name_{content_language()}": serializer.validated_data["name"]},
        )
        return with_etag(Response(self.output(copy), status=status.HTTP_201_CREATED), copy.revision)
