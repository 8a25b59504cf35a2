"""The editor page and its endpoints for the two trees: add, rename, move and delete a department
or a role (`roles.editor.kinds` says which services each tree uses).

Each endpoint parses its input, looks up the nodes it names (a missing one is 404), calls one
service with the revision the page was rendered with, and answers with
`roles.editor.responses`. Rendering the forms of a node reads the design through
`organization_design`.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from departments.models import Organization
from departments.selectors import EDIT, READ, check_access, organization_for
from roles.editor.context import design_context
from roles.editor.decorators import editor_action, editor_fragment, form_and_action
from roles.editor.forms import REQUIREMENT_KIND_CHOICES, DeleteForm, MoveForm, NameForm
from roles.editor.kinds import DEPARTMENTS, EditableKind, Node, editable_kind
from roles.editor.responses import alert, changed, form_messages
from roles.selectors import Design, organization_design
from teamorg.i18n import content_language

INDENT = "\u2003"  # an em space per level of a node in a list of choices


def _other_language(language: str) -> str:
    return "en" if language == "zh" else "zh"


def _choices(kind: EditableKind, nodes: list) -> list[tuple[int, str]]:
    """Nodes as (id, indented name) choices, in tree order."""
    return [(node.pk, INDENT * node.depth + kind.name_of(node)) for node in nodes]


# --- the page ----------------------------------------------------------------------------------


@require_safe
@login_required
def editor(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_for(request.user, slug, READ)
    try:
        check_access(request.user, organization, EDIT)
    except PermissionDenied as error:
        context = {"organization": organization, "message": str(error)}
        return render(request, "departments/forbidden.html", context, status=403)
    context = design_context(organization)
    context["requirement_kinds"] = REQUIREMENT_KIND_CHOICES
    return render(request, "departments/editor.html", context)


# --- move --------------------------------------------------------------------------------------


@editor_fragment
def editor_move_form(
    request: HttpRequest, organization: Organization, kind: str, pk: int
) -> HttpResponse:
    kind = editable_kind(kind)
    design = organization_design(organization, with_lines=False)
    node = kind.node_in(design, pk)
    # Everywhere but under itself: the tree's own test, on the nodes the design read.
    targets = [
        other for other in kind.nodes(design) if not other.is_descendant_of(node, include_self=True)
    ]
    context = {
        "organization": organization,
        "kind": kind.slug,
        "node": node,
        "node_name": kind.name_of(node),
        "targets": _choices(kind, targets),
        "form": MoveForm(initial={"kind": kind.slug, "node": node.pk, "position": "last-child"}),
        "revision": organization.revision,
    }
    return render(request, "departments/editor/_move_form.html", context)


@editor_action
def editor_move(request: HttpRequest, organization: Organization, revision: int) -> HttpResponse:
    form = MoveForm(request.POST)
    if not form.is_valid():
        return alert(request, organization, form_messages(form), 400)
    data = form.cleaned_data
    kind = editable_kind(data["kind"])
    node = kind.node(organization, data["node"])
    target = None if data["target"] is None else kind.node(organization, data["target"])
    kind.move(node, target=target, position=data["position"], expected_revision=revision)
    if target is None:
        message = _("Moved “%(node)s” to the top level.") % {"node": kind.name_of(node)}
    else:
        message = _("Moved “%(node)s” (%(where)s “%(target)s”).") % {
            "node": kind.name_of(node),
            "where": dict(form.fields["position"].choices)[data["position"]],
            "target": kind.name_of(target),
        }
    return changed(request, organization, message, focus=f"{kind.slug}-{node.pk}")


# --- add ---------------------------------------------------------------------------------------


def _above(data: QueryDict, kind: EditableKind, organization: Organization) -> Node | None:
    """The node to add under (a department's parent, a role's manager), if the form names one."""
    above_id = data.get(kind.above_field)
    return kind.node(organization, above_id) if above_id else None


@editor_fragment
def _add_form(request: HttpRequest, organization: Organization, kind: str) -> HttpResponse:
    kind = editable_kind(kind)
    above = _above(request.GET, kind, organization)
    design = organization_design(organization, with_lines=False)
    context = {
        "organization": organization,
        "kind": kind.slug,
        "above": above,
        "departments": _choices(DEPARTMENTS, design.departments),
        "slot": above.pk if above else "root",
        "form": NameForm(),
        "revision": organization.revision,
    }
    return render(request, "departments/editor/_add_form.html", context)


@editor_action
def _add(
    request: HttpRequest, organization: Organization, revision: int, kind: str
) -> HttpResponse:
    kind = editable_kind(kind)
    form = NameForm(request.POST)
    if not form.is_valid():
        return alert(request, organization, form_messages(form), 400)
    name = form.cleaned_data["name"]
    above = _above(request.POST, kind, organization)
    # A role's department (the role services refuse a role without one); a department has none.
    department_id = request.POST.get("department")
    department = DEPARTMENTS.node(organization, department_id) if department_id else None
    node = kind.create(
        organization=organization,
        above=above,
        department=department,
        expected_revision=revision,
        **{f"{kind.name_field}_{content_language()}": name},
    )
    message = kind.added % {"name": name}
    return changed(request, organization, message, focus=f"{kind.slug}-{node.pk}")


editor_add = form_and_action(_add_form, _add)


# --- rename ------------------------------------------------------------------------------------


@editor_fragment
def _rename_form(
    request: HttpRequest, organization: Organization, kind: str, pk: int
) -> HttpResponse:
    kind = editable_kind(kind)
    node = kind.node(organization, pk)
    language = content_language()
    context = {
        "organization": organization,
        "kind": kind.slug,
        "node": node,
        "node_name": kind.name_of(node),
        "form": NameForm(initial={"name": getattr(node, f"{kind.name_field}_{language}")}),
        # Shown as the placeholder: what the node is called in the other language.
        "other_name": getattr(node, f"{kind.name_field}_{_other_language(language)}"),
        "revision": organization.revision,
    }
    return render(request, "departments/editor/_rename_form.html", context)


@editor_action
def _rename(
    request: HttpRequest, organization: Organization, revision: int, kind: str, pk: int
) -> HttpResponse:
    kind = editable_kind(kind)
    node = kind.node(organization, pk)
    form = NameForm(request.POST)
    if not form.is_valid():
        return alert(request, organization, form_messages(form), 400)
    old = kind.name_of(node)
    name = form.cleaned_data["name"]
    kind.update(
        node, expected_revision=revision, **{f"{kind.name_field}_{content_language()}": name}
    )
    message = _("Renamed “%(old)s” to “%(new)s”.") % {"old": old, "new": name}
    return changed(request, organization, message, focus=f"{kind.slug}-{node.pk}")


editor_rename = form_and_action(_rename_form, _rename)


# --- delete ------------------------------------------------------------------------------------


@editor_fragment
def _delete_form(
    request: HttpRequest, organization: Organization, kind: str, pk: int
) -> HttpResponse:
    kind = editable_kind(kind)
    design = organization_design(organization, with_lines=False)
    node = kind.node_in(design, pk)
    roles = design.roles_by_department.get(node.pk, []) if kind.owns_roles else []
    context = {
        "organization": organization,
        "kind": kind.slug,
        "node": node,
        "node_name": kind.name_of(node),
        "children": len(Design.children(node)),
        "roles": len(roles),
        "form": DeleteForm(),
        "revision": organization.revision,
    }
    return render(request, "departments/editor/_delete_form.html", context)


@editor_action
def _delete(
    request: HttpRequest, organization: Organization, revision: int, kind: str, pk: int
) -> HttpResponse:
    kind = editable_kind(kind)
    node = kind.node(organization, pk)
    form = DeleteForm(request.POST)
    if not form.is_valid():
        return alert(request, organization, form_messages(form), 400)
    name = kind.name_of(node)
    kind.delete(node, children=form.cleaned_data["children"], expected_revision=revision)
    message = _("Deleted “%(name)s”.") % {"name": name}
    # The role form may show what was just deleted (or a role that moved department).
    return changed(request, organization, message, role_panel="")


editor_delete = form_and_action(_delete_form, _delete)
