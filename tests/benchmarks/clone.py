"""Cloning a synthetic organization of 50, 500 and 5,000 roles: time and query count.

Target: the query count does not depend on the size; 5,000 roles in under 5 s on the 2-core
benchmark machine."""

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from roles.services import organization_clone
from tests.benchmarks.synthetic import bulk_design
from tests.factories import UserFactory

SIZES = (50, 500, 5000)


def run() -> list[dict]:
    owner = UserFactory(username="bench-clone-owner")
    rows, counts = [], []
    for size in SIZES:
        source = bulk_design(roles=size, owner=owner, slug=f"bench-clone-{size}")
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            organization_clone(source=source, owner=owner)
        seconds = time.perf_counter() - start
        counts.append(len(queries))
        rows.append(
            {
                "benchmark": "clone",
                "case": f"{size} roles",
                "value": round(seconds, 3),
                "unit": "s",
                "target": "< 5 s at 5,000 roles" if size == 5000 else "",
                "ok": seconds < 5 if size == 5000 else None,
            }
        )
        rows.append(
            {
                "benchmark": "clone",
                "case": f"{size} roles: SQL queries",
                "value": len(queries),
                "unit": "queries",
                "target": "same at every size",
                "ok": len(set(counts)) == 1,
            }
        )
    return rows
