"""The design history: what recording costs a write, reading the history, restoring, storage.

1. A write with history against the same write without it, at template size (a copy of the
   cross-border template) and at 5,000 roles: `role_update` of one title, `role_move` to another
   manager and `headcount_set` of one cell. "Without" is the same service with the history
   triggers dropped (`tracking.drop_triggers()`), measured in the same run, rounds interleaved
   (with, without, with, …, the order alternating), median of each. The revision row, the
   cursor and the tree shape of a move are written in both: they are part of the service, not
   of the triggers. Target: with ≤ 1.3 × without.
2. Reading the history at 50 and 5,000 roles: the history page's SQL queries when the page
   exists (`/orgs/<slug>/history/`), otherwise `replay.rows_at` (the read the page is built on).
   Target: the same number of queries at both sizes.
3. Restoring a 5,000-role design after 20 edits (titles, head count, moves, and a subtree delete
   of about 500 roles) to the revision before them. Target: < 5 s.
4. Storage per revision: the JSON of its row changes (old + new) and of its tree shapes, for
   the three writes of 1., at both sizes.

Run alone: `.venv/bin/python -m tests.benchmarks.run --no-report history`.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from departments.history import replay, restore, tracking
from departments.models import Organization, RowChange, TreeShape
from roles.models import Role
from roles.selectors.api_rows import organization_tree
from roles.services import headcount_set, organization_clone, role_move, role_update
from roles.services.designs import role_delete_subtree
from tests.benchmarks.synthetic import bulk_design
from tests.factories import UserFactory

RATIO_TARGET = 1.3
RESTORE_TARGET_SECONDS = 5.0
ROUNDS = {"template": 15, 5000: 9}


def _row(case, value, unit, target="", ok=None):
    return {"benchmark": "history", "case": case, "value": value, "unit": unit, "target": target,
            "ok": ok}  # fmt: skip


@contextmanager
def triggers_dropped() -> Iterator[None]:
    """No history triggers inside; they are back afterwards, whatever happened inside."""
    tracking.drop_triggers()
    try:
        yield
    finally:
        tracking.install_triggers()


def triggers_installed() -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'history\\_%'")
        return cursor.fetchone()[0] > 0


class Writes:
    """The three typical writes, each repeatable any number of times: every call changes the
    design (a title that differs from the last, a manager that differs, a cell that differs)."""

    def __init__(self, organization: Organization):
        roles = list(Role.objects.filter(organization=organization).order_by("tree_id", "lft"))
        leaves = [role for role in roles if role.is_leaf_node() and role.reports_to_id]
        managers = [role for role in roles if not role.is_leaf_node()]
        self.titled = leaves[len(leaves) // 2]
        self.moved = leaves[-1]
        # Two managers the moved role can go back and forth between (neither below it).
        self.managers = [m for m in managers if m.pk != self.moved.reports_to_id][:2]
        self.cell_role = leaves[len(leaves) // 3]
        self.phase = organization.phases.order_by("order").first()
        self.calls = 0

    def title(self) -> None:
        self.calls += 1
        role_update(role=self.titled, title_zh=f"基准岗位{self.calls}")

    def move(self) -> None:
        self.calls += 1
        manager = self.managers[self.calls % 2]
        role_move(role=Role.objects.get(pk=self.moved.pk), target=manager, position="last-child")

    def cell(self) -> None:
        self.calls += 1
        low = self.calls % 4
        headcount_set(role=self.cell_role, phase=self.phase, min_count=low, max_count=low + 2)


def _seconds(write: Callable[[], None]) -> float:
    start = time.perf_counter()
    write()
    return time.perf_counter() - start


def with_and_without(
    organization: Organization, write: Callable[[], None], rounds: int, batch: int = 3
) -> tuple[float, float, list[int]]:
    """Median seconds of `write` with the triggers and with them dropped, rounds interleaved
    (the order alternating); and the revision numbers the recorded writes made (for their
    storage). After each switch one write runs untimed: dropping or creating a trigger is a
    schema change, and the next statement pays for preparing itself again."""
    recorded_numbers, with_history, without_history = [], [], []

    def timed(recorded: bool) -> float:
        write()
        seconds = 0.0
        for _ in range(batch):
            seconds += _seconds(write)
            if recorded:
                organization.refresh_from_db(fields=["revision"])
                recorded_numbers.append(organization.revision)
        return seconds / batch

    for index in range(rounds):
        order = (True, False) if index % 2 == 0 else (False, True)
        for recorded in order:
            if recorded:
                with_history.append(timed(True))
            else:
                with triggers_dropped():
                    without_history.append(timed(False))
    return statistics.median(with_history), statistics.median(without_history), recorded_numbers


def _json_bytes(value) -> int:
    if value is None:
        return 0
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


def storage_per_revision(organization: Organization, numbers: list[int]) -> tuple[float, float]:
    """Average bytes of row-change JSON (old + new) and of tree-shape JSON per revision."""
    changes = RowChange.objects.filter(
        revision__organization=organization, revision__number__in=numbers
    ).values_list("old", "new")
    shapes = TreeShape.objects.filter(organization=organization, number__in=numbers).values_list(
        "nodes", flat=True
    )
    change_bytes = sum(_json_bytes(old) + _json_bytes(new) for old, new in changes)
    shape_bytes = sum(_json_bytes(nodes) for nodes in shapes)
    return change_bytes / len(numbers), shape_bytes / len(numbers)


def write_costs(label: str, organization: Organization, rounds: int) -> list[dict]:
    rows = []
    writes = Writes(organization)
    for name, write in (
        ("role_update (one title)", writes.title),
        ("role_move (another manager)", writes.move),
        ("headcount_set (one cell)", writes.cell),
    ):
        with_history, without_history, numbers = with_and_without(organization, write, rounds)
        ratio = with_history / without_history
        case = f"{label}: {name}"
        rows += [
            _row(f"{case}, triggers dropped (median of {rounds} rounds of 3)",
                 round(without_history * 1000, 2), "ms", "floor"),
            _row(f"{case}, with history (median of {rounds} rounds of 3)",
                 round(with_history * 1000, 2), "ms"),
            _row(f"{case}, with / without", round(ratio, 2), "×", f"≤ {RATIO_TARGET}",
                 ratio <= RATIO_TARGET),
        ]  # fmt: skip
        change_bytes, shape_bytes = storage_per_revision(organization, numbers)
        rows += [
            _row(f"{case}: row changes per revision (old + new JSON)", round(change_bytes),
                 "bytes", "(reported)"),
            _row(f"{case}: tree shapes per revision", round(shape_bytes), "bytes",
                 "(reported)"),
        ]  # fmt: skip
    if not triggers_installed():
        raise RuntimeError("The history triggers were not reinstalled.")
    return rows


def history_page_path(organization: Organization) -> str | None:
    """The history page's path, while it exists in this code base."""
    path = f"/orgs/{organization.slug}/history/"
    try:
        resolve(path)
    except Resolver404:
        return None
    return path


