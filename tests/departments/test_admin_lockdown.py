"""The admin cannot change a template or link two organizations, for superusers and other staff
alike, and every admin write (bulk deletes included) goes through the services. Reproductions of
an attack run (issue 17, item 1)."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from departments.models import Department, HeadcountPhase, Organization
from roles import services as role_services
from roles.models import Collaboration, Role
from teamorg.trees import tree_integrity_errors
from tests.api.conftest import client_for
from tests.factories import OrganizationFactory, RoleFactory, UserFactory, department_path
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the assertions read English messages
    return client


@pytest.fixture(params=["superuser", "staff"])
def admin_client(request):
    """A superuser, and a staff member given every permission of the two apps."""
    if request.param == "superuser":
        return signed_in(UserFactory(username="admin", is_staff=True, is_superuser=True))
    staff = UserFactory(username="staff", is_staff=True)
    staff.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["departments", "roles"])
    )
    return signed_in(staff)


@pytest.fixture
def startup(loaded_templates):
    return Organization.objects.get(slug="startup")


def test_a_template_collaboration_line_cannot_be_changed_or_deleted(admin_client, startup):
    line = Collaboration.objects.filter(organization=startup).first()
    before = database_snapshot()
    change = reverse("admin:roles_collaboration_change", args=[line.pk])
    page = admin_client.get(change)
    assert page.status_code == 200
    assert 'name="description_zh"' not in page.content.decode()  # shown, not editable
    response = admin_client.post(change, {"description_zh": "改掉", "order": 0, "origin": "user"})
    assert response.status_code == 403
    delete = reverse("admin:roles_collaboration_delete", args=[line.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert database_snapshot() == before


def test_a_line_from_one_template_to_another_is_refused_with_a_form_error(admin_client, startup):
    platform = Organization.objects.get(slug="platform")
    before = database_snapshot()
    response = admin_client.post(
        reverse("admin:roles_collaboration_add"),
        {
            "organization": startup.pk,
            "from_department": Department.objects.filter(organization=startup).first().pk,
            "to_department": Department.objects.filter(organization=platform).first().pk,
            "order": 0,
            "origin": "user",
            "description_zh": "跨组织",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Templates cannot be edited" in body
    assert "This belongs to another organization." in body
    assert database_snapshot() == before


def test_a_line_between_two_organizations_is_refused_by_the_service_itself(organization):
    """The admin's form catches it first; the service refuses it for every channel."""
    mine = department_path(organization, "运营中心")
    theirs = department_path(OrganizationFactory(), "仓储部")
    other_role = RoleFactory(department=theirs)
    my_role = RoleFactory(department=mine)
    before = database_snapshot()
    for ends in (
        {"from_department": mine, "to_department": theirs},
        {"from_department": theirs, "to_department": mine},
        {"from_role": my_role, "to_role": other_role},
    ):
        with pytest.raises(ValidationError) as refused:
            role_services.collaboration_create(organization=organization, **ends)
        codes = [error.code for errors in refused.value.error_dict.values() for error in errors]
        assert codes == ["cross_organization"]
    # An instance that claims to be in the organization is checked as stored.
    theirs.organization_id = organization.pk
    with pytest.raises(ValidationError) as refused:
        role_services.collaboration_create(
            organization=organization, from_department=mine, to_department=theirs
        )
    assert refused.value.error_dict["to_department"][0].code == "cross_organization"
    assert database_snapshot() == before


