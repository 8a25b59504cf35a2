"""Browser pages (dashboard, new organization, overview, editor) and the small endpoints the
editor posts to.

Thin by design: access goes through `departments.selectors.organization_for`, reads through
`organization_design`, every write through the locked services with the revision the page was
rendered with. Editor endpoints answer htmx with HTML fragments: the fresh outlines on success
(plus an `HX-Trigger` that redraws the chart), a message in the alert region on bad input (400),
and an offer to reload on a stale revision (409). Without htmx they redirect back to the editor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import reswap, retarget, trigger_client_event

from departments import services as department_services
from departments.models import Department, HeadcountPhase, MemberRole, Organization
from departments.selectors import EDIT, READ, member_role, organization_for
from roles import services as role_services
from roles.editor.forms import (
    REQUIREMENT_KIND_CHOICES,
    DeleteForm,
    HeadcountForm,
    MoveForm,
    NameForm,
    NewOrganizationForm,
    RoleForm,
)
from roles.models import KPI, Duty, Requirement, Role
from roles.selectors import Design, organization_design, organization_previews
from teamorg.errors import StaleRevision
from teamorg.i18n import content_language, translated_value

KINDS = ("departments", "roles")
DESIGN_CHANGED = "teamorg:design-changed"
LINE_KINDS = (
    # (form prefix, model, label of one line)
    ("duties", Duty),
    ("requirements", Requirement),
    ("kpis", KPI),
)


# --- small helpers -----------------------------------------------------------------------------


def _lang() -> str:
    return content_language()


def _error_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages_ in error.message_dict.values() for message in messages_]
    return list(error.messages)


def _form_messages(form) -> list[str]:
    found = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            found.append(f"{label}: {error}" if label else str(error))
    return found


def _revision(request: HttpRequest) -> int:
    """The revision the page was rendered with. Required: without it a stale page could
    overwrite someone else's change."""
    raw = request.POST.get("revision", "")
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValidationError(
            _(
                "The form did not say which version of the design it was made from. "
                "Reload the page."
            ),
            code="missing_revision",
        )
    return value


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise Http404(_("No such item."))
    return kind


def _node(organization: Organization, kind: str, pk) -> Department | Role:
    """A department or role of this organization; another organization's looks missing."""
    model = Department if kind == "departments" else Role
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = None
    node = model.objects.filter(organization=organization, pk=pk).first() if pk else None
    if node is None:
        if kind == "departments":
            message = _("That department is not part of this organization (any more).")
        else:
            message = _("That role is not part of this organization (any more).")
        raise ValidationError(message, code="not_found")
    return node


def _node_name(node) -> str:
    return node.name if isinstance(node, Department) else node.title


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


# --- editor context ----------------------------------------------------------------------------


def _headcount_rows(design: Design) -> tuple[list[dict], list[dict]]:
    """Rows of the roles × phases grid and the per-phase totals."""
    rows = []
    totals = {phase.pk: [0, 0] for phase in design.phases}
    for role in design.roles:
        cells = []
        for phase in design.phases:
            target = design.headcount.get((role.pk, phase.pk))
            cells.append({"phase": phase, "target": target})
            if target is not None:
                totals[phase.pk][0] += target.min_count
                totals[phase.pk][1] += target.max_count
        rows.append({"role": role, "cells": cells, "indent": min(role.depth, 6)})
    phase_totals = [
        {"phase": phase, "min": totals[phase.pk][0], "max": totals[phase.pk][1]}
        for phase in design.phases
    ]
    return rows, phase_totals


def _design_context(organization: Organization) -> dict:
    design = organization_design(organization)
    for department in design.departments:
        department.role_list = design.roles_by_department.get(department.pk, [])
        department.role_count = len(department.role_list)
    rows, totals = _headcount_rows(design)
    return {
        "organization": design.organization,
        "design": design,
        "revision": design.organization.revision,
        "headcount_rows": rows,
        "headcount_totals": totals,
    }


def _totals(organization: Organization) -> list[dict]:
    design = organization_design(organization)
    return _headcount_rows(design)[1]


# --- responses of editor actions ---------------------------------------------------------------


