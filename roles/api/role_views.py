"""REST API v1: roles (positions) with their duties, requirements, KPIs and head count per
phase, and moves in the reporting tree. Same access rules as `departments.api.views`."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from departments.selectors import organizations_visible_to
from roles import services
from roles.api import common
from roles.api.common import with_etag
from roles.api.role_filters import RoleFilter
from roles.api.role_serializers import (
    RoleCreateSerializer,
    RoleMoveSerializer,
    RoleSerializer,
    RoleUpdateSerializer,
)
from roles.api.views import WRITE_PARAMETERS, ScopedViewSet, scoped_schema
from roles.models import Role
from roles.selectors import role_items


@scoped_schema(
    tag="roles",
    output=RoleSerializer,
    create=RoleCreateSerializer,
    update=RoleUpdateSerializer,
    delete_parameters=[common.CHILDREN_PARAMETER],
    list_description="Roles in reporting-tree order, each the same ROLE object as "
    "`GET /roles/{id}/`.",
)
class RoleViewSet(ScopedViewSet):
    model = Role
    serializer_class = RoleSerializer
    create_serializer_class = RoleCreateSerializer
    update_serializer_class = RoleUpdateSerializer
    fixed_fields = {
        "organization": _("A role cannot move to another organization."),
        "reports_to": _("Use POST /api/v1/roles/{id}/move/ to change a reporting line."),
    }
    filterset_class = RoleFilter
    search_fields = ["title_zh", "title_en", "code"]
    ordering_fields = ["id", "code", "title_zh", "title_en", "level", "hiring_priority"]
    ordering = ["tree_id", "lft"]

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        ids = [role.pk for role in page]
        # One query per table for the whole page instead of seven per role.
        items = role_items(
            Role.objects.filter(pk__in=ids), scope={"pk__in": ids}, both=self.both_languages
        )
        position = {pk: n for n, pk in enumerate(ids)}
        items.sort(key=lambda item: position[item["id"]])
        return self.get_paginated_response(items)

    def organization_for_create(self, data: dict):
        organization = data.pop("organization", None)
        if organization is not None:
            return organization
        slug = self.request.query_params.get("organization")
        if slug:
            found = organizations_visible_to(self.request.user).filter(slug=slug).first()
            if found is None:
                from rest_framework.exceptions import ValidationError

                raise ValidationError({"organization": [_("No such organization.")]})
            return found
        return data["department"].organization

    def perform_service_create(self, **kwargs):
        return services.role_create(**kwargs)

    def perform_service_update(self, role, **kwargs):
        return services.role_update(role=role, **kwargs)

    def perform_service_delete(self, role, **kwargs):
        return services.role_delete(
            role=role, children=common.parse_children_policy(self.request), **kwargs
        )

    @extend_schema(
        tags=["roles"],
        parameters=WRITE_PARAMETERS,
        request=RoleMoveSerializer,
        responses=RoleSerializer,
        summary="Change a reporting line",
        description="`reports_to` is the target role (null makes a top role); `position` is "
        "first-child or last-child of it (reporting to it), or left or right of it.",
    )
    @action(detail=True, methods=["post"])
    def move(self, request, *args, **kwargs):
        role, revision = self.move_with(
            request,
            RoleMoveSerializer,
            "reports_to",
            lambda node, **move: services.role_move(role=node, **move),
        )
        return with_etag(Response(self.output(role)), revision)
