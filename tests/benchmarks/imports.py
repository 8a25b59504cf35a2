"""Spreadsheet import of a 5,000-role design (5,500 rows: the design sheet of a synthetic
organization with 500 departments, 3 duties, 2 requirements, 1 KPI and head count in three
phases per role) into a new organization: read + preview, apply, and the queries of each,
as CSV and as XLSX.

Floor, same run: cloning the same design (`organization_clone`, one INSERT … SELECT per table),
the cheapest way to write the same rows into a new organization. Target: the whole import of
5,000 rows in ≤ 10 s (issue 19) on the 2-core benchmark machine."""

import os
import time
from contextlib import contextmanager

from django.db import connection
from django.test.utils import override_settings

from departments.services import organization_create
from roles.imports.apply import import_apply
from roles.imports.export import design_csv, design_xlsx
from roles.imports.services import import_preview
from roles.services import organization_clone
from tests.benchmarks.synthetic import bulk_design
from tests.factories import UserFactory

ROLES = 5000


def _row(case: str, value, unit: str, target: str = "", ok=None) -> dict:
    return {"benchmark": "imports", "case": case, "value": value, "unit": unit,
            "target": target, "ok": ok}  # fmt: skip


class _Count:
    queries = 0


@contextmanager
def _counting_queries():
    """Count the statements sent to the database without Django's query log: the log (on with
    DEBUG, which `make bench` inherits from the development settings, and in
    `CaptureQueriesContext`) renders every statement with its parameters as text, about a
    second for the 430,000 values of a 5,000-role import: the log's cost, which production
    (DEBUG off) does not pay, not the import's."""
    count = _Count()

    def counted(execute, sql, params, many, context):
        count.queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        yield count


def _import(owner, name: str, content: bytes) -> tuple[float, float, int, int, float]:
    target = organization_create(name_zh=f"导入 {name}", owner=owner)
    cpu = time.process_time()
    start = time.perf_counter()
    with _counting_queries() as preview_queries:
        sheet, resolution = import_preview(
            organization=target, name=name, content=content, mapping={}
        )
    previewed = time.perf_counter()
    if resolution.problems:
        raise AssertionError(resolution.problems[:5])
    with _counting_queries() as apply_queries:
        import_apply(organization=target, sheet=sheet, expected_revision=target.revision)
    applied = time.perf_counter()
    cpu = time.process_time() - cpu
    return (
        previewed - start,
        applied - previewed,
        preview_queries.queries,
        apply_queries.queries,
        cpu,
    )


def run() -> list[dict]:
    with override_settings(DEBUG=False):  # as in production: no query log (see above)
        return _run()


def _run() -> list[dict]:
    load_before = os.getloadavg()[0]
    owner = UserFactory(username="bench-import-owner")
    source = bulk_design(roles=ROLES, owner=owner, slug="bench-import-source")
    cpu = time.process_time()
    start = time.perf_counter()
    with _counting_queries() as clone_queries:
        organization_clone(source=source, owner=owner)
    floor = time.perf_counter() - start
    cpu = time.process_time() - cpu
    rows = [
        _row(f"floor: clone of the same {ROLES:,} roles", round(floor, 2), "s"),
        _row("floor: clone, CPU time of this process", round(cpu, 2), "s"),
        _row("floor: clone, SQL queries", clone_queries.queries, "queries"),
    ]
    for file_format, write in (("csv", design_csv), ("xlsx", design_xlsx)):
        content = write(source)
        read, apply, read_queries, apply_queries, cpu = _import(
            owner, f"design.{file_format}", content
        )
        total = read + apply
        label = file_format.upper()
        rows += [
            _row(
                f"{label} ({len(content) / 1024 / 1024:.1f} MB): read + preview",
                round(read, 2),
                "s",
            ),  # fmt: skip
            _row(f"{label}: apply (one revision)", round(apply, 2), "s"),
            _row(
                f"{label}: whole import of {ROLES:,} roles",
                round(total, 2),
                "s",
                "≤ 10 s",
                total <= 10,
            ),
            _row(f"{label}: whole import / clone floor", round(total / floor, 1), "×"),
            # The CPU time of this process (SQLite runs in it): what the import costs when the
            # shared machine's other work makes the seconds above wait for a core.
            _row(f"{label}: whole import, CPU time of this process", round(cpu, 2), "s"),
            # Inserts go in batches of as many rows as the database takes per statement (999
            # values on SQLite), so the count grows with the rows by one query per batch.
            _row(
                f"{label}: SQL queries (preview + apply, inserts batched)",
                read_queries + apply_queries,
                "queries",
            ),
        ]
    # The 2-core machine is shared: a load far above 2 stretches every time here (the floor
    # with it), which is why the ratio to the floor is reported next to the seconds.
    rows.append(
        _row(
            "load average (1 min) before / after",
            f"{load_before:.1f} / {os.getloadavg()[0]:.1f}",
            "",
        )  # fmt: skip
    )
    return rows
