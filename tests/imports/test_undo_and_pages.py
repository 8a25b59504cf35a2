"""An import is one revision: the editor's undo takes all of it back. And the pages: upload,
preview with its problems, apply, see the result."""

import io

from django.urls import reverse

from departments.history.restore import undo
from departments.models import Organization, Revision
from roles.models import Role
from tests.imports.conftest import upload
from tests.imports.helpers import design_without_ids

SHEET = (
    "部门,岗位名称,汇报对象,职级,启动期编制\n"
    "运营中心,店长,CEO,经理,1\n"
    "运营中心,店员,店长,专员,2-3\n"
)


def test_an_import_is_one_revision_and_one_undo_takes_it_back(api, design, user):
    before = design_without_ids(design)
    revision = design.revision
    response = upload(api, design.slug, "p.csv", SHEET.encode(), apply="1")
    assert response.status_code == 201, response.content
    assert response.json()["applied_revision"] == revision + 1
    design.refresh_from_db()
    assert design.revision == revision + 1
    assert Revision.objects.filter(organization=design, number__gt=revision).count() == 1
    shop = Role.objects.get(organization=design, title_zh="店长")
    assert shop.reports_to.title_zh == "CEO"
    undo(organization=design, user=user)
    design.refresh_from_db()
    assert design_without_ids(design) == before


def test_the_pages_upload_preview_apply(client, design, user):
    client.force_login(user)
    start = reverse("imports:start", args=[design.slug])
    editor = client.get(reverse("org-editor", args=[design.slug]))
    assert start in editor.content.decode()
    bad = SHEET.replace("店长,专员,2-3", "店长,专员,3-2")
    response = client.post(start, {"file": _file("p.csv", bad)}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "import-problems" in page and "E (启动期编制)" in page
    assert 'id="import-apply-button" disabled' in page
    response = client.post(start, {"file": _file("p.csv", SHEET)})
    job_page = response["Location"]
    response = client.post(job_page + "apply/")
    assert response.status_code == 302
    page = client.get(job_page).content.decode()
    assert "import-applied" in page
    assert Role.objects.filter(organization=design, title_zh="店员").exists()


def test_a_new_organization_from_a_sheet(client, user):
    client.force_login(user)
    response = client.post(
        reverse("imports:new"), {"name": "新店", "file": _file("p.csv", SHEET.replace("CEO", ""))}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    job_page = response["Location"]
    assert client.post(job_page + "apply/").status_code == 302
    assert Role.objects.filter(organization__name_zh="新店").count() == 2


def test_a_refused_file_makes_no_new_organization(client, user):
    client.force_login(user)
    response = client.post(reverse("imports:new"), {"name": "空", "file": _file("a.xls", "x")})
    assert response.status_code == 400
    assert not Organization.objects.filter(name_zh="空").exists()


def _file(name: str, text: str):
    handle = io.BytesIO(text.encode())
    handle.name = name
    return handle
