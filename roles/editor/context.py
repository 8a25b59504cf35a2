"""What the overview page and the editor show of a design: both outlines, the roles × phases
head-count grid and its per-phase totals, all from one `organization_design` read."""

from __future__ import annotations

from departments.models import Organization
from roles.selectors import Design, organization_design

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
    }