def _counted(read: Callable[[], object]) -> tuple[float, int, object]:
    read()  # warm-up
    # A full query log (9,000 entries, kept under DEBUG) would make every capture look empty.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = read()
        seconds = time.perf_counter() - start
    return seconds, len(queries), result


def history_reads(owner, sizes: tuple[int, ...] = (50, 5000)) -> list[dict]:
    """`replay.rows_at` always; the history page too when it is there and answers."""
    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)  # a default host
    client.force_login(owner)
    measured: dict[str, list[tuple[int, float, int]]] = {}
    for size in sizes:
        organization = bulk_design(roles=size, owner=owner, slug=f"bench-history-read-{size}")
        writes = Writes(organization)
        for write in (writes.title, writes.move, writes.cell) * 3:
            write()
        organization.refresh_from_db()
        number = organization.revision - 5
        seconds, count, _ = _counted(
            lambda pk=organization.pk, number=number: replay.rows_at(pk, number)
        )
        measured.setdefault("replay.rows_at (the design at a revision)", []).append(
            (size, seconds, count)
        )
        path = history_page_path(organization)
        if path is None:
            continue
        seconds, count, response = _counted(lambda path=path: client.get(path))
        what = "history page"
        if response.status_code != 200:
            what = f"history page (not ready: answered {response.status_code})"
        measured.setdefault(what, []).append((size, seconds, count))
    rows = []
    for what, sizes_measured in measured.items():
        counts = {count for _size, _seconds, count in sizes_measured}
        for size, seconds, count in sizes_measured:
            rows += [
                _row(f"{what}, {size} roles", round(seconds * 1000, 1), "ms"),
                _row(f"{what}, {size} roles: SQL queries", count, "queries",
                     "same at every size", len(counts) == 1),
            ]  # fmt: skip
    return rows


def edit_a_lot(organization: Organization, size: int) -> int:
    """Twenty edits of a synthetic design (`bulk_design`, at least 100 roles): titles, head
    count, moves across the tree and a subtree delete of a top manager's whole branch (585 of
    5,000 roles). Returns how many roles the delete took."""
    writes = Writes(organization)
    roles = {role.code: role for role in Role.objects.filter(organization=organization)}
    for _ in range(6):
        writes.title()
        writes.cell()
    # Deep roles go under shallow ones of other branches: never below themselves.
    for moved, manager in ((4 * size // 5, 20), (3 * size // 5, 30), (size // 2, 2), (9, 5)):
        role = Role.objects.get(pk=roles[f"role-{moved}"].pk)
        role_move(role=role, target=roles[f"role-{manager}"])
    for _ in range(3):
        writes.move()
    deleted = role_delete_subtree(role=Role.objects.get(pk=roles["role-8"].pk))
    return deleted.roles


def tree(organization: Organization) -> dict:
    data = organization_tree(Organization.objects.get(pk=organization.pk), both=True)
    data.pop("revision", None)
    return data


def restore_big_design(owner, size: int = 5000) -> list[dict]:
    organization = bulk_design(roles=size, owner=owner, slug=f"bench-history-restore-{size}")
    before = tree(organization)
    mark = organization.revision
    deleted = edit_a_lot(organization, size)
    organization.refresh_from_db()
    edits = organization.revision - mark
    start = time.perf_counter()
    restore.design_restore(organization=organization, number=mark)
    seconds = time.perf_counter() - start
    same = tree(organization) == before
    case = f"design_restore, {size} roles, back over {edits} edits (a subtree of {deleted} roles)"
    return [
        _row(case, round(seconds, 2), "s", f"< {RESTORE_TARGET_SECONDS:g} s",
             seconds < RESTORE_TARGET_SECONDS),
        _row(f"{case}: the tree equals the one read before", "yes" if same else "no", "",
             "yes", same),
    ]  # fmt: skip


def run() -> list[dict]:
    owner = UserFactory(username="bench-history-owner")
    template = organization_clone(
        source=Organization.objects.get(slug="cross-border"), owner=owner, slug="bench-history-xb"
    )
    big = bulk_design(roles=5000, owner=owner, slug="bench-history-5000")
    rows = write_costs(
        f"template cross-border ({template.roles.count()} roles)", template, ROUNDS["template"]
    )
    rows += write_costs("5000 roles", big, ROUNDS[5000])
    rows += history_reads(owner)
    rows += restore_big_design(owner)
    return rows
