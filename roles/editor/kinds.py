"""The two trees the editor edits, departments and reporting lines, as one small table.

Each entry names its model, the bilingual field that is a node's name, the add form's field for
the node to add under, and the services that create, rename, move and delete a node, adapted to
one signature. The views look a kind up once (`editable_kind`) and never branch on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments import services as department_services
from departments.models import Department, Organization
from roles import services as role_services
from roles.models import Role
from roles.selectors import Design
from roles.services.designs import department_delete_subtree, role_delete_subtree
from teamorg.tree_actions import DELETE_SUBTREE

Node = Department | Role


def _create_department(
    *, organization: Organization, above: Department | None, department: Department | None, **write
) -> Department:
    # `department` is a new role's; a department belongs to none.
    return department_services.department_create(organization=organization, parent=above, **write)


def _create_role(
    *, organization: Organization, above: Role | None, department: Department | None, **write
) -> Role:
    return role_services.role_create(
        organization=organization, department=department, reports_to=above, **write
    )


def _update_department(node: Department, **write) -> Department:
    return department_services.department_update(department=node, **write)


def _update_role(node: Role, **write) -> Role:
    return role_services.role_update(role=node, **write)


def _move_department(node: Department, **write) -> Department:
    return department_services.department_move(department=node, **write)


def _move_role(node: Role, **write) -> Role:
    return role_services.role_move(role=node, **write)


def _delete_department(node: Department, *, children: str, **write) -> None:
    if children == DELETE_SUBTREE:
        department_delete_subtree(department=node, **write)
    else:
        role_services.department_delete(department=node, children=children, **write)


def _delete_role(node: Role, *, children: str, **write) -> None:
    if children == DELETE_SUBTREE:
        role_delete_subtree(role=node, **write)
    else:
        role_services.role_delete(role=node, children=children, **write)


@dataclass(frozen=True)
class SubtreeContents:
    """What deleting a node with everything under it takes away, read from a design: the
    departments and roles by name (tree order), and the roles elsewhere that stay but are
    lifted to a surviving manager."""

    departments: list
    roles: list
    lifted: list


def _department_subtree(design: Design, node: Any) -> SubtreeContents:
    departments = [node, *_descendants(node)]
    roles = [role for d in departments for role in design.roles_by_department.get(d.pk, [])]
    going = {role.pk for role in roles}
    lifted = [role for role in design.roles if role.pk not in going and role.reports_to_id in going]
    return SubtreeContents(departments=departments, roles=roles, lifted=lifted)


def _role_subtree(design: Design, node: Any) -> SubtreeContents:
    return SubtreeContents(departments=[], roles=[node, *_descendants(node)], lifted=[])


def _descendants(node: Any) -> list:
    """A node's descendants in tree order, from the design's cached tree (no query)."""
    found = []
    for child in Design.children(node):
        found += [child, *_descendants(child)]
    return found


@dataclass(frozen=True)
class EditableKind:
    """One tree of the editor. `slug` is the URL segment, the outline's id prefix and the
    kind the move form posts."""

    slug: str
    model: type[Department] | type[Role]
    name_field: str  # the bilingual field holding a node's name: "name" or "title"
    above_field: str  # the add form's field naming the node to add under
    owns_roles: bool  # deleting a node of this tree moves roles (a department's)
    added: Promise  # the status message after an add, with %(name)s
    missing: Promise  # the message when an id names no node of this organization
    nodes: Callable[[Design], list]  # the design's nodes of this tree, depth first
    node_in_design: Callable[[Design, int], Any]  # a node as read in a design (KeyError if not)
    subtree: Callable[[Design, Any], SubtreeContents]  # what deleting a whole subtree takes
    # The services, each with the node first and keyword arguments as the service takes them.
    create: Callable[..., Node]  # organization=, above=, department=, expected_revision=, names
    update: Callable[..., Node]  # node, expected_revision=, fields
    move: Callable[..., Node]  # node, target=, position=, expected_revision=
    delete: Callable[..., None]  # node, children= (lift, refuse, delete), expected_revision=

    def name_of(self, node: Any) -> str:
        """A node's name in the active language (with the other as fallback)."""
        return getattr(node, self.name_field)

    def node(self, organization: Organization, pk: Any) -> Node:
        """The node `pk` of this organization. An id that is not a number is bad input (400);
        one that names no node of this organization, or another organization's, is missing
        (404, the same answer, so nothing leaks about other organizations)."""
        node_id = _posted_id(pk, self.missing)
        node = self.model.objects.filter(organization=organization, pk=node_id).first()
        if node is None:
            raise Http404(self.missing)
        return node

    def node_in(self, design: Design, pk: int) -> Any:
        """The node `pk` as read in `design`, linked in the design's cached tree; missing is
        404."""
        try:
            return self.node_in_design(design, pk)
        except KeyError:
            raise Http404(self.missing) from None


def _posted_id(value: Any, missing: Promise) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(str(missing), code="not_found") from None


DEPARTMENTS = EditableKind(
    slug="departments",
    model=Department,
    name_field="name",
    above_field="parent",
    owns_roles=True,
    added=gettext_lazy("Added the department “%(name)s”."),
    missing=gettext_lazy("That department is not part of this organization (any more)."),
    nodes=attrgetter("departments"),
    node_in_design=Design.department,
    subtree=_department_subtree,
    create=_create_department,
    update=_update_department,
    move=_move_department,
    delete=_delete_department,
)
ROLES = EditableKind(
    slug="roles",
    model=Role,
    name_field="title",
    above_field="manager",
    owns_roles=False,
    added=gettext_lazy("Added the role “%(name)s”."),
    missing=gettext_lazy("That role is not part of this organization (any more)."),
    nodes=attrgetter("roles"),
    node_in_design=Design.role,
    subtree=_role_subtree,
    create=_create_role,
    update=_update_role,
    move=_move_role,
    delete=_delete_role,
)
EDITABLE_KINDS = {kind.slug: kind for kind in (DEPARTMENTS, ROLES)}


def editable_kind(slug: str) -> EditableKind:
    """The kind a URL or form names; anything else is not found."""
    try:
        return EDITABLE_KINDS[slug]
    except KeyError:
        raise Http404(_("No such item.")) from None
