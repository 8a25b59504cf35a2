"""The editor's answers to htmx, shared by its endpoints.

After a successful write: the fresh outlines (or another main fragment) with out-of-band updates
of the head-count grid, the collaboration lines panel, the status line and any warnings (the
write was saved, but something deserves a look), and an `HX-Trigger` carrying the new revision,
which the page sends with its next write, and the design's phases, on which the inline chart
updates its phase menu and redraws itself (`design_changed`). On bad input (400), a refused
right (403) or a missing node (404): the messages in the alert region. On a stale revision
(409): an offer to reload; when the write changed a field that someone (or the same user, in
another tab) changed since the page was rendered, the fields with both values
(`conflict_lines`), and a form that was refused for it comes back as the user typed it
(`edit_conflict`). Without htmx (a form posted by a browser without JavaScript) the same
outcomes are a message and a redirect back to the editor, and a missing node the site's 404
page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_htmx.http import reswap, retarget, trigger_client_event

from departments.models import HeadcountPhase, Organization
from departments.selectors import organization_owner_names
from roles.editor.context import design_context
from teamorg.errors import EditConflict, FieldConflict, StaleRevision, conflict_sentence

DESIGN_CHANGED = "teamorg:design-changed"
ALERT_REGION = "#editor-alert"
CONFLICT_REVISION_HEADER = "X-TeamOrg-Conflict-Revision"


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def form_messages(form: forms.Form) -> list[str]:
    """A form's errors as alert lines, each prefixed with its field's label."""
    found = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            found.append(f"{label}: {error}" if label else str(error))
    return found


def refresh_revision(organization: Organization) -> int:
    """Re-read the revision a write left (the services bump it in their own transaction)."""
    organization.refresh_from_db(fields=["revision", "updated_at"])
    return organization.revision


def design_changed(revision: int, phases: Sequence[HeadcountPhase]) -> dict:
    """The detail of the `teamorg:design-changed` event: the revision the page sends with its
    next write, and the phases in order, as the chart's phase menu offers them (id and name in
    the active language, templates/departments/_chart.html). A write may have deleted or added
    phases (an import undone or redone, a phase deleted elsewhere): the chart updates its menu
    from this before it asks for itself again (static/charts/chart.js), so it never asks for a
    phase that is gone. The header is bounded by `PHASES_PER_ORGANIZATION` names of at most
    `PHASE_NAME_MAX_LENGTH` characters (JSON escapes Chinese as \\uXXXX): usually well under a
    kilobyte, about 12 KB at the very worst, which a proxy's header buffer must allow."""
    return {
        "revision": revision,
        "phases": [{"id": phase.pk, "name": str(phase.name)} for phase in phases],
    }


def with_revision(
    response: HttpResponse, organization: Organization, *, phases: Sequence[HeadcountPhase]
) -> HttpResponse:
    """Tell the page the revision `organization` now has (read it fresh first) and its
    `phases` (read with the answer's own design, not again)."""
    response["X-TeamOrg-Revision"] = str(organization.revision)
    # The editor reads the new revision from this event before it sends its next write, and the
    # inline chart updates its phase menu and redraws itself on it.
    return trigger_client_event(
        response, DESIGN_CHANGED, design_changed(organization.revision, phases)
    )


def changed(
    request: HttpRequest,
    organization: Organization,
    message: str,
    *,
    role_panel: str | None = None,
    main: str = "outlines",
    focus: str = "",
    warnings: Iterable[str] = (),
) -> HttpResponse:
    """After a successful write: the fresh outlines (or `main`), the status message, the
    head-count grid, the collaboration lines, `warnings` in the alert region, and the chart
    told to redraw."""
    warnings = list(warnings)
    if not is_htmx(request):
        messages.success(request, message)
        for warning in warnings:
            messages.warning(request, warning)
        return redirect("org-editor", slug=organization.slug)
    refresh_revision(organization)
    # The outlines as the user has them open, and down to the node acted on.
    context = design_context(organization, request, reveal=focus)
    context.update(message=message, main=main, role_panel=role_panel, warnings=warnings)
    response = HttpResponse(render_to_string("departments/editor/_changed.html", context, request))
    if focus:
        # Keyboard users keep their place: the node they acted on gets the focus back.
        trigger_client_event(response, "teamorg:focus", {"id": focus}, after="settle")
    return with_revision(response, organization, phases=context["design"].phases)


