from departments import services
from departments.models import Department
from tests.web.conftest import revision_of


def test_a_stale_page_is_told_to_reload_and_overwrites_nothing(htmx, design):
    org = design["organization"]
    seen = revision_of(org)
    # Someone else renames the department in between.
    services.department_update(department=design["service"], name_zh="售后服务部")

    response = htmx.post(
        f"/orgs/acme/edit/departments/{design['service'].pk}/rename/",
        {"name": "客户服务部", "revision": seen},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#editor-alert"
    body = response.content.decode()
    assert "Someone else changed this design" in body
    assert 'href="/orgs/acme/edit/"' in body  # the reload button
    assert Department.objects.get(pk=design["service"].pk).name_zh == "售后服务部"


def test_without_htmx_a_stale_write_redirects_with_the_message(signed_in, design):
    org = design["organization"]
    seen = revision_of(org)
    services.organization_update(organization=org, description_en="changed elsewhere")
    response = signed_in.post(
        f"/orgs/acme/edit/departments/{design['service'].pk}/rename/",
        {"name": "客户服务部", "revision": seen},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Someone else changed this design" in response.content.decode()
    assert Department.objects.get(pk=design["service"].pk).name_zh == "客服部"
