"""Check, then lock: a node the caller found is re-read under the tree lock, and another writer
may have deleted it in between. That is a clear 404 (the node the request is about) or 400 (a
node it refers to: a department, a manager, a target, a parent), never a 500 (issue 17, item 5).

The service tests call the services with the instance the caller read before another writer
deleted it, which is what the services see after waiting for the lock; they run on SQLite and
PostgreSQL. The request tests make the real race on PostgreSQL: another connection holds the
tree lock, the request checks its nodes and waits for the lock, the other connection deletes
the node through the services and commits, and the request goes on."""

import threading
import time
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction
from django.test import Client

from departments.models import Department, Organization
from departments.services import department_create, department_move
from roles.models import Role
from roles.services import department_delete, role_create, role_delete, role_move
from teamorg.locking import acquire_tree_locks
from teamorg.trees import tree_integrity_errors
from tests.api.conftest import client_for
from tests.factories import RoleFactory, department_path
from tests.snapshots import database_snapshot


def field_code(error: ValidationError, field: str) -> str:
    return error.error_dict[field][0].code


@pytest.fixture
def design(organization):
    center = department_path(organization, "运营中心")
    service = department_path(organization, "运营中心 > 客服部")
    finance = department_path(organization, "财务部")
    ceo = RoleFactory(department=center, title_zh="总经理", title_en="CEO")
    clerk = role_create(
        organization=organization, department=service, reports_to=ceo, title_zh="客服专员"
    )
    return {"center": center, "service": service, "finance": finance, "ceo": ceo, "clerk": clerk}


# --- the services, on every database ------------------------------------------------------------


@pytest.mark.django_db
def test_role_create_in_a_department_deleted_meanwhile_is_a_400(organization, design):
    department = design["finance"]
    department_delete(department=department)
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        role_create(organization=organization, department=department, title_zh="会计")
    assert field_code(refused.value, "department") == "does_not_exist"
    assert "财务部" in refused.value.messages[0] and "no longer exists" in refused.value.messages[0]
    assert database_snapshot() == before


@pytest.mark.django_db
def test_role_create_under_a_manager_deleted_meanwhile_is_a_400(organization, design):
    manager = design["clerk"]
    role_delete(role=manager)
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        role_create(
            organization=organization,
            department=design["service"],
            reports_to=manager,
            title_zh="实习生",
        )
    assert field_code(refused.value, "reports_to") == "does_not_exist"
    assert database_snapshot() == before


@pytest.mark.django_db
def test_department_create_under_a_parent_deleted_meanwhile_is_a_400(organization, design):
    parent = design["finance"]
    department_delete(department=parent)
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        department_create(organization=organization, parent=parent, name_zh="会计组")
    assert field_code(refused.value, "parent") == "does_not_exist"
    assert database_snapshot() == before


@pytest.mark.django_db
def test_department_move_to_a_target_deleted_meanwhile_is_a_400(design):
    target = design["finance"]
    department_delete(department=target)
    before = database_snapshot()
    for position in ("last-child", "left"):
        with pytest.raises(ValidationError) as refused:
            department_move(department=design["service"], target=target, position=position)
        assert field_code(refused.value, "parent") == "does_not_exist"
    assert database_snapshot() == before


@pytest.mark.django_db
def test_a_department_moved_after_it_was_deleted_is_not_found(design):
    node = design["finance"]
    department_delete(department=node)
    before = database_snapshot()
    with pytest.raises(Department.DoesNotExist) as gone:
        department_move(department=node, target=design["center"])
    assert "财务部" in str(gone.value) and "no longer exists" in str(gone.value)
    assert database_snapshot() == before


@pytest.mark.django_db
def test_role_move_to_a_target_deleted_meanwhile_is_a_400(design):
    target = design["clerk"]
    role_delete(role=target)
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        role_move(role=design["ceo"], target=target, position="right")
    assert field_code(refused.value, "reports_to") == "does_not_exist"
    assert database_snapshot() == before


@pytest.mark.django_db
def test_a_role_moved_after_it_was_deleted_is_not_found(design):
    node = design["clerk"]
    role_delete(role=node)
    before = database_snapshot()
    with pytest.raises(Role.DoesNotExist) as gone:
        role_move(role=node, target=None)
    assert "客服专员" in str(gone.value) and "no longer exists" in str(gone.value)
    assert database_snapshot() == before


# --- the requests, on PostgreSQL: a real race -----------------------------------------------------


def waiting_for_a_tree_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return cursor.fetchone()[0] > 0


@contextmanager
def deleted_while_the_request_waits(delete):
    """Hold both tree locks in another connection; once the request inside this block waits for
    them, `delete()` there through the services and commit."""
    held, go, done = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def other_writer():
        try:
            with transaction.atomic():
                acquire_tree_locks(Department, Role)
                held.set()
                go.wait(timeout=30)
                delete()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()
            done.set()

    thread = threading.Thread(target=other_writer)
    thread.start()
    assert held.wait(timeout=30)

    def release_when_waiting():
        deadline = time.monotonic() + 30
        while not waiting_for_a_tree_lock() and time.monotonic() < deadline:
            time.sleep(0.02)
        connection.close()
        go.set()

    watcher = threading.Thread(target=release_when_waiting)
    watcher.start()
    try:
        yield
    finally:
        go.set()
        watcher.join()
        thread.join(timeout=30)
        close_old_connections()
    assert not errors, errors


def editor(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def editor_post(client, url: str, data: dict):
    revision = Organization.objects.get(slug="acme").revision
    return client.post(
        url,
        {**data, "revision": revision},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.mark.django_db(transaction=True)
def test_an_editor_role_added_to_a_department_deleted_meanwhile_is_a_400(
    on_postgresql, user, design
):
    client, department = editor(user), design["finance"]
    with deleted_while_the_request_waits(lambda: department_delete(department=department)):
        response = editor_post(
            client,
            "/orgs/acme/edit/roles/add/",
            {"name": "会计", "department": department.pk},
        )
    assert response.status_code == 400, response.content.decode()[:500]
    assert "no longer exists" in response.content.decode()
    assert not Role.objects.filter(
        organization=design["ceo"].organization, title_zh="会计"
    ).exists()
    assert tree_integrity_errors(Role) == []


@pytest.mark.django_db(transaction=True)
def test_an_editor_move_of_a_department_deleted_meanwhile_is_a_404(on_postgresql, user, design):
    client, node = editor(user), design["finance"]
    with deleted_while_the_request_waits(lambda: department_delete(department=node)):
        response = editor_post(
            client,
            "/orgs/acme/edit/move/",
            {
                "kind": "departments",
                "node": node.pk,
                "target": design["center"].pk,
                "position": "last-child",
            },
        )
    assert response.status_code == 404, response.content.decode()[:500]
    assert "no longer exists" in response.content.decode()
    assert tree_integrity_errors(Department) == []


@pytest.mark.django_db(transaction=True)
def test_an_api_role_move_to_a_target_deleted_meanwhile_is_a_400(on_postgresql, user, design):
    api, target = client_for(user), design["clerk"]
    api.raise_request_exception = False
    with deleted_while_the_request_waits(lambda: role_delete(role=target)):
        response = api.post(
            f"/api/v1/roles/{design['ceo'].pk}/move/",
            {"reports_to": target.pk, "position": "right"},
            format="json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["reports_to"][0]["code"] == "does_not_exist"
    assert tree_integrity_errors(Role) == []
