from departments.models import Organization
from tests.factories import OrganizationFactory


def test_dashboard_lists_my_organizations_templates_and_recent_changes(
    signed_in, organization, other_user, loaded_templates
):
    OrganizationFactory(owner=other_user, slug="secret", name_zh="别人的公司", name_en="Not mine")
    page = signed_in.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "测试电商" in page  # mine
    assert "别人的公司" not in page  # someone else's stays invisible
    for template in Organization.objects.filter(is_template=True):
        assert f"/orgs/new/?source={template.slug}" in page
        assert template.name_zh in page
    assert "recent-title" in page and "/orgs/acme/" in page


def test_recent_changes_put_the_latest_change_first(signed_in, user):
    from departments import services

    first = OrganizationFactory(owner=user, slug="first", name_en="First")
    OrganizationFactory(owner=user, slug="second", name_en="Second")
    services.organization_update(organization=first, description_en="changed")
    page = signed_in.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    recent = page[page.index('id="recent-title"') :]
    assert recent.index("/orgs/first/") < recent.index("/orgs/second/")
