"""Head-count plan, health checks and comparison: pages, downloads and their API (full paths,
so the API lives next to its pages instead of in `teamorg.api_urls`)."""

from django.urls import path

from roles.planning import views as plan_views

app_name = "plan"

urlpatterns = [
    path("orgs/<slug:slug>/plan/", plan_views.plan_page, name="plan"),
    path("orgs/<slug:slug>/plan.csv", plan_views.plan_csv, name="plan-csv"),
    path("orgs/<slug:slug>/plan.xlsx", plan_views.plan_xlsx, name="plan-xlsx"),
    path("orgs/<slug:slug>/health/", plan_views.health_page, name="health"),
    path("orgs/<slug:slug>/health/limits/", plan_views.health_limits, name="health-limits"),
    path("orgs/<slug:slug>/compare/", plan_views.compare_page, name="compare"),
    path(
        "api/v1/organizations/<slug:slug>/plan/",
        plan_views.PlanAPIView.as_view(),
        name="api-plan",
    ),
    path(
        "api/v1/organizations/<slug:slug>/health/",
        plan_views.HealthAPIView.as_view(),
        name="api-health",
    ),
    path(
        "api/v1/organizations/<slug:slug>/compare/",
        plan_views.CompareAPIView.as_view(),
        name="api-compare",
    ),
]
