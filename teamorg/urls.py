"""Routes. Each feature owns its URL module: pages and editor (`departments.urls`), org
charts (`departments.chart_urls`), job descriptions and PDFs (`roles.urls`), head-count planning,
health checks and comparison (`roles.plan_urls`, pages and their API), REST API v1
(`teamorg.api_urls`)."""

from django.contrib import admin
from django.urls import include, path

from departments.language import language_switch

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", language_switch, name="set_language"),
    path("api/v1/", include("teamorg.api_urls")),
    path("", include("departments.chart_urls")),
    path("", include("roles.urls")),
    path("", include("roles.plan_urls")),
    path("", include("departments.urls")),
]
