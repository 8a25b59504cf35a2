"""The handbook's rendering workers (roles.documents.handbook): forked from a rendering server
that loaded Django, WeasyPrint, the fonts and the print stylesheets before it forked them, and
gone as soon as the process that owns their pool is killed outright. Real processes throughout:
the standard library's fork server, a spawned owner, SIGKILL."""

import multiprocessing
import os
import signal
import sys
import time
from pathlib import Path

from roles.documents import handbook
from tests.documents.pool_owner import own_a_pool


def _worker_state() -> dict:
    """What a rendering worker holds before it is given a part."""
    return {
        "pid": os.getpid(),
        "parent": os.getppid(),
        "weasyprint loaded": "weasyprint" in sys.modules,
        # Importing it laid a part out with the print stylesheets (fonts, parsed sheets).
        "warmed up": "roles.documents.render_server" in sys.modules,
    }


def test_workers_start_with_weasyprint_and_the_fonts_loaded_by_the_server():
    handbook.start_render_server()
    pool = handbook.new_render_pool(2)
    try:
        states = [pool.submit(_worker_state).result(timeout=60) for _ in range(4)]
    finally:
        handbook.stop_render_pool(pool)

    for state in states:
        # Forked by the server, not by this process (a spawned worker is this process's child,
        # and would have to load and parse everything itself).
        assert state["parent"] != os.getpid()
        assert state["weasyprint loaded"]
        assert state["warmed up"]


def test_two_parts_go_to_the_workers_once_this_process_runs_a_server():
    # A one-role edit renders two parts (its chapter and the cover): with the server started
    # (a Celery pool process starts it as it starts) forking two workers costs milliseconds.
    handbook.start_render_server()
    parts = [
        handbook.Part("chapter", f"<html><body><p>第{number}部分 Part {number}</p></body></html>")
        for number in (1, 2)
    ]
    with handbook.PartRenderer(2) as renderer:
        renderer.add(parts)
        assert renderer.pool is not None
        renderer.finish()
    assert [part.rendered.pages for part in parts] == [1, 1]


def _running(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie waiting to be reaped is not)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return False
    return fields[0] != "Z"


def test_workers_exit_when_the_process_owning_them_is_killed():
    context = multiprocessing.get_context("spawn")
    pids = context.Queue()
    owner = context.Process(target=own_a_pool, args=(pids,), name="teamorg-test-pool-owner")
    owner.start()
    try:
        workers = {pids.get(timeout=60), pids.get(timeout=60)}
        assert all(_running(pid) for pid in workers)
    finally:
        os.kill(owner.pid, signal.SIGKILL)
        owner.join()

    deadline = time.monotonic() + 15
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if _running(pid)], "workers outlived their owner"
