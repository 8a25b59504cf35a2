"""The editor's answers to htmx, shared by its endpoints.

After a successful write: the fresh outlines (or another main fragment) with out-of-band updates
of the head-count grid, the collaboration lines panel, the status line and any warnings (the
write was saved, but something deserves a look), and an `HX-Trigger` carrying the new
revision, which the page sends with its next write and on which the inline chart redraws
itself. On bad input (400), a refused right (403) or a missing node (404): the messages in the
alert region. On a stale revision (409): an offer to reload. Without htmx (a form posted by a
browser without JavaScript) the same outcomes are a message and a redirect back to the editor,
and a missing node the site's 404 page.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_htmx.http import reswap, retarget, trigger_client_event

from departments.models import Organization
from departments.selectors import organization_owner_names
from roles.editor.context import design_context
from teamorg.errors import StaleRevision

DESIGN_CHANGED = "teamorg:design-changed"
ALERT_REGION = "#editor-alert"


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


def with_revision(response: HttpResponse, organization: Organization) -> HttpResponse:
    """Tell the page the revision `organization` now has (read it fresh first)."""
    response["X-TeamOrg-Revision"] = str(organization.revision)
    # The editor reads the new revision from this event before it sends its next write, and the
    # inline chart redraws itself on it.
    return trigger_client_event(response, DESIGN_CHANGED, {"revision": organization.revision})


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
    context = design_context(organization)
    context.update(message=message, main=main, role_panel=role_panel, warnings=warnings)
    response = HttpResponse(render_to_string("departments/editor/_changed.html", context, request))
    if focus:
        # Keyboard users keep their place: the node they acted on gets the focus back.
        trigger_client_event(response, "teamorg:focus", {"id": focus}, after="settle")
    return with_revision(response, organization)


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


def stale(request: HttpRequest, organization: Organization, error: StaleRevision) -> HttpResponse:
    """Someone else changed the design since the page was rendered: nothing was saved."""
    if not is_htmx(request):
        messages.error(request, str(error))
        return redirect("org-editor", slug=organization.slug)
    context = {"error": error, "organization": organization}
    html = render_to_string("departments/editor/_stale.html", context, request)
    response = HttpResponse(html, status=409)
    return reswap(retarget(response, ALERT_REGION), "innerHTML")


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
