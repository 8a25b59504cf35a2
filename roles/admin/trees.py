"""The department tree and the reporting tree: drag-and-drop moves, forms and inlines, all
through the services (and so through the one move and delete action of `teamorg.tree_actions`)."""

from django.contrib import admin, messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from mptt.admin import DraggableMPTTAdmin

from departments import services as department_services
from departments.models import Department
from roles import services
from roles.admin.base import SameOrganizationForm, ServiceBackedAdmin, TemplateReadOnlyInline
from roles.models import KPI, Duty, HeadcountTarget, Requirement, Role
from teamorg.content import Origin, line_pairs
from teamorg.i18n import content_language, translated_text
from teamorg.ids import parse_id

LINE_INLINE_KINDS = {Duty: "duties", Requirement: "requirements", KPI: "kpis"}


class ServiceBackedTreeAdmin(ServiceBackedAdmin, DraggableMPTTAdmin):
    """DraggableMPTTAdmin whose writes go through the tree's create/update/move/delete services."""

    form = SameOrganizationForm
    list_per_page = 500
    parent_field: str = "parent"

    def create(self, obj, parent, form):  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def update(self, obj, form):  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def move(self, node, target, position):  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def delete(self, node):  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (self.parent_field, "organization")

    def get_actions(self, request):
        # mptt swaps in its own bulk delete, which calls `delete()` on each row (no lock, no
        # revision, no lifting of children); Django's calls `delete_queryset`: the services.
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            actions["delete_selected"] = self.get_action("delete_selected")
        return actions

    def _move_node(self, request):
        # DraggableMPTTAdmin's drag-and-drop endpoint, answered through the move service.
        position = request.POST.get("position")
        queryset = self.get_queryset(request)
        try:
            node = queryset.get(pk=request.POST.get("cut_item"))
            target = queryset.get(pk=request.POST.get("pasted_on"))
        except (self.model.DoesNotExist, TypeError, ValueError):
            self.message_user(request, _("Objects have disappeared, try again."), messages.ERROR)
            return HttpResponse("FAIL, invalid objects.")
        if not self.has_change_permission(request, node):
            self.message_user(request, _("No permission"), level=messages.ERROR)
            return HttpResponse("FAIL, no permission.")
        try:
            self.move(node, target, position)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), level=messages.ERROR)
            return HttpResponse("FAIL, invalid move.")
        except ObjectDoesNotExist as error:  # deleted by another writer since it was read
            self.message_user(request, str(error), level=messages.ERROR)
            return HttpResponse("FAIL, invalid objects.")
        self.log_change(request, node, [{"changed": {"fields": [self.parent_field]}}])
        self.message_user(request, _("%s has been successfully moved.") % node)
        return HttpResponse("OK, moved.")

    def save_model(self, request, obj, form, change):
        if change:
            self.update(obj, form)
            return
        created = self.create(obj, getattr(obj, self.parent_field), form)
        obj.pk, obj.lft, obj.rght, obj.tree_id, obj.depth = (
            created.pk,
            created.lft,
            created.rght,
            created.tree_id,
            created.depth,
        )
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # Not Django's default, which writes many-to-many fields and inline rows directly.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def get_deleted_objects(self, objs, request):
        # Django's collector would list the children as blocking (RESTRICT); the service lifts
        # them instead, so only the nodes themselves are deleted. A node the user may not
        # delete (a template's) refuses the whole delete, as Django's collector would.
        objs = list(objs)
        opts = self.model._meta
        refused = any(not self.has_delete_permission(request, obj) for obj in objs)
        return (
            [str(obj) for obj in objs],
            {opts.verbose_name_plural: len(objs)},
            {opts.verbose_name} if refused else set(),
            [],
        )

    def delete_model(self, request, obj):
        self.delete(obj)

    def delete_queryset(self, request, queryset):
        for node in queryset.order_by("-depth"):
            self.delete(node)


@admin.register(Department)
class DepartmentAdmin(ServiceBackedTreeAdmin):
    list_display = ("tree_actions", "indented_title", "code", "organization", "function_group")
    list_display_links = ("indented_title",)
    list_filter = ("organization", "function_group")
    search_fields = ("name_zh", "name_en", "code")
    # The service keeps each function line's origin in step with the texts; shown, not edited.
    exclude = ("functions_origin",)

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "function_line_origins")

    @admin.display(description=_("origin of each function line"))
    def function_line_origins(self, obj: Department):
        pairs = line_pairs(obj.functions_zh, obj.functions_en)
        language = content_language()
        return (
            format_html_join(
                "\n",
                "<p>{} · {}{}</p>",
                (
                    (
                        translated_text(zh, en, language),
                        Origin(source["origin"]).label,
                        f" · {source['source_note']}" if source["source_note"] else "",
                    )
                    for (zh, en), source in zip(pairs, obj.function_sources, strict=True)
                ),
            )
            or "—"
        )

    def create(self, obj, parent, form):
        fields = {
            name: getattr(obj, name)
            for name in department_services.DEPARTMENT_FIELDS
            if getattr(obj, name) not in (None, "")
        }
        return department_services.department_create(
            organization=obj.organization, parent=parent, **fields
        )

    def update(self, obj, form):
        fields = self.changed_fields(form, department_services.DEPARTMENT_FIELDS)
        if fields:
            department_services.department_update(department=obj, **fields)

    def move(self, node, target, position):
        return department_services.department_move(
            department=node, target=target, position=position
        )

    def delete(self, node):
        services.department_delete(department=node, children="lift")


