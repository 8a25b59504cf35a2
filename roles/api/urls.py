"""REST API v1 routes (see docs/design.md, "Contract that other tools rely on")."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from roles.api.auth import TokenView
from roles.api.collaborations import CollaborationViewSet
from roles.api.departments import DepartmentViewSet
from roles.api.exports import OrganizationExportViewSet
from roles.api.history import OrganizationHistoryViewSet
from roles.api.imports import OrganizationImportViewSet
from roles.api.invitations import InvitationViewSet
from roles.api.organizations import OrganizationViewSet
from roles.api.phases import PhaseViewSet
from roles.api.roles import RoleViewSet

router = DefaultRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("departments", DepartmentViewSet, basename="department")
router.register("roles", RoleViewSet, basename="role")
router.register("phases", PhaseViewSet, basename="phase")
router.register("collaborations", CollaborationViewSet, basename="collaboration")
router.register("invitations", InvitationViewSet, basename="invitation")

# The history is nested under an organization, with the slug pattern of `OrganizationViewSet`;
# listed before the router so that its paths are not read as organization actions.
ORGANIZATION = r"^organizations/(?P<slug>[-a-zA-Z0-9_]{1,80})/"
REVISION = r"history/(?P<revision>[0-9]{1,18})/"
history = OrganizationHistoryViewSet.as_view
exports = OrganizationExportViewSet.as_view
JOB = r"exports/(?P<job>[0-9a-fA-F-]{32,36})/"
imports = OrganizationImportViewSet.as_view
IMPORT = r"import/(?P<job>[0-9a-fA-F-]{32,36})/"

urlpatterns = [
    re_path(ORGANIZATION + r"history/$", history({"get": "list"}), name="organization-history"),
    re_path(
        ORGANIZATION + REVISION + "$",
        history({"get": "retrieve"}),
        name="organization-history-revision",
    ),
    re_path(
        ORGANIZATION + REVISION + "revert/$",
        history({"post": "revert"}),
        name="organization-history-revert",
    ),
    re_path(ORGANIZATION + r"restore/$", history({"post": "restore"}), name="organization-restore"),
    re_path(
        ORGANIZATION + r"exports/$",
        exports({"get": "list", "post": "create"}),
        name="organization-exports",
    ),
    re_path(ORGANIZATION + JOB + "$", exports({"get": "retrieve"}), name="organization-export"),
    re_path(
        ORGANIZATION + JOB + "download/$",
        exports({"get": "download"}),
        name="organization-export-download",
    ),
    re_path(ORGANIZATION + r"import/$", imports({"post": "create"}), name="organization-imports"),
    re_path(ORGANIZATION + IMPORT + "$", imports({"get": "retrieve"}), name="organization-import"),
    re_path(
        ORGANIZATION + IMPORT + "mapping/$",
        imports({"post": "mapping"}),
        name="organization-import-mapping",
    ),
    re_path(
        ORGANIZATION + IMPORT + "apply/$",
        imports({"post": "apply"}),
        name="organization-import-apply",
    ),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Split: the page loads its set-up script from ?script, so it needs no inline script (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
