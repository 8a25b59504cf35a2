"""The organization's own pages in the editor: settings (names, description, business model,
health-check limits), members and their rights, and the growth phases.

Plain pages with POST-redirect-GET, so they work without JavaScript. Every form carries the
revision the page showed; a stale or refused save shows the page again with what the user typed
and the reason (nothing changed). Editors change settings and phases; only owners manage members
— others see the member list and why they cannot change it.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from departments import invitations
from departments import services as department_services
from departments.models import (
    PROFILE_TEXTS,
    HeadcountPhase,
    Invitation,
    MemberRole,
    Membership,
    Organization,
)
from departments.selectors import (
    EDIT,
    OWN,
    READ,
    check_access,
    organization_for,
    organization_invitations,
    organization_members,
    organization_owner_names,
)
from roles.editor.decorators import page_revision
from roles.editor.forms import (
    MemberAddForm,
    MemberRoleForm,
    OrganizationSettingsForm,
    PhaseDeleteForm,
    PhaseForm,
    add_column_errors,
)
from roles.editor.responses import read_only_page
from roles.models import HeadcountTarget
from roles.services.phases import phase_delete_with_targets
from teamorg.errors import StaleRevision, validation_messages


def _organization(request: HttpRequest, slug: str, need: str) -> Organization | HttpResponse:
    """The organization if the user has the `need` right, else the read-only page saying why."""
    organization = organization_for(request.user, slug, READ)
    try:
        check_access(request.user, organization, need)
    except PermissionDenied as error:
        return read_only_page(request, organization, error)
    return organization


def _refusal_lines(error: Exception) -> list[str]:
    if isinstance(error, StaleRevision):
        return [str(error)]
    return validation_messages(error)


def _save(form: forms.Form, request: HttpRequest, write) -> bool:
    """Run `write(revision)` for a valid form; on a refusal put the reasons on the page and the
    form, and return False (nothing was changed)."""
    if not form.is_valid():
        return False
    try:
        write(page_revision(request))
    except (StaleRevision, ValidationError) as error:
        if isinstance(error, ValidationError):
            add_column_errors(form, error)
        for line in _refusal_lines(error):
            messages.error(request, line)
        return False
    return True


def _tabs_context(organization: Organization, active: str, request: HttpRequest) -> dict:
    return {
        "organization": organization,
        "revision": organization.revision,
        "active_tab": active,
        "can_manage_members": _has(request, organization, OWN),
    }


def _has(request: HttpRequest, organization: Organization, need: str) -> bool:
    try:
        check_access(request.user, organization, need)
    except PermissionDenied:
        return False
    return True


# --- settings ----------------------------------------------------------------------------------


def _settings_initial(organization: Organization) -> dict:
    return {
        **OrganizationSettingsForm.bilingual_initial(organization),
        "business_model": organization.business_model,
        "span_of_control_limit": organization.span_of_control_limit,
        "layer_limit": organization.layer_limit,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def organization_settings(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _organization(request, slug, EDIT)
    if isinstance(organization, HttpResponse):
        return organization
    status = 200
    if request.method == "POST":
        form = OrganizationSettingsForm(request.POST)

        def write(revision: int) -> None:
            department_services.organization_update(
                organization=organization, expected_revision=revision, **form.cleaned_data
            )

        one_language = form.one_language_notes(organization) if form.is_valid() else []
        if _save(form, request, write):
            messages.success(request, _("Saved the organization's settings."))
            for note in one_language:
                messages.warning(request, note)
            return redirect("org-settings", slug=organization.slug)
        status = 400
    else:
        form = OrganizationSettingsForm(initial=_settings_initial(organization))
    context = _tabs_context(organization, "settings", request)
    overview = reverse("org-overview", kwargs={"slug": organization.slug})
    rows = form.bilingual_rows()
    context.update(
        form=form,
        page_address=request.build_absolute_uri(overview),
        own_rows=[row for row in rows if row["name"] not in PROFILE_TEXTS],
        profile_rows=[row for row in rows if row["name"] in PROFILE_TEXTS],
    )
    return render(request, "departments/settings/organization.html", context, status=status)


# --- members -----------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def organization_members_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The member list for everyone who may see the design; adding for owners."""
    organization = organization_for(request.user, slug, READ)
    if organization.is_template:
        return _organization(request, slug, EDIT)  # the read-only page
    can_manage = _has(request, organization, OWN)
    status = 200
    add_form = MemberAddForm()
    if request.method == "POST":
        if not can_manage:
            return _organization(request, slug, OWN)
        add_form = MemberAddForm(request.POST)
        added = []

        def write(revision: int) -> None:
            added.append(
                invitations.member_add(
                    organization=organization,
                    address=add_form.cleaned_data["who"],
                    role=add_form.cleaned_data["role"],
                    invited_by=request.user,
                    expected_revision=revision,
                )
            )

        if _save(add_form, request, write):
            messages.success(request, _added_message(added[0], add_form.cleaned_data))
            return redirect("org-members", slug=organization.slug)
        status = 400
    context = _tabs_context(organization, "members", request)
    context.update(
        members=[
            {
                "membership": membership,
                "form": MemberRoleForm(
                    initial={"role": membership.role}, prefix=f"m{membership.pk}"
                ),
            }
            for membership in organization_members(organization)
        ],
        add_form=add_form,
        invitations=organization_invitations(organization) if can_manage else [],
        can_manage=can_manage,
        owners=organization_owner_names(organization),
    )
    return render(request, "departments/settings/members.html", context, status=status)


