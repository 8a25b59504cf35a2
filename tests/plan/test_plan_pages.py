from django.urls import reverse

from departments.models import Organization
from tests.factories import UserFactory


def test_plan_health_and_compare_pages_of_every_template_render_in_chinese(
    client, user, loaded_templates
):
    client.force_login(user)
    for organization in Organization.objects.filter(is_template=True):
        for name in ("plan", "health", "compare"):
            response = client.get(reverse(f"plan:{name}", args=[organization.slug]))
            assert response.status_code == 200, (organization.slug, name)
            assert organization.name_zh in response.content.decode()
        page = client.get(reverse("plan:plan", args=[organization.slug])).content.decode()
        assert page.count("<svg") >= 2
        assert "Noto Sans CJK SC" in page


def test_plan_page_shows_the_grid_and_links_to_roles(client, user, organization, make_role):
    role = make_role("运营中心 > 客服部", "客服专员", [(2, 3), (4, 6), (8, 10)])
    make_role("运营中心", "运营总监", [(1, 1), (1, 2), (2, 2)])
    client.force_login(user)
    page = client.get(reverse("plan:plan", args=["acme"])).content.decode()
    assert "客服专员" in page and "8–10" in page
    # 运营中心 with its sub-department, per phase.
    assert "3–4" in page and "5–8" in page and "10–12" in page
    assert reverse("roles:role-detail", args=["acme", role.pk]) in page


def test_plan_pages_need_sign_in_and_hide_other_organizations(client, organization):
    for name in ("plan", "health", "compare", "plan-csv", "plan-xlsx"):
        url = reverse(f"plan:{name}", args=["acme"])
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(UserFactory(username="stranger"))
    for name in ("plan", "health", "compare", "plan-csv", "plan-xlsx"):
        assert client.get(reverse(f"plan:{name}", args=["acme"])).status_code == 404
    assert client.get(reverse("plan:plan", args=["no-such-org"])).status_code == 404


def test_user_text_in_the_plots_is_escaped(client, user, organization, make_role):
    make_role("<b>部门</b>", "<script>alert(1)</script>", [(1, 1), (2, 2), (3, 3)])
    client.force_login(user)
    page = client.get(reverse("plan:plan", args=["acme"])).content.decode()
    assert "<script>alert(1)" not in page
    assert "<b>部门" not in page
    assert "&lt;script&gt;" in page
