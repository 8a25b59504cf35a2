"""The one move action and the one delete action of both trees (departments and reporting lines).

Modelled on Wagtail's `MovePageAction`: an action object is built from what the caller holds,
`check()` refuses what can be refused without the database, and `execute()` opens the
transaction, takes the tree lock, re-reads every node it touches (instances held by the caller
carry stale lft/rght values after any tree write), refuses impossible moves, writes, and returns
the re-read node. The services of both trees, and through them the admin, the API and the editor,
and template loading all move and delete nodes with these two classes, so the rules live once.

`before_write(node)` runs under the lock before anything changes: the services pass their
organization check and revision bump (`departments.services.begin_write`); template loading,
which bumps its revision once per load, passes nothing. `before_delete(node)` lets the
department service hand the department's roles to its parent in the same transaction (or, for a
whole department subtree, delete the roles in it with `delete_node_set` on the reporting tree).

`children="delete"` deletes the node with everything under it. Nodes are deleted as one set
(`delete_node_set`): a node outside the set whose parent goes is lifted to its nearest surviving
ancestor first, so a foreign key between tree nodes (RESTRICT) never blocks the delete and
nothing is deleted that was not asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model
from mptt.models import MPTTModel

from teamorg import tree_moves, trees
from teamorg.locking import tree_write
from teamorg.signals import tree_reshaped

NodeHook = Callable[[MPTTModel], object]
DELETE_SUBTREE = "delete"  # the children policy that deletes a node with everything under it


@dataclass
class MoveNode:
    """Move `node` relative to `target` (first-child, last-child, left, right); `target=None`
    makes it the last top-level node of its organization. `field` names the tree field in
    errors (`parent`, `reports_to`)."""

    node: MPTTModel
    target: MPTTModel | None
    position: str = "last-child"
    field: str = "parent"

    def check(self) -> None:
        trees.check_position(self.position)

    def execute(self, *, before_write: NodeHook | None = None) -> MPTTModel:
        self.check()
        with tree_write(type(self.node)):
            node = trees.reload(self.node)
            if before_write is not None:
                before_write(node)
            # A target deleted since the caller chose it is the caller's bad input (400); the
            # node itself gone is a missing object (404, `trees.reload`).
            target = (
                None
                if self.target is None
                else trees.reload_referenced(self.target, field=self.field)
            )
            trees.check_move(node, target, field=self.field)
            # Inside one tree only the rows whose numbers change are rewritten (tree_moves).
            moved = tree_moves.move_node(node, target, self.position)
            tree_reshaped.send(sender=type(node), node=moved)
            return moved


@dataclass
class DeleteNode:
    """Delete `node`. `children="lift"` moves its children up one level into its place;
    `"refuse"` refuses while it has any; `"delete"` deletes it with its whole subtree. `what`
    names the children in the refusal ("sub-departments", "direct reports"). `also_lock` are
    other tree models `before_delete` writes to (a department subtree deletes roles too)."""

    node: MPTTModel
    children: str = "refuse"
    what: str = ""
    also_lock: tuple[type[Model], ...] = ()

    def check(self) -> None:
        if self.children != DELETE_SUBTREE:
            trees.check_children_policy(self.children)

    def execute(
        self,
        *,
        before_write: NodeHook | None = None,
        before_delete: NodeHook | None = None,
    ) -> None:
        self.check()
        with tree_write(type(self.node), *self.also_lock):
            node = trees.reload(self.node)
            if before_write is not None:
                before_write(node)
            if before_delete is not None:
                before_delete(node)
            if self.children == DELETE_SUBTREE:
                subtree = node.get_descendants(include_self=True).values_list("pk", flat=True)
                delete_node_set(type(node), subtree)
            else:
                trees.lift_children_and_delete(node, self.children, what=self.what)


def delete_node_set(model: type[MPTTModel], ids: Iterable[int]) -> list[int]:
    """Delete the nodes `ids` of one tree table (inside a transaction holding its tree lock).

    A node that stays but whose parent goes is lifted first, just before its topmost departing
    ancestor, so it ends under its nearest surviving ancestor (or at the top level when none is
    left), keeping its own subtree and its place. Then every node of the set goes in one
    delete (their related rows cascade as the models say) and the trees that lost nodes are
    renumbered from their parent links. Returns the ids of the lifted nodes."""
    doomed = set(ids)
    if not doomed:
        return []
    manager = model._default_manager
    parent_field = f"{model._mptt_meta.parent_attr}_id"
    rows = manager.filter(pk__in=doomed).values_list("pk", "tree_id", "lft", "rght")
    tree_ids = {tree_id for _pk, tree_id, _lft, _rght in rows}
    # Every node of the affected trees in tree order: enough to find survivors under the set
    # without a query per node.
    nodes = list(
        manager.filter(tree_id__in=tree_ids)
        .order_by("tree_id", "lft")
        .values_list("pk", parent_field)
    )
    parent_of = dict(nodes)
    lifted = []
    for pk, parent_id in nodes:
        if pk in doomed or parent_id not in doomed:
            continue
        topmost = parent_id
        while parent_of[topmost] in doomed:
            topmost = parent_of[topmost]
        # Just left of the topmost departing ancestor: under the nearest survivor, in its place.
        manager.get(pk=pk).move_to(manager.get(pk=topmost), "left")
        lifted.append(pk)
    tree_ids = set(manager.filter(pk__in=doomed).values_list("tree_id", flat=True))
    manager.filter(pk__in=doomed).delete()
    for tree_id in tree_ids:
        # Close the gaps the deleted ranges left; a tree whose root went is gone entirely.
        manager.partial_rebuild(tree_id)
    return lifted
