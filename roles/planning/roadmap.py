"""The hiring roadmap: who to hire, in which order, phase by phase, with the head count hired
so far after each step."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from departments.models import Department, HeadcountPhase
from roles.models import Level, Role
from roles.planning.data import ZERO, PlanData, Range

# Hire the senior people of a phase first when the hiring priority does not say otherwise.
LEVEL_RANK = {level: rank for rank, level in enumerate(Level.values)}


@dataclass
class RoadmapStep:
    number: int
    phase: HeadcountPhase
    phase_index: int
    role: Role
    department: Department
    hires: Range
    cumulative: Range
    combinable: list[Role]


def hiring_roadmap(data: PlanData) -> list[RoadmapStep]:
    """Who to hire, in order: phase by phase, every role whose head count grows in that phase,
    by hiring priority (1 first, unset last), then seniority, then reporting order. Each step
    hires the growth over the previous phase; `cumulative` is the head count hired so far."""
    design = data.design
    roles = design.roles
    partners: dict[int, list[Role]] = defaultdict(list)
    for left, right in data.combined_pairs:
        partners[left].append(design.role(right))
        partners[right].append(design.role(left))
    # Plain ints and tuples in the loops: this runs roles × phases times.
    pks = [role.pk for role in roles]
    order = [
        (
            role.hiring_priority is None,
            role.hiring_priority or 0,
            LEVEL_RANK.get(role.level, len(LEVEL_RANK)),
            index,
        )
        for index, role in enumerate(roles)
    ]
    counts = data.counts
    steps: list[RoadmapStep] = []
    cumulative = ZERO
    previous = [ZERO] * len(roles)
    for phase_index, phase in enumerate(data.phases):
        growing = []
        phase_pk = phase.pk
        for index, pk in enumerate(pks):
            now = counts.get((pk, phase_pk), ZERO)
            before = previous[index]
            previous[index] = now
            low, high = now.min - before.min, now.max - before.max
            if low > 0 or high > 0:
                growing.append((order[index], Range(max(0, low), max(0, high))))
        growing.sort()
        for (*_key, index), hires in growing:
            role = roles[index]
            cumulative += hires
            steps.append(
                RoadmapStep(
                    number=len(steps) + 1,
                    phase=phase,
                    phase_index=phase_index,
                    role=role,
                    department=role.department,
                    hires=hires,
                    cumulative=cumulative,
                    combinable=partners.get(pks[index], []),
                )
            )
    return steps
