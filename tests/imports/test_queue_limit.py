"""A large import whose apply no worker takes (Celery configured but no worker running, or all
of them busy), as an export's (tests/exports/test_queue_limit.py): its page and the API say it
is waiting and for how long, counted from the apply, not the upload; past the exports' queue
limit it fails with a message a person can act on and a Try again. A running import is bound by
its time limit only, and a worker that comes after the job failed imports nothing.

The apply is queued inside the test's transaction, where the request's `on_commit` dispatch
never fires: the job stays queued exactly as when no worker takes it (the dispatch is captured
to show that one was asked for). Waits are made by moving `queued_at` or `started_at` back in
the database, not by sleeping. The last one queues on a real Redis with no worker.
"""

import os
import re
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from roles.imports import services
from roles.imports.models import ImportJob, ImportState
from roles.models import Role
from tests.imports.conftest import design_snapshot, upload
from tests.redis_support import idle_celery_queue, needs_redis

pytestmark = pytest.mark.django_db

SHEET = "部门,岗位名称,汇报对象,职级\n运营中心,店长,CEO,经理\n运营中心,店员,店长,专员\n"
QUEUE_FAILURE = (
    "No worker started the import within 10 minutes; nothing was imported. Try again; if it "
    "happens again, tell your administrator that the background worker may not be running."
)
LOST = "The worker stopped before the import was finished; nothing was imported. Try again."


@pytest.fixture
def large(monkeypatch):
    """Every sheet counts as large: its apply is a background job."""
    monkeypatch.setattr(services, "ROWS_WHILE_YOU_WAIT", 1)


def queue_apply(api, design, capture) -> dict:
    """Upload the sheet and apply it; the apply's dispatch is captured, not run: no worker will
    take it."""
    job = upload(api, design.slug, "p.csv", SHEET.encode()).json()
    with capture(execute=False) as dispatched:
        response = api.post(job["url"] + "apply/")
    assert response.status_code == 202, response.content
    assert len(dispatched) == 1  # the request did hand it to the runner
    return response.json()


def wait_back(job_id, seconds: int, field: str = "queued_at") -> None:
    ImportJob.objects.filter(pk=job_id).update(
        **{field: timezone.now() - timedelta(seconds=seconds)}
    )


