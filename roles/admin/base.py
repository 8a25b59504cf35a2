"""What every admin of TeamOrg shares: forms that catch cross-organization links, templates
shown read-only, and the guard that turns a service's refusal during a save into a message with
nothing changed."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from departments.models import Department, Organization
from roles.models import Role
from teamorg.errors import validation_messages


class SameOrganizationForm(forms.ModelForm):
    """Catches on the form what the services would refuse, so the admin shows a form error
    next to the field instead of a message after the save was refused."""

    related_fields: tuple[str, ...] = ("parent", "reports_to", "department")

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


def organization_of(obj) -> Organization | None:
    """The organization an admin object belongs to (an organization is its own)."""
    if obj is None or isinstance(obj, Organization):
        return obj
    return getattr(obj, "organization", None)


def in_template(obj) -> bool:
    organization = organization_of(obj)
    return organization is not None and organization.is_template


class TemplateReadOnly:
    """A template and everything in it is shown, never changed or deleted, by every admin user
    (superusers included): templates change only by `loadtemplates`, and every user reads
    them. For admins and inlines alike (an inline's `obj` is the object it is shown in)."""

    def has_change_permission(self, request, obj=None):
        return not in_template(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not in_template(obj) and super().has_delete_permission(request, obj)


class TemplateReadOnlyInline(TemplateReadOnly, admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return not in_template(obj) and super().has_add_permission(request, obj)


class ServiceBackedAdmin(TemplateReadOnly, admin.ModelAdmin):
    """Saves and deletes call services (subclasses say which). A service may still refuse when
    the form could not know (a concurrent change, the last owner): Django's admin wraps the
    whole save in one transaction, so letting the refusal leave that block rolls back every
    part of the save; the user then sees the service's message. An object another writer
    deleted meanwhile (the service re-reads it under the lock) leads back to the list."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(validation_messages(error)), messages.ERROR)
            return redirect(request.get_full_path())
        except ObjectDoesNotExist as error:
            return self._gone(request, error)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(validation_messages(error)), messages.ERROR)
            return redirect(request.path.rsplit("/delete/", 1)[0] + "/change/")
        except ObjectDoesNotExist as error:
            return self._gone(request, error)

    def changelist_view(self, request, extra_context=None):
        # The bulk delete action runs here, outside the transaction Django gives the other views.
        try:
            return super().changelist_view(request, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(validation_messages(error)), messages.ERROR)
            return redirect(request.get_full_path())
        except ObjectDoesNotExist as error:
            return self._gone(request, error)

    def _gone(self, request, error: ObjectDoesNotExist):
        self.message_user(request, str(error), messages.ERROR)
        opts = self.model._meta
        return redirect(f"admin:{opts.app_label}_{opts.model_name}_changelist")

    def history_view(self, request, object_id, extra_context=None):
        """The design's own history: the admin's log sees only the admin's saves, the design's
        history records every write, whatever the channel."""
        obj = self.get_object(request, unquote(object_id))
        organization = getattr(obj, "organization", obj)
        if obj is None or not isinstance(organization, Organization):
            return super().history_view(request, object_id, extra_context)
        url = reverse("org-history", args=[organization.slug])
        node = {Department: "departments", Role: "roles"}.get(type(obj))
        return redirect(f"{url}?node={node}-{obj.pk}" if node else url)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        # The bulk "delete selected" action: one service call per object, never a raw delete;
        # all or nothing, like the other admin writes.
        for obj in queryset:
            self.delete_model(request, obj)

    @staticmethod
    def changed_fields(form, allowed: set[str]) -> dict:
        """The fields the user changed that the service accepts."""
        return {name: form.cleaned_data[name] for name in form.changed_data if name in allowed}

    @staticmethod
    def kept_forms(formset) -> list:
        """The inline forms that remain after the save: not deleted, not an untouched blank."""
        return [
            form
            for form in formset.forms
            if form.has_changed() or form.instance.pk is not None
            if not (formset.can_delete and form.cleaned_data.get("DELETE"))
        ]
