"""Property: a move that rewrites only the rows that change (`teamorg.tree_moves`) leaves the same
tree django-mptt's whole-tree move leaves, with sound tree fields, and the history still undoes it.

Hypothesis draws a tree (a synthetic design of a drawn size and fan-out: its reporting tree, or
its department tree) and a sequence of moves (any node, any target or the top level, any
position). The design and an identical copy are moved side by side: the design through the
service (`role_move`, `department_move`: the lock, the revision, the history), the copy through
`teamorg.trees.move_node`, django-mptt's own move, as the oracle. After every move:

- both trees agree on every node's parent, lft, rght, depth and the order of the trees;
- the design's tree equals what a rebuild from its parent links gives (`tree_integrity_errors`:
  lft/rght a permutation of 1..2n, children inside parents, depth, one root per tree);
- a refused move (under itself or its own reports) changes nothing.

The history records a move as where it placed the node (a whole order only every few
revisions, made frequent here): after every move the order it rebuilds for the new revision
(`replay.shape_at`) is the tree's. At the end, restoring a revision drawn among those made gives
back the tree of that revision, and restoring the revision before the first move the tree it
started with. Runs on SQLite, and on PostgreSQL when DATABASE_URL points at it.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from departments.history import recording, replay, restore
from departments.history.recording import Actor, acting
from departments.models import Department, Organization
from departments.services import department_move
from roles.models import Role
from roles.services import organization_clone, role_move
from teamorg import trees
from teamorg.locking import tree_write
from teamorg.trees import tree_integrity_errors
from tests.benchmarks.synthetic import bulk_design

POSITIONS = ("first-child", "last-child", "left", "right")
MOVES_PER_EXAMPLE = 12
# A whole order every third revision: a sequence of moves crosses several, as a long history
# crosses `recording.PLACEMENTS_BETWEEN_WHOLE_SHAPES`.
WHOLE_SHAPE_EVERY = 3


# tree → (model, parent field, the service that moves a node, roles per drawn node)
TREES = {
    "roles": (Role, "reports_to", lambda node, **move: role_move(role=node, **move), 1),
    "departments": (
        Department,
        "parent",
        lambda node, **move: department_move(department=node, **move),
        10,  # a synthetic design has a department per ten roles
    ),
}


def shape(model, organization: Organization) -> dict[str, tuple]:
    """Every node by code: (parent's code, lft, rght, depth, rank of its tree among the
    organization's trees). Tree ids differ between copies; their order does not."""
    parent = model._mptt_meta.parent_attr
    rows = list(
        model.objects.filter(organization=organization).values_list(
            "code", f"{parent}__code", "lft", "rght", "depth", "tree_id"
        )
    )
    ranks = {tree_id: rank for rank, tree_id in enumerate(sorted({r[5] for r in rows}))}
    return {code: (boss, lft, rght, depth, ranks[t]) for code, boss, lft, rght, depth, t in rows}


def oracle_move(model, organization: Organization, code: str, target: str | None, position: str):
    """The same move on the copy, by django-mptt's own whole-tree move."""
    with tree_write(model):
        node = model.objects.get(organization=organization, code=code)
        destination = (
            None if target is None else model.objects.get(organization=organization, code=target)
        )
        trees.move_node(node, destination, position)


@pytest.mark.parametrize("tree", TREES)
@settings(
    max_examples=10,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    size=st.integers(min_value=2, max_value=30),
    fan_out=st.integers(min_value=1, max_value=5),
    data=st.data(),
)
@pytest.mark.django_db
def test_moves_inside_a_tree_match_djangos_mptt_and_keep_the_tree_sound(
    user, tree, size, fan_out, data, monkeypatch
):
    model, _parent, move, roles_per_node = TREES[tree]
    table = model._meta.db_table
    monkeypatch.setattr(recording, "PLACEMENTS_BETWEEN_WHOLE_SHAPES", WHOLE_SHAPE_EVERY)
    # Each example runs in a transaction rolled back at its end, so examples share nothing.
    with transaction.atomic(), acting(Actor(user, "editor")):
        design = bulk_design(roles=size * roles_per_node, owner=user, slug="moves", fan_out=fan_out)
        copy = organization_clone(source=design, owner=user)
        start = shape(model, design)
        assert start == shape(model, copy)
        start_revision = Organization.objects.get(pk=design.pk).revision
        made = {}  # revision -> the tree after it
        codes = sorted(start)
        for _ in range(MOVES_PER_EXAMPLE):
            code = data.draw(st.sampled_from(codes), label="node")
            target = data.draw(st.none() | st.sampled_from(codes), label="target")
            position = data.draw(st.sampled_from(POSITIONS), label="position")
            before = shape(model, design)
            node = model.objects.get(organization=design, code=code)
            destination = (
                None if target is None else model.objects.get(organization=design, code=target)
            )
            try:
                move(node, target=destination, position=position)
            except ValidationError:
                assert shape(model, design) == before  # refused: nothing changed
                continue
            oracle_move(model, copy, code, target, position)
            assert shape(model, design) == shape(model, copy), (code, target, position)
            assert tree_integrity_errors(model, organization=design) == []
            revision = Organization.objects.get(pk=design.pk).revision
            assert replay.shape_at(design.pk, table, revision) == recording.tree_shape(
                design.pk, table
            )
            made[revision] = shape(model, design)
        if made:
            revision = data.draw(st.sampled_from(sorted(made)), label="restored revision")
            restore.design_restore(organization=design, number=revision)
            assert shape(model, design) == made[revision]
        restore.design_restore(organization=design, number=start_revision)
        assert shape(model, design) == start
        assert tree_integrity_errors(model, organization=design) == []
        transaction.set_rollback(True)
