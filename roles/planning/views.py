"""Pages of head-count planning: the plan, the health checks (with the limits form), the
comparison, and the plan's CSV/XLSX downloads.

Thin: access through `organization_for`, the numbers from the selectors of this package, the
limits written through `departments.services.organization_update`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST, require_safe

from departments import services as department_services
from departments.models import Organization
from departments.selectors import EDIT, READ, organization_for
from roles.exports import services as export_services
from roles.planning.compare import comparison_choices, comparison_for
from roles.planning.exports import CSV, XLSX, plan_download, xlsx_waits_for_a_job
from roles.planning.forms import LimitsForm
from roles.planning.health import may_change_limits, organization_health
from roles.planning.health_checks import plan_department_counts
from roles.planning.links import node_url, url_maker
from roles.planning.overview import plan_overview
from roles.planning.plan import ROLES_PER_PAGE, plan_role_page
from roles.planning.plots import comparison_svg, plot_level
from teamorg.errors import StaleRevision, validation_messages

ROADMAP_ON_PAGE = 300  # steps; the downloads and the API carry the whole roadmap


def _number(value: str) -> int | None:
    """A page or id from the address; anything else is ignored (never an error)."""
    return int(value) if value.isdigit() and len(value) < 12 else None


def _base_context(organization: Organization, section: str) -> dict:
    return {"organization": organization, "section": section}


@require_safe
@login_required
def plan_page(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_for(request.user, slug, READ)
    # The bar chart's department level: "" (the first meaningful one) or 1, 2, … as shown.
    chosen = request.GET.get("level", "")
    level = int(chosen) - 1 if chosen in {str(n) for n in range(1, 10)} else None
    overview = plan_overview(organization, level)
    plan = overview.plan
    role_url = url_maker("roles:role-detail", organization.slug)
    editor_url = url_maker("editor-role", organization.slug)
    department_url = url_maker("roles:department-detail", organization.slug)
    can_edit = may_change_limits(request.user, organization)
    # The roles × phases table, a page at a time, of one department if asked; the totals above
    # it are the whole organization's.
    role_page = plan_role_page(
        plan, _number(request.GET.get("department", "")), _number(request.GET.get("page", "")) or 1
    )
    context = _base_context(organization, "plan")
    context.update(
        plan=plan,
        health=overview.health,
        # Per phase: head count, monthly cost, and for how many of the staffed roles it is
        # known (the others have no salary band).
        totals=[
            (phase, total, cost, unpriced, staffed - unpriced, staffed)
            for phase, total, cost, unpriced, staffed in zip(
                plan.phases, plan.totals, plan.costs, plan.unpriced, plan.staffed, strict=True
            )
        ],
        # Where to add the missing salary bands: each role's form in the editor (editors), or
        # its page (readers).
        unpriced_roles=[
            (role, editor_url(role.pk) if can_edit else role_url(role.pk))
            for role in plan.unpriced_roles
        ],
        role_rows=[(row, role_url(row.role.pk)) for row in role_page.rows],
        role_page=role_page,
        role_pages_shown=len(plan.roles) > ROLES_PER_PAGE,
        department_rows=[(row, department_url(row.department.pk)) for row in plan.departments],
        # Beside each department's sum, its own head count (部门定编) where set (issue 20).
        department_table=_department_table(plan, department_url),
        department_headcount_shown=bool(plan_department_counts(plan.data).planned),
        roadmap=[(step, role_url(step.role.pk)) for step in plan.roadmap[:ROADMAP_ON_PAGE]],
        roadmap_cut=max(0, len(plan.roadmap) - ROADMAP_ON_PAGE),
        # Our own markup; every label inside went through `escape` in roles.planning.plots.
        headcount_svg=mark_safe(overview.svgs["headcount_by_department"]),  # noqa: S308
        roadmap_svg=mark_safe(overview.svgs["cumulative_hires"]),  # noqa: S308
        plot_levels=range(1, 1 + max((row.depth for row in plan.departments), default=-1) + 1),
        plot_level=level + 1 if level is not None else "",
        automatic_level=plot_level(plan) + 1,
    )
    return render(request, "plan/plan.html", context)


def _department_table(plan, department_url) -> list[tuple]:
    """(row, url, [(sum of the roles, DepartmentPhase)] per phase) of the plan's departments.
    No query: the health report read the departments' head count with the plan's data."""
    counts = plan_department_counts(plan.data)
    phase_ids = [phase.pk for phase in plan.phases]
    return [
        (
            row,
            department_url(row.department.pk),
            list(zip(row.total, counts.row(row.department.pk, phase_ids), strict=True)),
        )
        for row in plan.departments
    ]


def _health_response(
    request: HttpRequest,
    organization: Organization,
    form: LimitsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    report = organization_health(organization)
    context = _base_context(organization, "health")
    context.update(
        report=report,
        form=form or LimitsForm.for_organization(organization),
        can_edit=may_change_limits(request.user, organization),
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
    selected = {key: request.GET.get(key, "") for key in ("with", "phase_a", "phase_b")}
    choices = comparison_choices(request.user, organization)
    context = _base_context(organization, "compare")
    context.update(others=choices.others, phases=choices.phases, selected=selected)
    try:
        requested = comparison_for(
            request.user,
            organization,
            with_slug=selected["with"],
            phase_a=selected["phase_a"],
            phase_b=selected["phase_b"],
        )
    except ValidationError as error:
        context["errors"] = validation_messages(error)
        return render(request, "plan/compare.html", context, status=400)
    if requested is not None:
        comparison = requested.comparison
        context.update(
            comparison=comparison,
            base=requested.base,
            target=requested.target,
            chart_svg=mark_safe(comparison_svg(comparison)),  # noqa: S308 - ours, escaped
            changed_departments=[d for d in comparison.departments if d.changed],
        )
        for name, kind in (("department_changes", "department"), ("role_changes", "role")):
            context[name] = [
                (change, node_url(change.organization_slug, change.kind, change.node_id))
                for change in comparison.changes_of(kind)
            ]
    return render(request, "plan/compare.html", context)


def _download(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    organization = organization_for(request.user, slug, READ)
    if file_format == XLSX and xlsx_waits_for_a_job(organization):
        # Too large to build while the request waits: the page of the background job that
        # makes it (started, or joined if one is already under way), as the handbook does.
        job, _created = export_services.request_export(
            user=request.user,
            organization=organization,
            kind="plan_xlsx",
            params={"lang": translation.get_language()},
        )
        return redirect("exports:job", slug=organization.slug, job=job.pk)
    download = plan_download(organization, file_format)
    # Streamed: every query is done; the rows are formatted as the client reads them.
    response = StreamingHttpResponse(download.chunks, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    response["Cache-Control"] = "private, no-cache"
    return response


@require_safe
@login_required
def plan_csv(request: HttpRequest, slug: str) -> HttpResponse:
    return _download(request, slug, CSV)


@require_safe
@login_required
def plan_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    return _download(request, slug, XLSX)
