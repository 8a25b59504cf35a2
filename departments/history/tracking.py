"""Which tables the history records, and the triggers that record them.

Database triggers, not Django signals: the services write in bulk (`update()`, `INSERT …
SELECT` when cloning, queryset deletes, django-mptt's renumbering), which no signal sees. A
trigger writes a `RowChange` for every row inserted, updated or deleted while the writing
transaction has a `HistoryCursor` row, with the tracked columns before and after. Columns that
only hold tree bookkeeping (MPTT's `lft`, `rght`, `tree_id`, `depth`) are left out, so a move
that renumbers every row records one change, and sibling order is kept in `TreeShape`s instead.

The update trigger fires only for an UPDATE that sets a tracked column: a move inside a tree
renumbers with MPTT columns alone and never calls it.

The triggers are dropped before `migrate` (PostgreSQL refuses to drop a column a trigger names)
and created again after it from the models as they are then.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connections
from django.db.models import JSONField, Model

MPTT_COLUMNS = ("lft", "rght", "tree_id", "depth")
CHANGE_TABLE = "departments_rowchange"
CURSOR_TABLE = "departments_historycursor"


@dataclass(frozen=True)
class Tracked:
    """A recorded table. `organization_sql` selects an organization's rows (`%s` is its id);
    `tree_parent` names the parent column of a tree; `restorable=False` tables are recorded but
    never written back by a restore (memberships: a restore must not lock anyone out)."""

    model: type[Model]
    organization_sql: str
    exclude: tuple[str, ...] = ()
    tree_parent: str | None = None
    restorable: bool = True
    order: int = 0  # restore writes lower orders first and deletes them last
    columns: tuple[str, ...] = field(default=(), compare=False)
    # JSON columns: SQLite keeps them as text, which its json_object() would record as a string
    # holding JSON instead of the value (PostgreSQL's to_jsonb() records the value).
    json_columns: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def table(self) -> str:
        return self.model._meta.db_table


_tracked: dict[str, Tracked] = {}


def track(
    model: type[Model],
    *,
    organization_sql: str,
    exclude: tuple[str, ...] = (),
    tree_parent: str | None = None,
    restorable: bool = True,
    order: int = 0,
) -> None:
    """Record `model`'s table (called from each app's `ready()`)."""
    excluded = set(exclude) | (set(MPTT_COLUMNS) if tree_parent else set())
    fields = [f for f in model._meta.concrete_fields if f.column not in excluded]
    columns = tuple(f.column for f in fields)
    json_columns = frozenset(f.column for f in fields if isinstance(f, JSONField))
    entry = Tracked(
        model,
        organization_sql,
        tuple(sorted(excluded)),
        tree_parent,
        restorable,
        order,
        columns,
        json_columns,
    )
    _tracked[entry.table] = entry


def tracked_tables() -> list[Tracked]:
    return sorted(_tracked.values(), key=lambda entry: entry.order)


def tracked(table: str) -> Tracked:
    return _tracked[table]


def _q(name: str) -> str:
    return f'"{name}"'


def sqlite_json(row: str, entry: Tracked) -> str:
    """SQLite's JSON object of a tracked row (`row` is NEW, OLD or the table), JSON columns as
    their values."""
    pairs = (
        f"'{c}', json({row}.{_q(c)})" if c in entry.json_columns else f"'{c}', {row}.{_q(c)}"
        for c in entry.columns
    )
    return "json_object(" + ", ".join(pairs) + ")"


def _update_of(entry: Tracked) -> str:
    """The update trigger's event: only an UPDATE that sets a tracked column (both databases
    read `UPDATE OF` so). A tree move's renumbering sets only MPTT columns: its thousands of
    rows never call the trigger, not even to compare the columns in its WHEN."""
    return f"AFTER UPDATE OF {', '.join(_q(c) for c in entry.columns)} ON {_q(entry.table)}"


def _sqlite_triggers(entry: Tracked) -> list[str]:
    table, columns = entry.table, entry.columns
    insert = f"INSERT INTO {CHANGE_TABLE} (revision_id, {_q('table')}, row_id, op, old, new)"
    changed = " OR ".join(f"OLD.{_q(c)} IS NOT NEW.{_q(c)}" for c in columns)
    return [
        f"CREATE TRIGGER history_{table}_i AFTER INSERT ON {_q(table)} BEGIN {insert} "
        f"SELECT revision_id, '{table}', NEW.id, 'I', NULL, {sqlite_json('NEW', entry)} "
        f"FROM {CURSOR_TABLE}; END",
        f"CREATE TRIGGER history_{table}_u {_update_of(entry)} WHEN {changed} BEGIN "
        f"{insert} SELECT revision_id, '{table}', NEW.id, 'U', "
        f"{sqlite_json('OLD', entry)}, {sqlite_json('NEW', entry)} "
        f"FROM {CURSOR_TABLE}; END",
        f"CREATE TRIGGER history_{table}_d AFTER DELETE ON {_q(table)} BEGIN {insert} "
        f"SELECT revision_id, '{table}', OLD.id, 'D', {sqlite_json('OLD', entry)}, NULL "
        f"FROM {CURSOR_TABLE}; END",
    ]


POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION history_record() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  -- The trigger's arguments name the columns left out; with none, TG_ARGV is NULL.
  excluded text[] := COALESCE(TG_ARGV, '{{}}'::text[]);
BEGIN
  INSERT INTO {CHANGE_TABLE} (revision_id, "table", row_id, op, old, new)
  SELECT cursor.revision_id, TG_TABLE_NAME,
         CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END,
         left(TG_OP, 1),
         CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) - excluded END,
         CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) - excluded END
  FROM {CURSOR_TABLE} AS cursor;
  RETURN NULL;
END $$
"""


def _postgres_triggers(entry: Tracked) -> list[str]:
    table = entry.table
    excluded = ", ".join(f"'{c}'" for c in entry.exclude)
    old = ", ".join(f"OLD.{_q(c)}" for c in entry.columns)
    new = ", ".join(f"NEW.{_q(c)}" for c in entry.columns)
    return [
        f"CREATE TRIGGER history_{table}_id AFTER INSERT OR DELETE ON {_q(table)} "
        f"FOR EACH ROW EXECUTE FUNCTION history_record({excluded})",
        f"CREATE TRIGGER history_{table}_u {_update_of(entry)} FOR EACH ROW "
        f"WHEN (ROW({old}) IS DISTINCT FROM ROW({new})) "
        f"EXECUTE FUNCTION history_record({excluded})",
    ]


def _trigger_names(connection) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'history\\_%' ESCAPE '\\'"
            )
        else:
            cursor.execute(
                "SELECT tgname, tgrelid::regclass::text FROM pg_trigger "
                "WHERE NOT tgisinternal AND tgname LIKE 'history\\_%'"
            )
        return list(cursor.fetchall())


def drop_triggers(using: str = "default") -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        for name, table in _trigger_names(connection):
            if connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS {_q(name)}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {_q(name)} ON {table}")


def install_triggers(using: str = "default") -> None:
    """(Re)create the triggers of every tracked table."""
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        raise RuntimeError(
            f"History triggers exist for SQLite and PostgreSQL, not {connection.vendor}."
        )
    existing = set(connection.introspection.table_names())
    if CHANGE_TABLE not in existing:
        return  # before the history's own migration
    drop_triggers(using)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_FUNCTION)
        for entry in tracked_tables():
            if entry.table not in existing:
                continue
            build = _sqlite_triggers if connection.vendor == "sqlite" else _postgres_triggers
            for statement in build(entry):
                cursor.execute(statement)
