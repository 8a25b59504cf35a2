"""Organizations with their members and phases."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from departments import services as department_services
from departments.models import HeadcountPhase, MemberRole, Membership, Organization
from roles import services
from roles.admin.base import ServiceBackedAdmin, TemplateReadOnlyInline


class MembershipFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if self.instance.pk is None:
            return  # a new organization is owned by the user who creates it
        owners = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("role") == MemberRole.OWNER
        ]
        if not owners:
            raise ValidationError(_("An organization keeps at least one owner."), code="last_owner")


class MembershipInline(TemplateReadOnlyInline):
    model = Membership
    formset = MembershipFormSet
    autocomplete_fields = ("user",)


class PhaseInline(TemplateReadOnlyInline):
    model = HeadcountPhase


@admin.register(Organization)
class OrganizationAdmin(ServiceBackedAdmin):
    list_display = ("slug", "name_zh", "name_en", "business_model", "is_template", "revision")
    list_filter = ("is_template", "business_model")
    search_fields = ("slug", "name_zh", "name_en")
    inlines = (MembershipInline, PhaseInline)

    def get_readonly_fields(self, request, obj=None):
        # Only what the service changes is editable; whether an organization is a template is
        # decided by `loadtemplates`, never by a checkbox that would show it to every user.
        return [
            field.name
            for field in Organization._meta.fields
            if field.name not in department_services.ORGANIZATION_FIELDS and field.name != "id"
        ]

    def save_model(self, request, obj, form, change):
        fields = self.changed_fields(form, department_services.ORGANIZATION_FIELDS)
        if change:
            if fields:
                department_services.organization_update(organization=obj, **fields)
            return
        created = department_services.organization_create(
            name_zh=obj.name_zh,
            name_en=obj.name_en,
            slug=obj.slug,
            business_model=obj.business_model,
            description_zh=obj.description_zh,
            description_en=obj.description_en,
            owner=request.user,
        )
        limits = {
            name: value
            for name, value in fields.items()
            if name in ("span_of_control_limit", "layer_limit")
        }
        if limits:
            department_services.organization_update(organization=created, **limits)
        obj.pk = created.pk
        obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        # Without writing anything, this sorts the rows into new, changed and deleted objects,
        # which the admin's change message reads; the services then do the writes.
        formset.save(commit=False)
        organization = Organization.objects.get(pk=form.instance.pk)
        if formset.model is Membership:
            self._save_memberships(organization, formset)
        else:
            self._save_phases(organization, formset)

    def _save_memberships(self, organization, formset):
        # New owners and role changes first, removals last: the last-owner rule is checked
        # against the memberships as they will be.
        removed = []
        for inline_form in self.kept_forms(formset):
            if inline_form.has_changed():
                department_services.membership_set(
                    organization=organization,
                    user=inline_form.cleaned_data["user"],
                    role=inline_form.cleaned_data["role"],
                )
                if inline_form.instance.pk and "user" in inline_form.changed_data:
                    removed.append(Membership.objects.get(pk=inline_form.instance.pk))
        removed += [
            inline_form.instance
            for inline_form in formset.forms
            if inline_form.instance.pk and inline_form.cleaned_data.get("DELETE")
        ]
        for membership in removed:
            department_services.membership_remove(membership=membership)

    def _save_phases(self, organization, formset):
        allowed = department_services.PHASE_FIELDS
        for inline_form in formset.forms:
            if inline_form.instance.pk and inline_form.cleaned_data.get("DELETE"):
                department_services.phase_delete(phase=inline_form.instance)
        for inline_form in self.kept_forms(formset):
            fields = self.changed_fields(inline_form, allowed)
            if inline_form.instance.pk is None:
                department_services.phase_create(organization=organization, **fields)
            elif fields:
                department_services.phase_update(phase=inline_form.instance, **fields)

    def delete_model(self, request, obj):
        services.organization_delete(organization=obj)
