"""What head-count planning reads: one design plus its head count, line counts and combinable
pairs (`PlanData`), and the `Range` every plan figure is made of.

The design itself comes from `roles.selectors.design.organization_outline(..., with_plan=True)`:
every department and role as a light row with the columns planning reads (names, codes, tree
position, level, hiring priority, salary band), no model instance per node (building 5,000
`Role` instances was most of the time of a 5,000-role plan page), no summaries or other texts
nobody here shows. On top of it come four narrow queries, all filtered by organization: the
head-count targets as plain tuples, the number of duties and of requirements per role
(aggregates) and the combinable pairs. Eight queries whatever the size of the design.

A `PlanData` may also hold a design of model instances (`roles.selectors.design_at`, a past
revision): everything here reads only attributes both have.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from django.db.models import Count, F, Model

from departments.models import HeadcountPhase, Organization
from roles.models import Duty, HeadcountTarget, Requirement, Role
from roles.selectors import Design
from roles.selectors.design import organization_outline


class Range(NamedTuple):
    """A head count (or money) range, min ≤ max. A named tuple: plans add up hundreds of
    thousands of them, and a frozen dataclass costs several times more to create."""

    min: int = 0
    max: int = 0

    def __add__(self, other: Range) -> Range:  # type: ignore[override]
        return Range(self.min + other.min, self.max + other.max)

    def __sub__(self, other: Range) -> Range:
        return Range(self.min - other.min, self.max - other.max)

    @property
    def is_zero(self) -> bool:
        return self.min == 0 and self.max == 0

    def __str__(self) -> str:
        if self.min == self.max:
            return f"{self.min:,}"
        return f"{self.min:,}–{self.max:,}"

    def signed(self) -> str:
        """A delta, with its sign: "+2", "−1", "+1–+3"."""

        def one(value: int) -> str:
            return f"+{value:,}" if value > 0 else (f"−{-value:,}" if value < 0 else "0")

        if self.min == self.max:
            return one(self.min)
        return f"{one(self.min)}…{one(self.max)}"

    def as_dict(self) -> dict:
        return {"min": self.min, "max": self.max}

    def __repr__(self) -> str:
        return f"Range({self.min}, {self.max})"


ZERO = Range()


@dataclass
class PlanData:
    """One design plus the head count and line counts the plan and the checks need."""

    design: Design
    counts: dict[tuple[int, int], Range]  # (role id, phase id) → range; absent = not planned
    duty_counts: dict[int, int]
    requirement_counts: dict[int, int]
    combined_pairs: list[tuple[int, int]]  # (role id, role id), smaller id first

    @property
    def organization(self) -> Organization:
        return self.design.organization

    @property
    def phases(self) -> list[HeadcountPhase]:
        return self.design.phases

    def count(self, role: Role, phase: HeadcountPhase) -> Range:
        return self.counts.get((role.pk, phase.pk), ZERO)

    @cached_property
    def planned_role_ids(self) -> frozenset[int]:
        """Roles with a head-count target in at least one phase (zero counts too)."""
        return frozenset(role_id for role_id, _phase in self.counts)

    def planned(self, role: Role) -> bool:
        return role.pk in self.planned_role_ids


def plan_data(organization: Organization) -> PlanData:
    """Eight queries whatever the size (four of `organization_design`, four here)."""
    design = organization_outline(organization, with_headcount=False, with_plan=True)
    counts = {
        (role_id, phase_id): Range(low, high)
        for role_id, phase_id, low, high in HeadcountTarget.objects.filter(
            role__organization=organization
        ).values_list("role_id", "phase_id", "min_count", "max_count")
    }
    through = Role.combinable_with.through
    pairs = list(
        through.objects.filter(
            from_role__organization=organization, from_role_id__lt=F("to_role_id")
        )
        .order_by("from_role_id", "to_role_id")
        .values_list("from_role_id", "to_role_id")
    )
    return PlanData(
        design=design,
        counts=counts,
        duty_counts=_lines_per_role(Duty, organization),
        requirement_counts=_lines_per_role(Requirement, organization),
        combined_pairs=pairs,
    )


def _lines_per_role(model: type[Model], organization: Organization) -> dict[int, int]:
    """role id → number of its duties (or requirements); roles without any are absent."""
    rows = (
        model.objects.filter(role__organization=organization)
        .values("role_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["role_id"]: row["n"] for row in rows}


def subtree_role_counts(design: Design) -> dict[int, int]:
    """Roles in each department and all its sub-departments, without a query per node."""
    counts = {d.pk: len(design.roles_by_department.get(d.pk, [])) for d in design.departments}
    for department in reversed(design.departments):  # children before their parent
        if department.parent_id in counts:
            counts[department.parent_id] += counts[department.pk]
    return counts
