"""Organization settings, members and phases pages of the editor (mounted under
`orgs/<slug>/settings/` by `roles.editor.urls`)."""

from django.urls import path

from roles.editor import organization_settings as views

urlpatterns = [
    path("", views.organization_settings, name="org-settings"),
    path("members/", views.organization_members_page, name="org-members"),
    path("members/<int:pk>/", views.member_change, name="org-member"),
    path(
        "members/invitations/<int:pk>/withdraw/",
        views.invitation_withdraw,
        name="org-invitation-withdraw",
    ),
    path("phases/", views.organization_phases, name="org-phases"),
    path("phases/<int:pk>/", views.phase_change, name="org-phase"),
    path("phases/<int:pk>/delete/", views.phase_delete, name="org-phase-delete"),
]
