from departments.models import Organization
from roles import services as role_services
from tests.factories import OrganizationFactory


def test_overview_shows_chart_departments_and_head_count(signed_in, design):
    organization = design["organization"]
    phase = organization.phases.order_by("order").first()
    role_services.role_set_headcount(role=design["cs_lead"], phase=phase, min_count=8, max_count=10)
    page = signed_in.get("/orgs/acme/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "data-org-chart" in page and "/orgs/acme/chart.svg" in page
    assert "客服部" in page and f"/orgs/acme/roles/{design['cs_lead'].pk}/" in page
    assert "8–10" in page
    assert "/orgs/acme/edit/" in page  # the owner may edit


def test_a_template_is_read_only_with_use_this_template(signed_in, loaded_templates):
    template = Organization.objects.filter(is_template=True).first()
    page = signed_in.get(f"/orgs/{template.slug}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"/orgs/new/?source={template.slug}" in page
    assert f"/orgs/{template.slug}/edit/" not in page

    editor = signed_in.get(f"/orgs/{template.slug}/edit/", HTTP_ACCEPT_LANGUAGE="en")
    assert editor.status_code == 403
    assert "Use this template" in editor.content.decode()


def test_someone_elses_organization_is_not_found(signed_in, other_user):
    OrganizationFactory(owner=other_user, slug="secret")
    assert signed_in.get("/orgs/secret/").status_code == 404
    assert signed_in.get("/orgs/secret/edit/").status_code == 404
