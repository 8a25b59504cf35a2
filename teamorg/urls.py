"""Routes. Each feature owns its URL module, included here by name (the shell imports no app):
the REST API v1 (`roles.api.urls`), org charts (`roles.charts.urls`), job descriptions and PDFs
(`roles.documents.urls`), head-count planning, health checks and comparison with their API
(`roles.planning.urls`), background exports (`roles.exports.urls`), the pages and the editor
(`roles.editor.urls`) and the language switch (`departments.urls`)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("departments.urls")),
    path("api/v1/", include("roles.api.urls")),
    path("", include("roles.charts.urls")),
    path("", include("roles.documents.urls")),
    path("", include("roles.planning.urls")),
    path("", include("roles.editor.urls")),
    path("", include("roles.history.urls")),
    path("", include("roles.exports.urls")),
    path("", include("roles.imports.urls")),
]

# Under /api/ a 404 or 500 is JSON like every other API error (teamorg/api_errors.py).
handler404 = "teamorg.api_errors.page_not_found"
handler500 = "teamorg.api_errors.server_error"
