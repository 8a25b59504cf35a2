"""Head-count plan, health checks and their pages for synthetic designs of 100, 1,000 and 5,000
roles.

Measured: the plan (grid, rollups, cost, roadmap), the health checks, the plan page (both plus
two SVG plots, rendered: its first request for the design, cold, and the best of three), the CSV
and XLSX downloads (streamed: read to the last byte), the XLSX as the background job builds it,
and the query counts. The machine is shared: the load average is written at the start and the
end of the run. The floor is reading the same design with
`organization_design(..., with_lines=False)` (model instances) alone, in the same run: the ratio
says what the planning itself adds on top of loading the rows (the plan reads light rows
since issue 21, so the ratio may fall below 1).

Run alone: `.venv/bin/python -m tests.benchmarks.run plan`.
"""

import os
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from departments.models import Organization
from roles.exports.kinds import KINDS
from roles.planning import exports, plots
from roles.planning.data import plan_data
from roles.planning.health import organization_health
from roles.planning.plan import organization_plan
from roles.selectors import organization_design
from tests.benchmarks.synthetic import bulk_design
from tests.factories import UserFactory

SIZES = (100, 1000, 5000)
REPEAT = 3
TARGET_SECONDS = {100: 0.5, 1000: 1.0, 5000: 1.0}  # the plan page, whole request (issue 21)
XLSX_TARGET_SECONDS = 2.0  # the XLSX download at every size, whole request (issue 21)
RATIO_TARGET = 6.0  # plan + health over the bare design read
# Plan data 8, plus the departments' own head count the health report reads (issue 20).
QUERIES_TARGET = 9


def _best(action) -> float:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _cpu(action) -> float:
    """CPU seconds of this process (the test client serves the request in it): on a shared,
    overloaded machine the wall time is mostly waiting for a core; this is the work done."""
    start = time.process_time()
    action()
    return time.process_time() - start


def _load_average(when: str) -> dict:
    one, five, fifteen = os.getloadavg()
    return _row(f"load average (1/5/15 min) {when}, {os.cpu_count()} cores",
                f"{one:.1f} / {five:.1f} / {fifteen:.1f}", "")  # fmt: skip


def _queries(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


def _build_xlsx(organization) -> None:
    KINDS["plan_xlsx"].build(organization, {"lang": "zh-hans"}, lambda *_: None)


def _row(case, value, unit, target="", ok=None):
    return {"benchmark": "plan", "case": case, "value": value, "unit": unit, "target": target,
            "ok": ok}  # fmt: skip


def run() -> list[dict]:
    owner = UserFactory(username="bench-plan-owner")
    # The benchmark runs outside the test runner: use a host ALLOWED_HOSTS has by default.
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(owner)

    def get(url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
        if response.streaming:
            b"".join(response.streaming_content)  # a download counts once its last byte is out

    rows, query_counts = [_load_average("at the start")], []
    for size in SIZES:
        organization = Organization.objects.get(
            pk=bulk_design(roles=size, owner=owner, slug=f"bench-plan-{size}").pk
        )
        floor = _best(lambda o=organization: organization_design(o, with_lines=False))

        def plan_and_health(o=organization):
            data = plan_data(o)
            organization_plan(o, data)
            organization_health(o, data)

        both = _best(plan_and_health)
        plan = organization_plan(organization)
        svg = _best(lambda p=plan: plots.plan_svgs(p))
        url = reverse("plan:plan", args=[organization.slug])
        cold = _timed(lambda u=url: get(u))  # the page's first request for this design
        page = _best(lambda u=url: get(u))
        page_cpu = min(_cpu(lambda u=url: get(u)) for _ in range(REPEAT))
        floor_cpu = min(
            _cpu(lambda o=organization: organization_design(o, with_lines=False))
            for _ in range(REPEAT)
        )
        csv_time = _best(lambda o=organization: get(reverse("plan:plan-csv", args=[o.slug])))
        if exports.xlsx_waits_for_a_job(organization):
            raise RuntimeError(f"{size} roles: the XLSX would go to a background job")
        xlsx = _best(lambda o=organization: get(reverse("plan:plan-xlsx", args=[o.slug])))
        job = _best(lambda o=organization: _build_xlsx(o))
        queries = _queries(plan_and_health)
        query_counts.append(queries)
        ratio = both / floor
        rows += [
            _row(f"{size} roles: design read (floor)", round(floor, 3), "s"),
            _row(f"{size} roles: plan + health checks", round(both, 3), "s"),
            _row(f"{size} roles: plan + health / floor", round(ratio, 2), "×",
                 f"≤ {RATIO_TARGET}", ratio <= RATIO_TARGET),  # fmt: skip
            _row(f"{size} roles: two SVG plots", round(svg, 3), "s"),
            _row(f"{size} roles: plan page cold (first request)", round(cold, 3), "s",
                 f"≤ {TARGET_SECONDS[size]} s", cold <= TARGET_SECONDS[size]),  # fmt: skip
            _row(f"{size} roles: plan page (request, best of {REPEAT})", round(page, 3), "s",
                 f"≤ {TARGET_SECONDS[size]} s", page <= TARGET_SECONDS[size]),  # fmt: skip
            _row(f"{size} roles: plan page cold / floor", round(cold / floor, 1), "×"),
            _row(f"{size} roles: plan page, CPU time (best of {REPEAT})", round(page_cpu, 3), "s",
                 f"≤ {TARGET_SECONDS[size]} s", page_cpu <= TARGET_SECONDS[size]),
            _row(f"{size} roles: plan page CPU / floor CPU", round(page_cpu / floor_cpu, 1), "×"),
            _row(f"{size} roles: CSV download", round(csv_time, 3), "s"),
            _row(f"{size} roles: XLSX download (request)", round(xlsx, 3), "s",
                 f"≤ {XLSX_TARGET_SECONDS} s", xlsx <= XLSX_TARGET_SECONDS),
            _row(f"{size} roles: XLSX download / floor", round(xlsx / floor, 1), "×"),
            _row(f"{size} roles: XLSX as the background job builds it", round(job, 3), "s"),
            _row(f"{size} roles: SQL queries (plan + health)", queries, "queries",
                 f"same at every size, ≤ {QUERIES_TARGET}",
                 len(set(query_counts)) == 1 and queries <= QUERIES_TARGET),
        ]  # fmt: skip
    return [*rows, _load_average("at the end")]


if __name__ == "__main__":
    import sys

    from tests.benchmarks.run import main

    sys.exit(main(["plan"]))