class DutyInline(TemplateReadOnlyInline):
    model = Duty


class RequirementInline(TemplateReadOnlyInline):
    model = Requirement


class KPIInline(TemplateReadOnlyInline):
    model = KPI


class HeadcountInline(TemplateReadOnlyInline):
    model = HeadcountTarget

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the phases of the role's own organization.
        if db_field.name == "phase" and request.resolver_match.kwargs.get("object_id"):
            role = Role.objects.filter(pk=request.resolver_match.kwargs["object_id"]).first()
            if role is not None:
                kwargs["queryset"] = role.organization.phases.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def combinable_choices(request) -> QuerySet[Role]:
    """The roles the admin's 可兼任岗位 picker offers for the role being edited or added."""
    object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
    if object_id:
        role = Role.objects.filter(pk=object_id).only("pk", "organization_id").first()
        if role is None:
            return Role.objects.none()
        same = Role.objects.filter(organization_id=role.organization_id)
        return same.exclude(pk=role.pk).order_by("tree_id", "lft")
    organization = request.POST.get("organization") or request.GET.get("organization")
    organization_id = parse_id(organization)
    if organization_id is None:
        return Role.objects.none()
    return Role.objects.filter(organization_id=organization_id).order_by("tree_id", "lft")


class RoleAdminForm(SameOrganizationForm):
    """Also catches a combination with another organization's role before the save."""

    def clean(self):
        cleaned = super().clean()
        organization = cleaned.get("organization") or getattr(self.instance, "organization", None)
        others = cleaned.get("combinable_with") or []
        if organization is not None and any(
            other.organization_id != organization.pk for other in others
        ):
            self.add_error("combinable_with", _("This belongs to another organization."))
        return cleaned


@admin.register(Role)
class RoleAdmin(ServiceBackedTreeAdmin):
    form = RoleAdminForm
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

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # 可兼任岗位: only other roles of the edited role's organization. On the add page the
        # organization is the one chosen (posted, or `?organization=` in the address); until
        # one is chosen nothing is offered rather than every organization's roles.
        if db_field.name == "combinable_with":
            kwargs["queryset"] = combinable_choices(request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def create(self, obj, parent, form):
        fields = {
            name: getattr(obj, name)
            for name in services.ROLE_FIELDS
            if getattr(obj, name) not in (None, "")
        }
        return services.role_create(
            organization=obj.organization,
            department=obj.department,
            reports_to=parent,
            combinable_with=form.cleaned_data.get("combinable_with"),
            **fields,
        )

    def update(self, obj, form):
        fields = self.changed_fields(form, services.ROLE_FIELDS)
        if "department" in form.changed_data:
            fields["department"] = form.cleaned_data["department"]
        if "combinable_with" in form.changed_data:
            fields["combinable_with"] = form.cleaned_data["combinable_with"]
        if fields:
            services.role_update(role=obj, **fields)

    def save_formset(self, request, form, formset, change):
        # Without writing anything, this sorts the rows into new, changed and deleted objects,
        # which the admin's change message reads; the services then do the writes.
        formset.save(commit=False)
        if not formset.has_changed():
            return
        role = Role.objects.get(pk=form.instance.pk)
        rows = [inline_form.cleaned_data for inline_form in self.kept_forms(formset)]
        if formset.model is HeadcountTarget:
            headcount = [
                {
                    "phase": row["phase"].pk,
                    "min": row["min_count"],
                    "max": row["max_count"],
                    "origin": row["origin"],
                    "source_note": row["source_note"],
                }
                for row in rows
            ]
            services.role_update(role=role, headcount=headcount)
            return
        line_fields = ("text_zh", "text_en", "origin", "source_note")
        if formset.model is Requirement:
            line_fields += ("kind", "preferred")
        lines = [
            {name: row[name] for name in line_fields}
            for row in sorted(rows, key=lambda row: row.get("order") or 0)
        ]
        services.role_update(role=role, **{LINE_INLINE_KINDS[formset.model]: lines})

    def move(self, node, target, position):
        return services.role_move(role=node, target=target, position=position)

    def delete(self, node):
        services.role_delete(role=node, children="lift")
