"""Browser pages: sign in/out, dashboard, organization overview, new organization and the editor
with the small endpoints it posts to.

No `app_name`: settings and base.html use the plain names `login` and `logout`, so the names of
this module are un-namespaced and carry their own prefixes (`org-…`, `editor-…`).
"""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from roles.editor import (
    collaboration_lines,
    department_form,
    editor,
    headcount_grid,
    pages,
    role_form,
    undo,
)

urlpatterns = [
    path("", pages.dashboard, name="dashboard"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "invitations/<int:pk>/accept/",
        pages.invitation_answer,
        {"answer": "accept"},
        name="invitation-accept",
    ),
    path(
        "invitations/<int:pk>/decline/",
        pages.invitation_answer,
        {"answer": "decline"},
        name="invitation-decline",
    ),
    # Before `orgs/<slug>/`: "new" is never an organization.
    path("orgs/new/", pages.organization_new, name="org-new"),
    path("orgs/<slug:slug>/", pages.organization_overview, name="org-overview"),
    path(
        "orgs/<slug:slug>/outline/departments/<int:pk>/",
        pages.overview_children,
        name="overview-children",
    ),
    path("orgs/<slug:slug>/edit/", editor.editor, name="org-editor"),
    path(
        "orgs/<slug:slug>/edit/outlines/", editor.editor_outlines_fragment, name="editor-outlines"
    ),
    path("orgs/<slug:slug>/edit/find/", editor.editor_find, name="editor-find"),
    path(
        "orgs/<slug:slug>/edit/headcount/grid/",
        headcount_grid.editor_headcount_grid,
        name="editor-headcount-grid",
    ),
    path("orgs/<slug:slug>/edit/move/", editor.editor_move, name="editor-move"),
    path("orgs/<slug:slug>/edit/undo/", undo.editor_undo, name="editor-undo"),
    path("orgs/<slug:slug>/edit/redo/", undo.editor_redo, name="editor-redo"),
    # Before `<str:kind>/…`: "collaborations" is not a tree.
    path(
        "orgs/<slug:slug>/edit/collaborations/add/",
        collaboration_lines.editor_collaboration_add,
        name="editor-collaboration-add",
    ),
    path(
        "orgs/<slug:slug>/edit/collaborations/add/form/",
        editor.editor_collaboration_add_form,
        name="editor-collaboration-add-form",
    ),
    path(
        "orgs/<slug:slug>/edit/collaborations/<int:pk>/",
        collaboration_lines.editor_collaboration,
        name="editor-collaboration",
    ),
    path(
        "orgs/<slug:slug>/edit/collaborations/<int:pk>/delete/",
        collaboration_lines.editor_collaboration_delete,
        name="editor-collaboration-delete",
    ),
    path(
        "orgs/<slug:slug>/edit/<str:kind>/add/",
        editor.editor_add,
        name="editor-add",
    ),
    path(
        "orgs/<slug:slug>/edit/<str:kind>/<int:pk>/rename/",
        editor.editor_rename,
        name="editor-rename",
    ),
    path(
        "orgs/<slug:slug>/edit/<str:kind>/<int:pk>/children/",
        editor.editor_children,
        name="editor-children",
    ),
    path(
        "orgs/<slug:slug>/edit/<str:kind>/<int:pk>/move/",
        editor.editor_move_form,
        name="editor-move-form",
    ),
    path(
        "orgs/<slug:slug>/edit/<str:kind>/<int:pk>/delete/",
        editor.editor_delete,
        name="editor-delete",
    ),
    path("orgs/<slug:slug>/edit/roles/<int:pk>/", role_form.editor_role, name="editor-role"),
    path(
        "orgs/<slug:slug>/edit/departments/<int:pk>/",
        department_form.editor_department,
        name="editor-department",
    ),
    path(
        "orgs/<slug:slug>/edit/headcount/", headcount_grid.editor_headcount, name="editor-headcount"
    ),
    path("orgs/<slug:slug>/settings/", include("roles.editor.settings_urls")),
]