def _added_message(result: invitations.AddResult, data: dict) -> str:
    """The same words whether or not an account has the address (only a current member, whom
    the owner sees listed, is named)."""
    role = MemberRole(data["role"]).label
    if result.membership is not None:
        name = result.membership.user.get_username()
        return _("%(who)s is now %(role)s.") % {"who": name, "role": role}
    return _(
        "If a TeamOrg account has the user name or e-mail address “%(who)s”, it is invited "
        "as %(role)s and gets access once it accepts."
    ) % {"who": data["who"], "role": role}


@require_POST
@login_required
def invitation_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organization = _organization(request, slug, OWN)
    if isinstance(organization, HttpResponse):
        return organization
    invitation = Invitation.objects.filter(organization=organization, pk=pk).first()
    if invitation is None:
        raise Http404(_("There is no such invitation, or it has expired."))
    invitations.invitation_withdraw(invitation=invitation)
    messages.success(
        request, _("Withdrew the invitation of “%(who)s”.") % {"who": invitation.address}
    )
    return redirect("org-members", slug=organization.slug)


def _membership(organization: Organization, pk: int) -> Membership:
    membership = (
        Membership.objects.filter(organization=organization, pk=pk).select_related("user").first()
    )
    if membership is None:
        raise Http404(_("That person is not a member of this organization."))
    return membership


@require_POST
@login_required
def member_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organization = _organization(request, slug, OWN)
    if isinstance(organization, HttpResponse):
        return organization
    membership = _membership(organization, pk)
    name = membership.user.get_username()
    if "remove" in request.POST:
        form = forms.Form(request.POST)

        def write(revision: int) -> None:
            department_services.membership_remove(membership=membership, expected_revision=revision)

        if _save(form, request, write):
            messages.success(request, _("Removed %(who)s from the organization.") % {"who": name})
    else:
        form = MemberRoleForm(request.POST, prefix=f"m{membership.pk}")

        def write(revision: int) -> None:
            department_services.membership_set(
                organization=organization,
                user=membership.user,
                role=form.cleaned_data["role"],
                expected_revision=revision,
            )

        if _save(form, request, write):
            role = MemberRole(form.cleaned_data["role"]).label
            messages.success(request, _("%(who)s is now %(role)s.") % {"who": name, "role": role})
        elif form.errors:
            for errors in form.errors.values():
                for line in errors:
                    messages.error(request, line)
    return redirect("org-members", slug=organization.slug)


# --- phases ------------------------------------------------------------------------------------


def _phase_initial(phase: HeadcountPhase) -> dict:
    return {
        **PhaseForm.bilingual_initial(phase),
        "start_month": phase.start_month,
        "end_month": phase.end_month,
    }


def _phase(organization: Organization, pk: int) -> HeadcountPhase:
    phase = HeadcountPhase.objects.filter(organization=organization, pk=pk).first()
    if phase is None:
        raise Http404(_("That phase is not part of this organization."))
    return phase