def status_part(client, job: dict) -> str:
    response = client.get(job["page"] + "?part=status", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def pages(client, user):
    client.force_login(user)
    return client


def test_a_queued_import_says_it_waits_for_a_worker_and_how_long_since_the_apply(
    api, pages, design, large, django_capture_on_commit_callbacks
):
    job = queue_apply(api, design, django_capture_on_commit_callbacks)
    assert job["state"] == "queued" and 0 <= job["queued_seconds"] <= 5, job
    # Uploaded three hours ago (the preview read at leisure): the wait counts from the apply.
    wait_back(job["id"], 3 * 3600, field="created_at")

    # At first only "waiting", with a bar that claims no progress (no value: indeterminate).
    fresh = status_part(pages, job)
    assert "Waiting for a worker…" in fresh and 'id="import-queued"' not in fresh
    bar = re.search(r"<progress[^>]*>", fresh).group(0)
    assert 'id="import-progress"' in bar and "value=" not in bar, bar
    assert api.get(job["url"]).json()["state"] == "queued"

    wait_back(job["id"], 45)
    polled = api.get(job["url"], HTTP_ACCEPT_LANGUAGE="en").json()
    assert polled["state"] == "queued" and 45 <= polled["queued_seconds"] <= 50, polled
    page = status_part(pages, job)
    notice = re.search(r'<p class="notice" id="import-queued">(.*?)</p>', page, re.S)
    assert notice, page
    assert re.fullmatch(
        r"Waiting for a free worker \(queued 4[5-9] seconds ago\)\. If it does not start within "
        r"a few minutes, ask your administrator to check that the background worker is "
        r"running\.",
        notice.group(1),
    ), notice.group(1)
    assert 'hx-trigger="every 1s"' in page  # still polling
    assert "value=" not in re.search(r"<progress[^>]*>", page).group(0)

    # Longer waits in minutes; the whole page (not only its polled part) shows it too.
    wait_back(job["id"], 5 * 60 + 10)
    full = pages.get(job["page"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "queued 5 minutes ago" in full


def test_an_import_no_worker_took_within_the_queue_limit_fails_and_can_be_tried_again(
    api, pages, design, large, django_capture_on_commit_callbacks
):
    before = design_snapshot()
    job = queue_apply(api, design, django_capture_on_commit_callbacks)
    wait_back(job["id"], 590)  # under the limit (600 s): still waiting
    assert api.get(job["url"]).json()["state"] == "queued"

    wait_back(job["id"], 601)
    # Watching the page is enough: its poll fails the job, no new request needed.
    page = status_part(pages, job)
    assert 'id="import-failed"' in page and QUEUE_FAILURE in page
    assert "hx-trigger" not in page  # the poll stops
    retry = re.search(r'<form method="post" action="([^"]+)" id="import-retry">', page)
    assert retry and "Try again" in page, page
    failed = api.get(job["url"], HTTP_ACCEPT_LANGUAGE="en").json()
    assert failed["state"] == "failed" and failed["error"] == QUEUE_FAILURE
    assert failed["queued_seconds"] is None and failed["applied_revision"] is None
    assert design_snapshot() == before  # nothing was imported
    # The whole page offers the one Try again (not the Import button beside it).
    full = pages.get(job["page"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="import-retry"' in full and 'id="import-apply"' not in full

    # Try again queues the apply anew, its wait counted from now.
    with django_capture_on_commit_callbacks(execute=False) as dispatched:
        response = pages.post(retry.group(1))
    assert response.status_code == 302 and len(dispatched) == 1
    again = api.get(job["url"]).json()
    assert again["state"] == "queued" and again["error"] == "", again
    assert 0 <= again["queued_seconds"] <= 5


def test_the_queue_limit_is_the_exports_setting_and_the_message_says_it(
    api, design, large, django_capture_on_commit_callbacks
):
    job = queue_apply(api, design, django_capture_on_commit_callbacks)
    wait_back(job["id"], 100)
    assert services.import_jobs_expire_stale(organization=design) == 0
    with override_settings(TEAMORG_EXPORT_QUEUE_LIMIT_SECONDS=90):
        assert services.import_jobs_expire_stale(organization=design) == 1
    failed = ImportJob.objects.get(pk=job["id"])
    assert failed.state == ImportState.FAILED and failed.finished_at is not None
    assert failed.error.startswith("No worker started the import within 90 seconds;")


def test_a_running_import_is_bound_by_its_time_limit_not_the_queue_limit(
    api, pages, design, large, django_capture_on_commit_callbacks
):
    job = queue_apply(api, design, django_capture_on_commit_callbacks)
    # Queued for 11 minutes, then a worker took it (as import_job_run takes a job) a minute ago.
    wait_back(job["id"], 11 * 60)
    ImportJob.objects.filter(pk=job["id"]).update(
        state=ImportState.RUNNING, started_at=timezone.now() - timedelta(seconds=60), done=1
    )
    running = api.get(job["url"], HTTP_ACCEPT_LANGUAGE="en").json()
    assert running["state"] == "running" and running["error"] == ""
    assert running["queued_seconds"] is None
    page = status_part(pages, job)
    assert 'id="import-queued"' not in page and 'value="33"' in page  # a real bar again

    # Past its time limit (600 s) and the exports' grace (60 s): its worker is gone.
    wait_back(job["id"], 600 + 59, field="started_at")
    assert api.get(job["url"]).json()["state"] == "running"
    wait_back(job["id"], 600 + 61, field="started_at")
    lost = api.get(job["url"], HTTP_ACCEPT_LANGUAGE="en").json()
    assert lost["state"] == "failed" and lost["error"] == LOST


def test_a_worker_that_comes_after_the_queue_limit_imports_nothing(
    api, pages, design, large, django_capture_on_commit_callbacks
):
    before = design_snapshot()
    job = queue_apply(api, design, django_capture_on_commit_callbacks)
    wait_back(job["id"], 601)
    assert QUEUE_FAILURE in status_part(pages, job)

    services.import_job_run(job["id"])  # the message finally reaches a worker

    late = ImportJob.objects.get(pk=job["id"])
    assert late.state == ImportState.FAILED and late.error == QUEUE_FAILURE
    assert late.started_at is None and late.applied_revision is None
    assert design_snapshot() == before
    assert not Role.objects.filter(organization=design, title_zh="店员").exists()


def test_a_worker_thought_dead_that_finishes_after_all_imports_nothing(
    api, design, large, monkeypatch, django_capture_on_commit_callbacks
):
    """The stale-job check fails a running import (its worker seemed gone) while the worker is
    in fact still reading the sheet: the worker's import is rolled back, so the job's "nothing
    was imported" stays true."""
    before = design_snapshot()
    job = queue_apply(api, design, django_capture_on_commit_callbacks)
    read = services.import_read

    def read_slowly(**kwargs):
        # The worker has taken the job; the check runs meanwhile and finds it past its limit.
        wait_back(job["id"], 600 + 61, field="started_at")
        assert services.import_jobs_expire_stale(organization=design) == 1
        return read(**kwargs)

    monkeypatch.setattr(services, "import_read", read_slowly)
    services.import_job_run(job["id"])

    lost = ImportJob.objects.get(pk=job["id"])
    assert lost.state == ImportState.FAILED and lost.error == LOST, lost.error
    assert lost.applied_revision is None
    assert design_snapshot() == before


# Its own Redis database and queue: no worker of another test or run consumes from it.
QUEUE = f"teamorg-test-import-queue-limit-{os.getpid()}"


@pytest.fixture
def idle_broker():
    """A reachable Redis where no worker listens on the queue."""
    with idle_celery_queue(12, QUEUE) as connection:
        yield connection


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_with_celery_and_no_worker_the_import_waits_then_fails(
    api, pages, design, large, idle_broker
):
    before = design_snapshot()
    job = upload(api, design.slug, "p.csv", SHEET.encode()).json()
    assert api.post(job["url"] + "apply/").status_code == 202
    assert idle_broker.llen(QUEUE) == 1  # sent to Celery (not run here): nobody takes it
    wait_back(job["id"], 30)
    assert re.search(r"queued 3[0-5] seconds ago", status_part(pages, job))
    assert api.get(job["url"]).json()["state"] == "queued"
    wait_back(job["id"], 601)
    failed = api.get(job["url"], HTTP_ACCEPT_LANGUAGE="en").json()
    assert failed["state"] == "failed" and failed["error"] == QUEUE_FAILURE
    assert design_snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_an_import_its_worker_is_writing_is_not_lost_and_the_look_does_not_wait(
    on_postgresql, api, design, large
):
    """Past its time limit and grace, but its worker's transaction holds the job's row (the
    import's progress writes are in it): the worker is alive. The check skips it at once
    instead of waiting for that transaction, and fails it once the row is free."""
    job = upload(api, design.slug, "p.csv", SHEET.encode()).json()
    ImportJob.objects.filter(pk=job["id"]).update(
        state=ImportState.RUNNING, started_at=timezone.now() - timedelta(seconds=600 + 61)
    )
    locked, release = threading.Event(), threading.Event()

    def worker_writing():
        try:
            with transaction.atomic():
                ImportJob.objects.filter(pk=job["id"]).update(step="Roles")
                locked.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=worker_writing)
    thread.start()
    try:
        assert locked.wait(10)
        started = time.monotonic()
        assert services.import_jobs_expire_stale(organization=design) == 0
        assert time.monotonic() - started < 5  # did not wait for the worker's transaction
    finally:
        release.set()
        thread.join()
    assert services.import_jobs_expire_stale(organization=design) == 1
    assert ImportJob.objects.get(pk=job["id"]).error == LOST
