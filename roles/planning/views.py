"""Head-count plan, health checks and comparison: pages, CSV/XLSX downloads and the API views.
Thin: access via `organization_for`, numbers from `roles.selectors`, plots from `roles.plots`."""

from __future__ import annotations

import csv
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_POST, require_safe
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from departments import services as department_services
from departments.models import HeadcountPhase, Organization
from departments.selectors import (
    EDIT,
    READ,
    check_access,
    member_role,
    organization_for,
    organizations_visible_to,
)
from roles.api.common import (
    IF_NONE_MATCH_PARAMETER,
    LANG_PARAMETER,
    ApiViewMixin,
    not_modified,
    not_modified_response,
    with_etag,
)
from roles.planning import plots
from roles.planning.data import (
    Comparison,
    compare_designs,
    compare_phases,
    organization_health,
    organization_plan,
    plan_data,
)
from roles.planning.serializers import (
    CompareSerializer,
    HealthSerializer,
    PlanSerializer,
    comparison_json,
    health_json,
    node_url,
    plan_json,
)
from teamorg.errors import StaleRevision

# --- Comparison arguments (shared by the page and the API) -------------------------------------


def _phase(organization: Organization, name: str, value: str) -> HeadcountPhase:
    phase = None
    if value.strip().isdigit() and len(value.strip()) < 10:
        phase = HeadcountPhase.objects.filter(organization=organization, pk=int(value)).first()
    if phase is None:
        raise ValidationError(
            {
                name: ValidationError(
                    pgettext("plan", "No such phase in this organization."), code="invalid"
                )
            }
        )
    return phase


def comparison_for(
    user, organization: Organization, params
) -> tuple[Comparison, dict, dict] | None:
    """The comparison the query asks for: `with=<slug>` (another design the user can read),
    `phase_a` and `phase_b` (two phases of this design), or, without either, the design this
    one was cloned from when the user can read it. None when there is nothing to compare.
    Raises ValidationError for bad arguments and Http404 for a design the user cannot see."""
    other_slug = (params.get("with") or "").strip()
    phase_a, phase_b = params.get("phase_a", ""), params.get("phase_b", "")
    if other_slug and (phase_a or phase_b):
        raise ValidationError(
            {
                "with": ValidationError(
                    pgettext("plan", "Compare with another design or two phases, not both."),
                    code="ambiguous",
                )
            }
        )
    if phase_a or phase_b:
        errors = {}
        for name, value in (("phase_a", phase_a), ("phase_b", phase_b)):
            if not value:
                errors[name] = ValidationError(
                    pgettext("plan", "Choose the phase to compare."), code="required"
                )
        if errors:
            raise ValidationError(errors)
        first = _phase(organization, "phase_a", phase_a)
        second = _phase(organization, "phase_b", phase_b)
        comparison = compare_phases(organization, first, second)
        side = {"slug": organization.slug, "name": organization.name}
        return (
            comparison,
            {**side, "phase": first.pk},
            {**side, "phase": second.pk},
        )
    if other_slug:
        base = organization_for(user, other_slug, READ)
    else:
        base = organization.cloned_from
        if base is None or member_role(user, base) is None:
            return None
    comparison = compare_designs(base, organization)
    return (
        comparison,
        {"slug": base.slug, "name": base.name, "phase": None},
        {"slug": organization.slug, "name": organization.name, "phase": None},
    )


# --- Pages -------------------------------------------------------------------------------------


