"""Tree shapes: a move records where it placed its node, not the whole tree's order; any other
change to a tree's order records the whole order, and so does a move after a write outside the
history or after `PLACEMENTS_BETWEEN_WHOLE_SHAPES` revisions. The order rebuilt for any
revision is the tree as it was (`replay.shape_at`); the update triggers are bound to the
tracked columns."""

import pytest
from django.db import connection, transaction

from departments.history import recording, replay, tracking
from departments.history.prune import history_prune
from departments.models import Organization, TreeShape
from departments.revisions import organization_bump_revision
from departments.services import department_create
from roles.models import Role
from roles.services import role_create, role_move

pytestmark = pytest.mark.django_db
TABLE = Role._meta.db_table


def revision_of(organization) -> int:
    return Organization.objects.get(pk=organization.pk).revision


def newest_shape(organization) -> TreeShape:
    return TreeShape.objects.filter(organization=organization, table=TABLE).latest("number", "id")


@pytest.fixture
def team(organization):
    """A manager with three reports, 甲 乙 丙 in that order."""
    department = department_create(organization=organization, name_zh="销售部")
    boss = role_create(organization=organization, department=department, title_zh="总监")
    reports = [
        role_create(organization=organization, department=department, title_zh=title,
                    reports_to=boss)
        for title in ("甲", "乙", "丙")
    ]  # fmt: skip
    return boss, *reports


def test_a_move_records_where_it_placed_the_role(organization, team):
    boss, first, second, third = team
    assert newest_shape(organization).whole  # a role created: the whole order

    role_move(role=third, target=first, position="right")

    shape = newest_shape(organization)
    assert (shape.number, shape.whole) == (revision_of(organization), False)
    assert shape.nodes == [[third.pk, boss.pk, first.pk]]
    role_move(role=second, target=boss, position="first-child")
    assert newest_shape(organization).nodes == [[second.pk, boss.pk, None]]
    assert replay.shape_at(organization.pk, TABLE, revision_of(organization)) == (
        recording.tree_shape(organization.pk, TABLE)
    )


def test_every_revision_rebuilds_the_order_it_had(organization, team, monkeypatch):
    monkeypatch.setattr(recording, "PLACEMENTS_BETWEEN_WHOLE_SHAPES", 2)
    boss, first, second, third = team
    orders = {revision_of(organization): recording.tree_shape(organization.pk, TABLE)}
    for role, target, position in [
        (first, third, "right"),
        (second, None, "last-child"),  # to the top level
        (third, second, "last-child"),
        (second, boss, "first-child"),  # with the role under it
        (first, boss, "left"),  # beside the root: another top-level role
        (first, third, "first-child"),
    ]:
        role_move(role=role, target=target, position=position)
        orders[revision_of(organization)] = recording.tree_shape(organization.pk, TABLE)

    shapes = TreeShape.objects.filter(organization=organization, table=TABLE)
    assert shapes.filter(whole=False).count() >= 3
    assert shapes.filter(whole=True, number__gt=min(orders)).exists()  # the limit came
    assert {n: replay.shape_at(organization.pk, TABLE, n) for n in orders} == orders


def test_a_move_after_a_write_outside_the_history_records_the_whole_order(organization, team):
    boss, first, _second, third = team
    with transaction.atomic():  # what a template reload does: no revision recorded
        organization_bump_revision(organization_id=organization.pk)

    role_move(role=third, target=first, position="left")

    assert newest_shape(organization).whole
    assert newest_shape(organization).nodes == recording.tree_shape(organization.pk, TABLE)


def test_pruning_up_to_a_move_keeps_its_order_as_a_whole_one(organization, team):
    boss, first, second, third = team
    role_move(role=third, target=first, position="left")
    start = revision_of(organization)
    order_at_start = recording.tree_shape(organization.pk, TABLE)
    role_move(role=first, target=boss, position="last-child")
    assert not newest_shape(organization).whole

    history_prune(organization=organization, keep_revisions=1)

    kept = TreeShape.objects.filter(organization=organization, table=TABLE).order_by("number")
    assert [(shape.number, shape.whole) for shape in kept] == [(start, True), (start + 1, False)]
    assert kept[0].nodes == order_at_start
    assert replay.shape_at(organization.pk, TABLE, start + 1) == recording.tree_shape(
        organization.pk, TABLE
    )


def test_the_update_triggers_are_bound_to_the_tracked_columns():
    """A tree move's renumbering sets only MPTT columns: it never calls the trigger."""
    entry = tracking.tracked(TABLE)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                [f"history_{TABLE}_u"],
            )
            (sql,) = cursor.fetchone()
            named = sql.split(" UPDATE OF ", 1)[1].split(" ON ", 1)[0]
            columns = {column.strip().strip('"') for column in named.split(",")}
        else:
            cursor.execute(
                "SELECT attname FROM pg_trigger JOIN pg_attribute "
                "ON attrelid = tgrelid AND attnum = ANY(tgattr) "
                "WHERE tgname = %s",
                [f"history_{TABLE}_u"],
            )
            columns = {name for (name,) in cursor.fetchall()}
    assert columns == set(entry.columns)
    assert not columns & set(tracking.MPTT_COLUMNS)
