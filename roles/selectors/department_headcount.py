"""A department's head count per phase (部门定编) beside the sum of its roles' head count.

HR sets a department's establishment (部门定编) apart from its positions' head counts (定岗定编),
and the two need not agree: 000's staffing table gives 商品部 "前期共计(3人)" over role rows adding
up to 5. Both numbers cover the department with its sub-departments (客服部's 7 include the
agents of its 客服运营组). The plan page, the charts, the charter, the API and the health check
all read them from here, so they cannot disagree about either number.

`department_headcount()` reads three tables whatever the size: the departments' own ranges, the
roles' ranges summed per department and phase by the database, and the department tree (ids and
parents in tree order) to roll the sums up. `rollup_roles()` is the roll-up alone, for readers
that already hold the rows (the API tree, also at a past revision).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from departments.models import Department, DepartmentHeadcount
from roles.models import HeadcountTarget


class Span(NamedTuple):
    """A head-count range, min ≤ max."""

    min: int = 0
    max: int = 0

    def __str__(self) -> str:
        return f"{self.min:,}" if self.min == self.max else f"{self.min:,}–{self.max:,}"

    def as_dict(self) -> dict:
        return {"min": self.min, "max": self.max}


NONE = Span()


@dataclass(frozen=True)
class DepartmentPhase:
    """One department in one phase: its own head count (None when none is set) and the sum of
    the head count of the roles in it and its sub-departments."""

    planned: Span | None
    roles: Span

    @property
    def differs(self) -> bool:
        """The department's head count is set and the roles' sum is not the same range."""
        return self.planned is not None and self.planned != self.roles


class DepartmentHeadcounts:
    """Department id → phase id → `DepartmentPhase`, for the departments read."""

    def __init__(
        self,
        planned: dict[tuple[int, int], Span],
        roles: dict[tuple[int, int], Span],
    ):
        self.planned = planned
        self.roles = roles

    def get(self, department_id: int, phase_id: int) -> DepartmentPhase:
        return DepartmentPhase(
            self.planned.get((department_id, phase_id)),
            self.roles.get((department_id, phase_id), NONE),
        )

    def row(self, department_id: int, phase_ids: Iterable[int]) -> list[DepartmentPhase]:
        return [self.get(department_id, phase_id) for phase_id in phase_ids]

    def has_planned(self, department_id: int) -> bool:
        return any(key[0] == department_id for key in self.planned)


def rollup_roles(
    departments: Iterable[tuple[int, int | None]],
    sums: Iterable[tuple[int, int, int, int]],
) -> dict[tuple[int, int], Span]:
    """(department id, phase id) → the roles' head count in the department and everything
    below it. `departments` are (id, parent id) in tree order (a parent before its children);
    `sums` are (department id, phase id, min, max) of the roles directly in a department."""
    order = list(departments)
    totals: dict[int, dict[int, list[int]]] = defaultdict(dict)
    for department_id, phase_id, low, high in sums:
        cell = totals[department_id].setdefault(phase_id, [0, 0])
        cell[0] += low or 0
        cell[1] += high or 0
    for department_id, parent_id in reversed(order):  # children before their parents
        if parent_id is None:
            continue
        parent = totals[parent_id]
        for phase_id, (low, high) in totals.get(department_id, {}).items():
            cell = parent.setdefault(phase_id, [0, 0])
            cell[0] += low
            cell[1] += high
    return {
        (department_id, phase_id): Span(low, high)
        for department_id, phases in totals.items()
        for phase_id, (low, high) in phases.items()
    }


def planned_headcount(organization_id: int) -> dict[tuple[int, int], Span]:
    """(department id, phase id) → the department's own head count: one query."""
    rows = DepartmentHeadcount.objects.filter(department__organization_id=organization_id)
    return {
        (department_id, phase_id): Span(low, high)
        for department_id, phase_id, low, high in rows.values_list(
            "department_id", "phase_id", "min_count", "max_count"
        )
    }


def department_headcount_of_design(
    design, counts: Mapping[tuple[int, int], tuple[int, int]]
) -> DepartmentHeadcounts:
    """The same for a design already read (`roles.selectors.organization_design`) with its
    roles' head count `counts` ((role id, phase id) → (min, max)): one query, for the
    departments' own ranges."""
    department_of = {role.pk: role.department_id for role in design.roles}
    sums = (
        (department_of[role_id], phase_id, low, high)
        for (role_id, phase_id), (low, high) in counts.items()
        if role_id in department_of
    )
    tree = ((d.pk, d.parent_id) for d in design.departments)
    return DepartmentHeadcounts(planned_headcount(design.organization.pk), rollup_roles(tree, sums))


def department_headcount(
    organization_ids: Iterable[int], *, phase_id: int | None = None
) -> DepartmentHeadcounts:
    """The departments' head count and their roles' sums in the organizations named (one
    phase's only, with `phase_id`). Three queries whatever the size."""
    ids = list(organization_ids)
    planned_rows = DepartmentHeadcount.objects.filter(department__organization_id__in=ids)
    targets = HeadcountTarget.objects.filter(role__organization_id__in=ids)
    if phase_id is not None:
        planned_rows = planned_rows.filter(phase_id=phase_id)
        targets = targets.filter(phase_id=phase_id)
    planned = {
        (department_id, phase): Span(low, high)
        for department_id, phase, low, high in planned_rows.values_list(
            "department_id", "phase_id", "min_count", "max_count"
        )
    }
    sums = (
        targets.values("role__department_id", "phase_id")
        .annotate(low=Sum("min_count"), high=Sum("max_count"))
        .order_by()
        .values_list("role__department_id", "phase_id", "low", "high")
    )
    tree = (
        Department.objects.filter(organization_id__in=ids)
        .order_by("tree_id", "lft")
        .values_list("id", "parent_id")
    )
    return DepartmentHeadcounts(planned, rollup_roles(tree, sums))


def department_headcount_in_phase(organization_id: int, phase_id: int) -> DepartmentHeadcounts:
    """The same for one phase in one query (what a chart draws): every department with its own
    range in `phase_id` and the sum of its subtree's roles there, found through the MPTT bounds
    (a role whose department lies between the department's `lft` and `rght`)."""
    own = DepartmentHeadcount.objects.filter(department_id=OuterRef("pk"), phase_id=phase_id)
    subtree = HeadcountTarget.objects.filter(
        phase_id=phase_id,
        role__department__tree_id=OuterRef("tree_id"),
        role__department__lft__gte=OuterRef("lft"),
        role__department__lft__lte=OuterRef("rght"),
    )

    def total(column: str) -> Subquery:
        summed = subtree.values("phase_id").annotate(n=Sum(column)).values("n")[:1]
        return Coalesce(Subquery(summed, output_field=IntegerField()), 0)

    rows = (
        Department.objects.filter(organization_id=organization_id)
        .annotate(
            planned_min=Subquery(own.values("min_count")[:1]),
            planned_max=Subquery(own.values("max_count")[:1]),
            roles_min=total("min_count"),
            roles_max=total("max_count"),
        )
        .values_list("pk", "planned_min", "planned_max", "roles_min", "roles_max")
    )
    planned, roles = {}, {}
    for pk, planned_min, planned_max, roles_min, roles_max in rows:
        if planned_min is not None:
            planned[(pk, phase_id)] = Span(planned_min, planned_max)
        if roles_min or roles_max:
            roles[(pk, phase_id)] = Span(roles_min, roles_max)
    return DepartmentHeadcounts(planned, roles)
