"""Reads: who may see or change an organization, and a whole design in a constant number of
queries (one per table), never a query per node."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from departments.models import (
    Collaboration,
    Department,
    HeadcountPhase,
    MemberRole,
    Membership,
    Organization,
)

READ, EDIT, OWN = "read", "edit", "own"
_RANK = {MemberRole.VIEWER: 1, MemberRole.EDITOR: 2, MemberRole.OWNER: 3}
_NEEDED = {READ: 1, EDIT: 2, OWN: 3}


def organizations_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Organization]:
    """Templates (for every signed-in user) and the organizations the user is a member of."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(Q(is_template=True) | Q(memberships__user=user)).distinct()


def member_role(user: AbstractBaseUser | AnonymousUser, organization: Organization) -> str | None:
    """owner/editor/viewer, "viewer" for a template, None when the user may not see it."""
    if not user.is_authenticated:
        return None
    role = (
        Membership.objects.filter(organization=organization, user=user)
        .values_list("role", flat=True)
        .first()
    )
    if role is None and organization.is_template:
        return MemberRole.VIEWER
    return role


def check_access(user, organization: Organization, need: str = READ) -> str:
    """Raise Http404 when the user may not see the organization (no existence leak), and
    PermissionDenied when they see it but lack the rights; return their member role."""
    role = member_role(user, organization)
    if role is None:
        raise Http404(_("No such organization."))
    if organization.is_template and need != READ:
        raise PermissionDenied(
            _("Templates are read-only. Create your own design from this template to edit it.")
        )
    if _RANK[role] < _NEEDED[need]:
        raise PermissionDenied(
            _("Your role in this organization (%(role)s) does not allow this.")
            % {"role": MemberRole(role).label}
        )
    return role


def organization_for(user, slug: str, need: str = READ) -> Organization:
    """The organization with `slug` if `user` may `need` it (read, edit or own)."""
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise Http404(_("No such organization."))
    check_access(user, organization, need)
    return organization


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
    from roles.models import Role

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
    from roles.models import HeadcountTarget

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
