"""REST API v1 routes (see docs/design.md, "Contract that other tools rely on")."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from roles.api.auth import TokenView
from roles.api.collaborations import CollaborationViewSet
from roles.api.departments import DepartmentViewSet
from roles.api.organizations import OrganizationViewSet
from roles.api.phases import PhaseViewSet
from roles.api.roles import RoleViewSet

router = DefaultRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("departments", DepartmentViewSet, basename="department")
router.register("roles", RoleViewSet, basename="role")
router.register("phases", PhaseViewSet, basename="phase")
router.register("collaborations", CollaborationViewSet, basename="collaboration")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
