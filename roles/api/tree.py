"""`GET /organizations/{slug}/tree/`: the whole design in one response.

The body is built as plain rows by `roles.selectors.organization_tree` (several times faster
than serializing model instances at 5,000 roles); the serializers here only describe it in the
OpenAPI schema. A department's `roles` are ROLE objects, described by the same `RoleSerializer`
as `GET /roles/{id}/`.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from roles.api.common import (
    OBJECT_READ_PARAMETERS,
    not_modified,
    not_modified_response,
    with_etag,
)
from roles.api.departments import (
    FUNCTIONS_ORIGIN_HELP,
    HEADCOUNT_HELP,
    ROLES_HEADCOUNT_HELP,
    DepartmentHeadcountSerializer,
    LineSourceSerializer,
)
from roles.api.roles import RoleSerializer
from roles.selectors import organization_tree


class TreePhaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    name = serializers.CharField()
    start_month = serializers.IntegerField(allow_null=True)
    end_month = serializers.IntegerField(allow_null=True)
    origin = serializers.CharField()
    source_note = serializers.CharField()
    name_zh = serializers.CharField(required=False)
    name_en = serializers.CharField(required=False)


class TreeDepartmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    parent = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    summary = serializers.CharField()
    functions = serializers.CharField(help_text=_("One function per line."))
    function_group = serializers.CharField()
    headcount = DepartmentHeadcountSerializer(many=True, help_text=HEADCOUNT_HELP)
    roles_headcount = DepartmentHeadcountSerializer(many=True, help_text=ROLES_HEADCOUNT_HELP)
    origin = serializers.CharField()
    source_note = serializers.CharField()
    functions_origin = LineSourceSerializer(many=True, help_text=FUNCTIONS_ORIGIN_HELP)
    name_zh = serializers.CharField(required=False)
    name_en = serializers.CharField(required=False)
    summary_zh = serializers.CharField(required=False)
    summary_en = serializers.CharField(required=False)
    functions_zh = serializers.CharField(required=False)
    functions_en = serializers.CharField(required=False)

    def get_fields(self):
        # A class cannot name itself in its own body: the recursive field is added here (after
        # the declared ones, which also keeps the schema's property order).
        fields = super().get_fields()
        fields["children"] = TreeDepartmentSerializer(many=True)
        fields["roles"] = RoleSerializer(many=True)
        return fields


class TreeReportingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    department = serializers.IntegerField()
    level = serializers.CharField()
    reports_to = serializers.IntegerField(allow_null=True)
    title_zh = serializers.CharField(required=False)
    title_en = serializers.CharField(required=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["children"] = TreeReportingSerializer(many=True)
        return fields


class TreeCollaborationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    from_department = serializers.IntegerField(allow_null=True)
    to_department = serializers.IntegerField(allow_null=True)
    from_role = serializers.IntegerField(allow_null=True)
    to_role = serializers.IntegerField(allow_null=True)
    description = serializers.CharField()
    description_zh = serializers.CharField(required=False)
    description_en = serializers.CharField(required=False)


class OrganizationTreeSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    business_model = serializers.CharField()
    is_template = serializers.BooleanField()
    revision = serializers.IntegerField()
    name_zh = serializers.CharField(required=False)
    name_en = serializers.CharField(required=False)
    description_zh = serializers.CharField(required=False)
    description_en = serializers.CharField(required=False)
    phases = TreePhaseSerializer(many=True)
    departments = TreeDepartmentSerializer(many=True)
    reporting = TreeReportingSerializer(many=True)
    collaborations = TreeCollaborationSerializer(many=True)


class OrganizationTreeMixin:
    """The `tree` action of `OrganizationViewSet`, whose `get_object()` finds the organization
    in the URL (404 when the caller cannot see it)."""

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
