"""A job that no worker takes (Celery configured but no worker running, or all of them busy):
its page and the API say it is waiting and for how long, and past the queue limit it fails with
a message a person can act on, leaving room for a retry. A job a worker took is bound only by
its time limit.

Most tests run inside the test's transaction, where the request's `on_commit` dispatch never
fires: the job stays queued exactly as it does when no worker ever takes it (the dispatch is
captured to show that one was asked for). The last one queues on a real Redis with no worker.
How long a job has waited is set by moving `created_at` back in the database, not by sleeping.
"""

import os
import re
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from roles.exports import services
from roles.models import ExportJob, ExportState
from tests.exports.test_export_jobs import start
from tests.redis_support import idle_celery_queue, needs_redis

QUEUE_FAILURE = (
    "No worker started the export within 10 minutes. Try again; if it happens again, tell "
    "your administrator that the export worker may not be running."
)


def queue_for(api, slug: str, capture) -> dict:
    """Request a plan export; its dispatch is captured, not run: no worker will take it."""
    with capture(execute=False) as dispatched:
        response = start(api, slug, "plan_xlsx", lang="en")
    assert response.status_code == 202, response.content
    assert len(dispatched) == 1  # the request did hand it to the runner
    return response.json()


def wait_back(job_id, seconds: int, field: str = "created_at") -> None:
    ExportJob.objects.filter(pk=job_id).update(
        **{field: timezone.now() - timedelta(seconds=seconds)}
    )


def status_part(client, job: dict) -> str:
    response = client.get(job["page"] + "?part=status", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_queued_job_says_it_waits_for_a_worker_and_how_long(
    api, design, django_capture_on_commit_callbacks
):
    job = queue_for(api, "shop", django_capture_on_commit_callbacks)
    assert job["state"] == "queued" and 0 <= job["queued_seconds"] <= 5

    # At first only "waiting", with a bar that claims no progress (no value: indeterminate).
    fresh = status_part(api, job)
    assert "Waiting for a worker…" in fresh and 'id="export-queued"' not in fresh
    bar = re.search(r"<progress[^>]*>", fresh).group(0)
    assert 'id="export-progress"' in bar and "value=" not in bar, bar

    wait_back(job["id"], 45)
    polled = api.get(job["url"], HTTP_ACCEPT_LANGUAGE="en").json()
    assert polled["state"] == "queued" and polled["step"] == "Waiting for a worker"
    assert 45 <= polled["queued_seconds"] <= 50, polled
    page = status_part(api, job)
    notice = re.search(r'<p class="notice" id="export-queued">(.*?)</p>', page, re.S)
    assert notice, page
    assert re.fullmatch(
        r"Waiting for a free worker \(queued 4[5-9] seconds ago\)\. If it does not start within "
        r"a few minutes, ask your administrator to check that the export worker is running\.",
        notice.group(1),
    ), notice.group(1)
    assert 'hx-trigger="every 1s"' in page  # still polling
    assert "value=" not in re.search(r"<progress[^>]*>", page).group(0)

    # Longer waits in minutes; the whole page (not only its polled part) shows it too.
    wait_back(job["id"], 5 * 60 + 10)
    full = api.get(job["page"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "queued 5 minutes ago" in full


@pytest.mark.django_db
def test_a_job_no_worker_took_within_the_queue_limit_fails_and_a_retry_starts_a_new_one(
    api, design, django_capture_on_commit_callbacks
):
    job = queue_for(api, "shop", django_capture_on_commit_callbacks)
    wait_back(job["id"], 590)  # under the limit (600 s): still waiting
    assert api.get(job["url"]).json()["state"] == "queued"

    wait_back(job["id"], 601)
    # Watching the page is enough: its poll fails the job, no new request needed.
    page = status_part(api, job)
    assert 'id="export-error"' in page and QUEUE_FAILURE in page
    assert "hx-trigger" not in page  # the poll stops
    assert 'id="export-retry"' in page and "Try again" in page
    failed = api.get(job["url"], HTTP_ACCEPT_LANGUAGE="en").json()
    assert failed["state"] == "failed" and failed["error"] == QUEUE_FAILURE
    assert failed["queued_seconds"] is None and failed["result"] is None

    # The retry button's request (the same kind and options) starts a new job.
    retried = queue_for(api, "shop", django_capture_on_commit_callbacks)
    assert retried["id"] != job["id"] and retried["state"] == "queued"
    assert ExportJob.objects.get(pk=job["id"]).state == ExportState.FAILED


@pytest.mark.django_db
def test_the_queue_limit_is_a_setting_and_the_message_says_it(
    api, design, django_capture_on_commit_callbacks
):
    job = queue_for(api, "shop", django_capture_on_commit_callbacks)
    wait_back(job["id"], 100)
    with override_settings(TEAMORG_EXPORT_QUEUE_LIMIT_SECONDS=90):
        assert services.expire_stale_jobs(design) == 1
    failed = ExportJob.objects.get(pk=job["id"])
    assert failed.state == ExportState.FAILED and failed.finished_at is not None
    assert failed.error.startswith("No worker started the export within 90 seconds. Try again;")


@pytest.mark.django_db
def test_a_job_a_worker_took_is_bound_by_its_time_limit_not_the_queue_limit(
    api, design, django_capture_on_commit_callbacks
):
    job = queue_for(api, "shop", django_capture_on_commit_callbacks)
    # Queued for 11 minutes, then a worker took it (as run_export takes a job) a minute ago.
    wait_back(job["id"], 11 * 60)
    now = timezone.now()
    ExportJob.objects.filter(pk=job["id"]).update(
        state=ExportState.RUNNING, started_at=now - timedelta(seconds=60), heartbeat_at=now
    )
    running = api.get(job["url"], HTTP_ACCEPT_LANGUAGE="en").json()
    assert running["state"] == "running" and running["error"] == ""
    assert running["queued_seconds"] is None
    page = status_part(api, job)
    assert 'id="export-queued"' not in page and 'value="0"' in page  # a real bar again

    # Past its time limit (900 s) and the grace: its worker is gone, as before.
    wait_back(job["id"], 900 + 61, field="started_at")
    lost = api.get(job["url"], HTTP_ACCEPT_LANGUAGE="en").json()
    assert lost["state"] == "failed"
    assert lost["error"] == "The worker stopped before the export was finished. Try again."


# Its own Redis database and queue: no worker of another test or run consumes from it.
QUEUE = f"teamorg-test-queue-limit-{os.getpid()}"


@pytest.fixture
def idle_broker():
    """A reachable Redis where no worker listens on the queue."""
    with idle_celery_queue(13, QUEUE) as connection:
        yield connection


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_with_celery_and_no_worker_the_job_waits_then_fails(api, design, idle_broker):
    job = start(api, "shop", "plan_xlsx", lang="en").json()
    assert idle_broker.llen(QUEUE) == 1  # sent to Celery (not run here): nobody takes it
    wait_back(job["id"], 30)
    assert re.search(r"queued 3[0-5] seconds ago", status_part(api, job))
    assert api.get(job["url"]).json()["state"] == "queued"
    wait_back(job["id"], 601)
    failed = api.get(job["url"], HTTP_ACCEPT_LANGUAGE="en").json()
    assert failed["state"] == "failed" and failed["error"] == QUEUE_FAILURE
