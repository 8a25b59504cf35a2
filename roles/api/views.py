"""REST API v1: token, organizations (with clone, tree and members), head-count phases,
departments (with move) and collaboration lines.

Access: every caller signs in (token or session). Objects of organizations the caller cannot
see answer 404, exactly like objects that do not exist; viewers read, editors write, owners
also manage members and delete the organization; templates are readable by everyone signed in
and writable by nobody (clone them). Writes go through the services, with the `If-Match`
revision as `expected_revision`; every answer about one organization's content carries the
organization revision as its ETag.
"""

from django.db import IntegrityError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from departments import services
from departments.models import Department, HeadcountPhase, Membership, Organization
from departments.selectors import EDIT, OWN, READ, check_access, organizations_visible_to
from roles import services as design_services
from roles.api import common
from roles.api.common import (
    BOTH_PARAMETER,
    CHILDREN_PARAMETER,
    IF_MATCH_PARAMETER,
    IF_NONE_MATCH_PARAMETER,
    LANG_PARAMETER,
    ApiViewMixin,
    ProblemSerializer,
    TeamOrgAutoSchema,
    expected_revision,
    not_modified,
    not_modified_response,
    with_etag,
    write,
)
from roles.api.filters import CollaborationFilter, DepartmentFilter, OrganizationFilter, PhaseFilter
from roles.api.serializers import (
    CollaborationCreateSerializer,
    CollaborationSerializer,
    CollaborationUpdateSerializer,
    DepartmentCreateSerializer,
    DepartmentMoveSerializer,
    DepartmentSerializer,
    DepartmentUpdateSerializer,
    MemberCreateSerializer,
    MemberRoleSerializer,
    MemberSerializer,
    OrganizationCloneSerializer,
    OrganizationCreateSerializer,
    OrganizationSerializer,
    OrganizationTreeSerializer,
    OrganizationUpdateSerializer,
    PhaseCreateSerializer,
    PhaseSerializer,
    PhaseUpdateSerializer,
)
from roles.models import Collaboration
from roles.selectors import organization_tree
from teamorg.i18n import content_language
from teamorg.nul_guard import StrictJSONParser

READ_PARAMETERS = [LANG_PARAMETER, BOTH_PARAMETER]
OBJECT_READ_PARAMETERS = [*READ_PARAMETERS, IF_NONE_MATCH_PARAMETER]
WRITE_PARAMETERS = [*READ_PARAMETERS, IF_MATCH_PARAMETER]
USERNAME_PARAMETER = OpenApiParameter(
    "username", OpenApiTypes.STR, OpenApiParameter.PATH, description="The member's user name."
)


@extend_schema(
    tags=["auth"],
    request=inline_serializer(
        "Credentials",
        {"username": serializers.CharField(), "password": serializers.CharField()},
    ),
    responses={
        200: inline_serializer("Token", {"token": serializers.CharField()}),
        400: ProblemSerializer,
    },
    summary="Get the API token of a user",
    description="Send `Authorization: Token <token>` with every other request.",
)
class TokenView(ObtainAuthToken):
    parser_classes = (StrictJSONParser,)
    schema = TeamOrgAutoSchema()


