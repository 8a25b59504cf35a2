"""The import's pages (included by name from `teamorg.urls`)."""

from django.urls import path

from roles.imports import views

app_name = "imports"

urlpatterns = [
    path("import/new/", views.import_new, name="new"),
    path("orgs/<slug:slug>/import/", views.import_start, name="start"),
    path("orgs/<slug:slug>/import/<str:job>/", views.import_job, name="job"),
    path("orgs/<slug:slug>/import/<str:job>/mapping/", views.import_mapping, name="mapping"),
    path("orgs/<slug:slug>/import/<str:job>/apply/", views.import_apply_view, name="apply"),
    path(
        "orgs/<slug:slug>/design.xlsx",
        views.design_sheet,
        {"file_format": "xlsx"},
        name="design-xlsx",
    ),
    path(
        "orgs/<slug:slug>/design.csv", views.design_sheet, {"file_format": "csv"}, name="design-csv"
    ),
]
