"""The hiring roadmap: who to hire (and where fewer people are planned), in which order, phase
by phase, with the organization's planned head count after each step."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from departments.models import Department, HeadcountPhase
from roles.models import Level, Role
from roles.planning.data import ZERO, PlanData, Range

# Hire the senior people of a phase first when the hiring priority does not say otherwise.
LEVEL_RANK = {level: rank for rank, level in enumerate(Level.values)}


# What a step does to a role's planned head count.
HIRE = "hire"
REDUCE = "reduce"


@dataclass(slots=True)
class RoadmapStep:
    """One step. A 5,000-role plan has 15,000 of them and its page shows 300, so a step holds
    what the walk found and works out the rest (`hires`, `fewer`) when asked."""

    number: int
    phase: HeadcountPhase
    phase_index: int
    role: Role
    department: Department
    kind: str  # HIRE or REDUCE
    before: Range  # the role's planned head count before the step
    after: Range  # … and after it: the phase's target
    cumulative: Range  # the organization's planned head count after the step
    combinable: Sequence[Role]

    @property
    def hires(self) -> Range:
        """People to hire (ZERO for a reduction); min ≤ max."""
        return _ordered(self.after - self.before) if self.kind == HIRE else ZERO

    @property
    def fewer(self) -> Range:
        """How many fewer people a reduction plans for (ZERO for a hire); min ≤ max."""
        return _ordered(self.before - self.after)


def _ordered(delta: Range) -> Range:
    """A change of a range as a range of people, never below zero: 1–3 → 2–3 is "0–1 more"
    (one more if you had the minimum, none if you had the maximum), never "+1–0"."""
    low, high = max(0, delta.min), max(0, delta.max)
    return Range(low, high) if low <= high else Range(high, low)


def hiring_roadmap(data: PlanData) -> list[RoadmapStep]:
    """Who to hire, in order: phase by phase, every role whose planned head count changes in
    that phase. A phase first lists the roles it plans fewer people for (reductions: they
    happen as the phase begins), then the roles that grow, by hiring priority (1 first, unset
    last), then seniority, then reporting order.

    `cumulative` is the organization's planned head count after the step: the sum over all
    roles of what the roadmap has planned for them so far. After the last step of a phase it
    is that phase's total in the plan, so the roadmap always ends on the final phase's total.
    A role whose range both grows and shrinks (1–5 → 2–3) is a hire."""
    design = data.design
    roles = design.roles
    partners: dict[int, list[Role]] = defaultdict(list)
    for left, right in data.combined_pairs:
        partners[left].append(design.role(right))
        partners[right].append(design.role(left))
    # Plain ints and tuples in the loops: this runs roles × phases times. Each role's sort key,
    # as a reduction and as a hire, is made once (reductions sort before every hire).
    pks = [role.pk for role in roles]
    keys = []
    for index, role in enumerate(roles):
        order = (
            role.hiring_priority is None,
            role.hiring_priority or 0,
            LEVEL_RANK.get(role.level, len(LEVEL_RANK)),
            index,
        )
        keys.append(((False, *order), (True, *order)))
    counts = data.counts
    steps: list[RoadmapStep] = []
    low = high = 0  # the organization's planned head count so far
    planned = [ZERO] * len(roles)
    for phase_index, phase in enumerate(data.phases):
        changing = []
        phase_pk = phase.pk
        for index, pk in enumerate(pks):
            now = counts.get((pk, phase_pk), ZERO)
            before = planned[index]
            if now == before:
                continue
            grows = now.min > before.min or now.max > before.max
            changing.append((keys[index][grows], index, before, now, grows))
        changing.sort()
        for _key, index, before, now, grows in changing:
            role = roles[index]
            planned[index] = now
            low += now.min - before.min
            high += now.max - before.max
            steps.append(
                RoadmapStep(
                    number=len(steps) + 1,
                    phase=phase,
                    phase_index=phase_index,
                    role=role,
                    department=role.department,
                    kind=HIRE if grows else REDUCE,
                    before=before,
                    after=now,
                    cumulative=Range(low, high),
                    combinable=partners.get(pks[index], ()),
                )
            )
    return steps
