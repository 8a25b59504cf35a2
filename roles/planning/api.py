"""The planning API: the head-count plan, the health checks and the comparison of one design.

Answers are plain dicts built in `roles.planning.serializers`; the serializers there document
them for the OpenAPI schema. Errors take the project's one JSON path (`teamorg.api_errors`).
"""

from __future__ import annotations

from django.utils.translation import pgettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from departments.models import Organization
from departments.selectors import READ, organization_for
from roles.api.common import (
    IF_NONE_MATCH_PARAMETER,
    LANG_PARAMETER,
    ApiViewMixin,
    not_modified,
    not_modified_response,
    with_etag,
)
from roles.planning.compare import comparison_for
from roles.planning.health import organization_health
from roles.planning.plan import organization_plan
from roles.planning.serializers import (
    CompareSerializer,
    HealthSerializer,
    PlanSerializer,
    comparison_json,
    health_json,
    plan_json,
)
from teamorg.errors import field_error


class _OrganizationAPIView(ApiViewMixin, APIView):
    def organization(self, slug: str) -> Organization:
        return organization_for(self.request.user, slug, READ)


class PlanAPIView(_OrganizationAPIView):
    @extend_schema(
        operation_id="organizations_plan",
        summary="Head-count plan",
        description="Roles × phases (min–max), department totals rolled up through the "
        "department tree, the organization's totals, monthly cost from salary bands and the "
        "hiring roadmap with the planned head count after each step (it ends on the final "
        "phase's total). ETag: the organization revision.",
        parameters=[LANG_PARAMETER, IF_NONE_MATCH_PARAMETER],
        responses=PlanSerializer,
        tags=["planning"],
    )
    def get(self, request: Request, slug: str) -> Response:
        organization = self.organization(slug)
        if not_modified(request, organization.revision):
            return not_modified_response(organization.revision)
        return with_etag(
            Response(plan_json(organization_plan(organization))), organization.revision
        )


class HealthAPIView(_OrganizationAPIView):
    @extend_schema(
        operation_id="organizations_health",
        summary="Org health checks",
        description="Every check (span of control, single reports, layers, roles without duties "
        "or requirements, empty departments, roles without head count, combined roles, total "
        "against the seed guideline) with a plain-language explanation and its findings, each "
        "linking to its node.",
        parameters=[LANG_PARAMETER, IF_NONE_MATCH_PARAMETER],
        responses=HealthSerializer,
        tags=["planning"],
    )
    def get(self, request: Request, slug: str) -> Response:
        organization = self.organization(slug)
        if not_modified(request, organization.revision):
            return not_modified_response(organization.revision)
        report = organization_health(organization)
        return with_etag(Response(health_json(report)), organization.revision)


class CompareAPIView(_OrganizationAPIView):
    @extend_schema(
        operation_id="organizations_compare",
        summary="Compare two designs or two phases",
        description="`with`: changes from that design to this one (departments and roles "
        "matched by code: added, removed, moved, retitled; head count per department per "
        "phase). `phase_a` and `phase_b`: this design's head count in two phases. Without "
        "either: against the design this one was cloned from.",
        parameters=[
            LANG_PARAMETER,
            OpenApiParameter("with", OpenApiTypes.STR, description="Slug of the other design."),
            OpenApiParameter("phase_a", OpenApiTypes.INT, description="Phase id (before)."),
            OpenApiParameter("phase_b", OpenApiTypes.INT, description="Phase id (after)."),
        ],
        responses=CompareSerializer,
        tags=["planning"],
    )
    def get(self, request: Request, slug: str) -> Response:
        organization = self.organization(slug)
        params = request.query_params
        requested = comparison_for(
            request.user,
            organization,
            with_slug=params.get("with", ""),
            phase_a=params.get("phase_a", ""),
            phase_b=params.get("phase_b", ""),
        )
        if requested is None:
            # The page offers a choice here; an API client has to say what to compare.
            raise field_error(
                "with",
                pgettext(
                    "plan",
                    "Give with=<slug> or phase_a and phase_b: this design was not "
                    "cloned from one you can read.",
                ),
                "invalid",
            )
        return Response(
            comparison_json(requested.comparison, base=requested.base, target=requested.target)
        )
