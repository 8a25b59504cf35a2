"""The history benchmark's parts at a small size: what `make bench` measures must be what it
says (a dropped trigger records nothing, triggers come back even after a failure, the restore
really returns the design), and must not leave the database without its triggers."""

import pytest

from departments.models import Organization, RowChange
from roles.services import organization_clone
from tests.benchmarks import history

pytestmark = pytest.mark.django_db


def test_dropped_triggers_record_nothing_and_come_back_after_a_failure(loaded_templates, user):
    organization = organization_clone(
        source=Organization.objects.get(slug="cross-border"), owner=user, slug="xb"
    )
    writes = history.Writes(organization)
    with pytest.raises(RuntimeError, match="inside"):
        with history.triggers_dropped():
            assert not history.triggers_installed()
            writes.title()
            raise RuntimeError("a failure inside")
    organization.refresh_from_db()
    unrecorded = organization.revision
    assert not RowChange.objects.filter(revision__number=unrecorded).exists()
    assert history.triggers_installed()

    writes.title()
    organization.refresh_from_db()
    recorded = RowChange.objects.get(
        revision__organization=organization, revision__number=organization.revision
    )
    assert recorded.changed_columns() == {"title_zh"}


def test_write_costs_report_both_timings_a_ratio_and_storage(loaded_templates, user):
    organization = organization_clone(
        source=Organization.objects.get(slug="cross-border"), owner=user, slug="xb"
    )
    rows = history.write_costs("template", organization, rounds=2)
    by_case = {row["case"]: row for row in rows}
    move = "template: role_move (another manager)"
    assert by_case[f"{move}, triggers dropped (median of 2 rounds of 3)"]["value"] > 0
    assert by_case[f"{move}, with history (median of 2 rounds of 3)"]["value"] > 0
    assert by_case[f"{move}, with / without"]["target"] == "≤ 1.3"
    # A move changes one reporting line and records where it placed the role, not the whole
    # reporting tree's shape.
    assert by_case[f"{move}: row changes per revision (old + new JSON)"]["value"] > 0
    shape_bytes = by_case[f"{move}: tree shapes per revision"]["value"]
    assert 0 < shape_bytes < organization.roles.count() * len("[1,2],")
    cell = "template: headcount_set (one cell)"
    assert by_case[f"{cell}: tree shapes per revision"]["value"] == 0
    assert history.triggers_installed()


def test_history_reads_count_the_same_queries_at_two_sizes(user):
    rows = history.history_reads(user, sizes=(20, 200))
    counts = [row for row in rows if row["case"].startswith("replay.rows_at")]
    counts = [row for row in counts if row["unit"] == "queries"]
    assert [row["case"].split(", ")[-1] for row in counts] == [
        "20 roles: SQL queries",
        "200 roles: SQL queries",
    ]
    assert counts[0]["value"] == counts[1]["value"]
    assert counts[1]["ok"] is True


def test_restore_after_twenty_edits_gives_back_the_tree(user):
    rows = history.restore_big_design(user, size=200)
    timing, same = rows
    assert "back over 20 edits" in timing["case"]
    assert same["value"] == "yes"