class ScopedViewSet(
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """CRUD of one kind of object inside organizations, through its services.

    Subclasses name the model, the serializers (output, create, update) and implement
    `perform_service_create/update/delete`.
    """

    model: type
    create_serializer_class: type
    update_serializer_class: type
    # Fields a PATCH refuses, with where to change them instead.
    fixed_fields: dict[str, str] = {}
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return self.model.objects.filter(
            organization__in=organizations_visible_to(self.request.user)
        ).select_related("organization")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "request", None) is not None and hasattr(self.request, "query_params"):
            context["both"] = self.both_languages
        return context

    def output(self, instance) -> dict:
        return self.get_serializer(instance).data

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        revision = instance.organization.revision
        if not_modified(request, revision):
            return not_modified_response(revision)
        return with_etag(Response(self.output(instance)), revision)

    def organization_for_create(self, data: dict) -> Organization:
        organization = data.pop("organization", None)
        if organization is None:
            raise ValidationError({"organization": [_("This field is required.")]})
        return organization

    def create(self, request, *args, **kwargs):
        serializer = self.create_serializer_class(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organization = self.organization_for_create(data)
        check_access(request.user, organization, EDIT)
        expected = expected_revision(request, organization)
        instance, revision = write(
            organization.pk,
            lambda: self.perform_service_create(
                organization=organization, expected_revision=expected, **data
            ),
        )
        instance = self.get_queryset().get(pk=instance.pk)
        return with_etag(Response(self.output(instance), status=status.HTTP_201_CREATED), revision)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        check_access(request.user, instance.organization, EDIT)
        common.refuse_fields(request.data, self.fixed_fields)
        serializer = self.update_serializer_class(
            instance, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        expected = expected_revision(request, instance.organization)
        _result, revision = write(
            instance.organization_id,
            lambda: self.perform_service_update(
                instance, expected_revision=expected, **serializer.validated_data
            ),
        )
        instance = self.get_queryset().get(pk=instance.pk)
        return with_etag(Response(self.output(instance)), revision)

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        check_access(request.user, instance.organization, EDIT)
        expected = expected_revision(request, instance.organization)
        _result, revision = write(
            instance.organization_id,
            lambda: self.perform_service_delete(instance, expected_revision=expected),
        )
        return with_etag(Response(status=status.HTTP_204_NO_CONTENT), revision)

    def move_with(self, request, serializer_class, target_field: str, move):
        """Run the `move` action for the object in the URL: validate the request with
        `serializer_class`, then call `move(node, target=, position=, expected_revision=)` under
        the tree lock. Returns the node (as passed to `move`) and the new revision."""
        node = self.get_object()
        check_access(request.user, node.organization, EDIT)
        serializer = serializer_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        expected = expected_revision(request, node.organization)
        _result, revision = write(
            node.organization_id,
            lambda: move(
                node,
                target=serializer.validated_data[target_field],
                position=serializer.validated_data["position"],
                expected_revision=expected,
            ),
        )
        return node, revision


def scoped_schema(
    *, tag: str, output, create, update, delete_parameters=(), list_description: str = ""
):
    """The documentation of a ScopedViewSet's list/retrieve/create/partial_update/destroy."""
    return extend_schema_view(
        list=extend_schema(tags=[tag], parameters=READ_PARAMETERS, description=list_description),
        retrieve=extend_schema(tags=[tag], parameters=OBJECT_READ_PARAMETERS, responses=output),
        create=extend_schema(
            tags=[tag], parameters=WRITE_PARAMETERS, request=create, responses={201: output}
        ),
        partial_update=extend_schema(
            tags=[tag], parameters=WRITE_PARAMETERS, request=update, responses=output
        ),
        destroy=extend_schema(
            tags=[tag], parameters=[IF_MATCH_PARAMETER, *delete_parameters], responses={204: None}
        ),
    )


# --- organizations ---------------------------------------------------------------------------


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
    ApiViewMixin,
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

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "request", None) is not None and hasattr(self.request, "query_params"):
            context["both"] = self.both_languages
        return context

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
        try:
            organization = services.organization_create(
                owner=request.user, **serializer.validated_data
            )
        except IntegrityError as error:
            # Two creates racing for one slug: the loser gets the same answer as a taken slug.
            raise ValidationError(
                {"slug": [_("This slug is taken; choose another.")]}, code="unique"
            ) from error
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
            lambda: services.organization_update(
                organization=organization, expected_revision=expected, **serializer.validated_data
            ),
        )
        return with_etag(Response(self.output(updated)), revision)

    def destroy(self, request, *args, **kwargs):
        organization = self.get_object()
        check_access(request.user, organization, OWN)
        expected = expected_revision(request, organization)
        design_services.organization_delete(organization=organization, expected_revision=expected)
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
        expected = expected_revision(request, source)
        if expected is not None and expected != source.revision:
            from teamorg.errors import StaleRevision

            raise StaleRevision(expected=expected, current=source.revision)
        name = serializer.validated_data["name"]
        try:
            copy = design_services.organization_clone(
                source=source,
                owner=request.user,
                slug=serializer.validated_data.get("slug"),
                **{f"name_{content_language()}": name},
            )
        except IntegrityError as error:
            raise ValidationError(
                {"slug": [_("This slug is taken; choose another.")]}, code="unique"
            ) from error
        return with_etag(Response(self.output(copy), status=status.HTTP_201_CREATED), copy.revision)

    @extend_schema(
        tags=["organizations"],
        parameters=OBJECT_READ_PARAMETERS,
        responses=OrganizationTreeSerializer,
        summary="The whole design in one response",
        description="Phases, nested departments each with its roles (ROLE objects, as "
        "`GET /roles/{id}/`), the nested reporting tree and the collaboration lines; a constant "
        "number of queries whatever the size. ETag = the organization revision.",
    )
    @action(detail=True, methods=["get"])
    def tree(self, request, *args, **kwargs):
        # Read the organization (its revision) before the content: the body is then at least
        # as new as the ETag, and a client can never pass If-Match over a change it missed.
        organization = self.get_object()
        if not_modified(request, organization.revision):
            return not_modified_response(organization.revision)
        data = organization_tree(organization, both=self.both_languages)
        return with_etag(Response(data), organization.revision)

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


