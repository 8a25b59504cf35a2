"""The history pages: the timeline with its filters, the comparison of two revisions, and the
two writes a revision offers its editors: restore the design as it was then, or take back what
it changed. Every member who may read the design sees its history; only editors and owners see
and use the buttons. A refused write changes nothing and says why on the history page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from departments.history import replay
from departments.history.restore import design_restore, revision_revert
from departments.models import Organization, Revision
from departments.selectors import EDIT, READ, check_access, organization_for
from roles.editor.decorators import page_revision
from roles.editor.responses import read_only_page
from roles.history import timeline
from roles.history.compare import revisions_compare
from roles.planning.compare import Change
from roles.planning.compare import Comparison as DesignComparison
from roles.planning.plots import comparison_svg
from teamorg.errors import StaleRevision, validation_messages


def _can_edit(request: HttpRequest, organization: Organization) -> bool:
    try:
        check_access(request.user, organization, EDIT)
    except PermissionDenied:
        return False
    return True


def _filters(request: HttpRequest) -> tuple[int | None, timeline.NodeFilter | None, list[str]]:
    """The person and node filters from the query string, and what was wrong with them."""
    problems = []
    user_id = None
    if request.GET.get("user"):
        try:
            user_id = int(request.GET["user"])
        except ValueError:
            problems.append(_("The person filter is not valid; showing everyone's changes."))
    node = None
    if request.GET.get("node"):
        node = timeline.parse_node(request.GET["node"])
        if node is None:
            problems.append(_("The node filter is not valid; showing every change."))
    return user_id, node, problems


@login_required
@require_safe
def history(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_for(request.user, slug, READ)
    context = {"organization": organization, "revision": organization.revision}
    if organization.is_template:
        return render(request, "departments/history/history.html", context)
    user_id, node, problems = _filters(request)
    page, entries = timeline.revisions_page(
        organization, page=request.GET.get("page", 1), user_id=user_id, node=node
    )
    start = replay.history_start(organization.pk)
    context.update(
        page=page,
        entries=entries,
        problems=problems,
        can_edit=_can_edit(request, organization),
        history_start=start,
        people=timeline.people(organization),
        user_filter=user_id,
        node=node,
        node_name=timeline.node_name(organization, node) if node else "",
    )
    return render(request, "departments/history/history.html", context)


@login_required
@require_safe
def history_compare(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_for(request.user, slug, READ)
    context = {"organization": organization, "revision": organization.revision}
    if organization.is_template:
        return render(request, "departments/history/history.html", context)
    try:
        comparison = revisions_compare(
            organization=organization, first=request.GET.get("a"), second=request.GET.get("b")
        )
    except ValidationError as error:
        context["problems"] = validation_messages(error)
        return render(request, "departments/history/compare.html", context, status=400)
    design = comparison.design
    context.update(
        comparison=comparison,
        design_comparison=design,
        # Our own markup; every label inside went through `escape` in roles.planning.plots.
        chart_svg=mark_safe(comparison_svg(design)),  # noqa: S308
        department_changes=_changes_with_links(organization, design, "department"),
        role_changes=_changes_with_links(organization, design, "role"),
    )
    return render(request, "departments/history/compare.html", context)


def _changes_with_links(
    organization: Organization, comparison: DesignComparison, kind: str
) -> list[tuple[Change, str]]:
    """Each change with a link to the node's own history: a node removed since still has one,
    where its page would be gone."""
    history_url = reverse("org-history", kwargs={"slug": organization.slug})
    table = "roles" if kind == "role" else "departments"
    return [
        (change, f"{history_url}?{urlencode({'node': f'{table}-{change.node_id}'})}")
        for change in comparison.changes_of(kind)
    ]


def _editable(request: HttpRequest, slug: str) -> Organization | HttpResponse:
    organization = organization_for(request.user, slug, READ)
    try:
        check_access(request.user, organization, EDIT)
    except PermissionDenied as error:
        return read_only_page(request, organization, error)
    return organization


def _back(organization: Organization) -> HttpResponse:
    return redirect(reverse("org-history", kwargs={"slug": organization.slug}))


def _refused(request: HttpRequest, organization: Organization, error: Exception) -> HttpResponse:
    lines = [str(error)] if isinstance(error, StaleRevision) else validation_messages(error)
    for line in lines:
        messages.error(request, line)
    return _back(organization)


@login_required
@require_POST
def history_restore(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    organization = _editable(request, slug)
    if isinstance(organization, HttpResponse):
        return organization
    try:
        restored = design_restore(
            organization=organization, number=number, expected_revision=page_revision(request)
        )
    except (StaleRevision, ValidationError) as error:
        return _refused(request, organization, error)
    messages.success(
        request,
        _("Restored revision %(number)s (now revision %(now)s); undo takes it back.")
        % {"number": number, "now": restored.revision},
    )
    return _back(organization)


@login_required
@require_POST
def history_revert(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    organization = _editable(request, slug)
    if isinstance(organization, HttpResponse):
        return organization
    revision = Revision.objects.filter(organization=organization, number=number).first()
    if revision is None:
        raise Http404(_("There is no such revision."))
    try:
        reverted, skipped = revision_revert(
            organization=organization, revision=revision, expected_revision=page_revision(request)
        )
    except (StaleRevision, ValidationError) as error:
        return _refused(request, organization, error)
    messages.success(
        request,
        _("Took back the changes of revision %(number)s (now revision %(now)s).")
        % {"number": number, "now": reverted.revision},
    )
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(count)s change was left because it was changed again since.",
                "%(count)s changes were left because they were changed again since.",
                skipped,
            )
            % {"count": skipped},
        )
    return _back(organization)
