"""REST API: the whole-design endpoint and throughput under gunicorn.

1. `GET /api/v1/organizations/{slug}/tree/` for synthetic designs of 50, 500 and 5,000 roles
   (each role with three duties, a requirement, a KPI and head count in three phases), through
   the whole Django stack (middleware, token auth, rendering), against a floor measured in the
   same run: raw SQL SELECTs of the same rows (one per table, no ORM) plus `json.dumps` of them.
   Target: at most 3x the floor at 5,000 roles (fixed per-request costs dominate small designs,
   so the smaller sizes are reported, not judged).
2. Requests per second for the tree of a template under gunicorn with 2 sync workers, driven by
   a bounded load (a fixed number of requests from a few client threads) on 127.0.0.1 only, in
   a throwaway SQLite file so the workers share the data. Target: 0 errors.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIZES = (50, 500, 5000)
LOAD_REQUESTS = 400
LOAD_THREADS = 4


def _row(case: str, value, unit: str, target: str = "", ok=None) -> dict:
    return {"benchmark": "api", "case": case, "value": value, "unit": unit, "target": target,
            "ok": ok}  # fmt: skip


def _best_seconds(action, repeat: int) -> float:
    """The fastest of `repeat` runs after a warm-up: the least disturbed by other processes on a
    shared machine, for the endpoint and its floor alike."""
    action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def _floor(organization_id: int) -> bytes:
    """The same rows the tree endpoint reads, by raw SQL, serialized with json.dumps."""
    from django.db import connection

    from departments.models import Department, HeadcountPhase
    from roles.models import KPI, Collaboration, Duty, HeadcountTarget, Requirement, Role

    role = Role._meta.db_table
    through = Role.combinable_with.through._meta.db_table

    def lines(model, columns: str) -> str:
        table = model._meta.db_table
        return (
            f"SELECT {columns} FROM {table} l JOIN {role} r ON r.id = l.role_id "
            f'WHERE r.organization_id = %s ORDER BY l."order", l.id'
        )

    queries = [
        f'SELECT id, "order", name_zh, name_en, start_month, end_month '
        f'FROM {HeadcountPhase._meta.db_table} WHERE organization_id = %s ORDER BY "order"',
        "SELECT id, parent_id, code, name_zh, name_en, summary_zh, summary_en, functions_zh, "
        "functions_en, function_group, origin, source_note "
        f"FROM {Department._meta.db_table} WHERE organization_id = %s ORDER BY tree_id, lft",
        "SELECT id, code, title_zh, title_en, department_id, reports_to_id, level, "
        "employment_type, hiring_priority, summary_zh, summary_en, pay_structure, salary_min, "
        "salary_max, pay_note_zh, pay_note_en, origin, source_note "
        f"FROM {role} WHERE organization_id = %s ORDER BY tree_id, lft",
        lines(Duty, "l.role_id, l.text_zh, l.text_en"),
        lines(KPI, "l.role_id, l.text_zh, l.text_en"),
        lines(Requirement, "l.role_id, l.kind, l.text_zh, l.text_en"),
        f"SELECT t.role_id, t.phase_id, t.min_count, t.max_count "
        f"FROM {HeadcountTarget._meta.db_table} t JOIN {role} r ON r.id = t.role_id "
        f"WHERE r.organization_id = %s",
        f"SELECT c.from_role_id, c.to_role_id FROM {through} c "
        f"JOIN {role} r ON r.id = c.from_role_id WHERE r.organization_id = %s",
        "SELECT id, from_department_id, to_department_id, from_role_id, to_role_id, "
        f"description_zh, description_en FROM {Collaboration._meta.db_table} "
        "WHERE organization_id = %s",
    ]
    rows = []
    with connection.cursor() as cursor:
        for sql in queries:
            cursor.execute(sql, [organization_id])
            rows.append(cursor.fetchall())
    return json.dumps(rows, ensure_ascii=False).encode()


def tree_rows() -> list[dict]:
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from tests.benchmarks.synthetic import bulk_design as build_design
    from tests.factories import UserFactory

    owner = UserFactory(username="bench-api-owner")
    token = Token.objects.create(user=owner).key
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {token}")
    rows = []
    for size in SIZES:
        organization = build_design(roles=size, owner=owner, slug=f"bench-api-{size}")
        url = f"/api/v1/organizations/{organization.slug}/tree/"

        def endpoint(url=url):
            response = client.get(url)
            assert response.status_code == 200, response.content[:300]
            return response.content

        repeat = 5 if size >= 5000 else 15
        api = _best_seconds(endpoint, repeat)
        floor = _best_seconds(lambda organization=organization: _floor(organization.pk), repeat)
        ratio = api / floor
        judged = size >= 5000
        rows += [
            _row(f"tree, {size} roles", round(api * 1000, 1), "ms"),
            _row(f"floor (raw SELECT + json.dumps), {size} roles", round(floor * 1000, 1), "ms"),
            _row(
                f"tree / floor, {size} roles",
                round(ratio, 2),
                "x",
                "≤ 3x" if judged else "(reported)",
                ratio <= 3 if judged else None,
            ),
        ]
    return rows


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_rows() -> list[dict]:
    """Throughput of a template's tree under gunicorn, 2 workers, in a throwaway database."""
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_HSTS_SECONDS": "0",
        }
        manage = [python, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
        subprocess.run([*manage, "loadtemplates", "-v0"], env=env, cwd=ROOT, check=True)
        script = (
            "from django.contrib.auth import get_user_model\n"
            "from rest_framework.authtoken.models import Token\n"
            "from departments.models import Organization\n"
            "user = get_user_model().objects.create_user('bench-load', password=None)\n"
            "template = Organization.objects.filter(is_template=True).order_by('slug').first()\n"
            "print(Token.objects.create(user=user).key, template.slug, template.roles.count())\n"
        )
        output = subprocess.run(
            [*manage, "shell", "-c", script], env=env, cwd=ROOT, check=True,
            capture_output=True, text=True,
        ).stdout.split()  # fmt: skip
        token, slug, role_count = output[-3:]
        port = _free_port()
        server = subprocess.Popen(
            [python, "-m", "gunicorn", "teamorg.wsgi:application", "--workers", "2",
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            env=env, cwd=ROOT,
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}/api/v1/organizations/{slug}/tree/"
            request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(request, timeout=5).read()
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise
                    time.sleep(0.2)
            errors, done = [], []
            lock = threading.Lock()

            def worker(count: int) -> None:
                for _ in range(count):
                    try:
                        with urllib.request.urlopen(request, timeout=30) as response:
                            response.read()
                            ok = response.status == 200
                    except OSError as error:
                        ok = False
                        errors.append(repr(error))
                    with lock:
                        done.append(ok)

            threads = [
                threading.Thread(target=worker, args=(LOAD_REQUESTS // LOAD_THREADS,))
                for _ in range(LOAD_THREADS)
            ]
            start = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            seconds = time.perf_counter() - start
        finally:
            server.terminate()
            server.wait(timeout=30)
    failed = done.count(False)
    return [
        _row(
            f"tree of template “{slug}” ({role_count} roles), gunicorn 2 workers, "
            f"{len(done)} requests from {LOAD_THREADS} threads",
            round(len(done) / seconds, 1),
            "req/s",
        ),
        _row("errors in that load", failed, "responses", "0", failed == 0),
    ]


def run() -> list[dict]:
    return tree_rows() + gunicorn_rows()