def _with_revision(response: HttpResponse, organization: Organization) -> HttpResponse:
    revision = Organization.objects.filter(pk=organization.pk).values_list("revision", flat=True)
    current = revision.first()
    response["X-TeamOrg-Revision"] = str(current)
    # The editor reads the new revision from this event before it sends its next write, and the
    # inline chart redraws itself on it.
    return trigger_client_event(response, DESIGN_CHANGED, {"revision": current})


def _changed(
    request: HttpRequest,
    organization: Organization,
    message: str,
    *,
    role_panel: str | None = None,
    main: str = "outlines",
    focus: str = "",
) -> HttpResponse:
    """After a successful write: the fresh outlines (or `main`), the status message, the
    head-count grid, and the chart told to redraw."""
    if not _is_htmx(request):
        messages.success(request, message)
        return redirect("org-editor", slug=organization.slug)
    context = _design_context(organization)
    context.update(message=message, main=main, role_panel=role_panel)
    response = HttpResponse(render_to_string("departments/editor/_changed.html", context, request))
    if focus:
        # Keyboard users keep their place: the node they acted on gets the focus back.
        trigger_client_event(response, "teamorg:focus", {"id": focus}, after="settle")
    return _with_revision(response, organization)


def _alert(
    request: HttpRequest, organization: Organization | None, lines: Iterable[str], status: int
) -> HttpResponse:
    lines = list(lines)
    if not _is_htmx(request):
        for line in lines:
            messages.error(request, line)
        if organization is None:
            return redirect("dashboard")
        return redirect("org-editor", slug=organization.slug)
    html = render_to_string("departments/editor/_alert.html", {"lines": lines}, request)
    response = HttpResponse(html, status=status)
    return reswap(retarget(response, "#editor-alert"), "innerHTML")


def _stale(request: HttpRequest, organization: Organization, error: StaleRevision) -> HttpResponse:
    if not _is_htmx(request):
        messages.error(request, str(error))
        return redirect("org-editor", slug=organization.slug)
    context = {"error": error, "organization": organization}
    html = render_to_string("departments/editor/_stale.html", context, request)
    response = HttpResponse(html, status=409)
    return reswap(retarget(response, "#editor-alert"), "innerHTML")


def editor_action(view: Callable) -> Callable:
    """An editor write: signed in, POST, edit rights, the page's revision; a stale revision
    answers 409 with an offer to reload, bad input 400 with the message, and nothing changes."""

    @login_required
    @require_POST
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        try:
            organization = organization_for(request.user, slug, EDIT)
        except PermissionDenied as error:
            return _alert(request, None, [str(error) or _("You may not change this.")], 403)
        try:
            revision = _revision(request)
            return view(request, organization, revision, *args, **kwargs)
        except StaleRevision as error:
            return _stale(request, organization, error)
        except ValidationError as error:
            return _alert(request, organization, _error_messages(error), 400)

    return wrapper


def editor_fragment(view: Callable) -> Callable:
    """A form fragment the editor loads into a node (rename, move, delete, add, role form)."""

    @login_required
    @require_safe
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        try:
            organization = organization_for(request.user, slug, EDIT)
        except PermissionDenied as error:
            return _alert(request, None, [str(error)], 403)
        try:
            return view(request, organization, *args, **kwargs)
        except ValidationError as error:
            return _alert(request, organization, _error_messages(error), 400)

    return wrapper


# --- pages -------------------------------------------------------------------------------------


@require_safe
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    counted = Organization.objects.annotate(
        department_count=Count("departments", distinct=True),
        role_count=Count("roles", distinct=True),
    )
    mine = list(
        counted.filter(memberships__user=request.user, is_template=False).order_by("-updated_at")
    )
    roles = dict(
        request.user.memberships.filter(organization__in=mine).values_list(
            "organization_id", "role"
        )
    )
    for organization in mine:
        organization.member_role_label = MemberRole(roles[organization.pk]).label
        organization.can_edit = roles[organization.pk] in (MemberRole.OWNER, MemberRole.EDITOR)
    templates = list(counted.filter(is_template=True).order_by("pk"))
    previews = organization_previews(templates)
    for template in templates:
        template.preview = previews[template.pk]
    context = {
        "organizations": mine,
        "recent": mine[:5],
        "templates": templates,
    }
    return render(request, "departments/dashboard.html", context)


