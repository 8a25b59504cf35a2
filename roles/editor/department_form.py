"""The department form of the editor: a department's name and charter (职责概述 `summary`,
工作职能 `functions`), each in Chinese and English side by side, its function group, which
is the colour of its box in the charts, and its own head count per phase (部门定编: one
at-least / at-most pair per phase, shown beside the sum of its roles' head count).

The head count is saved with the rest of the form, both numbers of every phase together, as the
user left them: nothing is filled in by the server while the user types (the head-count grid's
rule). Only "at least" means exactly that many; only "at most" means from none up to it; both
empty means the department has no head count of its own in that phase.

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

from departments.models import Department, FunctionGroup, HeadcountPhase, Organization
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
from roles.selectors.department_headcount import department_headcount
from teamorg.errors import EditConflict, validation_messages
from teamorg.limits import DEPARTMENT_HEADCOUNT_LIMIT

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

    def __init__(self, *args, phases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_bilingual_fields()
        self.phases = list(phases)
        for phase in self.phases:
            for bound, label in (
                ("min", gettext_lazy("at least")),
                ("max", gettext_lazy("at most")),
            ):
                self.fields[f"headcount_{bound}_{phase.pk}"] = forms.IntegerField(
                    label=label,
                    required=False,
                    min_value=0,
                    max_value=DEPARTMENT_HEADCOUNT_LIMIT,
                )

    def clean(self):
        cleaned = super().clean()
        self.clean_bilingual(cleaned)
        headcount, self.untouched_phases = [], []
        for phase in self.phases:
            low = cleaned.pop(f"headcount_min_{phase.pk}", None)
            high = cleaned.pop(f"headcount_max_{phase.pk}", None)
            names = (f"headcount_min_{phase.pk}", f"headcount_max_{phase.pk}")
            if not any(self.add_prefix(name) in self.data for name in names):
                # Not on the page the user saved (a phase added since): left as it is.
                self.untouched_phases.append(phase.pk)
                continue
            if low is None and high is None:
                continue
            low = 0 if low is None else low
            high = low if high is None else high
            if low > high:
                self.add_error(
                    f"headcount_max_{phase.pk}",
                    _("In phase “%(phase)s” the minimum %(min)s is above the maximum %(max)s.")
                    % {"phase": phase, "min": low, "max": high},
                )
                continue
            headcount.append({"phase": phase.pk, "min": low, "max": high})
        if len(self.untouched_phases) < len(self.phases):
            cleaned["headcount"] = headcount
        return cleaned

    def headcount_rows(self, roles: dict[int, str] | None = None) -> list[dict]:
        """Per phase: its name, the two inputs and the sum of the department's roles there."""
        roles = roles or {}
        return [
            {
                "phase": phase,
                "min": self[f"headcount_min_{phase.pk}"],
                "max": self[f"headcount_max_{phase.pk}"],
                "roles": roles.get(phase.pk, ""),
            }
            for phase in self.phases
        ]

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


def _phases(organization: Organization) -> list[HeadcountPhase]:
    return list(HeadcountPhase.objects.filter(organization=organization).order_by("order"))


def _initial(department: Department) -> dict:
    initial = {
        **DepartmentForm.bilingual_initial(department),
        "function_group": department.function_group,
    }
    for target in department.headcount.all():
        initial[f"headcount_min_{target.phase_id}"] = target.min_count
        initial[f"headcount_max_{target.phase_id}"] = target.max_count
    return initial


def _context(organization, department, form, revision, *, saved=False, alert_lines=()):
    counts = department_headcount([organization.pk])
    roles = {phase.pk: str(counts.get(department.pk, phase.pk).roles) for phase in form.phases}
    return {
        "organization": organization,
        "department": department,
        "form": form,
        "headcount_rows": form.headcount_rows(roles),
        "revision": revision,
        "saved": saved,
        "alert_lines": list(alert_lines),
    }


@editor_fragment
def _show(request: HttpRequest, organization: Organization, pk: int) -> HttpResponse:
    department = DEPARTMENTS.node(organization, pk)
    form = DepartmentForm(initial=_initial(department), phases=_phases(organization))
    return render(
        request, FORM_TEMPLATE, _context(organization, department, form, organization.revision)
    )


@editor_action
def _save(request: HttpRequest, organization: Organization, revision: int, pk: int) -> HttpResponse:
    department = DEPARTMENTS.node(organization, pk)
    phases = _phases(organization)
    form = DepartmentForm(request.POST, phases=phases)

    def refused(lines: list[str]) -> HttpResponse:
        # The form again as the user left it, its errors on the fields, the summary in the alert.
        if not is_htmx(request):
            return alert(request, organization, lines, 400)
        context = _context(organization, department, form, revision, alert_lines=lines)
        return HttpResponse(render_to_string(FORM_TEMPLATE, context, request), status=400)

    if not form.is_valid():
        return refused(form_messages(form))
    one_language = form.one_language_notes(department)  # read before the write
    write = dict(form.cleaned_data)
    if "headcount" in write:
        # Phases the form did not show keep their head count.
        write["headcount"] += [
            {"phase": target.phase_id, "min": target.min_count, "max": target.max_count}
            for target in department.headcount.filter(phase_id__in=form.untouched_phases)
        ]
    try:
        department = DEPARTMENTS.update(department, expected_revision=revision, **write)
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
    fresh = DepartmentForm(initial=_initial(department), phases=phases)
    panel = render_to_string(
        FORM_TEMPLATE,
        _context(organization, department, fresh, refresh_revision(organization), saved=True),
        request,
    )
    return changed(
        request, organization, message, role_panel=panel, main="role", warnings=one_language
    )


editor_department = form_and_action(_show, _save)
