"""Every admin write goes through the services: the admin refuses what the API refuses (the last
owner, a line to another organization, a bad line), changes nothing when it refuses, and only
offers what the service accepts."""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from departments.models import MemberRole, Membership, Organization
from roles import services as role_services
from roles.models import Collaboration, Duty, Role
from tests.factories import OrganizationFactory, RoleFactory, UserFactory, department_path
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db


class FormFields(HTMLParser):
    """The fields a browser would post from the admin's change form, with their values."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            # Browsers drop the newline Django writes after <textarea>.
            value = self.data[self._textarea][0]
            self.data[self._textarea][0] = value.removeprefix("\n")
            self._textarea = None


def form_data(client, url: str) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    parser = FormFields()
    parser.feed(response.content.decode())
    data = parser.data
    data.pop("csrfmiddlewaretoken", None)
    data.pop("_save", None)
    return data


def single(data: dict[str, list[str]]) -> dict:
    return {name: values if len(values) != 1 else values[0] for name, values in data.items()}


@pytest.fixture
def admin_client(client):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the assertions read English messages
    return client


def membership_row(data: dict, user) -> str:
    """The inline prefix (`memberships-0`) of the row of `user`."""
    for name, values in data.items():
        if name.startswith("memberships-") and name.endswith("-user") and values == [str(user.pk)]:
            return name.removesuffix("-user")
    raise AssertionError(f"no membership row for {user}")


def test_the_last_owner_cannot_be_removed_through_the_admin(admin_client, organization, user):
    url = reverse("admin:departments_organization_change", args=[organization.pk])
    data = form_data(admin_client, url)
    data[f"{membership_row(data, user)}-DELETE"] = ["on"]
    before = database_snapshot()
    response = admin_client.post(url, single(data))
    assert response.status_code == 200  # the form again, with the formset's error
    assert "An organization keeps at least one owner." in response.content.decode()
    assert database_snapshot() == before
    assert Membership.objects.get(organization=organization, user=user).role == MemberRole.OWNER


def test_the_last_owner_cannot_be_demoted_through_the_admin(admin_client, organization, user):
    url = reverse("admin:departments_organization_change", args=[organization.pk])
    data = form_data(admin_client, url)
    data[f"{membership_row(data, user)}-role"] = [MemberRole.VIEWER]
    before = database_snapshot()
    response = admin_client.post(url, single(data))
    assert "An organization keeps at least one owner." in response.content.decode()
    assert database_snapshot() == before


def test_an_owner_is_removed_once_another_owner_is_added(admin_client, organization, user):
    second = UserFactory(username="second-owner")
    url = reverse("admin:departments_organization_change", args=[organization.pk])
    data = form_data(admin_client, url)
    row = membership_row(data, user)
    data[f"{row}-DELETE"] = ["on"]
    total = int(data["memberships-TOTAL_FORMS"][0])
    data["memberships-TOTAL_FORMS"] = [str(total + 1)]
    data[f"memberships-{total}-user"] = [str(second.pk)]
    data[f"memberships-{total}-role"] = [MemberRole.OWNER]
    data[f"memberships-{total}-organization"] = [str(organization.pk)]
    revision = organization.revision
    response = admin_client.post(url, single(data))
    assert response.status_code == 302, response.content.decode()[:2000]
    owners = Membership.objects.filter(organization=organization, role=MemberRole.OWNER)
    assert [membership.user for membership in owners] == [second]
    assert Organization.objects.get(pk=organization.pk).revision > revision


def test_is_template_cannot_be_ticked_in_the_admin(admin_client, organization):
    url = reverse("admin:departments_organization_change", args=[organization.pk])
    data = form_data(admin_client, url)
    assert "is_template" not in data
    data["is_template"] = ["on"]
    data["name_en"] = ["Acme Renamed"]
    response = admin_client.post(url, single(data))
    assert response.status_code == 302
    organization = Organization.objects.get(pk=organization.pk)
    assert organization.name_en == "Acme Renamed"
    assert organization.is_template is False


def test_a_collaboration_to_another_organization_is_refused_through_the_admin(
    admin_client, organization
):
    mine = department_path(organization, "运营中心")
    theirs = department_path(OrganizationFactory(), "仓储部")
    before = database_snapshot()
    response = admin_client.post(
        reverse("admin:roles_collaboration_add"),
        {
            "organization": organization.pk,
            "from_department": mine.pk,
            "to_department": theirs.pk,
            "order": 0,
            "origin": "user",
            "description_zh": "对接",
        },
    )
    assert response.status_code == 200
    assert "This belongs to another organization." in response.content.decode()
    assert database_snapshot() == before
    assert not Collaboration.objects.filter(organization=organization).exists()


def test_a_collaboration_added_in_the_admin_is_written_by_the_service(admin_client, organization):
    operations = department_path(organization, "运营中心")
    service = department_path(organization, "客服部")
    revision = Organization.objects.get(pk=organization.pk).revision
    response = admin_client.post(
        reverse("admin:roles_collaboration_add"),
        {
            "organization": organization.pk,
            "from_department": operations.pk,
            "to_department": service.pk,
            "order": 0,
            "origin": "user",
            "description_zh": "对接售后",
        },
    )
    assert response.status_code == 302
    line = Collaboration.objects.get(organization=organization)
    assert (line.from_department, line.to_department, line.description_zh) == (
        operations,
        service,
        "对接售后",
    )
    assert Organization.objects.get(pk=organization.pk).revision == revision + 1


def test_role_lines_edited_in_the_admin_go_through_the_service(admin_client, organization):
    department = department_path(organization, "客服部")
    role = role_services.role_create(
        organization=organization,
        department=department,
        title_zh="客服专员",
        duties=[{"text_zh": "回复咨询"}, {"text_zh": "处理售后"}],
    )
    url = reverse("admin:roles_role_change", args=[role.pk])
    data = form_data(admin_client, url)
    first = next(n for n, v in data.items() if n.endswith("-text_zh") and v == ["回复咨询"])
    data[first] = ["回复顾客咨询"]
    response = admin_client.post(url, single(data))
    assert response.status_code == 302
    assert [d.text_zh for d in Duty.objects.filter(role=role).order_by("order")] == [
        "回复顾客咨询",
        "处理售后",
    ]
    # A line emptied in both languages is refused on the form: nothing changes.
    data = form_data(admin_client, url)
    first = next(n for n, v in data.items() if n.endswith("-text_zh") and v == ["回复顾客咨询"])
    data[first] = [""]
    before = database_snapshot()
    response = admin_client.post(url, single(data))
    assert response.status_code == 200
    body = response.content.decode()
    # The constraint's own message in the page's language, not "Constraint … is violated".
    with translation.override(response["Content-Language"]):
        assert translation.gettext("A duty needs text in Chinese or English.") in body
    assert "duty_has_text" not in body
    assert database_snapshot() == before


def test_the_combinable_roles_picker_offers_only_the_same_organization(admin_client, organization):
    department = department_path(organization, "客服部")
    role = RoleFactory(department=department, title_zh="客服专员")
    colleague = RoleFactory(department=department, title_zh="客服主管")
    stranger = RoleFactory(department=department_path(OrganizationFactory(), "仓储部"))
    response = admin_client.get(reverse("admin:roles_role_change", args=[role.pk]))
    offered = response.context["adminform"].form.fields["combinable_with"].queryset
    choices = {choice.pk for choice in offered}
    assert colleague.pk in choices
    assert stranger.pk not in choices
    assert role.pk not in choices
    assert Role.objects.filter(pk=stranger.pk).exists()
