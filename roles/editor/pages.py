"""The pages around the editor: the dashboard, a new organization (empty or a copy) and the
read-only overview of a design.

Thin: access through `departments.selectors`, reads through `roles.selectors`, writes through
the services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from departments import invitations
from departments import services as department_services
from departments.models import Invitation, MemberRole
from departments.selectors import READ, member_role, organization_for, organization_owner_names
from roles import services as role_services
from roles.editor.context import overview_context
from roles.editor.forms import NewOrganizationForm, add_service_errors
from roles.editor.outlines import OverviewLabels, find_context, overview_children_html
from roles.selectors.dashboard import EDITING_ROLES, copy_source, copy_sources, dashboard_for
from roles.selectors.design import organization_outline
from teamorg.i18n import content_language


@require_safe
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    board = dashboard_for(request.user)
    context = {
        "organizations": board.organizations,
        "recent": board.recent,
        "templates": board.templates,
        "invitations": board.invitations,
    }
    return render(request, "departments/dashboard.html", context)


@require_POST
@login_required
def invitation_answer(request: HttpRequest, pk: int, answer: str) -> HttpResponse:
    """Accept or decline an invitation on the dashboard. Someone else's invitation, or one no
    longer open, is the same 404 as one that never existed."""
    try:
        invitation = Invitation.objects.select_related("organization").get(pk=pk)
        if answer == "accept":
            membership = invitations.invitation_accept(invitation=invitation, user=request.user)
        else:
            invitations.invitation_decline(invitation=invitation, user=request.user)
    except Invitation.DoesNotExist:
        raise Http404(_("There is no such invitation, or it has expired.")) from None
    name = invitation.organization.name
    if answer == "decline":
        messages.success(request, _("Declined the invitation to “%(name)s”.") % {"name": name})
        return redirect("dashboard")
    role = MemberRole(membership.role).label
    messages.success(
        request, _("You are now %(role)s of “%(name)s”.") % {"role": role, "name": name}
    )
    return redirect("org-overview", slug=invitation.organization.slug)


def _source_choices(user) -> list[tuple[str, str]]:
    sources = copy_sources(user)
    template_label = _("Template")
    copy_label = _("Copy of")
    return [(o.slug, f"{template_label}: {o.name}") for o in sources.templates] + [
        (o.slug, f"{copy_label}: {o.name}") for o in sources.own
    ]


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def organization_new(request: HttpRequest) -> HttpResponse:
    """A new organization: empty, or a copy of a template or of one of the user's own."""
    sources = _source_choices(request.user)
    if request.method != "POST":
        initial = {"source": request.GET.get("source", "")}
        source = copy_source(request.user, initial["source"])
        if source is not None:
            initial["name"] = _("%(name)s (my copy)") % {"name": source.name}
        form = NewOrganizationForm(initial=initial, sources=sources)
        return render(request, "departments/organization_new.html", {"form": form})
    form = NewOrganizationForm(request.POST, sources=sources)
    if form.is_valid():
        data = form.cleaned_data
        names = {f"name_{content_language()}": data["name"]}
        try:
            if data["source"]:
                source = organization_for(request.user, data["source"], READ)
                organization = role_services.organization_clone(
                    source=source, owner=request.user, slug=data["slug"] or None, **names
                )
            else:
                organization = department_services.organization_create(
                    owner=request.user, slug=data["slug"] or None, **names
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("“%(name)s” is ready to edit.") % {"name": organization.name}
            )
            return redirect("org-editor", slug=organization.slug)
    return render(request, "departments/organization_new.html", {"form": form})


@require_safe
@login_required
def organization_overview(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_for(request.user, slug, READ)
    role = member_role(request.user, organization)
    context = overview_context(organization, request)
    context.update(
        can_edit=not organization.is_template and role in EDITING_ROLES,
        owners=organization_owner_names(organization) if not organization.is_template else [],
        member_role=role,
    )
    page_url = reverse("org-overview", args=[organization.slug])
    context.update(find_context(context["design"], request.GET, page_url=page_url))
    return render(request, "departments/overview.html", context)


@require_safe
@login_required
def overview_children(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The sub-departments of one department of the overview's outline, each closed, with their
    roles (the department's toggle loads them)."""
    organization = organization_for(request.user, slug, READ)
    design = organization_outline(organization, with_headcount=False)
    try:
        department = design.department(pk)
    except KeyError:
        raise Http404(_("That department is not part of this organization (any more).")) from None
    return HttpResponse(overview_children_html(department, OverviewLabels(organization.slug)))
