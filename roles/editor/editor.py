"""The editor page and its endpoints for the two trees: add, rename, move and delete a department
or a role (`roles.editor.kinds` says which services each tree uses).

Names are edited in both languages side by side (`NodeNameForm`, the page's language first, at
least one required); a bare `name` (an older page, a script) is the page's language only. A new
or renamed role whose title a sibling already has is saved with a warning naming that role. A
delete offers to lift what is under the node, to refuse, or to delete it all, after listing by
name what would go.

Each endpoint parses its input, looks up the nodes it names (a missing one is 404), calls one
service with the revision the page was rendered with, and answers with
`roles.editor.responses`. The add and move forms read the light rows of
`organization_outline`, the delete form the design through `organization_design`.

The outlines show what is on screen (`roles.editor.outlines`): `editor_children` answers a
node's children when its toggle opens it, `editor_outlines_fragment` the outlines opened down to
a node, `editor_find` the nodes whose name has the words typed in the search box.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django_htmx.http import reswap, retarget, trigger_client_event

from departments.models import Organization
from departments.selectors import (
    EDIT,
    READ,
    check_access,
    organization_for,
)
from roles.editor.bilingual import BilingualFormMixin, BilingualText
from roles.editor.context import CollaborationForm, design_context
from roles.editor.decorators import editor_action, editor_fragment, form_and_action
from roles.editor.forms import (
    CHILDREN_CHOICES,
    REQUIREMENT_KIND_CHOICES,
    MoveForm,
    add_column_errors,
)
from roles.editor.kinds import DEPARTMENTS, ROLES, EditableKind, Node, editable_kind
from roles.editor.outlines import (
    EditorLabels,
    editor_children_html,
    editor_outlines,
    find_context,
    outline_view,
)
from roles.editor.responses import alert, changed, form_messages, is_htmx, read_only_page
from roles.editor.undo import undo_bar_context
from roles.models import Role
from roles.selectors import Design, organization_design
from roles.selectors.design import organization_outline
from roles.selectors.siblings import roles_sharing_title
from teamorg.errors import validation_messages
from teamorg.i18n import CONTENT_LANGUAGES, content_language
from teamorg.tree_actions import DELETE_SUBTREE

INDENT = "\u2003"  # an em space per level of a node in a list of choices


DELETE_CHOICES = [
    *CHILDREN_CHOICES,
    (DELETE_SUBTREE, gettext_lazy("Delete it and everything under it")),
]


class NodeNameForm(BilingualFormMixin, forms.Form):
    """A node's name (a department's `name`, a role's `title`) in both languages."""

    def __init__(self, data=None, *, kind: EditableKind, heading: str, **kwargs):
        self.bilingual_model = kind.model
        label = gettext_lazy("Name") if kind is DEPARTMENTS else gettext_lazy("Title")
        self.bilingual_texts = (BilingualText(kind.name_field, label, required=True),)
        self.kind = kind
        if data is not None and "name" in data:
            data = _bare_name_as_column(data, kind)
        super().__init__(data, **kwargs)
        self.add_bilingual_fields()
        active = content_language()
        for language in CONTENT_LANGUAGES:
            field = self.fields[f"{kind.name_field}_{language}"]
            language_name = field.label.rsplit(" · ", 1)[-1]
            # The input of the page's language is named after what the form does; the other
            # one after the text it holds, so that each has its own accessible name.
            field.widget.attrs["aria-label"] = (
                f"{heading} · {language_name}" if language == active else field.label
            )
            field.widget.attrs["maxlength"] = field.max_length
            if language == active:
                field.widget.attrs["autofocus"] = True

    def clean(self):
        cleaned = super().clean()
        self.clean_bilingual(cleaned)
        return cleaned

    def columns(self) -> dict[str, str]:
        """The posted columns (`name_zh`, `name_en`) as the service takes them."""
        return {
            f"{self.kind.name_field}_{language}": self.cleaned_data[
                f"{self.kind.name_field}_{language}"
            ]
            for language in CONTENT_LANGUAGES
            if f"{self.kind.name_field}_{language}" in self.data
        }


