from departments.models import Department
from departments.services import department_create
from tests.factories import DepartmentFactory, OrganizationFactory
from tests.web.conftest import revision_of


def _post(htmx, department, language="zh-hans", **changes):
    data = {
        "revision": revision_of(department.organization),
        "name_zh": department.name_zh,
        "name_en": department.name_en,
        "summary_zh": "",
        "summary_en": "",
        "functions_zh": "",
        "functions_en": "",
        "function_group": "",
        **changes,
    }
    return htmx.post(
        f"/orgs/acme/edit/departments/{department.pk}/", data, HTTP_ACCEPT_LANGUAGE=language
    )


def test_the_form_shows_both_languages_and_the_chart_colours(htmx, design):
    department = design["service"]
    Department.objects.filter(pk=department.pk).update(summary_zh="处理售后", name_en="")
    page = htmx.get(
        f"/orgs/acme/edit/departments/{department.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    for column in ("name_zh", "name_en", "summary_zh", "summary_en", "functions_zh"):
        assert f'name="{column}"' in page
    assert "处理售后" in page
    # The English name is missing: marked as such.
    assert "Not translated yet" in page
    # Each function group with the colour its box gets in the chart.
    assert 'value="front-line"' in page and "#b7e4c4" in page
    assert 'value="management"' in page and "#bcd3fb" in page
    # The page's language (English) first.
    assert page.index('name="name_en"') < page.index('name="name_zh"')


def test_saving_writes_both_languages_and_the_function_group(htmx, design):
    department = design["service"]
    before = revision_of(design["organization"])
    response = _post(
        htmx,
        department,
        name_en="Customer Service",
        summary_zh="负责售前售后咨询",
        summary_en="Answers customers before and after the sale",
        functions_zh="售前咨询\n售后处理",
        functions_en="Pre-sales\nAfter-sales",
        function_group="front-line",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "已保存" in body  # the form stays open and says so
    assert 'id="editor-outlines" hx-swap-oob' in body  # outlines redrawn
    assert response.headers["X-TeamOrg-Revision"] == str(before + 1)
    department.refresh_from_db()
    assert (department.name_zh, department.name_en) == ("客服部", "Customer Service")
    assert department.summary_en == "Answers customers before and after the sale"
    assert department.function_lines == ["售前咨询", "售后处理"]
    assert department.function_group == "front-line"
    # The chart draws the box in the front line's colour.
    chart = htmx.get("/orgs/acme/chart.svg?view=departments").content.decode()
    assert "#b7e4c4" in chart


def test_a_name_in_neither_language_is_refused_on_the_field(htmx, design):
    department = design["service"]
    before = revision_of(design["organization"])
    response = _post(htmx, department, language="en", name_zh=" ", name_en="")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Fill it in at least one language." in body
    assert 'id="name_en_errors"' in body or "has-error" in body
    assert revision_of(design["organization"]) == before
    assert Department.objects.get(pk=department.pk).name_zh == "客服部"


def test_a_function_group_that_does_not_exist_is_refused(htmx, design):
    department = design["service"]
    before = revision_of(design["organization"])
    response = _post(htmx, department, function_group="purple")
    assert response.status_code == 400
    assert revision_of(design["organization"]) == before


def test_another_organizations_department_is_missing(htmx, design, other_user):
    stranger = DepartmentFactory(organization=OrganizationFactory(owner=other_user))
    assert htmx.get(f"/orgs/acme/edit/departments/{stranger.pk}/").status_code == 404


def test_a_duplicate_sibling_name_is_refused_on_the_field(htmx, design):
    department_create(
        organization=design["organization"], parent=design["operations"], name_zh="售后部"
    )
    before = revision_of(design["organization"])
    response = _post(htmx, design["service"], name_zh="售后部")
    assert response.status_code == 400
    assert 'id="id_name_zh_errors"' in response.content.decode()
    assert revision_of(design["organization"]) == before