def alert(
    request: HttpRequest, organization: Organization | None, lines: Iterable[str], status: int
) -> HttpResponse:
    """Messages for the alert region, with the status saying why (400, 403, 404)."""
    lines = list(lines)
    if not is_htmx(request):
        for line in lines:
            messages.error(request, line)
        if organization is None:
            return redirect("dashboard")
        return redirect("org-editor", slug=organization.slug)
    html = render_to_string("departments/editor/_alert.html", {"lines": lines}, request)
    response = HttpResponse(html, status=status)
    return reswap(retarget(response, ALERT_REGION), "innerHTML")


def not_found(
    request: HttpRequest, organization: Organization | None, error: Http404
) -> HttpResponse:
    """A node, phase or organization that is missing or not the user's to see: 404."""
    if not is_htmx(request):
        raise error
    return alert(request, organization, [str(error) or _("No such item.")], 404)


def _shown_value(value) -> str:
    return "" if value is None else str(value)


def conflict_line(conflict: FieldConflict) -> str:
    """One conflicting field for people: who changed it to what, in which revision, and what
    the user wanted instead."""
    if conflict.deleted_by_them:
        return conflict_sentence(conflict)
    values = {
        "field": capfirst(conflict.label or conflict.column),
        "user": (
            _("you, in another tab") if conflict.by_you else conflict.user_name or _("someone else")
        ),
        "revision": conflict.revision_number,
        "theirs": _shown_value(conflict.theirs),
        "yours": _shown_value(conflict.yours),
    }
    if conflict.column.endswith("_id"):
        # A link to another row: its id would mean nothing to anyone.
        return _("%(field)s: %(user)s changed it (revision %(revision)s).") % values
    message = _(
        "%(field)s: %(user)s changed it to «%(theirs)s» (revision %(revision)s) — "
        "yours: «%(yours)s»"
    )
    return message % values


def conflict_lines(error: StaleRevision) -> list[str]:
    """The fields a refused write has in common with later changes (none for a write made on a
    page older than the history, which is refused as a whole)."""
    return [conflict_line(conflict) for conflict in getattr(error, "conflicts", [])]


def stale(request: HttpRequest, organization: Organization, error: StaleRevision) -> HttpResponse:
    """The design changed since the page was rendered, in what this write changes too: nothing
    was saved."""
    if not is_htmx(request):
        messages.error(request, str(error))
        return redirect("org-editor", slug=organization.slug)
    context = {"error": error, "organization": organization, "conflicts": conflict_lines(error)}
    html = render_to_string("departments/editor/_stale.html", context, request)
    response = HttpResponse(html, status=409)
    if isinstance(error, EditConflict):
        # The form the user typed in moves on to the revision the conflict was found at
        # (static/js/editor.js), so sending it again keeps their value on purpose.
        response[CONFLICT_REVISION_HEADER] = str(error.current)
    return reswap(retarget(response, ALERT_REGION), "innerHTML")


def edit_conflict(
    request: HttpRequest, organization: Organization, error: EditConflict, panel: str
) -> HttpResponse:
    """A form refused for an edit conflict: `panel`, the form again as the user typed it with
    the conflicting fields above it, and the rest of the editor redrawn as the design is now.
    The page's revision moves on to the one the conflicts were found at, so saving the form
    again keeps the user's values on purpose, while a field changed after that still counts."""
    if not is_htmx(request):
        return stale(request, organization, error)
    refresh_revision(organization)
    context = design_context(organization, request)
    context.update(message="", main="role", role_panel=panel, warnings=[])
    html = render_to_string("departments/editor/_changed.html", context, request)
    response = HttpResponse(html, status=409)
    response["X-TeamOrg-Revision"] = str(error.current)
    detail = design_changed(error.current, context["design"].phases)
    return trigger_client_event(response, DESIGN_CHANGED, detail)


def read_only_page(
    request: HttpRequest, organization: Organization, error: PermissionDenied
) -> HttpResponse:
    """A page the user may see but not use (a viewer in the editor or the settings, anyone on a
    template): why, and which owners can give them the right (403)."""
    context = {
        "organization": organization,
        "message": str(error),
        "owners": [] if organization.is_template else organization_owner_names(organization),
    }
    return render(request, "departments/forbidden.html", context, status=403)
