"""A large sheet is applied by a background job, through the same job mechanism as the exports
(`roles.exports.runner`): a spawned child process on the test database by default (production
without Celery), a real Celery worker on a real local Redis when CELERY_BROKER_URL is set. The
apply answers 202 at once, the job reports its state and progress, the design is imported as
one revision; a job past its time limit is stopped with nothing written."""

import time

import pytest
from django.test import override_settings

from roles.imports import services
from roles.imports.models import ImportJob
from roles.models import Role
from tests.exports.test_celery_worker import BROKER, QUEUE, celery_worker  # noqa: F401
from tests.imports.conftest import design_snapshot, upload
from tests.redis_support import needs_redis

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


@needs_redis
def test_a_celery_worker_applies_the_import(api, organization, monkeypatch, celery_worker):  # noqa: F811
    monkeypatch.setattr(services, "ROWS_WHILE_YOU_WAIT", 1)
    revision = organization.revision
    job = upload(api, organization.slug, "p.csv", SHEET.encode()).json()
    with override_settings(CELERY_BROKER_URL=BROKER, TEAMORG_EXPORT_QUEUE=QUEUE):
        response = api.post(job["url"] + "apply/")
    assert response.status_code == 202, response.content
    body = wait_for(api, job["url"], {"applied", "failed"})
    assert body["state"] == "applied", body["error"]
    assert body["applied_revision"] == revision + 1
    assert Role.objects.filter(organization=organization).count() == 2
    # The worker ran it (not the embedded fallback): its log names the task and the job.
    log = celery_worker.log.read_text(errors="replace")
    assert f"teamorg.run_import[{job['id']}] succeeded" in log


def test_an_import_past_its_time_limit_is_stopped_and_writes_nothing(
    api, organization, monkeypatch
):
    """The job's own limit (SIGALRM in the worker's main thread, as for exports): run here in
    the test's main thread, the way a worker runs it, with a limit far below what 1,500 rows
    take to read, check and write."""
    rows = "".join(f"运营中心,岗位{i},,专员\n" for i in range(1500))
    monkeypatch.setattr(services, "ROWS_WHILE_YOU_WAIT", 1)
    job = upload(
        api, organization.slug, "big.csv", ("部门,岗位名称,汇报对象,职级\n" + rows).encode()
    )
    job = ImportJob.objects.get(pk=job.json()["id"])
    before = design_snapshot()
    job.state = "queued"
    job.save(update_fields=["state"])
    monkeypatch.setattr(services, "TIME_LIMIT_SECONDS", 0.05)
    services.import_job_run(job.pk)
    job.refresh_from_db()
    assert job.state == "failed"
    assert "0.05" in job.error
    assert job.finished_at is not None
    assert design_snapshot() == before
