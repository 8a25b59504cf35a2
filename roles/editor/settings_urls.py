"""Organization settings, members and phases pages of the editor (mounted under
`orgs/<slug>/settings/` by `roles.editor.urls`)."""

urlpatterns: list = []
