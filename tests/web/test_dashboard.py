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


def test_each_template_shows_a_preview_of_departments_head_count_and_hiring_order(
    signed_in, loaded_templates, django_assert_max_num_queries
):
    from departments.models import Organization
    from roles.models import HeadcountTarget, Role

    with django_assert_max_num_queries(12):  # constant: three queries for all five previews
        page = signed_in.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    startup = Organization.objects.get(slug="startup")
    first_hire = (
        Role.objects.filter(organization=startup, hiring_priority__isnull=False)
        .order_by("hiring_priority", "tree_id", "lft")
        .first()
    )
    launch = startup.phases.order_by("order").first()
    targets = HeadcountTarget.objects.filter(phase=launch)
    low = sum(t.min_count for t in targets)
    high = sum(t.max_count for t in targets)
    card = page.split('data-template="startup"')[1].split("</li>\n")[0]
    assert "<summary>预览</summary>" in card
    assert f"<li>{first_hire.title_zh}</li>" in card
    expected = str(low) if low == high else f"{low}–{high}"
    assert f"<li>{launch.name_zh}: {expected}</li>" in card
    top_department = startup.departments.filter(parent=None).order_by("tree_id").first()
    assert top_department.name_zh in card