def _source_choices(user) -> list[tuple[str, str]]:
    templates = Organization.objects.filter(is_template=True).order_by("pk")
    own = Organization.objects.filter(memberships__user=user, is_template=False).order_by("slug")
    template_label = _("Template")
    copy_label = _("Copy of")
    return [(o.slug, f"{template_label}: {o.name}") for o in templates] + [
        (o.slug, f"{copy_label}: {o.name}") for o in own
    ]


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def organization_new(request: HttpRequest) -> HttpResponse:
    """A new organization: empty, or a copy of a template or of one of the user's own."""
    sources = _source_choices(request.user)
    if request.method == "POST":
        form = NewOrganizationForm(request.POST, sources=sources)
        if form.is_valid():
            data = form.cleaned_data
            names = {f"name_{_lang()}": data["name"]}
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
                _add_errors(form, error, {"name_zh": "name", "name_en": "name"})
            else:
                messages.success(
                    request, _("“%(name)s” is ready to edit.") % {"name": organization.name}
                )
                return redirect("org-editor", slug=organization.slug)
    else:
        initial = {"source": request.GET.get("source", "")}
        source = Organization.objects.filter(slug=initial["source"]).first()
        if source is not None and member_role(request.user, source) is not None:
            initial["name"] = _("%(name)s (my copy)") % {"name": source.name}
        form = NewOrganizationForm(initial=initial, sources=sources)
    return render(request, "departments/organization_new.html", {"form": form})


def _add_errors(form, error: ValidationError, renames: dict[str, str]) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            field = renames.get(field, field)
            for item in errors:
                form.add_error(field if field in form.fields else None, item.messages)
    else:
        form.add_error(None, error.messages)


