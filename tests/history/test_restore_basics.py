import pytest

from departments import services as department_services
from departments.history import restore
from departments.history.recording import Actor, acting
from departments.models import Organization
from roles import services as role_services
from roles.selectors.api_rows import organization_tree


def tree(organization):
    organization = Organization.objects.get(pk=organization.pk)
    data = organization_tree(organization, both=True)
    data.pop("revision", None)
    return data


@pytest.mark.django_db
def test_restore_and_undo(organization, user):
    ops = department_services.department_create(organization=organization, name_zh="运营中心")
    service = department_services.department_create(
        organization=organization, name_zh="客服部", parent=ops
    )
    boss = role_services.role_create(organization=organization, department=ops, title_zh="总监")
    a = role_services.role_create(
        organization=organization, department=service, title_zh="甲", reports_to=boss
    )
    b = role_services.role_create(
        organization=organization, department=service, title_zh="乙", reports_to=boss
    )
    organization.refresh_from_db()
    mark = organization.revision
    before = tree(organization)

    role_services.role_move(role=b, target=a, position="left")
    role_services.role_update(role=a, title_zh="甲甲")
    role_services.role_delete(role=boss, children="lift")
    department_services.department_move(department=service, target=None)
    assert tree(organization) != before

    restore.design_restore(organization=organization, number=mark)
    assert tree(organization) == before


@pytest.mark.django_db
def test_undo_and_redo_a_lifting_delete(organization, user):
    ops = department_services.department_create(organization=organization, name_zh="运营中心")
    with acting(Actor(user, "editor")):
        boss = role_services.role_create(organization=organization, department=ops, title_zh="总监")
        lead = role_services.role_create(
            organization=organization, department=ops, title_zh="主管", reports_to=boss
        )
        for title in ("甲", "乙", "丙"):
            role_services.role_create(
                organization=organization, department=ops, title_zh=title, reports_to=lead
            )
        role_services.role_create(
            organization=organization, department=ops, title_zh="丁", reports_to=boss
        )
        before = tree(organization)
        role_services.role_delete(role=lead, children="lift")
        after = tree(organization)
        restore.undo(organization=organization, user=user)
        assert tree(organization) == before
        restore.redo(organization=organization, user=user)
        assert tree(organization) == after
        restore.undo(organization=organization, user=user)
        assert tree(organization) == before
