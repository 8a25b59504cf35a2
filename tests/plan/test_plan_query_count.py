"""Rollups, roadmap and health checks read a design with a constant number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from departments.models import Organization
from roles.planning.compare import compare_designs
from roles.planning.health import organization_health
from roles.planning.plan import organization_plan
from tests.benchmarks.synthetic import bulk_design


def count_queries(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


def test_plan_and_health_queries_do_not_grow_with_the_design(user):
    small = Organization.objects.get(pk=bulk_design(roles=20, owner=user).pk)
    large = Organization.objects.get(pk=bulk_design(roles=600, owner=user).pk)
    # The health report reads one table more: the departments' own head count (issue 20).
    for read, most in ((organization_plan, 8), (organization_health, 9)):
        counts = [count_queries(lambda o=o, read=read: read(o)) for o in (small, large)]
        assert counts[0] == counts[1] <= most, (read.__name__, counts)
    counts = [count_queries(lambda o=o: compare_designs(small, o)) for o in (small, large)]
    assert counts[0] == counts[1] <= 16


def test_plan_pages_and_api_queries_do_not_grow_with_the_design(client, user):
    small = bulk_design(roles=20, owner=user)
    large = bulk_design(roles=400, owner=user)
    client.force_login(user)
    for name in ("plan", "health", "plan-csv", "api-plan", "api-health"):
        counts = [
            count_queries(lambda o=o, n=name: client.get(reverse(f"plan:{n}", args=[o.slug])))
            for o in (small, large)
        ]
        assert counts[0] == counts[1], (name, counts)
