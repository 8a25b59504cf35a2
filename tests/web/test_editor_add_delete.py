from departments.models import Department
from roles.models import Role
from tests.web.conftest import revision_of


def test_add_a_sub_department_and_a_direct_report(htmx, design):
    org = design["organization"]
    response = htmx.post(
        "/orgs/acme/edit/departments/add/",
        {"name": "售后组", "parent": design["service"].pk, "revision": revision_of(org)},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    group = Department.objects.get(organization=org, name_zh="售后组")
    assert group.parent_id == design["service"].pk

    response = htmx.post(
        "/orgs/acme/edit/roles/add/",
        {
            "name": "售后专员",
            "manager": design["cs_lead"].pk,
            "department": group.pk,
            "revision": revision_of(org),
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    role = Role.objects.get(organization=org, title_zh="售后专员")
    assert (role.reports_to_id, role.department_id) == (design["cs_lead"].pk, group.pk)
    assert "售后专员" in response.content.decode()


def test_delete_refused_while_it_has_children(htmx, design):
    org = design["organization"]
    before = revision_of(org)
    response = htmx.post(
        f"/orgs/acme/edit/roles/{design['director'].pk}/delete/",
        {"children": "refuse", "revision": before},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "direct reports" in response.content.decode()
    assert Role.objects.filter(pk=design["director"].pk).exists()
    assert revision_of(org) == before


def test_delete_with_children_moved_up(htmx, design):
    org = design["organization"]
    response = htmx.post(
        f"/orgs/acme/edit/roles/{design['director'].pk}/delete/",
        {"children": "lift", "revision": revision_of(org)},
    )
    assert response.status_code == 200
    assert not Role.objects.filter(pk=design["director"].pk).exists()
    assert Role.objects.get(pk=design["cs_lead"].pk).reports_to_id == design["ceo"].pk


def test_delete_a_department_lifting_its_roles_into_the_parent(htmx, design):
    org = design["organization"]
    response = htmx.post(
        f"/orgs/acme/edit/departments/{design['service'].pk}/delete/",
        {"children": "lift", "revision": revision_of(org)},
    )
    assert response.status_code == 200
    assert not Department.objects.filter(pk=design["service"].pk).exists()
    assert Role.objects.get(pk=design["cs_lead"].pk).department_id == design["operations"].pk


def test_the_delete_form_asks_what_happens_to_children(htmx, design):
    page = htmx.get(
        f"/orgs/acme/edit/departments/{design['operations'].pk}/delete/",
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert 'value="lift"' in page and 'value="refuse"' in page
    assert "1 sub-department" in page


def test_the_delete_form_lists_what_a_subtree_delete_takes(htmx, design):
    page = htmx.get(
        f"/orgs/acme/edit/departments/{design['operations'].pk}/delete/",
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert 'value="delete"' in page
    assert "2 departments:" in page
    for name in (
        "运营中心",
        "客服部",
        "CEO",
        "运营总监",
        "Customer Service Lead",
        "Marketing Director",
    ):
        assert f"<li>{name}" in page
    assert "4 roles" in page


def test_the_role_delete_form_lists_the_reports_that_would_go(htmx, design):
    page = htmx.get(
        f"/orgs/acme/edit/roles/{design['director'].pk}/delete/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "2 roles" in page
    assert "<li>运营总监" in page and "<li>Customer Service Lead" in page
    assert "<li>CEO" not in page


def test_deleting_a_department_with_everything_under_it(htmx, design):
    org = design["organization"]
    before = revision_of(org)
    response = htmx.post(
        f"/orgs/acme/edit/departments/{design['service'].pk}/delete/",
        {"children": "delete", "revision": before},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "and everything under it" in response.content.decode()
    assert not Department.objects.filter(pk=design["service"].pk).exists()
    assert not Role.objects.filter(pk=design["cs_lead"].pk).exists()
    assert Role.objects.filter(pk=design["director"].pk).exists()
    assert revision_of(org) == before + 1


def test_an_unknown_delete_choice_is_refused(htmx, design):
    org = design["organization"]
    before = revision_of(org)
    response = htmx.post(
        f"/orgs/acme/edit/roles/{design['director'].pk}/delete/",
        {"children": "cascade", "revision": before},
    )
    assert response.status_code == 400
    assert Role.objects.filter(pk=design["director"].pk).exists()
    assert revision_of(org) == before


def test_a_second_top_level_department_of_the_same_name_is_refused_on_the_field(htmx, design):
    """Issue 13's case: a second 运营中心 at the top (no parent) — refused, the reason on the
    name field with the name typed kept, nothing written."""
    org = design["organization"]
    before = revision_of(org)
    response = htmx.post(
        "/orgs/acme/edit/departments/add/",
        {"name_zh": "运营中心", "name_en": "", "parent": "", "revision": before},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="field-errors"' in page and "运营中心" in page
    assert 'value="运营中心"' in page  # what was typed, kept
    assert Department.objects.filter(organization=org, name_zh="运营中心").count() == 1
    assert revision_of(org) == before