def _phases_page(
    request: HttpRequest,
    organization: Organization,
    *,
    bound: dict[int | str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    phases = list(organization.phases.order_by("order"))
    counts = _target_counts(phases)
    context = _tabs_context(organization, "phases", request)
    context.update(
        phases=[
            {
                "phase": phase,
                "form": bound.get(phase.pk)
                or PhaseForm(initial=_phase_initial(phase), prefix=f"p{phase.pk}"),
                "targets": counts.get(phase.pk, 0),
                "first": index == 0,
                "last": index == len(phases) - 1,
            }
            for index, phase in enumerate(phases)
        ],
        add_form=bound.get("new") or PhaseForm(prefix="new"),
    )
    return render(request, "departments/settings/phases.html", context, status=status)


def _target_counts(phases: list[HeadcountPhase]) -> dict[int, int]:
    """How many roles have a head count set in each phase (one grouped query)."""
    rows = (
        HeadcountTarget.objects.filter(phase__in=phases)
        .values("phase_id")
        .annotate(roles=Count("role_id"))
    )
    return {row["phase_id"]: row["roles"] for row in rows}


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def organization_phases(request: HttpRequest, slug: str) -> HttpResponse:
    """The phases; POST adds one."""
    organization = _organization(request, slug, EDIT)
    if isinstance(organization, HttpResponse):
        return organization
    if request.method != "POST":
        return _phases_page(request, organization)
    form = PhaseForm(request.POST, prefix="new")

    def write(revision: int) -> None:
        department_services.phase_create(
            organization=organization, expected_revision=revision, **form.cleaned_data
        )

    if _save(form, request, write):
        messages.success(request, _("Added the phase “%(name)s”.") % {"name": _name(form)})
        return redirect("org-phases", slug=organization.slug)
    return _phases_page(request, organization, bound={"new": form}, status=400)


def _name(form: PhaseForm) -> str:
    return form.cleaned_data.get("name_zh") or form.cleaned_data.get("name_en") or ""


@require_POST
@login_required
def phase_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Save a phase's names and months, or move it up or down (`move=up|down`)."""
    organization = _organization(request, slug, EDIT)
    if isinstance(organization, HttpResponse):
        return organization
    phase = _phase(organization, pk)
    direction = request.POST.get("move")
    if direction in ("up", "down"):
        ids = list(organization.phases.order_by("order").values_list("pk", flat=True))
        index = ids.index(phase.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(ids):
            ids[index], ids[other] = ids[other], ids[index]
            form = forms.Form(request.POST)

            def write(revision: int) -> None:
                department_services.phase_reorder(
                    organization=organization, phase_ids=ids, expected_revision=revision
                )

            if _save(form, request, write):
                messages.success(request, _("Moved the phase “%(name)s”.") % {"name": phase.name})
        return redirect("org-phases", slug=organization.slug)
    form = PhaseForm(request.POST, prefix=f"p{phase.pk}")

    def save(revision: int) -> None:
        department_services.phase_update(
            phase=phase, expected_revision=revision, **form.cleaned_data
        )

    one_language = form.one_language_notes(phase) if form.is_valid() else []
    if _save(form, request, save):
        messages.success(request, _("Saved the phase “%(name)s”.") % {"name": _name(form)})
        for note in one_language:
            messages.warning(request, note)
        return redirect("org-phases", slug=organization.slug)
    return _phases_page(request, organization, bound={phase.pk: form}, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def phase_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A confirmation page that says how many roles have head count in the phase and asks what
    happens to it; POST deletes."""
    organization = _organization(request, slug, EDIT)
    if isinstance(organization, HttpResponse):
        return organization
    phase = _phase(organization, pk)
    others = list(organization.phases.exclude(pk=phase.pk).order_by("order"))
    status = 200
    if request.method == "POST":
        form = PhaseDeleteForm(request.POST, phases=others)

        def write(revision: int) -> None:
            move_to = next((p for p in others if p.pk == form.cleaned_data.get("move_to")), None)
            phase_delete_with_targets(
                phase=phase,
                targets=form.cleaned_data["targets"],
                move_to=move_to,
                expected_revision=revision,
            )

        if _save(form, request, write):
            messages.success(request, _("Deleted the phase “%(name)s”.") % {"name": phase.name})
            return redirect("org-phases", slug=organization.slug)
        status = 400
    else:
        form = PhaseDeleteForm(phases=others)
    targets = HeadcountTarget.objects.filter(phase=phase).select_related("role")
    context = _tabs_context(organization, "phases", request)
    context.update(
        phase=phase,
        form=form,
        roles=[target.role.title for target in targets.order_by("role__tree_id", "role__lft")],
        others=others,
    )
    return render(request, "departments/settings/phase_delete.html", context, status=status)
