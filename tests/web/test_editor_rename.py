from departments.models import Department
from roles.models import Role
from tests.web.conftest import revision_of


def test_renaming_in_chinese_writes_the_chinese_name_only(htmx, design):
    department = design["service"]
    Department.objects.filter(pk=department.pk).update(name_en="Customer Service")
    response = htmx.post(
        f"/orgs/acme/edit/departments/{department.pk}/rename/",
        {"name": "客户服务部", "revision": revision_of(design["organization"])},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    assert "客户服务部" in response.content.decode()
    department.refresh_from_db()
    assert (department.name_zh, department.name_en) == ("客户服务部", "Customer Service")


def test_renaming_in_english_writes_the_english_title(htmx, design):
    role = design["cs_lead"]
    response = htmx.post(
        f"/orgs/acme/edit/roles/{role.pk}/rename/",
        {"name": "Head of Service", "revision": revision_of(design["organization"])},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    role = Role.objects.get(pk=role.pk)
    assert (role.title_zh, role.title_en) == ("客服主管", "Head of Service")


def test_an_empty_name_is_refused(htmx, design):
    before = revision_of(design["organization"])
    response = htmx.post(
        f"/orgs/acme/edit/departments/{design['service'].pk}/rename/",
        {"name": "   ", "revision": before},
    )
    assert response.status_code == 400
    assert revision_of(design["organization"]) == before


def test_the_rename_form_starts_with_the_current_name(htmx, design):
    page = htmx.get(
        f"/orgs/acme/edit/departments/{design['service'].pk}/rename/",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    assert 'value="客服部"' in page


def test_the_rename_form_shows_both_languages_the_pages_first(htmx, design):
    department = design["service"]
    Department.objects.filter(pk=department.pk).update(name_en="Customer Service")
    page = htmx.get(
        f"/orgs/acme/edit/departments/{department.pk}/rename/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'value="客服部"' in page and 'value="Customer Service"' in page
    assert page.index('name="name_en"') < page.index('name="name_zh"')


def test_renaming_both_languages_at_once(htmx, design):
    role = design["cs_lead"]
    response = htmx.post(
        f"/orgs/acme/edit/roles/{role.pk}/rename/",
        {
            "title_zh": "客服经理",
            "title_en": "Customer Service Manager",
            "revision": revision_of(design["organization"]),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    role = Role.objects.get(pk=role.pk)
    assert (role.title_zh, role.title_en) == ("客服经理", "Customer Service Manager")


def test_a_name_in_neither_language_is_shown_on_the_form(htmx, design):
    before = revision_of(design["organization"])
    department = design["service"]
    response = htmx.post(
        f"/orgs/acme/edit/departments/{department.pk}/rename/",
        {"name_zh": "", "name_en": " ", "revision": before},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    # The form again in its slot, with the message on the field.
    assert response.headers["HX-Retarget"] == f"#slot-departments-{department.pk}"
    assert 'id="rename-departments-' in response.content.decode()
    assert "name_zh_errors" in response.content.decode()
    assert revision_of(design["organization"]) == before


def test_a_role_title_a_sibling_has_is_saved_with_a_warning(htmx, design):
    org = design["organization"]
    response = htmx.post(
        "/orgs/acme/edit/roles/add/",
        {
            "title_zh": "市场总监",
            "title_en": "",
            "manager": design["ceo"].pk,
            "department": design["operations"].pk,
            "revision": revision_of(org),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert Role.objects.filter(organization=org, title_zh="市场总监").count() == 2
    body = response.content.decode()
    assert "data-warning" in body and "“Marketing Director”" in body


def test_a_unique_role_title_gets_no_warning(htmx, design):
    response = htmx.post(
        "/orgs/acme/edit/roles/add/",
        {
            "title_zh": "品牌经理",
            "title_en": "Brand Manager",
            "manager": design["ceo"].pk,
            "department": design["operations"].pk,
            "revision": revision_of(design["organization"]),
        },
    )
    assert response.status_code == 200
    assert "data-warning" not in response.content.decode()


def test_a_department_name_a_sibling_has_is_refused_on_the_field(htmx, design):
    org = design["organization"]
    before = revision_of(org)
    response = htmx.post(
        "/orgs/acme/edit/departments/add/",
        {"name_zh": "客服部", "name_en": "", "parent": design["operations"].pk, "revision": before},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert "name_zh_errors" in response.content.decode()
    assert revision_of(org) == before
    assert Department.objects.filter(organization=org, name_zh="客服部").count() == 1
