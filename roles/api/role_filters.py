"""Role list filters; ids and slugs only match organizations the caller can see."""

import django_filters

from departments.models import Department
from roles.api.filters import IntegerFilter, OrganizationScopedFilter, visible
from roles.models import EmploymentType, Level, Role


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
