"""Job descriptions, department charters, the handbook and the printed org chart."""

from django.urls import path

from roles.documents import views

app_name = "roles"

urlpatterns = [
    path("orgs/<slug:slug>/roles/<int:pk>/", views.role_detail, name="role-detail"),
    path("orgs/<slug:slug>/roles/<int:pk>/jd.pdf", views.role_jd_pdf, name="role-jd-pdf"),
    path(
        "orgs/<slug:slug>/departments/<int:pk>/",
        views.department_detail,
        name="department-detail",
    ),
    path(
        "orgs/<slug:slug>/departments/<int:pk>/charter.pdf",
        views.department_pdf,
        name="department-pdf",
    ),
    path("orgs/<slug:slug>/handbook.pdf", views.handbook_pdf, name="handbook-pdf"),
    path("orgs/<slug:slug>/chart-print.pdf", views.chart_print_pdf, name="chart-print-pdf"),
]
