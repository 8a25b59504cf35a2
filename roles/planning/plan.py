"""The head-count plan of one organization: the roles × phases grid, department totals rolled
up through the department tree, monthly cost from salary bands, and the hiring roadmap."""

from __future__ import annotations

from dataclasses import dataclass, field

from departments.models import Department, HeadcountPhase, Organization
from roles.models import Role
from roles.planning.data import ZERO, PlanData, Range, plan_data, subtree_role_counts
from roles.planning.roadmap import RoadmapStep, hiring_roadmap


@dataclass(slots=True)
class RoleRow:
    role: Role
    department: Department
    counts: list[Range | None]  # per phase; None when the phase has no target for the role
    salary: Range | None

    @property
    def costs(self) -> list[Range | None]:
        """Monthly cost per phase, None without a salary band. Worked out when asked (the
        downloads, the API), not for each of the 5,000 rows of a page that shows 100."""
        band = self.salary
        if band is None:
            return [None] * len(self.counts)
        return [
            ZERO if count is None else Range(count.min * band.min, count.max * band.max)
            for count in self.counts
        ]


@dataclass
class DepartmentRow:
    department: Department
    depth: int
    path: str
    own: list[Range]  # the department's own roles, per phase
    total: list[Range]  # the whole subtree, per phase
    cost: list[Range]  # monthly cost of the subtree where salary bands are set
    role_count: int  # own roles
    subtree_role_count: int


@dataclass
class HeadcountPlan:
    """How many people each role, department and the whole organization has in each phase, what
    they cost per month, and the order to hire them in."""

    organization: Organization
    phases: list[HeadcountPhase]
    roles: list[RoleRow]  # department by department (depth-first), reporting order inside
    departments: list[DepartmentRow]  # depth-first
    totals: list[Range]  # per phase, the whole organization
    costs: list[Range]  # per phase, roles with a salary band
    unpriced: list[int]  # per phase, roles with head count but no salary band
    staffed: list[int]  # per phase, roles with head count (priced or not)
    unpriced_roles: list[Role]  # roles with head count in some phase but no salary band
    roadmap: list[RoadmapStep]
    data: PlanData = field(repr=False)

    @property
    def cost_is_complete(self) -> bool:
        return not any(self.unpriced)