def test_template_nodes_cannot_be_deleted_in_bulk(admin_client, startup):
    before = database_snapshot()
    for model in (Department, Role, Collaboration):
        ids = list(model.objects.filter(organization=startup).values_list("pk", flat=True)[:2])
        meta = model._meta
        response = admin_client.post(
            reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"),
            {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
        )
        assert response.status_code == 403, model
    assert database_snapshot() == before


def test_a_template_organization_cannot_be_deleted_even_when_empty(admin_client):
    template = OrganizationFactory(slug="empty-template")
    Organization.objects.filter(pk=template.pk).update(is_template=True)
    delete = reverse("admin:departments_organization_delete", args=[template.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    bulk = admin_client.post(
        reverse("admin:departments_organization_changelist"),
        {"action": "delete_selected", "_selected_action": [template.pk], "post": "yes"},
    )
    assert bulk.status_code == 403
    assert Organization.objects.filter(pk=template.pk).exists()


def test_a_template_organization_and_its_phases_are_shown_read_only(admin_client, startup):
    page = admin_client.get(reverse("admin:departments_organization_change", args=[startup.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="name_zh"' not in body
    assert 'name="is_template"' not in body
    assert 'name="phases-0-name_zh"' not in body
    phase = HeadcountPhase.objects.filter(organization=startup).first()
    before = database_snapshot()
    response = admin_client.post(
        reverse("admin:departments_organization_change", args=[startup.pk]),
        {"phases-TOTAL_FORMS": "1", "phases-INITIAL_FORMS": "1", "phases-0-id": phase.pk},
    )
    assert response.status_code == 403
    assert database_snapshot() == before


def test_is_template_is_not_offered_when_adding_an_organization(admin_client):
    page = admin_client.get(reverse("admin:departments_organization_add"))
    assert page.status_code == 200
    assert 'name="is_template"' not in page.content.decode()


def test_a_bulk_delete_in_the_tree_admins_goes_through_the_services(admin_client, organization):
    """mptt's own bulk delete called `delete()` on each row: no lock, no revision, no lifting
    (a department with a sub-department or a role was a 500, RESTRICT)."""
    parent = department_path(organization, "运营中心")
    doomed = department_path(organization, "运营中心 > 客服部")
    child = department_path(organization, "运营中心 > 客服部 > 售后组")
    role = RoleFactory(department=doomed)
    revision = Organization.objects.get(pk=organization.pk).revision
    response = admin_client.post(
        reverse("admin:departments_department_changelist"),
        {"action": "delete_selected", "_selected_action": [doomed.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Department.objects.filter(pk=doomed.pk).exists()
    assert Department.objects.get(pk=child.pk).parent == parent  # lifted by the service
    assert Role.objects.get(pk=role.pk).department == parent
    assert Organization.objects.get(pk=organization.pk).revision == revision + 1
    assert tree_integrity_errors(Department) == []

    manager = RoleFactory(department=parent)
    report = role_services.role_create(
        organization=organization, department=parent, reports_to=manager, title_zh="专员"
    )
    response = admin_client.post(
        reverse("admin:roles_role_changelist"),
        {"action": "delete_selected", "_selected_action": [manager.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Role.objects.filter(pk=manager.pk).exists()
    assert Role.objects.get(pk=report.pk).reports_to is None
    assert tree_integrity_errors(Role) == []


def test_a_clone_that_fails_for_another_reason_is_not_called_a_slug_clash(user, organization):
    """A design holding a line to another organization's department (stored by the admin
    before this fix) cannot be copied: the copy of the line breaks a constraint. The API
    answered "This slug is taken" for that, as for every IntegrityError of the clone."""
    mine = department_path(organization, "运营中心")
    theirs = department_path(OrganizationFactory(), "仓储部")
    Collaboration.objects.create(
        organization=organization, from_department=mine, to_department=theirs
    )
    api = client_for(user)
    api.raise_request_exception = False
    count = Organization.objects.count()
    response = api.post(
        "/api/v1/organizations/acme/clone/",
        {"name": "Copy", "slug": "acme-copy"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 500
    assert "slug" not in response.content.decode().lower()
    assert Organization.objects.count() == count


def test_a_clone_whose_slug_is_taken_meanwhile_still_says_so(user, organization, monkeypatch):
    """The slug check before the service passes; the database then refuses the slug."""
    OrganizationFactory(slug="acme-copy")
    api = client_for(user)
    monkeypatch.setattr(
        "roles.api.organizations.OrganizationCloneSerializer.validate_slug",
        lambda self, value: value,
    )
    count = Organization.objects.count()
    response = api.post(
        "/api/v1/organizations/acme/clone/",
        {"name": "Copy", "slug": "acme-copy"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["slug"][0]["code"] == "unique"
    assert Organization.objects.count() == count
