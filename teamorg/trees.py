"""Tree operations shared by the department tree and the reporting tree.

These helpers run inside a transaction that already holds the tree lock
(`teamorg.locking.tree_write`); the services in `departments.services` and `roles.services` open
it, check permissions and organization rules, and bump the revision. Like Wagtail's move action,
they re-read every node from the database instead of trusting instances the caller holds: after
any tree write, the lft/rght values in memory are stale.
"""

from collections import defaultdict
from typing import Literal

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext as _
from mptt.models import MPTTModel

from teamorg.errors import field_error

Position = Literal["first-child", "last-child", "left", "right"]
POSITIONS: tuple[str, ...] = ("first-child", "last-child", "left", "right")
ChildrenPolicy = Literal["lift", "refuse"]
CHILDREN_POLICIES: tuple[str, ...] = ("lift", "refuse")


def reload(node: MPTTModel) -> MPTTModel:
    """`node` as stored now. The caller found it before taking the tree lock; if another writer
    deleted it since, this raises the model's `DoesNotExist` with a message for people (a
    missing object is a 404 in every channel)."""
    model = type(node)
    try:
        return model._default_manager.get(pk=node.pk)
    except model.DoesNotExist:
        raise model.DoesNotExist(gone_message(node)) from None


def reload_referenced(node: MPTTModel, *, field: str) -> MPTTModel:
    """A node the write refers to (a target, a parent, a department, a manager), re-read under
    the lock. Gone since the caller chose it is bad input on `field` (a 400), like any choice
    that is not valid, not a missing page."""
    try:
        return reload(node)
    except ObjectDoesNotExist as error:
        raise field_error(field, str(error), "does_not_exist") from None


def gone_message(node) -> str:
    return _("“%(node)s” no longer exists: someone else deleted it.") % {"node": node}


def check_position(position: str, *, field: str = "position") -> None:
    if position not in POSITIONS:
        message = _("Position must be one of: %(choices)s.") % {"choices": ", ".join(POSITIONS)}
        raise field_error(field, message, "invalid_position")


def check_move(
    node: MPTTModel, target: MPTTModel | None, *, field: str, organization_attr="organization_id"
) -> None:
    """Refuse impossible moves up front, before mptt touches a row (Wagtail's rule)."""
    if target is None:
        return
    if getattr(target, organization_attr) != getattr(node, organization_attr):
        message = _("The target belongs to another organization.")
        raise field_error(field, message, "cross_organization")
    if target.pk == node.pk or target.is_descendant_of(node):
        message = _("“%(node)s” cannot be moved under itself or one of its own subordinates.")
        raise field_error(field, message % {"node": node}, "cycle")


def organization_roots(model: type[MPTTModel], organization_id: int):
    parent_filter = {f"{model._mptt_meta.parent_attr}__isnull": True}
    return model._default_manager.filter(organization_id=organization_id, **parent_filter).order_by(
        "tree_id"
    )


def move_node(node: MPTTModel, target: MPTTModel | None, position: str) -> MPTTModel:
    """Move `node`; `target=None` makes it the last top-level node of its organization."""
    node = reload(node)
    if target is None:
        last_root = organization_roots(type(node), node.organization_id).exclude(pk=node.pk).last()
        if last_root is None:
            if not node.is_root_node():
                node.move_to(None)
        else:
            node.move_to(reload(last_root), "right")
    else:
        node.move_to(reload(target), position)
    return reload(node)


def check_children_policy(children: str) -> None:
    if children not in CHILDREN_POLICIES:
        raise field_error("children", _("Choose “lift” or “refuse”."), "invalid_choice")


def lift_children_and_delete(node: MPTTModel, children: str, *, what: str) -> None:
    """Delete `node`; its children either move up one level into its place, or the delete is
    refused. Never a silent cascade."""
    check_children_policy(children)
    node = reload(node)
    child_ids = list(node.get_children().values_list("pk", flat=True))
    if child_ids and children == "refuse":
        raise ValidationError(
            _("“%(node)s” still has %(count)s %(what)s under it; move them first or lift them.")
            % {"node": node, "count": len(child_ids), "what": what},
            code="has_children",
        )
    model = type(node)
    for child_id in child_ids:
        # Each child goes just left of the node being deleted, so the lifted children keep both
        # their order and the node's place among its siblings.
        model._default_manager.get(pk=child_id).move_to(reload(node), "left")
    reload(node).delete()


