"""Writes at scale: a role move against a PATCH of the same role, and an organization delete, for
synthetic designs of 100, 1,000 and 5,000 roles, through the REST API (authentication, lock,
revision, history triggers: everything a client pays for).

The floor is `PATCH /api/v1/roles/{id}/` changing the moved role's title, measured interleaved
with the moves in the same run (median of the rounds). Moves, each there and back again so the
tree is the same for every round:

- near: a role to report to its manager's next sibling (the common edit: rows between the two
  places are renumbered);
- far: a role from the first branch of the tree to the last one (the nested-set worst case: the
  rows in between, about the whole tree, are renumbered).

Target (issue 21): a move at 5,000 roles, near or far, at most twice the PATCH, on PostgreSQL
(run with `DATABASE_URL=postgres://…`; SQLite figures are reported as they are). The
organization delete's query count must be the same at every size.

The tree SQL alone is timed too (inside the lock, without the request): for the near move with
django-mptt's whole-tree UPDATE and with `tree_moves`, for the far move with `tree_moves`.

On PostgreSQL `roles_role` is at fillfactor 50 (roles migration 0010, which the throwaway
database runs like any other): a renumbered row's new version fits on its own page, a HOT
update with no new index entries — docs/architecture.md, "Writes at scale". The share of the far
move's rows updated so is reported: it drops when a transaction elsewhere on the server keeps
the previous versions from being pruned (other sessions' test runs on a shared machine).

Run alone: `.venv/bin/python -m tests.benchmarks.run writes`.
"""

import os
import statistics
import time
from functools import partial

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from departments.models import Organization
from roles.models import Role
from roles.services import organization_delete
from teamorg import tree_moves, trees
from teamorg.locking import tree_write
from tests.benchmarks.synthetic import bulk_design
from tests.factories import UserFactory

SIZES = (100, 1000, 5000)
ROUNDS = 7
RATIO_TARGET = 2.0


def _row(case, value, unit, target="", ok=None):
    return {"benchmark": "writes", "case": case, "value": value, "unit": unit, "target": target,
            "ok": ok}  # fmt: skip


def _load_average(when: str) -> dict:
    """The figures are wall times on a machine that may be shared: how busy it was."""
    one, five, fifteen = os.getloadavg()
    return _row(f"load average (1/5/15 min) {when}, {os.cpu_count()} cores",
                f"{one:.1f} / {five:.1f} / {fifteen:.1f}", "")  # fmt: skip


