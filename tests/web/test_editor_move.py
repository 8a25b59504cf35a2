import json

from roles.models import Role
from tests.factories import DepartmentFactory, OrganizationFactory
from tests.web.conftest import revision_of


def test_moving_a_role_changes_the_manager_and_redraws_the_chart(htmx, design):
    org = design["organization"]
    before = revision_of(org)
    response = htmx.post(
        "/orgs/acme/edit/move/",
        {
            "kind": "roles",
            "node": design["cs_lead"].pk,
            "target": design["marketing"].pk,
            "position": "last-child",
            "revision": before,
        },
    )
    assert response.status_code == 200
    assert Role.objects.get(pk=design["cs_lead"].pk).reports_to_id == design["marketing"].pk
    trigger = json.loads(response["HX-Trigger"])
    assert trigger["teamorg:design-changed"]["revision"] == before + 1
    page = response.content.decode()
    # The fresh outline: the lead now sits inside the marketing director's item.
    marketing = page.index(f'id="roles-{design["marketing"].pk}"')
    assert page.index(f'id="roles-{design["cs_lead"].pk}"') > marketing


def test_reordering_siblings_with_before_and_after(htmx, design):
    org = design["organization"]
    htmx.post(
        "/orgs/acme/edit/move/",
        {
            "kind": "roles",
            "node": design["marketing"].pk,
            "target": design["director"].pk,
            "position": "left",
            "revision": revision_of(org),
        },
    )
    ceo = Role.objects.get(pk=design["ceo"].pk)
    assert [r.pk for r in ceo.get_children()] == [design["marketing"].pk, design["director"].pk]


def test_a_move_under_its_own_subordinate_is_refused_with_a_message(htmx, design):
    org = design["organization"]
    before = revision_of(org)
    response = htmx.post(
        "/orgs/acme/edit/move/",
        {
            "kind": "roles",
            "node": design["director"].pk,
            "target": design["cs_lead"].pk,
            "position": "last-child",
            "revision": before,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#editor-alert"
    assert "cannot be moved under itself or one of its own subordinates" in (
        response.content.decode()
    )
    assert revision_of(org) == before
    assert Role.objects.get(pk=design["director"].pk).reports_to_id == design["ceo"].pk


def test_a_department_can_become_top_level(htmx, design):
    org = design["organization"]
    response = htmx.post(
        "/orgs/acme/edit/move/",
        {
            "kind": "departments",
            "node": design["service"].pk,
            "target": "",
            "position": "last-child",
            "revision": revision_of(org),
        },
    )
    assert response.status_code == 200
    design["service"].refresh_from_db()
    assert design["service"].parent_id is None


def test_the_move_form_offers_only_valid_targets(htmx, design):
    page = htmx.get(f"/orgs/acme/edit/roles/{design['director'].pk}/move/").content.decode()
    assert f'<option value="{design["ceo"].pk}">' in page
    assert f'<option value="{design["marketing"].pk}">' in page
    assert f'<option value="{design["cs_lead"].pk}">' not in page  # its own subordinate
    assert f'<option value="{design["director"].pk}">' not in page  # itself


def test_a_write_without_the_page_revision_is_refused(htmx, design):
    before = revision_of(design["organization"])
    response = htmx.post(
        "/orgs/acme/edit/move/",
        {"kind": "roles", "node": design["marketing"].pk, "target": "", "position": "left"},
    )
    assert response.status_code == 400
    assert revision_of(design["organization"]) == before


def test_a_node_of_another_organization_is_not_found(htmx, design, other_user):
    # Was `test_a_node_of_another_organization_is_refused` (400); issue 12 made a missing or
    # invisible node 404 in every channel. Another organization's node looks missing.
    foreign = DepartmentFactory(organization=OrganizationFactory(owner=other_user))
    before = revision_of(design["organization"])
    response = htmx.post(
        "/orgs/acme/edit/move/",
        {
            "kind": "departments",
            "node": design["service"].pk,
            "target": foreign.pk,
            "position": "last-child",
            "revision": before,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 404
    assert "That department is not part of this organization" in response.content.decode()
    assert revision_of(design["organization"]) == before
    design["service"].refresh_from_db()
    assert design["service"].parent_id == design["operations"].pk


def test_garbage_input_is_a_message_not_an_error(htmx, design):
    for data in (
        {"kind": "roles", "node": "x", "position": "last-child", "revision": "1"},
        {"kind": "people", "node": "1", "position": "last-child", "revision": "1"},
        {"kind": "roles", "node": "1", "position": "sideways", "revision": "1"},
        {"kind": "roles", "node": "1", "position": "left", "revision": "abc"},
    ):
        assert htmx.post("/orgs/acme/edit/move/", data).status_code == 400


def test_the_department_move_form_leaves_out_the_department_and_everything_under_it(htmx, design):
    page = htmx.get(f"/orgs/acme/edit/departments/{design['operations'].pk}/move/").content
    page = page.decode()
    assert f'<option value="{design["operations"].pk}">' not in page  # itself
    assert f'<option value="{design["service"].pk}">' not in page  # its sub-department
    page = htmx.get(f"/orgs/acme/edit/departments/{design['service'].pk}/move/").content.decode()
    assert f'<option value="{design["operations"].pk}">' in page
