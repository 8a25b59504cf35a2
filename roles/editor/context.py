"""What the overview page and the editor show of a design: both outlines, the roles × phases
head-count grid and its per-phase totals, the collaboration lines with the form that adds one,
all from one `organization_design` read.

`CollaborationForm` lives here, not in `roles.editor.collaboration_lines`, because every editor
answer (`roles.editor.responses.changed`) redraws the collaboration panel from this context and
the views module imports the responses."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from departments.models import Organization
from roles.editor.bilingual import BilingualFormMixin, BilingualText
from roles.models import Collaboration
from roles.selectors import Design, organization_design
from teamorg.limits import HEADCOUNT_LIMIT

INDENT = "\u2003"  # an em space per level of a node in a list of choices
ENDPOINT_KINDS = {"d": "departments", "r": "roles"}

MAX_INDENT = 6  # deeper roles of the grid stay at this indent (the CSS has classes up to it)


def headcount_rows(design: Design) -> list[dict]:
    """One row per role (depth first): its cell in each phase, target or None."""
    return [
        {
            "role": role,
            "cells": [
                {"phase": phase, "target": design.headcount.get((role.pk, phase.pk))}
                for phase in design.phases
            ],
            "indent": min(role.depth, MAX_INDENT),
        }
        for role in design.roles
    ]


def headcount_totals(design: Design) -> list[dict]:
    """Per phase, the sums of the roles' minimums and maximums."""
    sums = {phase.pk: [0, 0] for phase in design.phases}
    for (_role_id, phase_id), target in design.headcount.items():
        sums[phase_id][0] += target.min_count
        sums[phase_id][1] += target.max_count
    return [
        {"phase": phase, "min": sums[phase.pk][0], "max": sums[phase.pk][1]}
        for phase in design.phases
    ]


class CollaborationForm(BilingualFormMixin, forms.Form):
    """A collaboration line: two departments or two roles of this organization (the choices
    offer only its own nodes; the service checks again) and a description in both languages.
    An endpoint is posted as `d<id>` or `r<id>`."""

    bilingual_model = Collaboration
    bilingual_texts = (BilingualText("description", _("What they hand over")),)

    from_node = forms.ChoiceField(label=_("From"))
    to_node = forms.ChoiceField(label=_("To"))

    def __init__(self, *args, design: Design, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_bilingual_fields()
        choices = [
            ("", _("Choose…")),
            (
                _("Departments"),
                [(f"d{d.pk}", INDENT * d.depth + d.name) for d in design.departments],
            ),
            (_("Roles"), [(f"r{r.pk}", INDENT * r.depth + r.title) for r in design.roles]),
        ]
        self.fields["from_node"].choices = choices
        self.fields["to_node"].choices = choices

    def clean(self):
        cleaned = super().clean()
        ends = [cleaned.get("from_node"), cleaned.get("to_node")]
        if all(ends) and ends[0][0] != ends[1][0]:
            raise ValidationError(
                _("Link two departments or two roles, not a department and a role."),
                code="invalid_endpoints",
            )
        if all(ends) and ends[0] == ends[1]:
            self.add_error("to_node", _("Choose two different ends."))
        return cleaned

    def endpoints(self) -> tuple[str, int, int]:
        """The kind (`departments` or `roles`) and the two ids chosen."""
        start, end = self.cleaned_data["from_node"], self.cleaned_data["to_node"]
        return ENDPOINT_KINDS[start[0]], int(start[1:]), int(end[1:])


def collaboration_rows(design: Design) -> list[dict]:
    """The design's collaboration lines with the names of both ends, in their order."""
    rows = []
    for line in design.collaborations:
        try:
            if line.from_department_id is not None:
                ends = (design.department(line.from_department_id).name,)
                ends += (design.department(line.to_department_id).name,)
                kind = "departments"
            else:
                ends = (design.role(line.from_role_id).title, design.role(line.to_role_id).title)
                kind = "roles"
        except KeyError:  # an end outside the design read: not this organization's line
            continue
        rows.append(
            {
                "line": line,
                "kind": kind,
                "from_name": ends[0],
                "to_name": ends[1],
                "description_zh": line.description_zh,
                "description_en": line.description_en,
            }
        )
    return rows


def design_context(organization: Organization) -> dict:
    """The template context of a whole design. Pass the organization as it is now: its
    revision is the one the page's forms send back."""
    design = organization_design(organization)
    for department in design.departments:
        department.role_list = design.roles_by_department.get(department.pk, [])
        department.role_count = len(department.role_list)
    return {
        "organization": design.organization,
        "design": design,
        "revision": design.organization.revision,
        "headcount_rows": headcount_rows(design),
        "headcount_totals": headcount_totals(design),
        "headcount_limit": HEADCOUNT_LIMIT,
        "collaboration_rows": collaboration_rows(design),
        "collaboration_form": CollaborationForm(design=design, auto_id="collab-add-%s"),
    }
