"""一人多职: the roles one person may hold together. The service accepts only other roles of
the same organization; the admin's 可兼任岗位 picker offers only those."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from roles.models import Role
from roles.services import role_create, role_update
from tests.factories import OrganizationFactory, RoleFactory, UserFactory, department_path
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles(organization):
    department = department_path(organization, "客服部")
    lead = RoleFactory(department=department, title_zh="客服主管")
    agent = RoleFactory(department=department, title_zh="客服专员")
    stranger = RoleFactory(department=department_path(OrganizationFactory(), "仓储部"))
    return {"lead": lead, "agent": agent, "stranger": stranger, "department": department}


def test_combining_roles_of_one_organization_is_symmetric(roles):
    role_update(role=roles["lead"], combinable_with=[roles["agent"]])
    assert list(roles["agent"].combinable_with.all()) == [roles["lead"]]


def test_another_organizations_role_is_refused_and_nothing_changes(roles):
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        role_update(role=roles["lead"], combinable_with=[roles["agent"], roles["stranger"]])
    assert refused.value.error_dict["combinable_with"][0].code == "cross_organization"
    assert Role.objects.get(pk=roles["lead"].pk).title in refused.value.messages[0]
    assert database_snapshot() == before


def test_an_instance_claiming_the_same_organization_is_checked_against_the_database(roles):
    forged = Role.objects.get(pk=roles["stranger"].pk)
    forged.organization_id = roles["lead"].organization_id  # not saved: the row says otherwise
    with pytest.raises(ValidationError) as refused:
        role_update(role=roles["lead"], combinable_with=[forged])
    assert refused.value.error_dict["combinable_with"][0].code == "cross_organization"
    assert not roles["lead"].combinable_with.exists()


def test_a_role_cannot_be_combined_with_itself(roles):
    with pytest.raises(ValidationError) as refused:
        role_update(role=roles["lead"], combinable_with=[roles["lead"]])
    assert refused.value.error_dict["combinable_with"][0].code == "self_combination"


def test_a_new_role_with_a_foreign_combination_is_not_created(roles, organization):
    before = database_snapshot()
    with pytest.raises(ValidationError):
        role_create(
            organization=organization,
            department=roles["department"],
            title_zh="新岗位",
            combinable_with=[roles["stranger"]],
        )
    assert database_snapshot() == before


@pytest.fixture
def admin_client(client):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _offered(response) -> set[int]:
    field = response.context["adminform"].form.fields["combinable_with"]
    return {role.pk for role in field.queryset}


def test_the_admin_add_page_offers_no_other_organizations_roles(admin_client, roles, organization):
    url = reverse("admin:roles_role_add")
    assert _offered(admin_client.get(url)) == set()  # no organization chosen yet
    offered = _offered(admin_client.get(url, {"organization": organization.pk}))
    assert offered == {roles["lead"].pk, roles["agent"].pk}


def test_the_admin_change_page_offers_only_the_roles_organization(admin_client, roles):
    response = admin_client.get(reverse("admin:roles_role_change", args=[roles["lead"].pk]))
    assert _offered(response) == {roles["agent"].pk}


def test_the_admin_refuses_a_posted_foreign_combination(admin_client, roles, organization):
    before = database_snapshot()
    response = admin_client.post(
        reverse("admin:roles_role_add"),
        {
            "organization": organization.pk,
            "department": roles["department"].pk,
            "code": "new-role",
            "title_zh": "新岗位",
            "level": "specialist",
            "employment_type": "full-time",
            "combinable_with": [roles["stranger"].pk],
            **{
                f"{prefix}-{key}": value
                for prefix in ("duties", "requirements", "kpis", "headcount")
                for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
            },
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert "combinable_with" in response.context["adminform"].form.errors
    assert database_snapshot() == before
