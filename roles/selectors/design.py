"""The one reader of a whole design: every table of one organization with one query each,
linked into cached trees in memory, never a query per node."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from departments.models import Department, HeadcountPhase, Organization
from roles.models import Collaboration, HeadcountTarget, Role


@dataclass
class Design:
    """An organization's whole design, read with one query per table.

    Trees are mptt cached trees: `node.get_children()` on them costs no query. Roles carry their
    duties, requirements, KPIs, head count and combinable roles prefetched.
    """

    organization: Organization
    phases: list[HeadcountPhase]
    departments: list[Department]  # depth-first order
    department_roots: list[Department]
    roles: list  # depth-first order of the reporting tree
    role_roots: list
    collaborations: list[Collaboration]
    roles_by_department: dict[int, list] = field(default_factory=dict)
    headcount: dict[tuple[int, int], object] = field(default_factory=dict)

    def department(self, pk: int) -> Department:
        return self._departments_by_pk[pk]

    def role(self, pk: int):
        return self._roles_by_pk[pk]

    def __post_init__(self):
        self._departments_by_pk = {d.pk: d for d in self.departments}
        self._roles_by_pk = {r.pk: r for r in self.roles}


def organization_design(organization: Organization, *, with_lines: bool = True) -> Design:
    """Everything of one organization: 4 queries, plus 5 prefetches when `with_lines`."""
    departments_qs = Department.objects.filter(organization=organization).order_by("tree_id", "lft")
    roles_qs = Role.objects.filter(organization=organization).order_by("tree_id", "lft")
    if with_lines:
        roles_qs = roles_qs.prefetch_related(
            "duties",
            "requirements",
            "kpis",
            Prefetch("headcount", queryset=_headcount_queryset()),
            Prefetch("combinable_with", queryset=Role.objects.only("pk", "title_zh", "title_en")),
        )
    departments = list(departments_qs)
    roles = list(roles_qs)
    department_roots = _cached_trees(departments)
    role_roots = _cached_trees(roles)
    by_department: dict[int, list] = defaultdict(list)
    departments_by_pk = {d.pk: d for d in departments}
    headcount = {}
    for role in roles:
        by_department[role.department_id].append(role)
        # Point at the cached department object, so role.department costs no query.
        Role.department.field.set_cached_value(role, departments_by_pk[role.department_id])
        if with_lines:
            for target in role.headcount.all():
                headcount[(role.pk, target.phase_id)] = target
    return Design(
        organization=organization,
        phases=list(HeadcountPhase.objects.filter(organization=organization).order_by("order")),
        departments=departments,
        department_roots=department_roots,
        roles=roles,
        role_roots=role_roots,
        collaborations=list(Collaboration.objects.filter(organization=organization)),
        roles_by_department=dict(by_department),
        headcount=headcount,
    )


def _headcount_queryset():
    return HeadcountTarget.objects.order_by("phase__order")


def _cached_trees(nodes: list) -> list:
    """Link already-fetched nodes into cached trees in O(n); return the roots in order.

    Same result as mptt's `get_cached_trees()` (`get_children()` and the parent attribute then
    cost no query), which instead searches the level above for each node's parent and gets
    quadratic on wide trees.
    """
    if not nodes:
        return []
    parent_attr = nodes[0]._mptt_meta.parent_attr
    parent_field = type(nodes[0])._meta.get_field(parent_attr)
    by_pk = {node.pk: node for node in nodes}
    roots = []
    for node in nodes:  # (tree_id, lft) order: parents come before children
        node._cached_children = []
        parent = by_pk.get(getattr(node, f"{parent_attr}_id"))
        if parent is None:
            roots.append(node)
        else:
            parent._cached_children.append(node)
            parent_field.set_cached_value(node, parent)
    return roots
