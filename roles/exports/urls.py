"""Export jobs' pages (included by name from `teamorg.urls`)."""

from django.urls import path

from roles.exports import views

app_name = "exports"

urlpatterns = [
    path("orgs/<slug:slug>/exports/", views.export_create, name="create"),
    path("orgs/<slug:slug>/exports/<str:job>/", views.export_job, name="job"),
    path("orgs/<slug:slug>/exports/<str:job>/download", views.export_download, name="download"),
]
