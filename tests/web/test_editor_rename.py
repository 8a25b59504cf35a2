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