def _bare_name_as_column(data: QueryDict, kind: EditableKind) -> QueryDict:
    """A post with only `name` writes the page's language (the other column stays as it is)."""
    columns = [f"{kind.name_field}_{language}" for language in CONTENT_LANGUAGES]
    if any(column in data for column in columns):
        return data
    data = data.copy()
    data[f"{kind.name_field}_{content_language()}"] = data["name"]
    return data


class SubtreeDeleteForm(forms.Form):
    children = forms.ChoiceField(
        label=gettext_lazy("What happens to what is under it?"), choices=DELETE_CHOICES
    )


def _sibling_warnings(kind: EditableKind, node: Node) -> list[str]:
    """Role titles may repeat under one manager, but the user should know (departments are
    refused by their service instead)."""
    if kind is not ROLES:
        return []
    others = roles_sharing_title(Role.objects.get(pk=node.pk))
    if not others:
        return []
    names = "、".join(f"“{other.title}”" for other in others)
    return [
        _(
            "Saved, but another role under the same manager already has this title: "
            "%(others)s. Give them different titles if they are different jobs."
        )
        % {"others": names}
    ]


def _refused_inline_form(
    request: HttpRequest,
    organization: Organization,
    template: str,
    context: dict,
    slot: str,
    lines: list[str],
) -> HttpResponse:
    """A refused inline form shown again in its slot, errors on its fields, the summary in the
    alert region; nothing was saved."""
    if not is_htmx(request):
        return alert(request, organization, lines, 400)
    context["alert_lines"] = lines
    response = HttpResponse(render_to_string(template, context, request), status=400)
    return reswap(retarget(response, f"#{slot}"), "innerHTML")


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
        return read_only_page(request, organization, error)
    context = design_context(organization, request)
    context["requirement_kinds"] = REQUIREMENT_KIND_CHOICES
    context.update(undo_bar_context(organization, request.user))
    context.update(
        find_context(
            context["design"],
            request.GET,
            page_url=reverse("org-editor", args=[organization.slug]),
            outlines_url=reverse("editor-outlines", args=[organization.slug]),
        )
    )
    return render(request, "departments/editor.html", context)


# --- the outlines on demand: a node's children, the outlines down to a node, search -----------


@editor_fragment
def editor_children(
    request: HttpRequest, organization: Organization, kind: str, pk: int
) -> HttpResponse:
    """The children of one node of an outline, each closed (the node's toggle loads them)."""
    kind = editable_kind(kind)
    design = organization_outline(organization, with_headcount=False)
    node = kind.node_in(design, pk)
    return HttpResponse(editor_children_html(kind.slug, node, EditorLabels(organization.slug)))


@editor_fragment
def editor_outlines_fragment(request: HttpRequest, organization: Organization) -> HttpResponse:
    """Both outlines as the user has them open, and down to `?show=<kind>-<pk>` (a search
    result), which then gets the focus."""
    design = organization_outline(organization, with_headcount=False)
    view = outline_view(request)
    context = {"organization": organization, "design": design, **editor_outlines(design, view)}
    response = render(request, "departments/editor/_outlines.html", context)
    if view.show:
        trigger_client_event(response, "teamorg:focus", {"id": view.show}, after="settle")
    return response


@editor_fragment
def editor_collaboration_add_form(request: HttpRequest, organization: Organization) -> HttpResponse:
    """The form that adds a collaboration line, for a design too large to send it with every
    page and every write's answer."""
    design = organization_outline(organization, with_headcount=False)
    context = {
        "organization": organization,
        "revision": organization.revision,
        "form": CollaborationForm(design=design, auto_id="collab-add-%s"),
    }
    return render(request, "departments/editor/_collaboration_add.html", context)