# --- phases, departments, collaboration lines ------------------------------------------------


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


@scoped_schema(
    tag="departments",
    output=DepartmentSerializer,
    create=DepartmentCreateSerializer,
    update=DepartmentUpdateSerializer,
    delete_parameters=[CHILDREN_PARAMETER],
)
class DepartmentViewSet(ScopedViewSet):
    model = Department
    serializer_class = DepartmentSerializer
    create_serializer_class = DepartmentCreateSerializer
    update_serializer_class = DepartmentUpdateSerializer
    fixed_fields = {
        "organization": _("A department cannot move to another organization."),
        "parent": _("Use POST /api/v1/departments/{id}/move/ to move a department."),
    }
    filterset_class = DepartmentFilter
    search_fields = ["name_zh", "name_en", "code"]
    ordering_fields = ["id", "code", "name_zh", "name_en", "depth"]
    ordering = ["tree_id", "lft"]

    def perform_service_create(self, **kwargs):
        return services.department_create(**kwargs)

    def perform_service_update(self, department, **kwargs):
        return services.department_update(department=department, **kwargs)

    def perform_service_delete(self, department, **kwargs):
        return design_services.department_delete(
            department=department, children=common.parse_children_policy(self.request), **kwargs
        )

    @extend_schema(
        tags=["departments"],
        parameters=WRITE_PARAMETERS,
        request=DepartmentMoveSerializer,
        responses=DepartmentSerializer,
        summary="Move a department in the tree",
        description="`parent` is the target department (or null for top level); `position` "
        "is first-child or last-child of it, or left or right of it.",
    )
    @action(detail=True, methods=["post"])
    def move(self, request, *args, **kwargs):
        department, revision = self.move_with(
            request,
            DepartmentMoveSerializer,
            "parent",
            lambda node, **move: services.department_move(department=node, **move),
        )
        department = self.get_queryset().get(pk=department.pk)
        return with_etag(Response(self.output(department)), revision)


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
        return design_services.collaboration_create(**kwargs)

    def perform_service_update(self, collaboration, **kwargs):
        return design_services.collaboration_update(collaboration=collaboration, **kwargs)

    def perform_service_delete(self, collaboration, **kwargs):
        return design_services.collaboration_delete(collaboration=collaboration, **kwargs)
