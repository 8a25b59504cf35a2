"""List filters of every resource. Every id or slug filter only knows the objects of
organizations the caller can see, so an unknown and an invisible value answer the same 400 (no
existence leak)."""

import django_filters
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from departments.models import (
    BusinessModel,
    Department,
    FunctionGroup,
    HeadcountPhase,
    Organization,
)
from departments.selectors import organizations_visible_to
from roles.models import Collaboration, EmploymentType, Level, Role


def visible_organizations(request):
    """The organizations the caller can see (a filter's queryset callable)."""
    if request is None:
        return Organization.objects.none()
    return organizations_visible_to(request.user)


def visible(model):
    """A filter's queryset callable: the `model` objects of the organizations the caller sees."""

    def queryset(request):
        if request is None:
            return model.objects.none()
        return model.objects.filter(organization__in=organizations_visible_to(request.user))

    return queryset


class IntegerFilter(django_filters.Filter):
    """A whole number (django-filter's NumberFilter takes decimals and unbounded values)."""

    field_class = forms.IntegerField


@extend_schema_field(OpenApiTypes.INT)
class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """An id of a visible object, documented as an integer even when a method applies it."""


class OrganizationScopedFilter(django_filters.FilterSet):
    organization = django_filters.ModelChoiceFilter(
        queryset=visible_organizations,
        to_field_name="slug",
        help_text="Slug of an organization: only its objects.",
    )


class OrganizationFilter(django_filters.FilterSet):
    business_model = django_filters.ChoiceFilter(choices=BusinessModel.choices)
    is_template = django_filters.BooleanFilter()

    class Meta:
        model = Organization
        fields = ["business_model", "is_template"]


class DepartmentFilter(OrganizationScopedFilter):
    parent = django_filters.ModelChoiceFilter(
        queryset=visible(Department), help_text="Id of a department: only its direct children."
    )
    top_level = django_filters.BooleanFilter(
        field_name="parent", lookup_expr="isnull", help_text="Only top-level departments."
    )
    function_group = django_filters.ChoiceFilter(choices=FunctionGroup.choices)

    class Meta:
        model = Department
        fields = ["organization", "parent", "top_level", "function_group"]


class PhaseFilter(OrganizationScopedFilter):
    class Meta:
        model = HeadcountPhase
        fields = ["organization"]


class CollaborationFilter(OrganizationScopedFilter):
    department = IdChoiceFilter(
        queryset=visible(Department),
        method="filter_department",
        help_text="Id of a department: lines from or to it.",
    )

    class Meta:
        model = Collaboration
        fields = ["organization", "department"]

    def filter_department(self, queryset, name, value):
        return queryset.filter(from_department=value) | queryset.filter(to_department=value)


class RoleFilter(OrganizationScopedFilter):
    department = django_filters.ModelChoiceFilter(
        queryset=visible(Department), help_text="Id of a department: only its roles."
    )
    reports_to = django_filters.ModelChoiceFilter(
        queryset=visible(Role), help_text="Id of a role: only its direct reports."
    )
    top_level = django_filters.BooleanFilter(
        field_name="reports_to", lookup_expr="isnull", help_text="Only top roles."
    )
    level = django_filters.ChoiceFilter(choices=Level.choices)
    employment_type = django_filters.ChoiceFilter(choices=EmploymentType.choices)
    hiring_priority = IntegerFilter(min_value=1, max_value=32767)

    class Meta:
        model = Role
        fields = [
            "organization",
            "department",
            "reports_to",
            "top_level",
            "level",
            "employment_type",
            "hiring_priority",
        ]
