"""`manage.py prune_history`: the oldest history goes, what remains is still exact — the oldest
kept revision restores to the tree read then (sibling order included), anything before it is
refused — and bad input changes nothing."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from departments import services as department_services
from departments.history import replay, restore
from departments.history.prune import history_prune
from departments.history.recording import Actor, acting
from departments.models import Organization, Revision, RowChange, TreeShape
from roles import services as role_services
from roles.selectors.api_rows import organization_tree
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def tree(organization):
    data = organization_tree(Organization.objects.get(pk=organization.pk), both=True)
    data.pop("revision", None)
    return data


def fresh(organization):
    return Organization.objects.get(pk=organization.pk)


def revision_of(organization) -> int:
    return Organization.objects.get(pk=organization.pk).revision


def history_counts(organization) -> tuple[int, int, int]:
    return (
        Revision.objects.filter(organization=organization).count(),
        RowChange.objects.filter(revision__organization=organization).count(),
        TreeShape.objects.filter(organization=organization).count(),
    )


def build_with_history(organization) -> tuple[dict[int, dict], dict]:
    """Both trees built and reordered early (their shapes recorded early), then a run of title
    changes that reshape nothing, then a move. Returns the tree read after every revision, and
    the roles by title."""
    trees = {}

    def read():
        trees[revision_of(organization)] = tree(organization)

    ops = department_services.department_create(organization=organization, name_zh="运营中心")
    read()
    sales = department_services.department_create(organization=organization, name_zh="销售部")
    read()
    department_services.department_move(department=sales, target=ops, position="left")
    read()
    roles = {"总监": role_services.role_create(organization=organization, department=ops,
                                             title_zh="总监")}  # fmt: skip
    read()
    for title in ("甲", "乙", "丙"):
        roles[title] = role_services.role_create(
            organization=organization, department=sales, title_zh=title, reports_to=roles["总监"]
        )
        read()
    # Sibling order no longer follows the ids: only the tree shape knows it.
    role_services.role_move(role=roles["丙"], target=roles["甲"], position="left")
    read()
    for round_ in range(1, 5):
        role_services.role_update(role=roles["乙"], title_zh=f"乙{round_}")
        read()
    role_services.role_move(role=roles["丙"], target=roles["乙"], position="right")
    read()
    return trees, roles


def test_the_history_start_restores_exactly_and_older_revisions_are_refused(organization):
    trees, _roles = build_with_history(organization)
    numbers = sorted(trees)
    kept_from = numbers[-4]  # the last title changes and the last move stay
    start = kept_from - 1  # the design the oldest kept revision was made on
    # No tree changed at the start: its shapes were recorded earlier (the case that needs care).
    assert not TreeShape.objects.filter(organization=organization, number=start).exists()

    pruned = history_prune(organization=organization, keep_revisions=4)

    assert (pruned.kept_from, pruned.start) == (kept_from, start)
    assert replay.history_start(organization.pk) == start
    kept = Revision.objects.filter(organization=organization).values_list("number", flat=True)
    assert sorted(kept) == numbers[-4:]
    assert not TreeShape.objects.filter(organization=organization, number__lt=start).exists()

    for number in (start, kept_from, numbers[-2], numbers[-1]):
        restore.design_restore(organization=fresh(organization), number=number)
        assert tree(organization) == trees[number], number

    before = tree(organization), history_counts(organization)
    with pytest.raises(ValidationError) as refused:
        restore.design_restore(organization=fresh(organization), number=start - 1)
    assert refused.value.error_dict["revision"][0].code == "invalid"
    assert (tree(organization), history_counts(organization)) == before


def test_a_kept_change_can_still_be_undone(organization, user):
    with acting(Actor(user, "editor")):
        trees, roles = build_with_history(organization)
        history_prune(organization=organization, keep_revisions=1)
        restore.undo(organization=fresh(organization), user=user)
    assert tree(organization) == trees[sorted(trees)[-2]]


def test_prune_by_date_from_the_command_only_touches_the_named_organization(organization, user):
    trees, roles = build_with_history(organization)
    other = OrganizationFactory(owner=user, slug="other")
    department_services.department_create(organization=other, name_zh="别的部门")
    other_counts = history_counts(other)
    numbers = sorted(trees)
    cut = numbers[6]
    long_ago = timezone.make_aware(datetime.datetime(2024, 1, 10, 9, 0))
    old = Revision.objects.filter(organization=organization, number__lt=cut)
    old_count = old.update(created_at=long_ago)
    output = StringIO()

    with translation.override("en"):
        call_command("prune_history", before="2024-02-01", organization="acme", stdout=output)

    assert replay.history_start(organization.pk) == cut - 1
    assert f"acme: deleted {old_count} revisions" in output.getvalue()
    assert f"keeps revision {cut} on and starts at revision {cut - 1}." in output.getvalue()
    assert history_counts(other) == other_counts
    restore.design_restore(organization=fresh(organization), number=cut - 1)
    assert tree(organization) == trees[cut - 1]


def test_with_both_rules_a_revision_goes_only_when_both_allow_it(organization):
    trees, _roles = build_with_history(organization)
    numbers = sorted(trees)
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Revision.objects.filter(organization=organization).update(created_at=long_ago)
    with translation.override("en"):
        call_command("prune_history", before="2030-01-01", keep_revisions=5, stdout=StringIO())
    kept = Revision.objects.filter(organization=organization).values_list("number", flat=True)
    assert sorted(kept) == numbers[-5:]


def test_dry_run_says_what_would_go_and_deletes_nothing(organization):
    trees, _roles = build_with_history(organization)
    counts, start = history_counts(organization), replay.history_start(organization.pk)
    output = StringIO()
    with translation.override("en"):
        call_command("prune_history", keep_revisions=3, dry_run=True, stdout=output)
    assert history_counts(organization) == counts
    assert replay.history_start(organization.pk) == start
    kept_from = sorted(trees)[-3]
    assert f"would keep revision {kept_from} on and start at revision {kept_from - 1}." in (
        output.getvalue()
    )


def test_nothing_to_prune_is_said_and_changes_nothing(organization):
    build_with_history(organization)
    counts = history_counts(organization)
    output = StringIO()
    with translation.override("en"):
        call_command("prune_history", keep_revisions=1000, organization="acme", stdout=output)
    assert output.getvalue().strip() == "acme: nothing to prune."
    assert history_counts(organization) == counts


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "Say what to prune"),
        ({"before": "2024-13-01"}, "not “2024-13-01”"),
        ({"before": "yesterday"}, "YYYY-MM-DD"),
        ({"keep_revisions": 0}, "at least 1"),
        ({"keep_revisions": 2, "organization": "nobody"}, "no organization “nobody”"),
    ],
)
def test_bad_input_is_refused_clearly_and_changes_nothing(organization, options, message):
    build_with_history(organization)
    counts = history_counts(organization)
    with translation.override("en"), pytest.raises(CommandError, match=message):
        call_command("prune_history", stdout=StringIO(), **options)
    assert history_counts(organization) == counts
