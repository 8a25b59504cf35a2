"""The history pages of an organization (included by name from `teamorg.urls`)."""

from django.urls import path

from roles.history import views

urlpatterns = [
    path("orgs/<slug:slug>/history/", views.history, name="org-history"),
    path("orgs/<slug:slug>/history/compare/", views.history_compare, name="org-history-compare"),
    path(
        "orgs/<slug:slug>/history/<int:number>/restore/",
        views.history_restore,
        name="org-history-restore",
    ),
    path(
        "orgs/<slug:slug>/history/<int:number>/revert/",
        views.history_revert,
        name="org-history-revert",
    ),
]
