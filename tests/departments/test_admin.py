"""The admin's drag-and-drop and forms go through the same locked services."""

import pytest
from django.conf import settings
from django.urls import reverse

from departments.models import Department
from teamorg.trees import tree_integrity_errors
from tests.factories import RoleFactory, UserFactory, department_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the assertions read English messages
    return client


@pytest.fixture
def tree(organization):
    department_path(organization, "运营中心 > 客服部 > 售后组")
    department_path(organization, "财务部")
    return {d.name_zh: d for d in Department.objects.filter(organization=organization)}


def drag(client, model, node, target, position):
    return client.post(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"),
        {"cmd": "move_node", "cut_item": node.pk, "pasted_on": target.pk, "position": position},
    )


def test_every_admin_page_renders(admin_client, tree, loaded_templates):
    role = RoleFactory(department=tree["客服部"])
    for name, args in [
        ("admin:departments_organization_changelist", []),
        ("admin:departments_organization_change", [tree["客服部"].organization_id]),
        ("admin:departments_department_changelist", []),
        ("admin:departments_department_change", [tree["客服部"].pk]),
        ("admin:departments_department_add", []),
        ("admin:roles_role_changelist", []),
        ("admin:roles_role_change", [role.pk]),
        ("admin:roles_role_add", []),
        ("admin:roles_collaboration_changelist", []),
    ]:
        assert admin_client.get(reverse(name, args=args)).status_code == 200, name


def test_drag_and_drop_moves_through_the_service(admin_client, tree):
    response = drag(admin_client, Department, tree["客服部"], tree["财务部"], "last-child")
    assert response.content == b"OK, moved."
    assert Department.objects.get(pk=tree["客服部"].pk).parent == tree["财务部"]
    assert tree_integrity_errors(Department) == []


def test_drag_and_drop_into_its_own_subtree_is_refused(admin_client, tree):
    response = drag(admin_client, Department, tree["运营中心"], tree["售后组"], "last-child")
    assert response.content == b"FAIL, invalid move."
    assert Department.objects.get(pk=tree["运营中心"].pk).parent is None


def test_adding_a_department_with_a_parent_of_another_organization_shows_a_form_error(
    admin_client, tree
):
    from tests.factories import OrganizationFactory

    other = OrganizationFactory()
    response = admin_client.post(
        reverse("admin:departments_department_add"),
        {"organization": other.pk, "parent": tree["财务部"].pk, "code": "x", "name_zh": "新部门"},
    )
    assert response.status_code == 200
    assert "This belongs to another organization." in response.content.decode()
    assert not Department.objects.filter(code="x").exists()


def test_deleting_in_the_admin_lifts_the_children(admin_client, tree):
    response = admin_client.post(
        reverse("admin:departments_department_delete", args=[tree["客服部"].pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert Department.objects.get(pk=tree["售后组"].pk).parent == tree["运营中心"]
    assert tree_integrity_errors(Department) == []
