"""Org charts: our chart time against bare `dot` on the same DOT source (the floor, same run), and
a cached request.

Targets: our overhead (reading the design, building DOT, the subprocess) at most 25 % over `dot`
itself, at 100 and 1,000 roles; a cached chart request under 20 ms. (The target was 15 % while
charts kept a per-process cache of compiled SQL; issue 12 removed it, since a value captured
instead of read froze one organization's id into another's query, and set 25 %.)

The machine running this is usually shared, so a single pair of timings says little: each round
times both sides back to back (in alternating order, so neither always runs second), the ratio is
taken per round, and the median ratio over the rounds is what is checked. Best-of times are
reported too, and the overhead in CPU time (ours plus dot's, against dot's), which other load on
the machine barely moves.

Measured as in production, with DEBUG off: with DEBUG on, Django logs every query and on SQLite
runs an extra query per query to quote its parameters for the log."""

import resource
import statistics
import subprocess
import time

from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import translation

from roles import charts
from tests.benchmarks.synthetic import bulk_design
from tests.factories import UserFactory

SIZES = (100, 1000)
ROUNDS = 21
OVERHEAD_TARGET = 0.25


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children (the dot runs)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(function, setup=None) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call."""
    if setup is not None:
        setup()
    cpu, start = _cpu(), time.perf_counter()
    function()
    return time.perf_counter() - start, _cpu() - cpu


def _rounds(ours, bare, setup) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """ROUNDS timings of each side, interleaved: round i runs ours then bare, round i + 1 bare
    then ours, so load from other processes hits both sides alike."""
    mine, floor = [], []
    for index in range(ROUNDS):
        if index % 2:
            floor.append(_timed(bare))
            mine.append(_timed(ours, setup))
        else:
            mine.append(_timed(ours, setup))
            floor.append(_timed(bare))
    return mine, floor


def _row(case: str, value: float, unit: str, target: str = "", ok: bool | None = None) -> dict:
    return {
        "benchmark": "chart",
        "case": case,
        "value": value,
        "unit": unit,
        "target": target,
        "ok": ok,
    }


def run() -> list[dict]:
    with override_settings(DEBUG=False):
        return _run()


def _run() -> list[dict]:
    owner = UserFactory(username="bench-charts-owner")
    rows = []
    charts.html_labels_expand_escapes()  # the once-per-process probe is not part of a chart
    with translation.override("zh-hans"):
        for size in SIZES:
            organization = bulk_design(roles=size, owner=owner, slug=f"bench-charts-{size}")
            for view in charts.VIEWS:
                options = charts.ChartOptions(view=view)
                source = charts.chart_source(organization, options).encode()
                key = charts.chart_cache_key(organization, options, "svg")

                def ours(organization=organization, options=options):
                    charts.chart_file(organization, options, "svg")

                def bare(source=source):
                    subprocess.run(["dot", "-Tsvg"], input=source, capture_output=True, check=True)

                def miss(key=key):
                    # Drawn every time: the cached entry is removed before the clock starts.
                    cache.delete(key, version=charts.CACHE_VERSION)

                miss(), ours(), bare()  # warm both
                mine, floor = _rounds(ours, bare, miss)
                wall = [a / b for (a, _), (b, _) in zip(mine, floor, strict=True)]
                overhead = statistics.median(wall) - 1
                best = min(a for a, _ in mine) / min(b for b, _ in floor) - 1
                cpu = sum(a for _, a in mine) / sum(b for _, b in floor) - 1
                case = f"{size} roles, {view} view, SVG"
                rows += [
                    _row(
                        f"{case}: bare dot (median)",
                        round(statistics.median(b for b, _ in floor), 4),
                        "s",
                        "floor",
                    ),
                    _row(
                        f"{case}: TeamOrg (median)",
                        round(statistics.median(a for a, _ in mine), 4),
                        "s",
                    ),
                    _row(f"{case}: overhead, best of {ROUNDS} each", round(best * 100, 1), "%"),
                    _row(f"{case}: overhead in CPU time", round(cpu * 100, 1), "%"),
                    _row(
                        f"{case}: overhead over dot (median of {ROUNDS} paired rounds)",
                        round(overhead * 100, 1),
                        "%",
                        f"≤ {OVERHEAD_TARGET:.0%}",
                        overhead <= OVERHEAD_TARGET,
                    ),
                ]
    client = Client()
    client.force_login(owner)
    url = "/orgs/bench-charts-1000/chart.svg?view=reporting"
    # The test client's host is "testserver"; the settings allow only real host names.
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        first = client.get(url)
        assert first.status_code == 200 and first.content.startswith(b"<?xml"), first.status_code
        timings = []
        for _round in range(ROUNDS):
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
            assert response.status_code == 200
    cached = statistics.median(timings)
    rows.append(
        _row(
            f"cached request (1,000 roles, SVG), median of {ROUNDS}",
            round(cached * 1000, 2),
            "ms",
            "< 20 ms",
            cached < 0.02,
        )
    )
    return rows
