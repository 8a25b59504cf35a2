"""The collaboration lines panel of the editor (对接: dotted lines between two departments or two
roles that hand work to each other): add one, edit its description in both languages, delete
it after a confirmation.

Only this organization's departments and roles are offered, and each posted end is looked up in
this organization (another organization's node is missing, 404). Every write answers with
`roles.editor.responses.changed`, which redraws the outlines, this panel (out of band) and, on
its `teamorg:design-changed` trigger, the chart.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.http import reswap, retarget

from departments.models import Organization
from roles.editor.bilingual import BilingualFormMixin, BilingualText
from roles.editor.context import CollaborationForm, design_context
from roles.editor.decorators import editor_action, editor_fragment, form_and_action
from roles.editor.forms import add_column_errors
from roles.editor.kinds import DEPARTMENTS, ROLES
from roles.editor.responses import alert, changed, form_messages, is_htmx
from roles.models import Collaboration
from roles.selectors import organization_design
from roles.services.collaborations import (
    collaboration_create,
    collaboration_delete,
    collaboration_update,
)
from teamorg.errors import validation_messages
from teamorg.i18n import CONTENT_LANGUAGES

PANEL_TEMPLATE = "departments/editor/_collaborations.html"
MISSING = gettext_lazy("That collaboration line is not part of this organization (any more).")


class DescriptionForm(BilingualFormMixin, forms.Form):
    """A collaboration line's description in both languages."""

    bilingual_model = Collaboration
    bilingual_texts = (BilingualText("description", gettext_lazy("What they hand over")),)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_bilingual_fields()


def _descriptions(cleaned: dict) -> dict[str, str]:
    return {
        f"description_{language}": cleaned[f"description_{language}"]
        for language in CONTENT_LANGUAGES
    }


def _line(organization: Organization, pk: int) -> Collaboration:
    line = Collaboration.objects.filter(organization=organization, pk=pk).first()
    if line is None:
        raise Http404(MISSING)
    return line


def _ends(line: Collaboration) -> str:
    """ "A → B" in the active language, for messages."""
    if line.from_department_id is not None:
        start, end = line.from_department, line.to_department
    else:
        start, end = line.from_role, line.to_role
    return f"{start} → {end}"


# --- add ---------------------------------------------------------------------------------------


@editor_action
def editor_collaboration_add(
    request: HttpRequest, organization: Organization, revision: int
) -> HttpResponse:
    design = organization_design(organization, with_lines=False)
    form = CollaborationForm(request.POST, design=design, auto_id="collab-add-%s")

    def refused(lines: list[str]) -> HttpResponse:
        # The panel again with the form as the user left it, errors on its fields.
        if not is_htmx(request):
            return alert(request, organization, lines, 400)
        context = design_context(organization, request)
        context.update(collaboration_form=form, alert_lines=lines, revision=revision)
        html = render_to_string(PANEL_TEMPLATE, context, request)
        return reswap(retarget(HttpResponse(html, status=400), "#collaborations"), "innerHTML")

    if not form.is_valid():
        return refused(form_messages(form))
    kind, start_id, end_id = form.endpoints()
    tree = DEPARTMENTS if kind == DEPARTMENTS.slug else ROLES
    start, end = tree.node(organization, start_id), tree.node(organization, end_id)
    ends = (
        {"from_department": start, "to_department": end}
        if tree is DEPARTMENTS
        else {"from_role": start, "to_role": end}
    )
    try:
        line = collaboration_create(
            organization=organization,
            expected_revision=revision,
            **ends,
            **_descriptions(form.cleaned_data),
        )
    except ValidationError as error:
        add_column_errors(form, error)
        return refused(validation_messages(error))
    message = _("Added the collaboration line %(ends)s.") % {"ends": _ends(line)}
    return changed(request, organization, message)


# --- edit the description ----------------------------------------------------------------------


def _edit_context(organization, line, form, revision) -> dict:
    return {
        "organization": organization,
        "line": line,
        "ends": _ends(line),
        "form": form,
        "revision": revision,
    }


@editor_fragment
def _edit_form(request: HttpRequest, organization: Organization, pk: int) -> HttpResponse:
    line = _line(organization, pk)
    initial = {
        f"description_{language}": getattr(line, f"description_{language}")
        for language in CONTENT_LANGUAGES
    }
    form = DescriptionForm(initial=initial, auto_id=f"collab-{line.pk}-%s")
    context = _edit_context(organization, line, form, organization.revision)
    return render(request, "departments/editor/_collaboration_form.html", context)


@editor_action
def _edit(request: HttpRequest, organization: Organization, revision: int, pk: int) -> HttpResponse:
    line = _line(organization, pk)
    form = DescriptionForm(request.POST, auto_id=f"collab-{line.pk}-%s")
    if not form.is_valid():
        return alert(request, organization, form_messages(form), 400)
    one_language = form.one_language_notes(line)  # read before the write
    line = collaboration_update(
        collaboration=line, expected_revision=revision, **_descriptions(form.cleaned_data)
    )
    message = _("Saved the collaboration line %(ends)s.") % {"ends": _ends(line)}
    return changed(request, organization, message, warnings=one_language)


editor_collaboration = form_and_action(_edit_form, _edit)


# --- delete ------------------------------------------------------------------------------------


@editor_fragment
def _delete_form(request: HttpRequest, organization: Organization, pk: int) -> HttpResponse:
    line = _line(organization, pk)
    context = _edit_context(organization, line, None, organization.revision)
    return render(request, "departments/editor/_collaboration_delete.html", context)


@editor_action
def _delete(
    request: HttpRequest, organization: Organization, revision: int, pk: int
) -> HttpResponse:
    line = _line(organization, pk)
    ends = _ends(line)
    collaboration_delete(collaboration=line, expected_revision=revision)
    message = _("Deleted the collaboration line %(ends)s.") % {"ends": ends}
    return changed(request, organization, message)


editor_collaboration_delete = form_and_action(_delete_form, _delete)