def tree_integrity_errors(model: type[MPTTModel], **filters) -> list[str]:
    """Every way the stored trees differ from what `rebuild()` would make of them.

    One query: all rows ordered by (tree_id, lft). Checks one root per tree, lft/rght a
    permutation of 1..2n, children inside their parents, levels, one organization per tree and
    the exact lft/rght/level a rebuild would assign given the parent links and sibling order.
    """
    opts = model._mptt_meta
    parent_field = f"{opts.parent_attr}_id"
    rows = list(
        model._default_manager.filter(**filters)
        .order_by("tree_id", "lft")
        .values("pk", parent_field, "tree_id", "lft", "rght", opts.level_attr, "organization_id")
    )
    for row in rows:
        row["level"] = row.pop(opts.level_attr)
    errors: list[str] = []
    by_pk = {row["pk"]: row for row in rows}
    trees: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        trees[row["tree_id"]].append(row)
    for tree_id, nodes in trees.items():
        roots = [n for n in nodes if n[parent_field] is None]
        if len(roots) != 1:
            errors.append(f"tree {tree_id}: {len(roots)} roots")
        if len({n["organization_id"] for n in nodes}) != 1:
            errors.append(f"tree {tree_id}: nodes of several organizations")
        bounds = sorted([n["lft"] for n in nodes] + [n["rght"] for n in nodes])
        if bounds != list(range(1, 2 * len(nodes) + 1)):
            errors.append(f"tree {tree_id}: lft/rght are not a permutation of 1..{2 * len(nodes)}")
        for node in nodes:
            parent = by_pk.get(node[parent_field])
            if node[parent_field] is not None and parent is None and not filters:
                errors.append(f"node {node['pk']}: parent {node[parent_field]} missing")
            if parent is None:
                if node["level"] != 0:
                    errors.append(f"node {node['pk']}: root at level {node['level']}")
                continue
            if parent["tree_id"] != tree_id:
                errors.append(f"node {node['pk']}: parent in tree {parent['tree_id']}")
            if not parent["lft"] < node["lft"] < node["rght"] < parent["rght"]:
                errors.append(f"node {node['pk']}: not inside its parent")
            if node["level"] != parent["level"] + 1:
                errors.append(f"node {node['pk']}: level {node['level']}, parent {parent['level']}")
        # What rebuild() would assign: walk parent links, siblings in their current order.
        children: dict[int | None, list[dict]] = defaultdict(list)
        for node in nodes:  # already ordered by lft, so siblings keep their order
            children[node[parent_field]].append(node)
        if len(roots) == 1:
            expected: dict[int, tuple[int, int, int]] = {}
            counter = 0
            stack: list[tuple[dict, int, bool]] = [(roots[0], 0, False)]
            while stack:
                current, level, closing = stack.pop()
                counter += 1
                if closing:
                    lft, _rght, lvl = expected[current["pk"]]
                    expected[current["pk"]] = (lft, counter, lvl)
                    continue
                expected[current["pk"]] = (counter, 0, level)
                stack.append((current, level, True))
                for child in reversed(children.get(current["pk"], [])):
                    stack.append((child, level + 1, False))
            for node in nodes:
                if expected.get(node["pk"]) != (node["lft"], node["rght"], node["level"]):
                    errors.append(f"node {node['pk']}: differs from a rebuild")
    return errors


def next_free_value(queryset, field: str, base: str) -> str:
    """`base`, or `base-2`, `base-3`…: the first value of `field` not yet used in `queryset`."""
    taken = set(queryset.filter(**{f"{field}__startswith": base}).values_list(field, flat=True))
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"


def next_free_code(model, organization_id: int, base: str) -> str:
    """The first free node code in an organization."""
    return next_free_value(
        model._default_manager.filter(organization_id=organization_id), "code", base
    )
