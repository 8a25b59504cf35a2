"""Eight writers at once on PostgreSQL, all from the same stale revision: the field-level conflict
check holds under real concurrency. Writers of different roles all succeed, each with a revision
of its own that records its own change; writers of the same field of one role give exactly one
winner and seven `EditConflict`s; the trees stay sound."""

import threading
import traceback

import pytest
from django.db import connection

from departments.models import Department, Organization, Revision, RowChange
from departments.services import department_create, organization_create
from roles.models import Role
from roles.services import role_create, role_move, role_update
from teamorg.errors import EditConflict
from teamorg.trees import tree_integrity_errors
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WRITERS = 8


@pytest.fixture
def design(on_postgresql):
    owner = UserFactory(username="owner")
    organization = organization_create(name_en="Busy shop", owner=owner)
    department = department_create(organization=organization, name_zh="运营部")
    boss = role_create(organization=organization, department=department, title_zh="总经理")
    roles = [
        role_create(
            organization=organization, department=department, reports_to=boss, title_zh=f"岗位{n}"
        )
        for n in range(WRITERS)
    ]
    stale = Organization.objects.get(pk=organization.pk).revision
    # Someone else writes after the writers read the design: their revision is stale.
    role_update(role=boss, summary_zh="负责全局")
    return {"organization": organization, "boss": boss, "roles": roles, "stale": stale}


def run_at_once(work) -> tuple[list, list[str]]:
    """Run `work(index)` in WRITERS threads released together; what each returned or raised
    (an `EditConflict` is a result), and any other error as a traceback."""
    start = threading.Barrier(WRITERS)
    results: list = [None] * WRITERS
    unexplained: list[str] = []

    def writer(index: int) -> None:
        try:
            start.wait()
            results[index] = work(index)
        except EditConflict as conflict:
            results[index] = conflict
        except Exception:  # noqa: BLE001 - any other error is the test's finding
            unexplained.append(traceback.format_exc())
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(index,)) for index in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    return results, unexplained


def assert_trees_sound(organization) -> None:
    assert tree_integrity_errors(Role, organization=organization) == []
    assert tree_integrity_errors(Department, organization=organization) == []


def test_writers_of_different_roles_all_succeed_with_a_revision_each(design):
    organization, roles, stale = design["organization"], design["roles"], design["stale"]

    results, unexplained = run_at_once(
        lambda n: role_update(role=roles[n], title_zh=f"新岗位{n}", expected_revision=stale)
    )

    assert unexplained == [], unexplained[0]
    assert not any(isinstance(result, EditConflict) for result in results)
    assert [Role.objects.get(pk=role.pk).title_zh for role in roles] == [
        f"新岗位{n}" for n in range(WRITERS)
    ]
    revisions = Revision.objects.filter(organization=organization, number__gt=stale + 1)
    assert revisions.count() == WRITERS
    assert Organization.objects.get(pk=organization.pk).revision == stale + 1 + WRITERS
    changed = {}
    for revision in revisions:
        (change,) = RowChange.objects.filter(revision=revision)
        assert (change.table, change.op, change.changed_columns()) == (
            "roles_role",
            "U",
            {"title_zh"},
        )
        changed[change.row_id] = change.new["title_zh"]
    assert changed == {role.pk: f"新岗位{n}" for n, role in enumerate(roles)}
    assert_trees_sound(organization)


def test_writers_of_one_field_of_one_role_give_one_winner_and_seven_conflicts(design):
    organization, role, stale = design["organization"], design["roles"][0], design["stale"]

    results, unexplained = run_at_once(
        lambda n: role_update(role=role, title_zh=f"第{n}个标题", expected_revision=stale)
    )

    assert unexplained == [], unexplained[0]
    conflicts = [result for result in results if isinstance(result, EditConflict)]
    winners = [n for n, result in enumerate(results) if not isinstance(result, EditConflict)]
    assert len(winners) == 1 and len(conflicts) == WRITERS - 1
    assert Role.objects.get(pk=role.pk).title_zh == f"第{winners[0]}个标题"
    for conflict in conflicts:
        (field,) = conflict.conflicts
        assert (field.row_id, field.column, field.theirs) == (
            role.pk,
            "title_zh",
            f"第{winners[0]}个标题",
        )
    # The refused writes left no revision behind: only the winner's.
    assert Organization.objects.get(pk=organization.pk).revision == stale + 2
    assert Revision.objects.filter(organization=organization, number__gt=stale + 1).count() == 1
    assert_trees_sound(organization)


def test_writers_moving_different_roles_all_succeed_and_keep_the_tree_sound(design):
    organization, roles, stale = design["organization"], design["roles"], design["stale"]

    # Each role moves under its neighbour or to the top: different rows, one tree.
    def move(n: int):
        target = None if n % 2 else roles[(n + 1) % WRITERS]
        return role_move(role=roles[n], target=target, expected_revision=stale)

    results, unexplained = run_at_once(move)

    assert unexplained == [], unexplained[0]
    assert not any(isinstance(result, EditConflict) for result in results)
    parents = dict(Role.objects.filter(organization=organization).values_list("pk", "reports_to"))
    assert [parents[role.pk] for role in roles] == [
        None if n % 2 else roles[(n + 1) % WRITERS].pk for n in range(WRITERS)
    ]
    assert_trees_sound(organization)