class LimitsForm(forms.Form):
    span_of_control_limit = forms.IntegerField(
        label=pgettext_lazy("plan", "Most direct reports per manager"), min_value=1, max_value=100
    )
    layer_limit = forms.IntegerField(
        label=pgettext_lazy("plan", "Most reporting layers"), min_value=1, max_value=30
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _can_edit(user, organization: Organization) -> bool:
    try:
        check_access(user, organization, EDIT)
    except PermissionDenied:
        return False
    return True


def _base_context(organization: Organization, section: str) -> dict:
    return {"organization": organization, "section": section}


ROADMAP_ON_PAGE = 300  # steps; the downloads and the API carry the whole roadmap
_SENTINEL = 987654321


def _url_maker(name: str, slug: str):
    """pk → URL of a per-node page, reversing once instead of once per row (a `{% url %}` per
    row is most of the time of a 5,000-role page)."""
    head, _, tail = reverse(name, args=[slug, _SENTINEL]).partition(str(_SENTINEL))
    return lambda pk: f"{head}{pk}{tail}"


@require_safe
@login_required
def plan_page(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_for(request.user, slug, READ)
    data = plan_data(organization)
    plan = organization_plan(organization, data)
    health = organization_health(organization, data)
    svgs = plots.plan_svgs(plan)
    role_url = _url_maker("roles:role-detail", organization.slug)
    department_url = _url_maker("roles:department-detail", organization.slug)
    context = _base_context(organization, "plan")
    context.update(
        plan=plan,
        health=health,
        totals=list(zip(plan.phases, plan.totals, plan.costs, plan.unpriced, strict=True)),
        role_rows=[(row, role_url(row.role.pk)) for row in plan.roles],
        department_rows=[(row, department_url(row.department.pk)) for row in plan.departments],
        roadmap=[(step, role_url(step.role.pk)) for step in plan.roadmap[:ROADMAP_ON_PAGE]],
        roadmap_cut=max(0, len(plan.roadmap) - ROADMAP_ON_PAGE),
        # Our own markup; every label inside went through `escape` in roles.plots.
        headcount_svg=mark_safe(svgs["headcount_by_department"]),  # noqa: S308
        roadmap_svg=mark_safe(svgs["cumulative_hires"]),  # noqa: S308
    )
    return render(request, "plan/plan.html", context)


def _health_response(
    request: HttpRequest, organization: Organization, form: LimitsForm | None = None, status=200
) -> HttpResponse:
    report = organization_health(organization)
    can_edit = _can_edit(request.user, organization)
    if form is None:
        form = LimitsForm(
            initial={
                "span_of_control_limit": organization.span_of_control_limit,
                "layer_limit": organization.layer_limit,
                "revision": organization.revision,
            }
        )
    context = _base_context(organization, "health")
    context.update(
        report=report,
        form=form,
        can_edit=can_edit,
        checks=[
            (
                check,
                [(f, node_url(organization.slug, f.node_kind, f.node_id)) for f in check.findings],
            )
            for check in report.checks
        ],
    )
    return render(request, "plan/health.html", context, status=status)


@require_safe
@login_required
def health_page(request: HttpRequest, slug: str) -> HttpResponse:
    return _health_response(request, organization_for(request.user, slug, READ))


@require_POST
@login_required
def health_limits(request: HttpRequest, slug: str) -> HttpResponse:
    """Change the span-of-control and layer limits (editors and owners; never a template)."""
    organization = organization_for(request.user, slug, EDIT)
    form = LimitsForm(request.POST)
    if not form.is_valid():
        return _health_response(request, organization, form, status=400)
    try:
        department_services.organization_update(
            organization=organization,
            expected_revision=form.cleaned_data["revision"],
            span_of_control_limit=form.cleaned_data["span_of_control_limit"],
            layer_limit=form.cleaned_data["layer_limit"],
        )
    except StaleRevision as stale:
        form.add_error(None, str(stale))
        return _health_response(request, organization, form, status=409)
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return _health_response(request, organization, form, status=400)
    messages.success(request, pgettext("plan", "The limits are saved."))
    return redirect("plan:health", slug=organization.slug)


@require_safe
@login_required
def compare_page(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_for(request.user, slug, READ)
    context = _base_context(organization, "compare")
    context.update(
        others=organizations_visible_to(request.user).exclude(pk=organization.pk),
        phases=list(organization.phases.order_by("order")),
        selected={key: request.GET.get(key, "") for key in ("with", "phase_a", "phase_b")},
    )
    status = 200
    try:
        result = comparison_for(request.user, organization, request.GET)
    except ValidationError as error:
        result = None
        context["errors"] = [m for problems in error.message_dict.values() for m in problems]
        status = 400
    if result is not None:
        comparison, base, target = result
        context.update(
            comparison=comparison,
            base=base,
            target=target,
            chart_svg=mark_safe(plots.comparison_svg(comparison)),  # noqa: S308 - ours, escaped
            changed_departments=[d for d in comparison.departments if d.changed],
        )
        for name, kind in (("department_changes", "department"), ("role_changes", "role")):
            context[name] = [
                (change, node_url(change.organization_slug, change.kind, change.node_id))
                for change in comparison.changes_of(kind)
            ]
    return render(request, "plan/compare.html", context, status=status)


# --- Downloads ---------------------------------------------------------------------------------

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(value):
    """Spreadsheets run a cell starting with = + - @ as a formula: quote such user text."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def plan_table(plan) -> tuple[list[str], list[list]]:
    """The head-count plan as one table: a row per role, then per department (subtree totals),
    then the organization's total. The same rows go to CSV and XLSX."""
    header = [
        pgettext("plan", "type"),
        pgettext("plan", "department code"),
        pgettext("plan", "department"),
        pgettext("plan", "role code"),
        pgettext("plan", "role"),
        pgettext("plan", "level"),
        pgettext("plan", "hiring priority"),
        pgettext("plan", "salary from"),
        pgettext("plan", "salary to"),
    ]
    for phase in plan.phases:
        header += [
            pgettext("plan", "%(phase)s min") % {"phase": phase.name},
            pgettext("plan", "%(phase)s max") % {"phase": phase.name},
        ]
    paths = {row.department.pk: row.path for row in plan.departments}
    rows = []

    def counts(values) -> list:
        cells = []
        for value in values:
            cells += ["", ""] if value is None else [value.min, value.max]
        return cells

    for row in plan.roles:
        role = row.role
        rows.append(
            ["role", row.department.code, paths[row.department.pk], role.code, role.title,
             role.get_level_display(), role.hiring_priority or "", role.salary_min or "",
             role.salary_max or ""] + counts(row.counts)
        )  # fmt: skip
    for row in plan.departments:
        rows.append(
            ["department", row.department.code, row.path, "", "", "", "", "", ""]
            + counts(row.total)
        )
    rows.append(["total", "", plan.organization.name, "", "", "", "", "", ""] + counts(plan.totals))
    return header, rows


def _download_name(organization: Organization, extension: str) -> str:
    return f"{organization.slug}-plan.{extension}"


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    return response


@require_safe
@login_required
def plan_csv(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_for(request.user, slug, READ)
    header, rows = plan_table(organization_plan(organization))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    # The BOM makes Excel read the file as UTF-8, so Chinese is not garbled.
    body = "\ufeff" + buffer.getvalue()
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    return _attachment(response, _download_name(organization, "csv"))


@require_safe
@login_required
def plan_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    from openpyxl import Workbook

    organization = organization_for(request.user, slug, READ)
    plan = organization_plan(organization)
    header, rows = plan_table(plan)
    # Write-only mode streams rows: a 5,000-role plan is ~80,000 cells.
    book = Workbook(write_only=True)
    sheet = book.create_sheet(pgettext("plan", "Head count")[:31])
    _write_sheet(sheet, header, rows)
    roadmap = book.create_sheet(pgettext("plan", "Hiring roadmap")[:31])
    _write_sheet(
        roadmap,
        [
            pgettext("plan", "step"),
            pgettext("plan", "phase"),
            pgettext("plan", "role code"),
            pgettext("plan", "role"),
            pgettext("plan", "department"),
            pgettext("plan", "hiring priority"),
            pgettext("plan", "hires min"),
            pgettext("plan", "hires max"),
            pgettext("plan", "cumulative min"),
            pgettext("plan", "cumulative max"),
        ],
        [
            [
                step.number,
                step.phase.name,
                step.role.code,
                step.role.title,
                step.department.name,
                step.role.hiring_priority or "",
                step.hires.min,
                step.hires.max,
                step.cumulative.min,
                step.cumulative.max,
            ]
            for step in plan.roadmap
        ],  # fmt: skip
    )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return _attachment(response, _download_name(organization, "xlsx"))


def _write_sheet(sheet, header: list, rows: list[list]) -> None:
    """Header and rows into a write-only sheet (column widths and frozen header first: a
    write-only sheet takes them only before its rows)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    for index in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 16
    sheet.freeze_panes = "A2"

    def text(value):
        # openpyxl stores a string starting with "=" as a formula; user text must stay text.
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            return cell
        return value

    sheet.append([text(value) for value in header])
    for row in rows:
        sheet.append([text(value) for value in row])


# --- API ---------------------------------------------------------------------------------------


class _OrganizationAPIView(ApiViewMixin, APIView):
    def organization(self, slug: str) -> Organization:
        return organization_for(self.request.user, slug, READ)


class PlanAPIView(_OrganizationAPIView):
    @extend_schema(
        operation_id="organizations_plan",
        summary="Head-count plan",
        description="Roles × phases (min–max), department totals rolled up through the "
        "department tree, the organization's totals, monthly cost from salary bands and the "
        "hiring roadmap with cumulative head count. ETag: the organization revision.",
        parameters=[LANG_PARAMETER, IF_NONE_MATCH_PARAMETER],
        responses=PlanSerializer,
        tags=["planning"],
    )
    def get(self, request, slug: str):
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
    def get(self, request, slug: str):
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
    def get(self, request, slug: str):
        organization = self.organization(slug)
        result = comparison_for(request.user, organization, request.query_params)
        if result is None:
            raise exceptions.ValidationError(
                {
                    "with": [
                        pgettext(
                            "plan",
                            "Give with=<slug> or phase_a and phase_b: this design was not "
                            "cloned from one you can read.",
                        )
                    ]
                }
            )
        comparison, base, target = result
        return Response(comparison_json(comparison, base=base, target=target))