def organization_plan(organization: Organization, data: PlanData | None = None) -> HeadcountPlan:
    """The head-count plan of one organization (eight queries whatever the size; none when the
    caller passes the `plan_data` it already read)."""
    data = data or plan_data(organization)
    design, phases = data.design, data.phases
    width = len(phases)

    role_rows: list[RoleRow] = []
    # Sums as plain ints ([min, max] per phase), made Ranges once at the end: this loop runs
    # roles × phases times, and a Range per addition was most of its time at 5,000 roles.
    own_sums = {d.pk: [[0, 0] for _ in range(width)] for d in design.departments}
    cost_sums = {d.pk: [[0, 0] for _ in range(width)] for d in design.departments}
    total_sums = [[0, 0] for _ in range(width)]
    cost_totals = [[0, 0] for _ in range(width)]
    unpriced, staffed = [0] * width, [0] * width
    unpriced_roles: list[Role] = []
    phase_pks = [phase.pk for phase in phases]
    count_of = data.counts.get
    for department in design.departments:
        department_own, department_cost = own_sums[department.pk], cost_sums[department.pk]
        for role in design.roles_by_department.get(department.pk, []):
            band = _salary_band(role)
            role_pk = role.pk
            counts = [count_of((role_pk, phase_pk)) for phase_pk in phase_pks]
            if band is None and any(count and count.max for count in counts):
                unpriced_roles.append(role)
            for index, count in enumerate(counts):
                if count is None:
                    continue  # adds nothing, staffs nothing, costs nothing
                low, high = count
                sums, total = department_own[index], total_sums[index]
                sums[0] += low
                sums[1] += high
                total[0] += low
                total[1] += high
                if not high:
                    continue
                staffed[index] += 1
                if band is None:
                    unpriced[index] += 1
                    continue
                money_low, money_high = low * band.min, high * band.max
                sums, total = department_cost[index], cost_totals[index]
                sums[0] += money_low
                sums[1] += money_high
                total[0] += money_low
                total[1] += money_high
            role_rows.append(RoleRow(role, department, counts, band))
    own = {pk: [Range(*pair) for pair in sums] for pk, sums in own_sums.items()}
    cost = {pk: [Range(*pair) for pair in sums] for pk, sums in cost_sums.items()}
    totals = [Range(*pair) for pair in total_sums]
    costs = [Range(*pair) for pair in cost_totals]

    # Depth-first order lists parents before children: walk it backwards to sum subtrees.
    subtree = {pk: list(values) for pk, values in own.items()}
    subtree_cost = {pk: list(values) for pk, values in cost.items()}
    for department in reversed(design.departments):
        parent = department.parent_id
        if parent is None or parent not in subtree:
            continue
        subtree[parent] = [
            a + b for a, b in zip(subtree[parent], subtree[department.pk], strict=True)
        ]
        subtree_cost[parent] = [
            a + b for a, b in zip(subtree_cost[parent], subtree_cost[department.pk], strict=True)
        ]
    role_count = {d.pk: len(design.roles_by_department.get(d.pk, [])) for d in design.departments}
    subtree_roles = subtree_role_counts(design)
    # Depth-first order: a parent's path is known before its children's.
    paths: dict[int, str] = {}
    for department in design.departments:
        above = paths.get(department.parent_id) if department.parent_id else None
        paths[department.pk] = f"{above} > {department.name}" if above else department.name
    department_rows = [
        DepartmentRow(
            department=d,
            depth=d.depth,
            path=paths[d.pk],
            own=own[d.pk],
            total=subtree[d.pk],
            cost=subtree_cost[d.pk],
            role_count=role_count[d.pk],
            subtree_role_count=subtree_roles[d.pk],
        )
        for d in design.departments
    ]
    return HeadcountPlan(
        organization=organization,
        phases=phases,
        roles=role_rows,
        departments=department_rows,
        totals=totals,
        costs=costs,
        unpriced=unpriced,
        staffed=staffed,
        unpriced_roles=unpriced_roles,
        roadmap=hiring_roadmap(data),
        data=data,
    )


ROLES_PER_PAGE = 100  # rows of the plan page's roles × phases table


@dataclass
class RolePage:
    """One page of the plan's role rows, of one department and its sub-departments or of all."""

    rows: list[RoleRow]
    department: Department | None
    page: int
    pages: int
    first: int  # 1-based number of the first row shown (0 when none)
    last: int
    count: int  # rows of the department (or all), every page

    @property
    def previous(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None


def plan_role_page(
    plan: HeadcountPlan, department_id: int | None, page: int, size: int = ROLES_PER_PAGE
) -> RolePage:
    """The role rows of `department_id` and its sub-departments (None or an unknown id: all),
    page `page` (from 1, clamped to the pages there are)."""
    department = next(
        (row.department for row in plan.departments if row.department.pk == department_id), None
    )
    rows = plan.roles
    if department is not None:
        rows = [
            row
            for row in rows
            if row.department.tree_id == department.tree_id
            and department.lft <= row.department.lft <= department.rght
        ]
    pages = max(1, -(-len(rows) // size))
    page = min(max(page, 1), pages)
    start = (page - 1) * size
    shown = rows[start : start + size]
    return RolePage(
        rows=shown,
        department=department,
        page=page,
        pages=pages,
        first=start + 1 if shown else 0,
        last=start + len(shown),
        count=len(rows),
    )


def _salary_band(role: Role) -> Range | None:
    """The role's monthly salary band; one end given stands for both, none gives None (the role
    is then counted as unpriced, never guessed)."""
    if role.salary_min is None and role.salary_max is None:
        return None
    low = role.salary_min if role.salary_min is not None else role.salary_max
    high = role.salary_max if role.salary_max is not None else role.salary_min
    return Range(low, high)
