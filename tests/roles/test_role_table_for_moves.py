"""The roles table is set up so a move's renumbering is cheap (roles migration 0010,
docs/architecture.md "Writes at scale"): on PostgreSQL its pages are half filled, and no index
covers a tree column, so a renumbered row's new version stays on its page with no new index
entry (a HOT update)."""

import pytest
from django.db import connection

from roles.models import Role

TREE_NUMBER_COLUMNS = {"lft", "rght", "depth"}


@pytest.mark.django_db
def test_the_roles_table_is_half_filled_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (set DATABASE_URL; .ci/run does): fillfactor is a PostgreSQL table"
            " setting, SQLite has none and the migration does nothing there"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reloptions FROM pg_class WHERE oid = %s::regclass", [Role._meta.db_table]
        )
        (options,) = cursor.fetchone()
    assert "fillfactor=50" in (options or [])


@pytest.mark.django_db
def test_no_index_of_the_roles_table_covers_the_numbers_a_move_rewrites():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Role._meta.db_table)
    indexed = {
        name: set(details["columns"])
        for name, details in constraints.items()
        if details["index"] or details["unique"] or details["primary_key"]
    }
    assert indexed, "the introspection found no index at all"
    assert [name for name, columns in indexed.items() if columns & TREE_NUMBER_COLUMNS] == []


@pytest.mark.django_db
def test_roles_are_found_by_organization_through_the_unique_code_index():
    """The organization's own index was dropped as redundant: the unique (organization, code)
    starts with it."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Role._meta.db_table)
    leading = [
        details["columns"]
        for details in constraints.values()
        if details["columns"]
        and details["columns"][0] == "organization_id"
        and (details["index"] or details["unique"])
    ]
    assert leading == [["organization_id", "code"]]
