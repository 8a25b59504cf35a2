"""Export jobs on a real Celery worker (`celery -A teamorg worker`, as the README runs it) with
a real local Redis as the broker: the job runs in the worker, not in the web process; duplicate
requests join; the time limit holds there too; and with the broker unreachable the job still
runs, on the embedded worker."""

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from roles.models import ExportJob
from tests.exports.conftest import wait_for_job
from tests.exports.test_export_jobs import start
from tests.ops.test_cache_backend import closed_port
from tests.redis_support import needs_redis

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
# Its own database number and queue per test process: messages of another run (or of another
# xdist worker) are never taken by this worker.
BROKER = "redis://127.0.0.1:6379/14"
QUEUE = f"teamorg-test-{os.getpid()}"


def database_url() -> str:
    """The URL of the database this test uses (the test database), for the worker."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


@dataclass(frozen=True)
class Worker:
    pid: int  # the worker's main process (its pool processes are its children)
    log: Path


@pytest.fixture
def celery_worker(tmp_path):
    """A Celery worker process on the test database, until the test ends."""
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "CELERY_BROKER_URL": BROKER,
        "TEAMORG_EXPORT_QUEUE": QUEUE,
        "DATABASE_URL": database_url(),
    }
    with open(log_path, "wb") as log:
        worker = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "teamorg", "worker"),
                # As the README runs it: the prefork pool, whose processes are daemonic.
                *("--concurrency", "2", "--loglevel", "INFO"),
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log_path.read_text(errors="replace"):
            assert worker.poll() is None, log_path.read_text(errors="replace")
            assert time.monotonic() < deadline, "the worker did not start within 60 s"
            time.sleep(0.2)
        yield Worker(worker.pid, log_path)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@needs_redis
def test_a_celery_worker_runs_the_export_and_duplicates_join(api, design, celery_worker):
    with override_settings(CELERY_BROKER_URL=BROKER, TEAMORG_EXPORT_QUEUE=QUEUE):
        job = start(api, "shop", "handbook", lang="en").json()
        assert start(api, "shop", "handbook", lang="en").json()["id"] == job["id"]
    finished, seen = wait_for_job(api, job["url"])
    assert finished["state"] == "done", finished
    # The bar moved through the layout: pages done of an expected total, on the way up.
    moving = [(done, total) for state, done, total, _percent, _step in seen if state == "running"]
    assert any(0 < done < total for done, total in moving), seen
    percents = [percent for _state, _done, _total, percent, _step in seen]
    assert percents == sorted(percents) and percents[-1] == 100
    assert api.get(finished["result"]).content.startswith(b"%PDF")
    # Asked again, the finished job is the cached result: nothing is queued.
    with override_settings(CELERY_BROKER_URL=BROKER, TEAMORG_EXPORT_QUEUE=QUEUE):
        again = start(api, "shop", "handbook", lang="en").json()
    assert again["id"] == job["id"] and again["state"] == "done"
    log = celery_worker.log.read_text(errors="replace")
    # The worker ran it (not the embedded fallback): its log names the task and the job.
    assert f"teamorg.run_export[{job['id']}] succeeded" in log
    # In parallel processes, although a prefork pool process is daemonic (teamorg.celery lets
    # it start the rendering pool the standard library would refuse there).
    assert "rendered in one process" not in log, log


@needs_redis
def test_the_time_limit_holds_on_a_celery_worker(api, design, celery_worker):
    with override_settings(
        CELERY_BROKER_URL=BROKER, TEAMORG_EXPORT_QUEUE=QUEUE, TEAMORG_EXPORT_TIME_LIMIT_SECONDS=1
    ):
        job = start(api, "shop", "handbook", lang="en").json()
    finished, _seen = wait_for_job(api, job["url"])
    assert finished["state"] == "failed"
    assert finished["error"] == "The export took longer than 1 seconds and was stopped."
    assert job["id"] in celery_worker.log.read_text(errors="replace")


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid`, read from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@needs_redis
def test_each_pool_process_starts_its_rendering_server_before_any_handbook(celery_worker):
    # roles.exports.tasks starts it on worker_process_init: the first handbook a pool process
    # renders then forks its workers at once instead of waiting for the server to load.
    deadline = time.monotonic() + 30
    while True:
        pool = _children(celery_worker.pid)
        servers = [
            child
            for process in pool
            for child in _children(process)
            if "multiprocessing.forkserver" in _command(child)
        ]
        if len(pool) == 2 and len(servers) == 2:
            break
        assert time.monotonic() < deadline, (pool, servers)
        time.sleep(0.2)


def test_with_the_broker_unreachable_the_job_still_runs(api, design):
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{closed_port()}/0"):
        started = time.monotonic()
        job = start(api, "shop", "plan_xlsx", lang="en").json()
        # Refused at once (a closed port), not after a long connection timeout.
        assert time.monotonic() - started < 5
    finished, _seen = wait_for_job(api, job["url"])
    assert finished["state"] == "done", finished
    download = api.get(finished["result"])
    assert download.content.startswith(b"PK")  # an XLSX is a zip
    assert ExportJob.objects.get(pk=job["id"]).filename == "shop-plan.xlsx"
