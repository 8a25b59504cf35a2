"""The editor's head-count grid: each cell (a role in a phase) saves itself as one unit.

A cell posts its "at least" and "at most" together, exactly as they are in its inputs when the
user leaves the cell or presses Enter (`static/js/headcount.js`); moving between the two inputs
of one cell sends nothing, so the server never fills one bound while the user is still typing the
other. The answer is out-of-band only: the saved cell, the grid's per-phase totals and the status
line. A refused cell (400) answers with the cell as it is saved, the message beside it and in the
alert region, so what the grid shows is always what the plan, charts and handbook will use.

What an emptied or half-filled cell means is `roles.services.headcount.headcount_set`'s rule.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from departments.models import HeadcountPhase, Organization
from roles.editor.context import HeadcountCells, headcount_grid, headcount_totals, phase_totals
from roles.editor.decorators import editor_action, editor_fragment
from roles.editor.forms import HeadcountForm
from roles.editor.kinds import ROLES
from roles.editor.responses import (
    alert,
    form_messages,
    is_htmx,
    refresh_revision,
    with_revision,
)
from roles.models import HeadcountTarget, Role
from roles.selectors.design import organization_outline
from roles.services.headcount import headcount_set
from teamorg.errors import validation_messages
from teamorg.limits import HEADCOUNT_LIMIT

CELL_TEMPLATE = "departments/editor/_headcount_saved.html"
GRID_TEMPLATE = "departments/editor/_headcount.html"


def _phase(organization: Organization, pk: int) -> HeadcountPhase:
    """A head-count phase of this organization; another organization's is missing (404)."""
    phase = HeadcountPhase.objects.filter(organization=organization, pk=pk).first()
    if phase is None:
        raise Http404(_("That phase is not part of this organization."))
    return phase


def _cell_node(organization: Organization, data) -> tuple[Role, HeadcountPhase] | None:
    """The role and phase a posted cell names, when both are well-formed ids (a malformed id is
    not a cell the grid could show again)."""
    try:
        role_id, phase_id = int(data.get("role", "")), int(data.get("phase", ""))
    except ValueError:
        return None
    return ROLES.node(organization, role_id), _phase(organization, phase_id)


def _refused_cell(
    request: HttpRequest, organization: Organization, role: Role, phase: HeadcountPhase, lines
) -> HttpResponse:
    """400 with the cell as saved (not as typed) and why the typed value was refused."""
    lines = list(lines)
    if not is_htmx(request):
        return alert(request, organization, lines, 400)
    saved = HeadcountTarget.objects.filter(role=role, phase=phase).first()
    cells = HeadcountCells.for_request(organization, organization.revision, request)
    context = {
        "organization": organization,
        "cell_html": cells.html(role, {"phase": phase, "target": saved, "errors": lines}, oob=True),
        "lines": lines,
        "revision": organization.revision,
        "headcount_limit": HEADCOUNT_LIMIT,
    }
    return HttpResponse(render_to_string(CELL_TEMPLATE, context, request), status=400)


@editor_action
def editor_headcount(
    request: HttpRequest, organization: Organization, revision: int
) -> HttpResponse:
    form = HeadcountForm(request.POST)
    if not form.is_valid():
        node = _cell_node(organization, request.POST)
        if node is None:
            return alert(request, organization, form_messages(form), 400)
        return _refused_cell(request, organization, *node, form_messages(form))
    data = form.cleaned_data
    role = ROLES.node(organization, data["role"])
    phase = _phase(organization, data["phase"])
    try:
        target = headcount_set(
            role=role,
            phase=phase,
            min_count=data["min_count"],
            max_count=data["max_count"],
            expected_revision=revision,
        )
    except ValidationError as error:
        return _refused_cell(request, organization, role, phase, validation_messages(error))
    names = {"role": role.title, "phase": phase.name}
    if target is None:
        message = _("Cleared the head count of “%(role)s” in “%(phase)s”.") % names
    else:
        message = _("“%(role)s” in “%(phase)s”: %(range)s.") % {**names, "range": str(target)}
    if not is_htmx(request):
        messages.success(request, message)
        return redirect("org-editor", slug=organization.slug)
    cells = HeadcountCells.for_request(organization, refresh_revision(organization), request)
    context = {
        "organization": organization,
        "cell_html": cells.html(role, {"phase": phase, "target": target}, oob=True),
        "headcount_totals": phase_totals(organization),
        "message": message,
    }
    # The totals read the phases already: the chart's phase menu follows them without a query.
    phases = [total["phase"] for total in context["headcount_totals"]]
    return with_revision(
        HttpResponse(render_to_string(CELL_TEMPLATE, context, request)), organization, phases=phases
    )


@editor_fragment
def editor_headcount_grid(request: HttpRequest, organization: Organization) -> HttpResponse:
    """One page of the grid (`hc_page`), of one department and its sub-departments if asked
    (`hc_department`), with the whole organization's totals."""
    design = organization_outline(organization)
    grid = headcount_grid(design, request.GET)
    HeadcountCells.for_request(organization, organization.revision, request).add_to(
        grid["headcount_rows"]
    )
    context = {
        "organization": organization,
        "design": design,
        "revision": organization.revision,
        **grid,
        "headcount_totals": headcount_totals(design),
        "headcount_limit": HEADCOUNT_LIMIT,
    }
    return render(request, GRID_TEMPLATE, context)
