"""Admin for organizations, the department and reporting trees, and collaboration lines.

Drag-and-drop in the tree lists, creation and deletion all go through the locked services, so
the admin cannot corrupt a tree or skip a rule the API enforces. Moving a node is done by
drag-and-drop; its parent is read-only on the change form.
"""

from django import forms, http
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from mptt.admin import DraggableMPTTAdmin

from departments import services as department_services
from departments.models import Department, HeadcountPhase, Membership, Organization
from departments.revisions import organization_bump_revision
from roles import services
from roles.models import KPI, Collaboration, Duty, HeadcountTarget, Requirement, Role


class SameOrganizationForm(forms.ModelForm):
    """Catches on the form what the services would refuse, so the admin shows a form error
    instead of failing after validation."""

    related_fields = ("parent", "reports_to", "department")

    def clean(self):
        cleaned = super().clean()
        organization = cleaned.get("organization") or getattr(self.instance, "organization", None)
        if organization is None:
            return cleaned
        if organization.is_template:
            self.add_error(None, _("Templates cannot be edited; clone them instead."))
        for name in self.related_fields:
            related = cleaned.get(name)
            if related is not None and related.organization_id != organization.pk:
                self.add_error(name, _("This belongs to another organization."))
        return cleaned


class ServiceBackedTreeAdmin(DraggableMPTTAdmin):
    """DraggableMPTTAdmin whose writes go through a module's create/move/delete services."""

    form = SameOrganizationForm

    list_per_page = 500
    parent_field: str = "parent"

    def create(self, obj, parent):  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def move(self, node, target, position):  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def delete(self, node):  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (self.parent_field, "organization")

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.organization.is_template:
            return False  # templates change only by `loadtemplates`
        return super().has_change_permission(request, obj)

    has_delete_permission = has_change_permission

    def _move_node(self, request):
        position = request.POST.get("position")
        queryset = self.get_queryset(request)
        try:
            node = queryset.get(pk=request.POST.get("cut_item"))
            target = queryset.get(pk=request.POST.get("pasted_on"))
        except (self.model.DoesNotExist, TypeError, ValueError):
            self.message_user(request, _("Objects have disappeared, try again."), messages.ERROR)
            return http.HttpResponse("FAIL, invalid objects.")
        if not self.has_change_permission(request, node):
            self.message_user(request, _("No permission"), level=messages.ERROR)
            return http.HttpResponse("FAIL, no permission.")
        try:
            self.move(node, target, position)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), level=messages.ERROR)
            return http.HttpResponse("FAIL, invalid move.")
        self.log_change(request, node, [{"changed": {"fields": [self.parent_field]}}])
        self.message_user(request, _("%s has been successfully moved.") % node)
        return http.HttpResponse("OK, moved.")

    def save_model(self, request, obj, form, change):
        if change:
            # Own fields only (the parent is read-only here); bump the revision with the save.
            with transaction.atomic():
                organization_bump_revision(organization_id=obj.organization_id)
                obj.save()
        else:
            created = self.create(obj, getattr(obj, self.parent_field))
            obj.pk, obj.lft, obj.rght, obj.tree_id, obj.depth = (
                created.pk,
                created.lft,
                created.rght,
                created.tree_id,
                created.depth,
            )
            obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if any(formset.has_changed() for formset in formsets):
            organization_bump_revision(organization_id=form.instance.organization_id)

    def get_deleted_objects(self, objs, request):
        # Django's collector would list the children as blocking (RESTRICT); the service lifts
        # them instead, so only the nodes themselves are deleted.
        objs = list(objs)
        return (
            [str(obj) for obj in objs],
            {self.model._meta.verbose_name_plural: len(objs)},
            set(),
            [],
        )

    def delete_model(self, request, obj):
        self.delete(obj)

    def delete_queryset(self, request, queryset):
        for node in queryset.order_by("-depth"):
            self.delete(node)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), level=messages.ERROR)
            return redirect(request.path.rsplit("/delete/", 1)[0] + "/change/")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


class PhaseInline(admin.TabularInline):
    model = HeadcountPhase
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("slug", "name_zh", "name_en", "business_model", "is_template", "revision")
    list_filter = ("is_template", "business_model")
    search_fields = ("slug", "name_zh", "name_en")
    readonly_fields = ("revision", "cloned_from", "created_at", "updated_at")
    inlines = (MembershipInline, PhaseInline)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_template:
            return False  # templates change only by `loadtemplates`
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            with transaction.atomic():
                obj.revision = organization_bump_revision(organization_id=obj.pk)
                obj.save()
        else:
            created = department_services.organization_create(
                name_zh=obj.name_zh,
                name_en=obj.name_en,
                slug=obj.slug,
                business_model=obj.business_model,
                description_zh=obj.description_zh,
                description_en=obj.description_en,
                owner=request.user,
            )
            obj.pk = created.pk
            obj._state.adding = False

    def delete_model(self, request, obj):
        services.organization_delete(organization=obj, allow_template=True)

    def delete_queryset(self, request, queryset):
        for organization in queryset:
            self.delete_model(request, organization)


@admin.register(Department)
class DepartmentAdmin(ServiceBackedTreeAdmin):
    list_display = ("tree_actions", "indented_title", "code", "organization", "function_group")
    list_display_links = ("indented_title",)
    list_filter = ("organization", "function_group")
    search_fields = ("name_zh", "name_en", "code")

    def create(self, obj, parent):
        fields = {
            name: getattr(obj, name)
            for name in department_services.DEPARTMENT_FIELDS
            if getattr(obj, name) not in (None, "")
        }
        return department_services.department_create(
            organization=obj.organization, parent=parent, **fields
        )

    def move(self, node, target, position):
        return department_services.department_move(
            department=node, target=target, position=position
        )

    def delete(self, node):
        services.department_delete(department=node, children="lift")


@admin.register(Collaboration)
class CollaborationAdmin(admin.ModelAdmin):
    list_display = ("organization", "from_department", "to_department", "from_role", "to_role")
    list_filter = ("organization",)

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            organization_bump_revision(organization_id=obj.organization_id)
            super().save_model(request, obj, form, change)


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
