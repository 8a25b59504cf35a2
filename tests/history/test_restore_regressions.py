"""Two findings of tests/history/test_restore_property.py, kept as plain examples."""

import pytest

from departments import services as department_services
from departments.history import restore
from departments.history.recording import Actor, acting
from departments.models import Organization
from roles import services as role_services

pytestmark = pytest.mark.django_db


def phase_names(organization) -> list[str]:
    return list(organization.phases.order_by("order").values_list("name_zh", flat=True))


def test_undo_and_restore_of_a_phase_reorder_swap_the_orders_back(organization, user):
    with acting(Actor(user, "editor")):
        before = phase_names(organization)
        mark = Organization.objects.get(pk=organization.pk).revision
        ids = list(organization.phases.order_by("order").values_list("pk", flat=True))
        department_services.phase_reorder(organization=organization, phase_ids=ids[::-1])
        assert phase_names(organization) == before[::-1]

        # Each phase takes back the order another one holds (the orders are unique).
        restore.undo(organization=organization, user=user)
        assert phase_names(organization) == before
        restore.redo(organization=organization, user=user)
        assert phase_names(organization) == before[::-1]
        restore.design_restore(organization=organization, number=mark)
        assert phase_names(organization) == before


def test_undo_passes_over_a_save_that_changed_nothing(organization, user):
    department = department_services.department_create(organization=organization, name_zh="运营部")
    role = role_services.role_create(
        organization=organization, department=department, title_zh="甲"
    )
    phase = organization.phases.order_by("order").first()
    with acting(Actor(user, "editor")):
        role_services.role_update(role=role, title_zh="乙")
        role_services.headcount_set(role=role, phase=phase, min_count=2, max_count=3)
        # The same cell saved again as it is: a revision with nothing in it.
        role_services.headcount_set(role=role, phase=phase, min_count=2, max_count=3)

        restore.undo(organization=organization, user=user)
        assert not role.headcount.exists()
        restore.undo(organization=organization, user=user)
        role.refresh_from_db()
        assert role.title_zh == "甲"
        restore.redo(organization=organization, user=user)
        role.refresh_from_db()
        assert role.title_zh == "乙"
