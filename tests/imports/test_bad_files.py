"""Files refused as a whole, before they are read and with nothing kept or written: a formula
cell, a 50 MB file, an XLSX zip bomb, an old .xls, an empty file, an unreadable workbook."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from roles.imports.models import ImportJob
from tests.imports.conftest import design_snapshot, upload
from tests.snapshots import database_snapshot


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A few hundred kilobytes that unpack to 300 MB: a worksheet of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"0" * (1024 * 1024)
            for _ in range(300):
                member.write(chunk)
    return buffer.getvalue()


def refused(api, organization, name, content):
    before = database_snapshot()
    response = upload(api, organization.slug, name, content)
    assert response.status_code == 400, response.content[:300]
    assert database_snapshot() == before  # no job kept either
    return response.json()


def test_a_formula_cell_is_refused_with_its_cell(api, design):
    content = xlsx([["部门", "岗位名称", "启动期"], ["运营中心", "店长", "=1+1"]])
    body = refused(api, design, "formula.xlsx", content)
    assert "C2" in str(body) and "formula" in str(body).lower()


def test_a_50_mb_file_is_refused_before_it_is_read(api, design):
    content = b"\xef\xbb\xbf\xe9\x83\xa8\xe9\x97\xa8,title\n" + b"x,y\n" * (50 * 1024 * 1024 // 4)
    body = refused(api, design, "huge.csv", content)
    assert "at most 10 MB" in str(body)


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(api, design):
    content = zip_bomb()
    assert len(content) < 2 * 1024 * 1024
    body = refused(api, design, "bomb.xlsx", content)
    assert "unpack" in str(body)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
        ("empty.csv", b"", "empty"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "not a readable XLSX"),
        ("binary.csv", bytes(range(256)) * 4, ""),
    ],
)
def test_other_unreadable_files_are_refused(api, design, name, content, words):
    body = refused(api, design, name, content)
    assert words in str(body)


def test_only_editors_import_and_other_organizations_are_missing(
    api, design, other_user, client_for_user
):
    content = "部门,岗位名称\n运营中心,店长\n".encode()
    viewer = client_for_user(design, "viewer")
    assert upload(viewer, design.slug, "p.csv", content).status_code == 403
    stranger = client_for_user(None, None, other_user)
    assert upload(stranger, design.slug, "p.csv", content).status_code == 404
    job = upload(api, design.slug, "p.csv", content).json()["id"]
    url = f"/api/v1/organizations/{design.slug}/import/{job}/"
    assert stranger.get(url).status_code == 404
    assert viewer.post(url + "apply/").status_code == 403
    assert ImportJob.objects.count() == 1
    assert design_snapshot()  # the design is untouched so far


def test_a_template_cannot_be_imported_onto(api, loaded_templates):
    response = upload(api, "startup", "p.csv", "部门,岗位名称\n运营中心,店长\n".encode())
    assert response.status_code in (403, 404)
