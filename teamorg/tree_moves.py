"""Moving a node inside its own tree by rewriting only the rows whose numbers change.

django-mptt moves a child node within its tree with one UPDATE whose CASE expressions shift the
moved subtree and the nodes between its old and new place, but whose WHERE clause is the whole
tree (`tree_id = %s`). Every other row is "updated" to the values it already has. On
PostgreSQL an UPDATE writes a new version of each row it touches, on another page when its own
is full, with a new entry in every index of the table: at 5,000 roles a move cost 426 ms against
48 ms for a PATCH of the same role, almost all of it rows that did not change.

Which rows can change is known before the update: the moved subtree `[left, right]` and the
nodes between it and its destination, together `[low, high]` (low = min(left, new_left),
high = max(right, new_right)). mptt's CASE expressions change a row only when its `lft` or its
`rght` lies in that range (and its level only when its `lft` lies in `[left, right]`, inside
it). So the same UPDATE with `WHERE tree_id = %s AND (lft BETWEEN low AND high OR rght BETWEEN
low AND high)` gives exactly the rows mptt's would, and touches only those that change: a move
beside a colleague rewrites a few rows, a move across the whole tree still the rows in between
(nested sets must renumber those; docs/architecture.md, "Writes at scale").

Only that case is ours: a child node moved relative to a node of the same tree (not beside a
root, which changes tree ids). Every other move — to the top level, into another tree, a root
node — goes to django-mptt as before. Called by `teamorg.tree_actions.MoveNode` inside the
transaction that holds the tree lock, with both nodes re-read under it.
"""

from __future__ import annotations

from django.db import connection
from mptt.models import MPTTModel

from teamorg import trees


def move_node(node: MPTTModel, target: MPTTModel | None, position: str) -> MPTTModel:
    """`trees.move_node`, with moves inside one tree rewriting only the rows that change."""
    node = trees.reload(node)
    if target is not None:
        target = trees.reload(target)
    if not _within_tree(node, target, position):
        return trees.move_node(node, target, position)
    _move_within_tree(node, target, position)
    return trees.reload(node)


def _within_tree(node: MPTTModel, target: MPTTModel | None, position: str) -> bool:
    opts = node._mptt_meta
    return (
        target is not None
        and getattr(node, opts.parent_attr + "_id") is not None
        and getattr(node, opts.tree_id_attr) == getattr(target, opts.tree_id_attr)
        and not (
            position in ("left", "right") and getattr(target, opts.parent_attr + "_id") is None
        )
    )


def destination(
    left: int, right: int, target_left: int, target_right: int, position: str
) -> tuple[int, int]:
    """Where the subtree `[left, right]` starts and ends after the move (django-mptt's own
    arithmetic, `_move_child_within_tree`)."""
    width = right - left + 1
    if position == "last-child":
        if target_right > right:
            return target_right - width, target_right - 1
        return target_right, target_right + width - 1
    if position == "first-child":
        if target_left > left:
            return target_left - width + 1, target_left
        return target_left + 1, target_left + width
    if position == "left":
        if target_left > left:
            return target_left - width, target_left - 1
        return target_left, target_left + width - 1
    if position == "right":
        if target_right > right:
            return target_right - width + 1, target_right
        return target_right + 1, target_right + width
    raise ValueError(f"unknown position {position!r}")


def _move_within_tree(node: MPTTModel, target: MPTTModel, position: str) -> None:
    opts = node._mptt_meta
    model = type(node)
    left, right = getattr(node, opts.left_attr), getattr(node, opts.right_attr)
    target_left, target_right = getattr(target, opts.left_attr), getattr(target, opts.right_attr)
    if target.pk == node.pk or left < target_left < right:
        # trees.check_move refused these already; never write a cycle.
        raise ValueError("A node cannot move under or beside itself or its own subtree.")
    new_left, new_right = destination(left, right, target_left, target_right, position)
    if position in ("first-child", "last-child"):
        parent_id = target.pk
        level_change = getattr(node, opts.level_attr) - getattr(target, opts.level_attr) - 1
    else:
        parent_id = getattr(target, opts.parent_attr + "_id")
        level_change = getattr(node, opts.level_attr) - getattr(target, opts.level_attr)
    low, high = min(left, new_left), max(right, new_right)
    shift = new_left - left  # the moved subtree
    gap = -(right - left + 1) if shift > 0 else right - left + 1  # the nodes in between

    def column(attr: str) -> str:
        return connection.ops.quote_name(model._meta.get_field(attr).column)

    lft, rght, level = column(opts.left_attr), column(opts.right_attr), column(opts.level_attr)
    sql = f"""
        UPDATE {connection.ops.quote_name(model._meta.db_table)}
        SET {level} = CASE WHEN {lft} BETWEEN %(left)s AND %(right)s
                           THEN {level} - %(level_change)s ELSE {level} END,
            {lft} = CASE WHEN {lft} BETWEEN %(left)s AND %(right)s THEN {lft} + %(shift)s
                         WHEN {lft} BETWEEN %(low)s AND %(high)s THEN {lft} + %(gap)s
                         ELSE {lft} END,
            {rght} = CASE WHEN {rght} BETWEEN %(left)s AND %(right)s THEN {rght} + %(shift)s
                          WHEN {rght} BETWEEN %(low)s AND %(high)s THEN {rght} + %(gap)s
                          ELSE {rght} END
        WHERE {column(opts.tree_id_attr)} = %(tree_id)s
          AND ({lft} BETWEEN %(low)s AND %(high)s OR {rght} BETWEEN %(low)s AND %(high)s)
    """
    params = {
        "left": left,
        "right": right,
        "level_change": level_change,
        "shift": shift,
        "low": low,
        "high": high,
        "gap": gap,
        "tree_id": getattr(node, opts.tree_id_attr),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    if getattr(node, opts.parent_attr + "_id") != parent_id:
        # The parent link is an ordinary column (recorded by the history like any edit).
        model._default_manager.filter(pk=node.pk).update(**{opts.parent_attr + "_id": parent_id})
