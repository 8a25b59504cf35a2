"""A large sheet is applied by a background job (a spawned child process on the test database,
as in production without Celery): the apply answers 202 at once, the job reports its state and
progress, and the design is imported as one revision."""

import time

import pytest

from roles.imports import services
from roles.models import Role
from tests.imports.conftest import upload

pytestmark = pytest.mark.django_db(transaction=True)

SHEET = "部门,岗位名称,汇报对象,职级\n运营中心,店长,,经理\n运营中心,店员,店长,专员\n"


def wait_for(api, url: str, states: set[str]) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        body = api.get(url).json()
        if body["state"] in states:
            return body
        time.sleep(0.2)
    raise AssertionError(f"the import is still {body['state']}")


def test_a_large_sheet_is_applied_in_the_background(api, organization, monkeypatch):
    monkeypatch.setattr(services, "ROWS_WHILE_YOU_WAIT", 1)
    revision = organization.revision
    job = upload(api, organization.slug, "p.csv", SHEET.encode()).json()
    response = api.post(job["url"] + "apply/")
    assert response.status_code == 202, response.content
    assert response.json()["state"] == "queued"
    # A second apply while it runs is refused.
    again = api.post(job["url"] + "apply/")
    assert again.status_code in (200, 400)
    body = wait_for(api, job["url"], {"applied", "failed"})
    assert body["state"] == "applied", body["error"]
    assert body["applied_revision"] == revision + 1
    assert body["percent"] == 100
    assert sorted(
        Role.objects.filter(organization=organization).values_list("title_zh", flat=True)
    ) == [
        "店员",
        "店长",
    ]
