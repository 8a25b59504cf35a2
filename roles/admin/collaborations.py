"""Collaboration lines: both ends in the line's organization, written by the services."""

from django.contrib import admin

from roles import services
from roles.admin.base import SameOrganizationForm, ServiceBackedAdmin
from roles.models import Collaboration


class CollaborationForm(SameOrganizationForm):
    related_fields = ("from_department", "to_department", "from_role", "to_role")


@admin.register(Collaboration)
class CollaborationAdmin(ServiceBackedAdmin):
    form = CollaborationForm
    list_display = ("organization", "from_department", "to_department", "from_role", "to_role")
    list_filter = ("organization",)

    def get_readonly_fields(self, request, obj=None):
        # A line stays in its organization; its ends are chosen when it is drawn.
        if obj is None:
            return ()
        return ("organization", "from_department", "to_department", "from_role", "to_role")

    def save_model(self, request, obj, form, change):
        fields = self.changed_fields(form, services.COLLABORATION_FIELDS)
        if change:
            if fields:
                services.collaboration_update(collaboration=obj, **fields)
            return
        created = services.collaboration_create(
            organization=obj.organization,
            from_department=obj.from_department,
            to_department=obj.to_department,
            from_role=obj.from_role,
            to_role=obj.to_role,
            **fields,
        )
        obj.pk = created.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.collaboration_delete(collaboration=obj)
