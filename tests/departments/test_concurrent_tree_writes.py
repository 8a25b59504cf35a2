"""Many writers at once on PostgreSQL: the tree lock keeps every tree sound.

Eight threads make at least 200 mixed inserts, moves and deletes on the department and reporting
trees of one organization, while two more threads create 20 new organizations with their own
trees. Without the lock in teamorg/locking.py this test fails (see docs/architecture.md for the
figures); with it, every tree passes the full integrity check and no caller sees a deadlock or
any error other than the refusals the services are meant to give.
"""

import random
import threading
import traceback

import pytest
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import connection

from departments.models import Department, Organization
from departments.services import department_create, department_move, organization_create
from roles.models import Role
from roles.services import department_delete, role_create, role_delete, role_move
from teamorg.trees import tree_integrity_errors
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WRITERS = 8
OPERATIONS_PER_WRITER = 30
ORGANIZATION_CREATORS = 2
ORGANIZATIONS_PER_CREATOR = 10
POSITIONS = ("first-child", "last-child", "left", "right")


def random_node(model, organization_id, rng):
    ids = list(model.objects.filter(organization_id=organization_id).values_list("pk", flat=True))
    return model.objects.get(pk=rng.choice(ids)) if ids else None


def one_operation(organization, rng, counter):
    kind = rng.choice(["insert", "insert", "move", "move", "delete"])
    model = rng.choice([Department, Role])
    node = random_node(model, organization.pk, rng)
    target = random_node(model, organization.pk, rng)
    if kind == "insert" or node is None:
        if model is Department:
            department_create(organization=organization, parent=target, name_zh=f"部门{counter}")
        else:
            department = random_node(Department, organization.pk, rng)
            role_create(
                organization=organization,
                department=department,
                reports_to=target,
                title_zh=f"岗位{counter}",
            )
    elif kind == "move":
        position = rng.choice(POSITIONS)
        if model is Department:
            department_move(department=node, target=target, position=position)
        else:
            role_move(role=node, target=target, position=position)
    elif model is Department:
        department_delete(department=node, children=rng.choice(["lift", "refuse"]))
    else:
        role_delete(role=node, children="lift")


def test_concurrent_tree_writes_keep_every_tree_sound(on_postgresql):
    owner = UserFactory(username="owner")
    organization = organization_create(name_en="Busy shop", owner=owner)
    for index in range(6):
        department_create(organization=organization, name_zh=f"初始部门{index}")
    for index in range(6):
        role_create(
            organization=organization,
            department=Department.objects.filter(organization=organization).first(),
            title_zh=f"初始岗位{index}",
        )

    start = threading.Barrier(WRITERS + ORGANIZATION_CREATORS)
    unexplained: list[str] = []
    done = {"operations": 0, "refused": 0, "organizations": 0}
    lock = threading.Lock()

    def writer(seed: int) -> None:
        rng = random.Random(seed)
        try:
            start.wait()
            for step in range(OPERATIONS_PER_WRITER):
                try:
                    one_operation(organization, rng, f"{seed}-{step}")
                    with lock:
                        done["operations"] += 1
                except (ValidationError, ObjectDoesNotExist):
                    # The refusals the services exist to give: a cycle, a node another writer
                    # just deleted, a department that still has roles.
                    with lock:
                        done["operations"] += 1
                        done["refused"] += 1
        except Exception:  # noqa: BLE001 - any other error is the test's finding
            unexplained.append(traceback.format_exc())
        finally:
            connection.close()

    def creator(seed: int) -> None:
        try:
            start.wait()
            for index in range(ORGANIZATIONS_PER_CREATOR):
                new = organization_create(name_en=f"New shop {seed}-{index}", owner=owner)
                top = department_create(organization=new, name_zh="总经办")
                child = department_create(organization=new, parent=top, name_zh="运营部")
                boss = role_create(organization=new, department=top, title_zh="总经理")
                role_create(organization=new, department=child, reports_to=boss, title_zh="运营")
                role_create(organization=new, department=child, title_zh="顾问")  # a second root
                with lock:
                    done["organizations"] += 1
        except Exception:  # noqa: BLE001
            unexplained.append(traceback.format_exc())
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(seed,)) for seed in range(WRITERS)]
    threads += [
        threading.Thread(target=creator, args=(seed,)) for seed in range(ORGANIZATION_CREATORS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    findings = {
        "hung writers": sum(thread.is_alive() for thread in threads),
        "unexplained errors": len(unexplained),
        "department tree errors": len(tree_integrity_errors(Department)),
        "role tree errors": len(tree_integrity_errors(Role)),
    }
    first_error = unexplained[0].strip().splitlines()[-1] if unexplained else ""
    assert findings == dict.fromkeys(findings, 0), f"{findings}; first error: {first_error}"
    assert done["operations"] == WRITERS * OPERATIONS_PER_WRITER >= 200
    assert done["organizations"] == ORGANIZATION_CREATORS * ORGANIZATIONS_PER_CREATOR >= 20
    assert done["refused"] < done["operations"] / 2  # most operations really changed the trees
    new_organizations = Organization.objects.filter(is_template=False).exclude(pk=organization.pk)
    assert new_organizations.count() == 20
    for new in new_organizations:
        assert new.departments.count() == 2 and new.roles.count() == 3
