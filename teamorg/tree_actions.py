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
department service hand the department's roles to its parent in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mptt.models import MPTTModel

from teamorg import trees
from teamorg.locking import tree_write

NodeHook = Callable[[MPTTModel], object]


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
            target = None if self.target is None else trees.reload(self.target)
            trees.check_move(node, target, field=self.field)
            return trees.move_node(node, target, self.position)


@dataclass
class DeleteNode:
    """Delete `node`. `children="lift"` moves its children up one level into its place;
    `"refuse"` refuses while it has any. `what` names the children in the refusal
    ("sub-departments", "direct reports")."""

    node: MPTTModel
    children: str = "refuse"
    what: str = ""

    def check(self) -> None:
        trees.check_children_policy(self.children)

    def execute(
        self,
        *,
        before_write: NodeHook | None = None,
        before_delete: NodeHook | None = None,
    ) -> None:
        self.check()
        with tree_write(type(self.node)):
            node = trees.reload(self.node)
            if before_write is not None:
                before_write(node)
            if before_delete is not None:
                before_delete(node)
            trees.lift_children_and_delete(node, self.children, what=self.what)
