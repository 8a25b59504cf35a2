"""The design pages at 100, 1,000 and 5,000 roles: the editor, the overview and the plan page,
each a whole request through Django's test client, against a floor measured in the same run: one
raw SELECT of every row of the design (every table, duties, requirements, KPIs and head count
included, no ORM) plus `json.dumps` of them.

Targets (issue 21): editor and overview ≤ 10× the floor and ≤ 1 s at 5,000 roles cold (the first
request after the design was built, nothing cached); the plan page ≤ 1 s at 5,000 roles. Each
page is measured cold once, then as the best of a few warm requests; the ratio is the cold time
over the floor (the floor is measured warm: the harder comparison). The expand endpoint (one
node's children in the editor's outline) is reported too.

Run alone: `.venv/bin/python -m tests.benchmarks.run pages`.
"""

import json
import time

from django.db import connection
from django.test import Client
from django.urls import reverse

from departments.models import Department, HeadcountPhase
from roles.models import KPI, Collaboration, Duty, HeadcountTarget, Requirement, Role
from tests.benchmarks.synthetic import bulk_design
from tests.factories import UserFactory

SIZES = (100, 1000, 5000)
REPEAT = 3
RATIO_TARGET = 10.0
SECONDS_TARGET = 1.0  # at 5,000 roles


def _row(case, value, unit, target="", ok=None):
    return {"benchmark": "pages", "case": case, "value": value, "unit": unit, "target": target,
            "ok": ok}  # fmt: skip


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _best(action) -> float:
    return min(_timed(action) for _ in range(REPEAT))


def floor(organization_id: int) -> bytes:
    """Every row of the design by raw SQL, one SELECT per table, serialized with json.dumps."""
    role = Role._meta.db_table
    through = Role.combinable_with.through._meta.db_table

    def lines(model, columns: str) -> str:
        return (
            f"SELECT {columns} FROM {model._meta.db_table} l JOIN {role} r ON r.id = l.role_id "
            f'WHERE r.organization_id = %s ORDER BY l."order", l.id'
        )

    queries = [
        f'SELECT id, "order", name_zh, name_en, start_month, end_month '
        f'FROM {HeadcountPhase._meta.db_table} WHERE organization_id = %s ORDER BY "order"',
        "SELECT id, parent_id, code, name_zh, name_en, summary_zh, summary_en, functions_zh, "
        "functions_en, function_group "
        f"FROM {Department._meta.db_table} WHERE organization_id = %s ORDER BY tree_id, lft",
        "SELECT id, code, title_zh, title_en, department_id, reports_to_id, level, "
        "employment_type, hiring_priority, summary_zh, summary_en, pay_structure, salary_min, "
        f"salary_max FROM {role} WHERE organization_id = %s ORDER BY tree_id, lft",
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


def run() -> list[dict]:
    owner = UserFactory(username="bench-pages-owner")
    # The benchmark runs outside the test runner: use a host ALLOWED_HOSTS has by default.
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(owner)
    sizes = {}

    def get(url: str, **headers) -> None:
        response = client.get(url, **headers)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
        sizes[url] = len(response.content)

    rows = []
    for size in SIZES:
        organization = bulk_design(roles=size, owner=owner, slug=f"bench-pages-{size}")
        floor_seconds = _best(lambda o=organization: floor(o.pk))
        rows.append(
            _row(f"{size} roles: floor (raw SELECT + json.dumps)", round(floor_seconds, 4), "s")
        )
        judged = size == max(SIZES)
        pages = {
            "editor": reverse("org-editor", args=[organization.slug]),
            "overview": reverse("org-overview", args=[organization.slug]),
            "plan": reverse("plan:plan", args=[organization.slug]),
        }
        for name, url in pages.items():
            cold = _timed(lambda u=url: get(u))
            warm = _best(lambda u=url: get(u))
            kib = round(sizes[url] / 1024)
            rows.append(_row(f"{size} roles: {name} cold ({kib} KiB)", round(cold, 3), "s",
                             f"≤ {SECONDS_TARGET} s" if judged else "",
                             cold <= SECONDS_TARGET if judged else None))  # fmt: skip
            rows.append(_row(f"{size} roles: {name} warm", round(warm, 3), "s"))
            if name != "plan":
                ratio = cold / floor_seconds
                rows.append(_row(f"{size} roles: {name} cold / floor", round(ratio, 1), "×",
                                 f"≤ {RATIO_TARGET}×" if judged else "(reported)",
                                 ratio <= RATIO_TARGET if judged else None))  # fmt: skip
        first = Department.objects.filter(organization=organization, parent=None).first()
        try:
            args = [organization.slug, "departments", first.pk]
            expand = reverse("editor-children", args=args)
            seconds = _best(lambda u=expand: get(u, HTTP_HX_REQUEST="true"))
        except Exception:  # noqa: BLE001 - before the expand endpoint existed
            continue
        rows.append(_row(f"{size} roles: expand a department", round(seconds, 3), "s"))
    return rows


if __name__ == "__main__":
    import sys

    from tests.benchmarks.run import main

    sys.exit(main(["pages"]))
