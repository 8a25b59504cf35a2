"""Head-count plan, health checks and comparison: pages, downloads and their API (full paths,
so the API lives next to its pages instead of in `teamorg.api_urls`)."""

from django.urls import path

from roles.planning import api, views

app_name = "plan"

urlpatterns = [
    path("orgs/<slug:slug>/plan/", views.plan_page, name="plan"),
    path("orgs/<slug:slug>/plan.csv", views.plan_csv, name="plan-csv"),
    path("orgs/<slug:slug>/plan.xlsx", views.plan_xlsx, name="plan-xlsx"),
    path("orgs/<slug:slug>/health/", views.health_page, name="health"),
    path("orgs/<slug:slug>/health/limits/", views.health_limits, name="health-limits"),
    path("orgs/<slug:slug>/compare/", views.compare_page, name="compare"),
    path("api/v1/organizations/<slug:slug>/plan/", api.PlanAPIView.as_view(), name="api-plan"),
    path(
        "api/v1/organizations/<slug:slug>/health/",
        api.HealthAPIView.as_view(),
        name="api-health",
    ),
    path(
        "api/v1/organizations/<slug:slug>/compare/",
        api.CompareAPIView.as_view(),
        name="api-compare",
    ),
]
