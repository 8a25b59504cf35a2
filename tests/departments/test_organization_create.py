import pytest
from django.core.exceptions import ValidationError

from departments.models import MemberRole, Organization
from departments.services import organization_create
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db


def test_creates_an_organization_owned_by_its_creator_with_default_phases(user):
    organization = organization_create(name_zh="小店", name_en="Little shop", owner=user)

    assert organization.slug == "little-shop"
    assert organization.memberships.get().user == user
    assert organization.memberships.get().role == MemberRole.OWNER
    assert [p.name_zh for p in organization.phases.all()] == ["启动期", "成长期", "成熟期"]
    assert organization.revision == 1


def test_a_chinese_only_name_gets_a_usable_slug(user):
    organization = organization_create(name_zh="小店", owner=user)
    assert organization.slug == "org"
    assert organization_create(name_zh="小店", owner=user).slug == "org-2"


def test_an_organization_needs_a_name(user):
    before = database_snapshot()
    with pytest.raises(ValidationError) as error:
        organization_create(name_zh="  ", name_en="", owner=user)
    assert error.value.error_dict["name_zh"][0].code == "required"
    assert database_snapshot() == before


def test_a_taken_slug_is_refused(organization, user):
    before = database_snapshot()
    with pytest.raises(ValidationError) as error:
        organization_create(name_en="Another", slug=organization.slug, owner=user)
    assert "slug" in error.value.error_dict
    assert database_snapshot() == before
    assert Organization.objects.filter(slug=organization.slug).count() == 1
