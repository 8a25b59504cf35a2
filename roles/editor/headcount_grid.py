"""The editor's head-count grid: each cell (a role in a phase) saves itself on change.

The answer is the saved cell, the grid's per-phase totals and the status line; the rule of what
an emptied or half-filled cell means is `roles.services.headcount.headcount_set`'s.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from departments.models import HeadcountPhase, Organization
from roles.editor.context import headcount_totals
from roles.editor.decorators import editor_action
from roles.editor.forms import HeadcountForm
from roles.editor.kinds import ROLES
from roles.editor.responses import alert, form_messages, is_htmx, refresh_revision, with_revision
from roles.selectors import organization_design
from roles.services.headcount import headcount_set


def _phase(organization: Organization, pk: int) -> HeadcountPhase:
    """A head-count phase of this organization; another organization's is missing (404)."""
    phase = HeadcountPhase.objects.filter(organization=organization, pk=pk).first()
    if phase is None:
        raise Http404(_("That phase is not part of this organization."))
    return phase


@editor_action
def editor_headcount(
    request: HttpRequest, organization: Organization, revision: int
) -> HttpResponse:
    form = HeadcountForm(request.POST)
    if not form.is_valid():
        return alert(request, organization, form_messages(form), 400)
    data = form.cleaned_data
    role = ROLES.node(organization, data["role"])
    phase = _phase(organization, data["phase"])
    target = headcount_set(
        role=role,
        phase=phase,
        min_count=data["min_count"],
        max_count=data["max_count"],
        expected_revision=revision,
    )
    names = {"role": role.title, "phase": phase.name}
    if target is None:
        message = _("Cleared the head count of “%(role)s” in “%(phase)s”.") % names
    else:
        message = _("“%(role)s” in “%(phase)s”: %(range)s.") % {**names, "range": str(target)}
    if not is_htmx(request):
        messages.success(request, message)
        return redirect("org-editor", slug=organization.slug)
    context = {
        "organization": organization,
        "role": role,
        "cell": {"phase": phase, "target": target},
        "headcount_totals": headcount_totals(organization_design(organization)),
        "message": message,
        "revision": refresh_revision(organization),
    }
    html = render_to_string("departments/editor/_headcount_saved.html", context, request)
    return with_revision(HttpResponse(html), organization)
