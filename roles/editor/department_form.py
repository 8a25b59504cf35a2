"""The department form of the editor: a department's name and charter (职责概述 `summary`,
工作职能 `functions`), each in Chinese and English side by side, and its function group, which
is the colour of its box in the charts.

It opens in the editor's detail panel (where the role form opens) from the department's row in
the outline, saves through `departments.services.department_update` and stays open, saying
"Saved", while the outlines and the chart are redrawn.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.models import Department, FunctionGroup, Organization
from roles.charts.dot import GROUP_COLOURS
from roles.editor.bilingual import BilingualFormMixin, BilingualText
from roles.editor.decorators import editor_action, editor_fragment, form_and_action
from roles.editor.forms import add_column_errors
from roles.editor.kinds import DEPARTMENTS
from roles.editor.responses import (
    alert,
    changed,
    conflict_lines,
    edit_conflict,
    form_messages,
    is_htmx,
    refresh_revision,
)
from teamorg.errors import EditConflict, validation_messages

FORM_TEMPLATE = "departments/editor/_department_form.html"


class DepartmentForm(BilingualFormMixin, forms.Form):
    bilingual_model = Department
    bilingual_texts = (
        BilingualText("name", gettext_lazy("Name"), required=True),
        BilingualText("summary", gettext_lazy("Charter summary"), multiline=True),
        BilingualText("functions", gettext_lazy("Functions (one per line)"), multiline=True),
    )

    function_group = forms.ChoiceField(
        label=gettext_lazy("Function group (the colour of its box in the charts)"),
        choices=[("", gettext_lazy("None")), *FunctionGroup.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_bilingual_fields()

    def clean(self):
        cleaned = super().clean()
        self.clean_bilingual(cleaned)
        return cleaned

    def group_choices(self) -> list[dict]:
        """The function groups with the fill their chart box header gets (the charts' colours,
        `roles.charts.dot.GROUP_COLOURS`), and which one is chosen."""
        chosen = self["function_group"].value() or ""
        return [
            {
                "value": value,
                "label": label,
                "colour": GROUP_COLOURS.get(value, GROUP_COLOURS[""])[1],
                "checked": value == chosen,
            }
            for value, label in self.fields["function_group"].choices
        ]


def _initial(department: Department) -> dict:
    return {
        **DepartmentForm.bilingual_initial(department),
        "function_group": department.function_group,
    }


def _context(organization, department, form, revision, *, saved=False, alert_lines=()):
    return {
        "organization": organization,
        "department": department,
        "form": form,
        "revision": revision,
        "saved": saved,
        "alert_lines": list(alert_lines),
    }


@editor_fragment
def _show(request: HttpRequest, organization: Organization, pk: int) -> HttpResponse:
    department = DEPARTMENTS.node(organization, pk)
    form = DepartmentForm(initial=_initial(department))
    return render(
        request, FORM_TEMPLATE, _context(organization, department, form, organization.revision)
    )


@editor_action
def _save(request: HttpRequest, organization: Organization, revision: int, pk: int) -> HttpResponse:
    department = DEPARTMENTS.node(organization, pk)
    form = DepartmentForm(request.POST)

    def refused(lines: list[str]) -> HttpResponse:
        # The form again as the user left it, its errors on the fields, the summary in the alert.
        if not is_htmx(request):
            return alert(request, organization, lines, 400)
        context = _context(organization, department, form, revision, alert_lines=lines)
        return HttpResponse(render_to_string(FORM_TEMPLATE, context, request), status=400)

    if not form.is_valid():
        return refused(form_messages(form))
    one_language = form.one_language_notes(department)  # read before the write
    try:
        department = DEPARTMENTS.update(department, expected_revision=revision, **form.cleaned_data)
    except ValidationError as error:
        add_column_errors(form, error)
        return refused(validation_messages(error))
    except EditConflict as error:
        # The form as the user typed it, made on the revision the conflicts were found at:
        # saving it again keeps their values.
        department = DEPARTMENTS.node(organization, pk)  # as saved
        context = _context(organization, department, form, error.current)
        context["conflict_lines"] = conflict_lines(error)
        context["take_theirs_url"] = reverse(
            "editor-department", args=[organization.slug, department.pk]
        )
        panel = render_to_string(FORM_TEMPLATE, context, request)
        return edit_conflict(request, organization, error, panel)
    message = _("Saved “%(name)s”.") % {"name": department.name}
    fresh = DepartmentForm(initial=_initial(department))
    panel = render_to_string(
        FORM_TEMPLATE,
        _context(organization, department, fresh, refresh_revision(organization), saved=True),
        request,
    )
    return changed(
        request, organization, message, role_panel=panel, main="role", warnings=one_language
    )


editor_department = form_and_action(_show, _save)