def _updates_so_far(model) -> tuple[int, int]:
    """PostgreSQL: rows of `model`'s table this transaction updated, and how many of them in
    place (HOT: the new version on the row's own page, no index entry). A row version can only
    be pruned from its page once no transaction on the server could still see it, so a
    transaction held open elsewhere (any database) turns renumbered rows into non-HOT ones."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_stat_get_xact_tuples_updated(%s::regclass), "
            "pg_stat_get_xact_tuples_hot_updated(%s::regclass)",
            [model._meta.db_table] * 2,
        )
        return cursor.fetchone()


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _choose(organization: Organization) -> dict[str, Role]:
    """The roles the moves use, read from the tree in one query: `mover`, a leaf near the middle
    of the tree whose `manager` has a next sibling, `near`; `first`, the first leaf in tree
    order, its `home` (manager), and `far`, the last manager in tree order."""
    roles = list(
        Role.objects.filter(organization=organization)
        .order_by("tree_id", "lft")
        .only("pk", "reports_to_id", "lft", "rght", "depth", "tree_id")
    )
    by_pk = {role.pk: role for role in roles}
    children: dict[int | None, list[Role]] = {}
    for role in roles:
        children.setdefault(role.reports_to_id, []).append(role)
    leaves = [r for r in roles if r.rght == r.lft + 1 and r.reports_to_id is not None]
    managers = [r for r in roles if r.rght > r.lft + 1 and r.reports_to_id is not None]
    chosen = {"first": leaves[0], "home": by_pk[leaves[0].reports_to_id], "far": managers[-1]}
    for leaf in sorted(leaves, key=lambda r: abs(r.lft - len(roles))):  # nearest the middle
        manager = by_pk[leaf.reports_to_id]
        siblings = children.get(manager.reports_to_id, [])
        index = siblings.index(manager)
        if index + 1 < len(siblings):
            return {**chosen, "mover": leaf, "manager": manager, "near": siblings[index + 1]}
    raise RuntimeError("no role with a manager that has a next sibling")


def run() -> list[dict]:
    owner = UserFactory(username="bench-writes-owner")
    client = APIClient(HTTP_HOST="127.0.0.1")
    client.force_authenticate(owner)
    vendor = connection.vendor
    rows, delete_queries = [_load_average("at the start")], []

    def request(method: str, url: str, body: dict) -> None:
        response = getattr(client, method)(url, body, format="json")
        if response.status_code != 200:
            raise RuntimeError(f"{method} {url}: HTTP {response.status_code} {response.content}")

    for size in SIZES:
        organization = bulk_design(roles=size, owner=owner, slug=f"bench-writes-{size}")
        chosen = _choose(organization)
        mover = chosen["mover"]
        patch_url = f"/api/v1/roles/{mover.pk}/"

        def move(role, target, position="last-child"):
            request("post", f"/api/v1/roles/{role.pk}/move/", {"reports_to": target.pk,
                                                                "position": position})  # fmt: skip

        def patch_round(number: int, url: str = patch_url) -> float:
            return _timed(lambda: request("patch", url, {"title_zh": f"岗{number}"}))

        def far_round(c: dict[str, Role] = chosen, move=move) -> float:
            there = _timed(lambda: move(c["first"], c["far"]))
            return (there + _timed(lambda: move(c["first"], c["home"], "first-child"))) / 2

        request("patch", patch_url, {"title_zh": "热身"})  # warm-up: caches, first queries
        patches, nears, fars = [], [], []
        for round_number in range(ROUNDS):
            patches.append(patch_round(round_number))
            nears.append(
                (
                    _timed(lambda c=chosen: move(c["mover"], c["near"]))
                    + _timed(lambda c=chosen: move(c["mover"], c["manager"]))
                )
                / 2
            )
            fars.append(far_round())
        patch, near_move, far_move = (statistics.median(t) for t in (patches, nears, fars))
        # The tree SQL alone, without the request, the revision and the history: django-mptt's
        # whole-tree UPDATE against the one that rewrites only the rows that change.
        engines = {"django-mptt": trees.move_node, "tree_moves": tree_moves.move_node}
        alone: dict[str, list[float]] = {name: [] for name in engines}
        far_alone: list[float] = []
        far_updated = far_hot = 0
        far_moves = ((chosen["far"], "last-child"), (chosen["home"], "first-child"))
        for _round in range(ROUNDS):
            for name, engine in engines.items():
                for target in (chosen["near"], chosen["manager"]):
                    with tree_write(Role):
                        alone[name].append(
                            _timed(lambda e=engine, t=target, m=mover: e(m, t, "last-child"))
                        )
            for target, position in far_moves:  # there and back: the same tree every round
                with tree_write(Role):
                    far_alone.append(
                        _timed(partial(tree_moves.move_node, chosen["first"], target, position))
                    )
                    if vendor == "postgresql":
                        updated, hot = _updates_so_far(Role)
                        far_updated, far_hot = far_updated + updated, far_hot + hot
        near_ratio, far_ratio = near_move / patch, far_move / patch
        judged = vendor == "postgresql" and size == 5000
        rows += [
            _row(f"{vendor}, {size} roles: PATCH of a role (floor)", round(patch * 1000, 1), "ms"),
            _row(f"{vendor}, {size} roles: move beside its manager", round(near_move * 1000, 1),
                 "ms"),
            _row(f"{vendor}, {size} roles: move beside its manager / PATCH", round(near_ratio, 2),
                 "×", f"≤ {RATIO_TARGET}" if judged else "",
                 near_ratio <= RATIO_TARGET if judged else None),
            _row(f"{vendor}, {size} roles: move across the whole tree", round(far_move * 1000, 1),
                 "ms"),
            _row(f"{vendor}, {size} roles: move across the whole tree / PATCH",
                 round(far_ratio, 2), "×", f"≤ {RATIO_TARGET}" if judged else "",
                 far_ratio <= RATIO_TARGET if judged else None),
        ] + [
            _row(f"{vendor}, {size} roles: tree SQL of a move beside its manager, {name}",
                 round(statistics.median(times) * 1000, 2), "ms")
            for name, times in alone.items()
        ] + [
            _row(f"{vendor}, {size} roles: tree SQL of a move across the whole tree, tree_moves",
                 round(statistics.median(far_alone) * 1000, 2), "ms"),
        ]  # fmt: skip
        if far_updated:
            rows.append(_row(f"{vendor}, {size} roles: rows a move across the whole tree "
                             "renumbered, updated in place (HOT)",
                             round(100 * far_hot / far_updated, 1), "%"))  # fmt: skip
        organization = Organization.objects.get(pk=organization.pk)
        with CaptureQueriesContext(connection) as queries:
            seconds = _timed(lambda o=organization: organization_delete(organization=o))
        delete_queries.append(len(queries))
        rows += [
            _row(f"{vendor}, {size} roles: organization delete", round(seconds * 1000, 1), "ms"),
            _row(f"{vendor}, {size} roles: organization delete, SQL queries", len(queries),
                 "queries", "the same at every size", len(set(delete_queries)) == 1),
        ]  # fmt: skip
    return [*rows, _load_average("at the end")]


if __name__ == "__main__":
    import sys

    from tests.benchmarks.run import main

    sys.exit(main(["writes"]))
