from roles.models import Collaboration
from roles.services import collaboration_create
from tests.factories import DepartmentFactory, OrganizationFactory, RoleFactory
from tests.web.conftest import revision_of


def _lines(organization):
    return list(Collaboration.objects.filter(organization=organization))


def test_the_editor_page_shows_the_panel_with_only_this_organizations_nodes(
    signed_in, design, other_user
):
    stranger = DepartmentFactory(
        organization=OrganizationFactory(owner=other_user), name_zh="别家的部门"
    )
    collaboration_create(
        organization=design["organization"],
        from_department=design["service"],
        to_department=design["operations"],
        description_zh="每日交接",
    )
    page = signed_in.get("/orgs/acme/edit/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    panel = page[page.index('id="collaborations"') :]
    assert "每日交接" in panel
    assert f'value="d{design["service"].pk}"' in panel
    assert f'value="r{design["cs_lead"].pk}"' in panel
    assert f'value="d{stranger.pk}"' not in panel and "别家的部门" not in panel


def test_add_a_line_between_two_departments(htmx, design):
    org = design["organization"]
    before = revision_of(org)
    response = htmx.post(
        "/orgs/acme/edit/collaborations/add/",
        {
            "from_node": f"d{design['service'].pk}",
            "to_node": f"d{design['operations'].pk}",
            "description_zh": "退货交接",
            "description_en": "Returns hand-over",
            "revision": before,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    (line,) = _lines(org)
    assert (line.from_department_id, line.to_department_id) == (
        design["service"].pk,
        design["operations"].pk,
    )
    assert (line.description_zh, line.description_en) == ("退货交接", "Returns hand-over")
    body = response.content.decode()
    assert 'id="collaborations" hx-swap-oob="innerHTML"' in body and "Returns hand-over" in body
    assert "teamorg:design-changed" in response.headers["HX-Trigger"]
    assert revision_of(org) == before + 1


def test_add_a_line_between_two_roles(htmx, design):
    org = design["organization"]
    response = htmx.post(
        "/orgs/acme/edit/collaborations/add/",
        {
            "from_node": f"r{design['cs_lead'].pk}",
            "to_node": f"r{design['marketing'].pk}",
            "description_zh": "",
            "description_en": "",
            "revision": revision_of(org),
        },
    )
    assert response.status_code == 200
    (line,) = _lines(org)
    assert (line.from_role_id, line.to_role_id) == (design["cs_lead"].pk, design["marketing"].pk)


def test_a_department_and_a_role_are_refused(htmx, design):
    org = design["organization"]
    before = revision_of(org)
    response = htmx.post(
        "/orgs/acme/edit/collaborations/add/",
        {
            "from_node": f"d{design['service'].pk}",
            "to_node": f"r{design['cs_lead'].pk}",
            "revision": before,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.headers["HX-Retarget"] == "#collaborations"
    assert "two departments or two roles" in response.content.decode()
    assert _lines(org) == [] and revision_of(org) == before


def test_a_line_to_itself_is_refused(htmx, design):
    org = design["organization"]
    before = revision_of(org)
    end = f"d{design['service'].pk}"
    response = htmx.post(
        "/orgs/acme/edit/collaborations/add/",
        {"from_node": end, "to_node": end, "revision": before},
    )
    assert response.status_code == 400
    assert _lines(org) == [] and revision_of(org) == before


def test_another_organizations_role_is_not_offered_nor_accepted(htmx, design, other_user):
    org = design["organization"]
    stranger = RoleFactory(
        department=DepartmentFactory(organization=OrganizationFactory(owner=other_user))
    )
    before = revision_of(org)
    response = htmx.post(
        "/orgs/acme/edit/collaborations/add/",
        {
            "from_node": f"r{design['cs_lead'].pk}",
            "to_node": f"r{stranger.pk}",
            "revision": before,
        },
    )
    assert response.status_code == 400  # not one of the choices
    assert _lines(org) == [] and revision_of(org) == before
    assert not Collaboration.objects.filter(to_role=stranger).exists()


def test_edit_the_description_in_both_languages(htmx, design):
    org = design["organization"]
    line = collaboration_create(
        organization=org,
        from_department=design["service"],
        to_department=design["operations"],
        description_zh="旧",
    )
    form = htmx.get(f"/orgs/acme/edit/collaborations/{line.pk}/").content.decode()
    assert 'name="description_zh"' in form and 'value="旧"' in form
    response = htmx.post(
        f"/orgs/acme/edit/collaborations/{line.pk}/",
        {
            "description_zh": "新的交接",
            "description_en": "New hand-over",
            "revision": revision_of(org),
        },
    )
    assert response.status_code == 200
    line.refresh_from_db()
    assert (line.description_zh, line.description_en) == ("新的交接", "New hand-over")


def test_delete_after_a_confirmation(htmx, design):
    org = design["organization"]
    line = collaboration_create(
        organization=org, from_role=design["ceo"], to_role=design["marketing"]
    )
    confirm = htmx.get(
        f"/orgs/acme/edit/collaborations/{line.pk}/delete/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Delete the collaboration line" in confirm
    assert Collaboration.objects.filter(pk=line.pk).exists()  # asking deletes nothing
    response = htmx.post(
        f"/orgs/acme/edit/collaborations/{line.pk}/delete/", {"revision": revision_of(org)}
    )
    assert response.status_code == 200
    assert not Collaboration.objects.filter(pk=line.pk).exists()


def test_another_organizations_line_is_missing(htmx, design, other_user):
    other = OrganizationFactory(owner=other_user)
    a, b = DepartmentFactory(organization=other), DepartmentFactory(organization=other)
    line = collaboration_create(organization=other, from_department=a, to_department=b)
    before = revision_of(design["organization"])
    response = htmx.post(f"/orgs/acme/edit/collaborations/{line.pk}/delete/", {"revision": before})
    assert response.status_code == 404
    assert Collaboration.objects.filter(pk=line.pk).exists()


def test_without_javascript_the_add_redirects_back(signed_in, design):
    org = design["organization"]
    response = signed_in.post(
        "/orgs/acme/edit/collaborations/add/",
        {
            "from_node": f"d{design['service'].pk}",
            "to_node": f"d{design['operations'].pk}",
            "revision": revision_of(org),
        },
    )
    assert response.status_code == 302 and response.url == "/orgs/acme/edit/"
    assert len(_lines(org)) == 1
