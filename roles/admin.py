from django.contrib import admin

from departments.admin import ServiceBackedTreeAdmin
from roles import services
from roles.models import KPI, Duty, HeadcountTarget, Requirement, Role


class DutyInline(admin.TabularInline):
    model = Duty
    extra = 0


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0


class KPIInline(admin.TabularInline):
    model = KPI
    extra = 0


class HeadcountInline(admin.TabularInline):
    model = HeadcountTarget
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the phases of the role's own organization.
        if db_field.name == "phase" and request.resolver_match.kwargs.get("object_id"):
            role = Role.objects.filter(pk=request.resolver_match.kwargs["object_id"]).first()
            if role is not None:
                kwargs["queryset"] = role.organization.phases.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Role)
class RoleAdmin(ServiceBackedTreeAdmin):
    parent_field = "reports_to"
    list_display = (
        "tree_actions",
        "indented_title",
        "department",
        "level",
        "employment_type",
        "hiring_priority",
    )
    list_display_links = ("indented_title",)
    list_filter = ("organization", "level", "employment_type")
    search_fields = ("title_zh", "title_en", "code")
    filter_horizontal = ("combinable_with",)
    inlines = (DutyInline, RequirementInline, KPIInline, HeadcountInline)

    def create(self, obj, parent):
        fields = {
            name: getattr(obj, name)
            for name in services.ROLE_FIELDS
            if getattr(obj, name) not in (None, "")
        }
        return services.role_create(
            organization=obj.organization, department=obj.department, reports_to=parent, **fields
        )

    def move(self, node, target, position):
        return services.role_move(role=node, target=target, position=position)

    def delete(self, node):
        services.role_delete(role=node, children="lift")