@require_safe
@login_required
def organization_overview(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_for(request.user, slug, READ)
    role = member_role(request.user, organization)
    context = _design_context(organization)
    context.update(
        can_edit=not organization.is_template and role in (MemberRole.OWNER, MemberRole.EDITOR),
        member_role=role,
    )
    return render(request, "departments/overview.html", context)


@require_safe
@login_required
def editor(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_for(request.user, slug, READ)
    try:
        organization_for(request.user, slug, EDIT)
    except PermissionDenied as error:
        context = {"organization": organization, "message": str(error)}
        return render(request, "departments/forbidden.html", context, status=403)
    context = _design_context(organization)
    context["requirement_kinds"] = REQUIREMENT_KIND_CHOICES
    return render(request, "departments/editor.html", context)


# --- editor fragments and actions --------------------------------------------------------------


def _subtree_ids(nodes: list, node) -> set[int]:
    return {
        other.pk
        for other in nodes
        if other.tree_id == node.tree_id and node.lft <= other.lft and other.rght <= node.rght
    }


@editor_fragment
def editor_move_form(request, organization, kind, pk):
    kind = _kind(kind)
    node = _node(organization, kind, pk)
    design = organization_design(organization, with_lines=False)
    nodes = design.departments if kind == "departments" else design.roles
    excluded = _subtree_ids(nodes, node)
    targets = [
        (other.pk, "\u2003" * other.depth + _node_name(other))
        for other in nodes
        if other.pk not in excluded
    ]
    form = MoveForm(initial={"kind": kind, "node": node.pk, "position": "last-child"})
    context = {
        "organization": organization,
        "kind": kind,
        "node": node,
        "node_name": _node_name(node),
        "targets": targets,
        "form": form,
        "revision": organization.revision,
    }
    return render(request, "departments/editor/_move_form.html", context)


@editor_action
def editor_move(request, organization, revision):
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _alert(request, organization, _form_messages(form), 400)
    data = form.cleaned_data
    kind = data["kind"]
    node = _node(organization, kind, data["node"])
    target = None if data["target"] is None else _node(organization, kind, data["target"])
    if kind == "departments":
        department_services.department_move(
            department=node,
            target=target,
            position=data["position"],
            expected_revision=revision,
        )
    else:
        role_services.role_move(
            role=node, target=target, position=data["position"], expected_revision=revision
        )
    if target is None:
        message = _("Moved “%(node)s” to the top level.") % {"node": _node_name(node)}
    else:
        message = _("Moved “%(node)s” (%(where)s “%(target)s”).") % {
            "node": _node_name(node),
            "where": dict(form.fields["position"].choices)[data["position"]],
            "target": _node_name(target),
        }
    return _changed(request, organization, message, focus=f"{kind}-{node.pk}")


def _add_context(organization, kind, request, form=None):
    design = organization_design(organization, with_lines=False)
    parent = manager = None
    if kind == "departments" and request.GET.get("parent"):
        parent = _node(organization, kind, request.GET["parent"])
    if kind == "roles" and request.GET.get("manager"):
        manager = _node(organization, kind, request.GET["manager"])
    return {
        "organization": organization,
        "kind": kind,
        "parent": parent,
        "manager": manager,
        "departments": [
            (department.pk, "\u2003" * department.depth + department.name)
            for department in design.departments
        ],
        "default_department": manager.department_id if manager else None,
        "slot": (parent or manager).pk if (parent or manager) else "root",
        "form": form or NameForm(),
        "revision": organization.revision,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def editor_add(request, slug, kind):
    kind = _kind(kind)
    if request.method == "POST":
        return _editor_add_post(request, slug, kind)
    return _editor_add_form(request, slug, kind)


@editor_fragment
def _editor_add_form(request, organization, kind):
    return render(
        request, "departments/editor/_add_form.html", _add_context(organization, kind, request)
    )


@editor_action
def _editor_add_post(request, organization, revision, kind):
    form = NameForm(request.POST)
    if not form.is_valid():
        return _alert(request, organization, _form_messages(form), 400)
    name = form.cleaned_data["name"]
    if kind == "departments":
        parent = None
        if request.POST.get("parent"):
            parent = _node(organization, "departments", request.POST["parent"])
        node = department_services.department_create(
            organization=organization,
            parent=parent,
            expected_revision=revision,
            **{f"name_{_lang()}": name},
        )
        message = _("Added the department “%(name)s”.") % {"name": name}
    else:
        manager = None
        if request.POST.get("manager"):
            manager = _node(organization, "roles", request.POST["manager"])
        department_id = request.POST.get("department")
        if not department_id:
            raise ValidationError(_("Choose the role's department."), code="required")
        department = _node(organization, "departments", department_id)
        node = role_services.role_create(
            organization=organization,
            department=department,
            reports_to=manager,
            expected_revision=revision,
            **{f"title_{_lang()}": name},
        )
        message = _("Added the role “%(name)s”.") % {"name": name}
    return _changed(request, organization, message, focus=f"{kind}-{node.pk}")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def editor_rename(request, slug, kind, pk):
    kind = _kind(kind)
    if request.method == "POST":
        return _editor_rename_post(request, slug, kind, pk)
    return _editor_rename_form(request, slug, kind, pk)


@editor_fragment
def _editor_rename_form(request, organization, kind, pk):
    node = _node(organization, kind, pk)
    field = "name" if kind == "departments" else "title"
    lang = _lang()
    other = "en" if lang == "zh" else "zh"
    context = {
        "organization": organization,
        "kind": kind,
        "node": node,
        "node_name": _node_name(node),
        "form": NameForm(initial={"name": getattr(node, f"{field}_{lang}")}),
        "other_name": getattr(node, f"{field}_{other}"),
        "revision": organization.revision,
    }
    return render(request, "departments/editor/_rename_form.html", context)


@editor_action
def _editor_rename_post(request, organization, revision, kind, pk):
    form = NameForm(request.POST)
    if not form.is_valid():
        return _alert(request, organization, _form_messages(form), 400)
    node = _node(organization, kind, pk)
    old = _node_name(node)
    name = form.cleaned_data["name"]
    if kind == "departments":
        department_services.department_update(
            department=node, expected_revision=revision, **{f"name_{_lang()}": name}
        )
    else:
        role_services.role_update(
            role=node, expected_revision=revision, **{f"title_{_lang()}": name}
        )
    message = _("Renamed “%(old)s” to “%(new)s”.") % {"old": old, "new": name}
    return _changed(request, organization, message, focus=f"{kind}-{node.pk}")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def editor_delete(request, slug, kind, pk):
    kind = _kind(kind)
    if request.method == "POST":
        return _editor_delete_post(request, slug, kind, pk)
    return _editor_delete_form(request, slug, kind, pk)


@editor_fragment
def _editor_delete_form(request, organization, kind, pk):
    node = _node(organization, kind, pk)
    if kind == "departments":
        children = node.get_children().count()
        roles = Role.objects.filter(department=node).count()
    else:
        children, roles = node.get_children().count(), 0
    context = {
        "organization": organization,
        "kind": kind,
        "node": node,
        "node_name": _node_name(node),
        "children": children,
        "roles": roles,
        "form": DeleteForm(),
        "revision": organization.revision,
    }
    return render(request, "departments/editor/_delete_form.html", context)


@editor_action
def _editor_delete_post(request, organization, revision, kind, pk):
    form = DeleteForm(request.POST)
    if not form.is_valid():
        return _alert(request, organization, _form_messages(form), 400)
    node = _node(organization, kind, pk)
    name = _node_name(node)
    children = form.cleaned_data["children"]
    if kind == "departments":
        role_services.department_delete(
            department=node, children=children, expected_revision=revision
        )
    else:
        role_services.role_delete(role=node, children=children, expected_revision=revision)
    message = _("Deleted “%(name)s”.") % {"name": name}
    # The role form may show what was just deleted (or a role that moved department).
    return _changed(request, organization, message, role_panel="")


# --- the role form -----------------------------------------------------------------------------


def _role_lines(role: Role) -> dict[str, list[dict]]:
    lines = {}
    for prefix, model in LINE_KINDS:
        items = model.objects.filter(role=role).order_by("order", "id")
        lines[prefix] = [
            {"id": item.pk, "text": item.text, "kind": getattr(item, "kind", "")} for item in items
        ]
    return lines


def _posted_lines(request: HttpRequest, role: Role) -> tuple[dict[str, list[dict]], dict]:
    """The posted lines in their order, as the service takes them, and as the form shows them.

    A line keeps its other-language text, origin and source note while its text in the active
    language is unchanged; an edited line is the user's own, written to the active language.
    """
    lang = _lang()
    other = "en" if lang == "zh" else "zh"
    kinds = {value for value, _label in REQUIREMENT_KIND_CHOICES}
    service_lines, shown = {}, {}
    for prefix, model in LINE_KINDS:
        existing = {item.pk: item for item in model.objects.filter(role=role)}
        ids = request.POST.getlist(f"{prefix}-id")
        texts = request.POST.getlist(f"{prefix}-text")
        line_kinds = request.POST.getlist(f"{prefix}-kind")
        if len(ids) != len(texts) or (model is Requirement and len(line_kinds) != len(texts)):
            raise ValidationError(
                _("The list of lines was garbled in transit; reload the page."), code="invalid"
            )
        built, rows = [], []
        for index, text in enumerate(texts):
            text = text.strip()
            line_id = int(ids[index]) if ids[index].isdigit() else None
            kind = line_kinds[index] if model is Requirement else ""
            rows.append({"id": line_id or "", "text": text, "kind": kind})
            if not text:
                continue  # an emptied line is a removed line
            line = {f"text_{lang}": text, f"text_{other}": "", "origin": "user", "source_note": ""}
            old = existing.get(line_id)
            if old is not None:
                line[f"text_{other}"] = getattr(old, f"text_{other}")
                if text == translated_value(old, "text", lang):
                    line.update(
                        {f"text_{lang}": getattr(old, f"text_{lang}") or text},
                        origin=old.origin,
                        source_note=old.source_note,
                    )
            if model is Requirement:
                if kind not in kinds:
                    raise ValidationError(
                        _("Choose the kind of requirement %(n)s.") % {"n": index + 1},
                        code="invalid_choice",
                    )
                line["kind"] = kind
            built.append(line)
        service_lines[prefix] = built
        shown[prefix] = rows
    return service_lines, shown


def _role_form_context(organization, role, form, lines, revision, saved=False):
    return {
        "organization": organization,
        "role": role,
        "form": form,
        "lines": lines,
        "requirement_kinds": REQUIREMENT_KIND_CHOICES,
        "revision": revision,
        "saved": saved,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def editor_role(request, slug, pk):
    if request.method == "POST":
        return _editor_role_post(request, slug, pk)
    return _editor_role_form(request, slug, pk)


def _role_initial(role: Role) -> dict:
    lang = _lang()
    return {
        "title": getattr(role, f"title_{lang}") or role.title,
        "department": role.department_id,
        "level": role.level,
        "employment_type": role.employment_type,
        "hiring_priority": role.hiring_priority,
        "pay_structure": role.pay_structure,
        "salary_min": role.salary_min,
        "salary_max": role.salary_max,
        "pay_note": getattr(role, f"pay_note_{lang}") or role.pay_note,
        "summary": getattr(role, f"summary_{lang}") or role.summary,
    }


def _departments(organization):
    return Department.objects.filter(organization=organization).order_by("tree_id", "lft")


@editor_fragment
def _editor_role_form(request, organization, pk):
    role = _node(organization, "roles", pk)
    form = RoleForm(initial=_role_initial(role), departments=_departments(organization))
    context = _role_form_context(organization, role, form, _role_lines(role), organization.revision)
    return render(request, "departments/editor/_role_form.html", context)


@editor_action
def _editor_role_post(request, organization, revision, pk):
    role = _node(organization, "roles", pk)
    form = RoleForm(request.POST, departments=_departments(organization))
    lines, shown = _posted_lines(request, role)

    def failed(lines_of_error: list[str]) -> HttpResponse:
        if not _is_htmx(request):
            return _alert(request, organization, lines_of_error, 400)
        context = _role_form_context(organization, role, form, shown, revision)
        context["alert_lines"] = lines_of_error
        html = render_to_string("departments/editor/_role_form_failed.html", context, request)
        return HttpResponse(html, status=400)

    if not form.is_valid():
        return failed(_form_messages(form))
    data = form.cleaned_data
    lang = _lang()
    try:
        role_services.role_update(
            role=role,
            department=_node(organization, "departments", data["department"]),
            expected_revision=revision,
            level=data["level"],
            employment_type=data["employment_type"],
            hiring_priority=data["hiring_priority"],
            pay_structure=data["pay_structure"],
            salary_min=data["salary_min"],
            salary_max=data["salary_max"],
            **{
                f"title_{lang}": data["title"],
                f"pay_note_{lang}": data["pay_note"],
                f"summary_{lang}": data["summary"],
            },
            **lines,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                target = field.removesuffix(f"_{lang}")
                form.add_error(target if target in form.fields else None, errors)
        return failed(_error_messages(error))
    role = Role.objects.get(pk=role.pk)
    message = _("Saved “%(name)s”.") % {"name": role.title}
    fresh = RoleForm(initial=_role_initial(role), departments=_departments(organization))
    panel_context = _role_form_context(
        organization, role, fresh, _role_lines(role), revision + 1, saved=True
    )
    panel = render_to_string("departments/editor/_role_form.html", panel_context, request)
    return _changed(request, organization, message, role_panel=panel, main="role")


# --- the head-count grid -----------------------------------------------------------------------


@editor_action
def editor_headcount(request, organization, revision):
    form = HeadcountForm(request.POST)
    if not form.is_valid():
        return _alert(request, organization, _form_messages(form), 400)
    data = form.cleaned_data
    role = _node(organization, "roles", data["role"])
    phase = HeadcountPhase.objects.filter(organization=organization, pk=data["phase"]).first()
    if phase is None:
        raise ValidationError(_("That phase is not part of this organization."), code="not_found")
    low, high = data["min_count"], data["max_count"]
    if low is None and high is None:
        # An emptied cell: the role has no target in this phase. `role_update` replaces the
        # role's whole head count, so pass the others along unchanged.
        others = [
            {
                "phase": target.phase_id,
                "min": target.min_count,
                "max": target.max_count,
                "origin": target.origin,
                "source_note": target.source_note,
            }
            for target in role.headcount.exclude(phase=phase)
        ]
        role_services.role_update(role=role, headcount=others, expected_revision=revision)
        target = None
        message = _("Cleared the head count of “%(role)s” in “%(phase)s”.") % {
            "role": role.title,
            "phase": phase.name,
        }
    else:
        low = 0 if low is None else low
        high = low if high is None else high
        target = role_services.role_set_headcount(
            role=role, phase=phase, min_count=low, max_count=high, expected_revision=revision
        )
        message = _("“%(role)s” in “%(phase)s”: %(range)s.") % {
            "role": role.title,
            "phase": phase.name,
            "range": str(target),
        }
    if not _is_htmx(request):
        messages.success(request, message)
        return redirect("org-editor", slug=organization.slug)
    context = {
        "organization": organization,
        "role": role,
        "cell": {"phase": phase, "target": target},
        "headcount_totals": _totals(organization),
        "message": message,
        "revision": revision + 1,
    }
    html = render_to_string("departments/editor/_headcount_saved.html", context, request)
    return _with_revision(HttpResponse(html), organization)
