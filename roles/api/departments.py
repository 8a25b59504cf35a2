"""Departments (`/departments/`): the department tree of an organization, with `move` to place
a department under or beside another. Create, update and move go through
`departments.services`; delete through `roles.services` (a department's roles move with it)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from departments import services as departments_services
from departments.history.versions import VersionParts, rows_of
from departments.models import Department, FunctionGroup
from roles import services as roles_services
from roles.api.common import (
    CHILDREN_PARAMETER,
    WRITE_PARAMETERS,
    parse_children_policy,
    with_etag,
)
from roles.api.fields import (
    MAX_ID,
    BaseModelSerializer,
    BilingualInputMixin,
    BilingualOutputMixin,
    VisibleOrganizationField,
    VisibleRelatedField,
    convenience_text,
)
from roles.api.filters import DepartmentFilter
from roles.api.scoped import ScopedViewSet, scoped_schema
from roles.selectors.department_headcount import department_headcount
from teamorg.content import Origin
from teamorg.limits import (
    DEPARTMENT_HEADCOUNT_LIMIT,
    LONG_TEXT_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PHASES_PER_ORGANIZATION,
)
from teamorg.trees import POSITIONS


class DepartmentHeadcountSerializer(serializers.Serializer):
    phase = serializers.IntegerField(help_text=_("Id of a head-count phase."))
    min = serializers.IntegerField(min_value=0)
    max = serializers.IntegerField(min_value=0)


class LineSourceSerializer(serializers.Serializer):
    """Where one line of a one-per-line text comes from."""

    origin = serializers.ChoiceField(choices=Origin.choices)
    source_note = serializers.CharField(allow_blank=True)


FUNCTIONS_ORIGIN_HELP = gettext_lazy(
    "Where each function line comes from, in the lines' order (line n of functions_zh and "
    "functions_en): [{origin, source_note}], origin seed, fill or user. A line the user "
    "changes becomes theirs; an unchanged line keeps its origin."
)

HEADCOUNT_HELP = gettext_lazy(
    "The department's own head count per phase (部门定编), [{phase, min, max}], for the phases "
    "where it has one. It covers the department with its sub-departments and is set apart "
    "from its roles' head count (roles_headcount)."
)
ROLES_HEADCOUNT_HELP = gettext_lazy(
    "Per phase, the sum of the head count of the roles in the department and its "
    "sub-departments, to compare with headcount."
)


def _counts(serializer, department: Department):
    """The department head counts of the department's organization, read once per response
    (four queries per organization in it)."""
    cache = serializer.context.setdefault("department_headcount", {})
    organization_id = department.organization_id
    if organization_id not in cache:
        phase_ids = list(
            department.organization.phases.order_by("order").values_list("pk", flat=True)
        )
        cache[organization_id] = (phase_ids, department_headcount([organization_id]))
    return cache[organization_id]


class DepartmentSerializer(BilingualOutputMixin, BaseModelSerializer):
    bilingual = ("name", "summary", "functions")

    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    depth = serializers.IntegerField(read_only=True, help_text=_("Depth in the tree, 0 = top."))
    name = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    functions = serializers.CharField(read_only=True, help_text=_("One function per line."))
    function_group = serializers.ChoiceField(
        choices=FunctionGroup.choices, allow_blank=True, read_only=True
    )
    functions_origin = LineSourceSerializer(
        many=True, read_only=True, source="function_sources", help_text=FUNCTIONS_ORIGIN_HELP
    )
    headcount = serializers.SerializerMethodField(help_text=HEADCOUNT_HELP)
    roles_headcount = serializers.SerializerMethodField(help_text=ROLES_HEADCOUNT_HELP)

    class Meta:
        model = Department
        fields = [
            "id",
            "organization",
            "parent",
            "depth",
            "code",
            "name",
            "summary",
            "functions",
            "function_group",
            "headcount",
            "roles_headcount",
            "origin",
            "source_note",
            "functions_origin",
            "name_zh",
            "name_en",
            "summary_zh",
            "summary_en",
            "functions_zh",
            "functions_en",
        ]
        read_only_fields = ["id", "code", "function_group", "origin", "source_note"]

    @extend_schema_field(DepartmentHeadcountSerializer(many=True))
    def get_headcount(self, department: Department) -> list[dict]:
        phase_ids, counts = _counts(self, department)
        return [
            {"phase": phase_id, **counts.get(department.pk, phase_id).planned.as_dict()}
            for phase_id in phase_ids
            if counts.get(department.pk, phase_id).planned is not None
        ]

    @extend_schema_field(DepartmentHeadcountSerializer(many=True))
    def get_roles_headcount(self, department: Department) -> list[dict]:
        phase_ids, counts = _counts(self, department)
        return [
            {"phase": phase_id, **counts.get(department.pk, phase_id).roles.as_dict()}
            for phase_id in phase_ids
        ]


class DepartmentHeadcountInputSerializer(serializers.Serializer):
    phase = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    min = serializers.IntegerField(
        min_value=0,
        max_value=DEPARTMENT_HEADCOUNT_LIMIT,
        error_messages={"min_value": _("Head count cannot be negative.")},
    )
    max = serializers.IntegerField(
        min_value=0,
        max_value=DEPARTMENT_HEADCOUNT_LIMIT,
        required=False,
        help_text=_("Defaults to min."),
        error_messages={"min_value": _("Head count cannot be negative.")},
    )


class DepartmentUpdateSerializer(BilingualInputMixin, BaseModelSerializer):
    bilingual = ("name", "summary", "functions")

    name = convenience_text(NAME_MAX_LENGTH)
    summary = convenience_text(LONG_TEXT_MAX_LENGTH)
    functions = convenience_text(LONG_TEXT_MAX_LENGTH, _("One function per line."))
    headcount = DepartmentHeadcountInputSerializer(
        many=True,
        required=False,
        max_length=PHASES_PER_ORGANIZATION,
        help_text=_(
            "The department's own head count per phase (部门定编), [{phase, min, max}] "
            "(replaces the whole list; a phase left out has none)."
        ),
    )

    class Meta:
        model = Department
        fields = [
            "code",
            "name",
            "name_zh",
            "name_en",
            "summary",
            "summary_zh",
            "summary_en",
            "functions",
            "functions_zh",
            "functions_en",
            "function_group",
            "headcount",
        ]
        extra_kwargs = {"code": {"required": False}}
        validators = []  # code uniqueness is the service's (full_clean) to judge

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "headcount" in attrs:
            attrs["headcount"] = [dict(target) for target in attrs["headcount"]]
        return attrs


class DepartmentCreateSerializer(DepartmentUpdateSerializer):
    organization = VisibleOrganizationField()
    parent = VisibleRelatedField(
        Department,
        required=False,
        allow_null=True,
        help_text=_("Id of the parent department; null or absent for a top-level department."),
    )

    class Meta(DepartmentUpdateSerializer.Meta):
        fields = ["organization", "parent", *DepartmentUpdateSerializer.Meta.fields]


class DepartmentMoveSerializer(serializers.Serializer):
    parent = VisibleRelatedField(
        Department,
        allow_null=True,
        help_text=_(
            "The target department: with first-child/last-child the new parent, with left/right "
            "the sibling to stand beside. null makes a top-level department."
        ),
    )
    position = serializers.ChoiceField(choices=POSITIONS, default="last-child")


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

    def version_parts(self, department: Department) -> VersionParts:
        # Its own row and its ancestors': moving an ancestor changes the department's depth.
        ids = [department.pk, *department.get_ancestors().values_list("pk", flat=True)]
        return VersionParts(rows=rows_of(Department._meta.db_table, ids))

    def perform_service_create(self, **kwargs):
        return departments_services.department_create(**kwargs)

    def perform_service_update(self, department, **kwargs):
        return departments_services.department_update(department=department, **kwargs)

    def perform_service_delete(self, department, **kwargs):
        return roles_services.department_delete(
            department=department, children=parse_children_policy(self.request), **kwargs
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
        department, version = self.move_with(
            request,
            DepartmentMoveSerializer,
            "parent",
            lambda node, **move: departments_services.department_move(department=node, **move),
        )
        return with_etag(Response(self.output(department)), version)
