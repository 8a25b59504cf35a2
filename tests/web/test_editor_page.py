from departments import services
from departments.models import MemberRole
from tests.factories import UserFactory


def test_editor_shows_both_outlines_the_chart_and_the_grid(signed_in, design):
    page = signed_in.get("/orgs/acme/edit/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'data-revision="{design["organization"].revision}"' in page
    assert 'id="departments-{}"'.format(design["service"].pk) in page
    assert 'id="roles-{}"'.format(design["cs_lead"].pk) in page
    assert "data-org-chart" in page
    assert f'id="hc-{design["cs_lead"].pk}-' in page
    assert "vendor/htmx.min.js" in page and "js/editor.js" in page


def test_a_viewer_may_look_but_not_edit(client, design):
    viewer = UserFactory(username="viewer")
    services.membership_set(
        organization=design["organization"], user=viewer, role=MemberRole.VIEWER
    )
    client.force_login(viewer)
    assert client.get("/orgs/acme/").status_code == 200
    assert client.get("/orgs/acme/edit/").status_code == 403
    response = client.post(
        "/orgs/acme/edit/departments/add/",
        {"name": "新部门", "revision": design["organization"].revision},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 403
    assert not design["organization"].departments.filter(name_zh="新部门").exists()