@editor_fragment
def editor_find(request: HttpRequest, organization: Organization) -> HttpResponse:
    """The departments and roles whose name has the words asked for (`?q=`)."""
    design = organization_outline(organization, with_headcount=False)
    context = find_context(
        design,
        request.GET,
        page_url=reverse("org-editor", args=[organization.slug]),
        outlines_url=reverse("editor-outlines", args=[organization.slug]),
    )
    if context["found"] is None:
        context["found"] = []
    return render(request, "departments/_found.html", context)


# --- move --------------------------------------------------------------------------------------


@editor_fragment
def editor_move_form(
    request: HttpRequest, organization: Organization, kind: str, pk: int
) -> HttpResponse:
    kind = editable_kind(kind)
    design = organization_outline(organization, with_headcount=False)
    node = kind.node_in(design, pk)
    # Everywhere but under itself (its own MPTT range), on the light rows the outline read.
    targets = [
        other
        for other in kind.nodes(design)
        if not (other.tree_id == node.tree_id and node.lft <= other.lft <= node.rght)
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


def _add_heading(kind: EditableKind, above: Node | None) -> str:
    if kind is DEPARTMENTS:
        if above is None:
            return _("Name of the new top-level department")
        return _("Name of the new sub-department of %(name)s") % {"name": above.name}
    if above is None:
        return _("Title of the new top role")
    return _("Title of the new direct report of %(name)s") % {"name": above.title}


def _add_context(organization, kind, above, form, revision) -> dict:
    design = organization_outline(organization, with_headcount=False)
    slot = above.pk if above else "root"
    return {
        "organization": organization,
        "kind": kind.slug,
        "above": above,
        "departments": _choices(DEPARTMENTS, design.departments),
        "slot": slot,
        "slot_id": f"slot-{kind.slug}-{slot}",
        "heading": _add_heading(kind, above),
        "form": form,
        "revision": revision,
    }


def _name_form(kind, heading, prefix, data=None, initial=None) -> NodeNameForm:
    return NodeNameForm(data, kind=kind, heading=heading, initial=initial, auto_id=f"{prefix}-%s")


@editor_fragment
def _add_form(request: HttpRequest, organization: Organization, kind: str) -> HttpResponse:
    kind = editable_kind(kind)
    above = _above(request.GET, kind, organization)
    slot = above.pk if above else "root"
    form = _name_form(kind, _add_heading(kind, above), f"add-{kind.slug}-{slot}")
    context = _add_context(organization, kind, above, form, organization.revision)
    return render(request, "departments/editor/_add_form.html", context)


@editor_action
def _add(
    request: HttpRequest, organization: Organization, revision: int, kind: str
) -> HttpResponse:
    kind = editable_kind(kind)
    above = _above(request.POST, kind, organization)
    slot = above.pk if above else "root"
    form = _name_form(kind, _add_heading(kind, above), f"add-{kind.slug}-{slot}", request.POST)

    def refused(lines: list[str]) -> HttpResponse:
        context = _add_context(organization, kind, above, form, revision)
        template = "departments/editor/_add_form.html"
        return _refused_inline_form(
            request, organization, template, context, context["slot_id"], lines
        )

    if not form.is_valid():
        return refused(form_messages(form))
    # A role's department (the role services refuse a role without one); a department has none.
    department_id = request.POST.get("department")
    department = DEPARTMENTS.node(organization, department_id) if department_id else None
    try:
        node = kind.create(
            organization=organization,
            above=above,
            department=department,
            expected_revision=revision,
            **form.columns(),
        )
    except ValidationError as error:
        add_column_errors(form, error)
        return refused(validation_messages(error))
    message = kind.added % {"name": kind.name_of(node)}
    return changed(
        request,
        organization,
        message,
        focus=f"{kind.slug}-{node.pk}",
        warnings=_sibling_warnings(kind, node),
    )


editor_add = form_and_action(_add_form, _add)


# --- rename ------------------------------------------------------------------------------------


def _rename_context(organization, kind, node, form, revision) -> dict:
    return {
        "organization": organization,
        "kind": kind.slug,
        "node": node,
        "node_name": kind.name_of(node),
        "slot_id": f"slot-{kind.slug}-{node.pk}",
        "form": form,
        "revision": revision,
    }


def _rename_heading(kind: EditableKind, node: Node) -> str:
    return _("New name for %(name)s") % {"name": kind.name_of(node)}


@editor_fragment
def _rename_form(
    request: HttpRequest, organization: Organization, kind: str, pk: int
) -> HttpResponse:
    kind = editable_kind(kind)
    node = kind.node(organization, pk)
    initial = {
        f"{kind.name_field}_{language}": getattr(node, f"{kind.name_field}_{language}")
        for language in CONTENT_LANGUAGES
    }
    form = _name_form(kind, _rename_heading(kind, node), f"rename-{kind.slug}-{pk}", None, initial)
    context = _rename_context(organization, kind, node, form, organization.revision)
    return render(request, "departments/editor/_rename_form.html", context)


@editor_action
def _rename(
    request: HttpRequest, organization: Organization, revision: int, kind: str, pk: int
) -> HttpResponse:
    kind = editable_kind(kind)
    node = kind.node(organization, pk)
    form = _name_form(kind, _rename_heading(kind, node), f"rename-{kind.slug}-{pk}", request.POST)

    def refused(lines: list[str]) -> HttpResponse:
        context = _rename_context(organization, kind, node, form, revision)
        template = "departments/editor/_rename_form.html"
        return _refused_inline_form(
            request, organization, template, context, context["slot_id"], lines
        )

    if not form.is_valid():
        return refused(form_messages(form))
    old = kind.name_of(node)
    one_language = form.one_language_notes(node)  # read before the write changes `node`
    try:
        renamed = kind.update(node, expected_revision=revision, **form.columns())
    except ValidationError as error:
        add_column_errors(form, error)
        return refused(validation_messages(error))
    message = _("Renamed “%(old)s” to “%(new)s”.") % {"old": old, "new": kind.name_of(renamed)}
    return changed(
        request,
        organization,
        message,
        focus=f"{kind.slug}-{node.pk}",
        warnings=[*one_language, *_sibling_warnings(kind, renamed)],
    )


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
    contents = kind.subtree(design, node)
    context = {
        "organization": organization,
        "kind": kind.slug,
        "node": node,
        "node_name": kind.name_of(node),
        "children": len(Design.children(node)),
        "roles": len(roles),
        # What "delete it and everything under it" takes: names in tree order, with counts.
        "going_departments": [d.name for d in contents.departments],
        "going_roles": [
            {"title": role.title, "department": role.department.name} for role in contents.roles
        ],
        "lifted_roles": [role.title for role in contents.lifted],
        "form": SubtreeDeleteForm(),
        "revision": organization.revision,
    }
    return render(request, "departments/editor/_delete_form.html", context)


@editor_action
def _delete(
    request: HttpRequest, organization: Organization, revision: int, kind: str, pk: int
) -> HttpResponse:
    kind = editable_kind(kind)
    node = kind.node(organization, pk)
    form = SubtreeDeleteForm(request.POST)
    if not form.is_valid():
        return alert(request, organization, form_messages(form), 400)
    name = kind.name_of(node)
    children = form.cleaned_data["children"]
    kind.delete(node, children=children, expected_revision=revision)
    if children == DELETE_SUBTREE:
        message = _("Deleted “%(name)s” and everything under it.") % {"name": name}
    else:
        message = _("Deleted “%(name)s”.") % {"name": name}
    # The detail panel may show what was just deleted (or a role that moved department).
    return changed(request, organization, message, role_panel="")


editor_delete = form_and_action(_delete_form, _delete)
