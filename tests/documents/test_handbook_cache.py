"""The handbook's part cache (roles.documents.handbook): the chart pages are drawn again only when
the chart they show changed, never served to another organization, and the cache in files is
pruned by age and size, the parts used longest ago first. Real Graphviz and WeasyPrint; the
Graphviz runs are counted by wrapping the real function."""

import os
import time
from pathlib import Path

import pytest
from django.utils import translation

from roles import services as role_services
from roles.documents import handbook as assembly
from tests.documents.support import pdf_pages, sample_design
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def part_cache_dir(settings, tmp_path):
    settings.TEAMORG_HANDBOOK_CACHE_DIR = str(tmp_path / "parts")
    return Path(settings.TEAMORG_HANDBOOK_CACHE_DIR)


@pytest.fixture
def chart_drawings(monkeypatch):
    """How many times the chart pages were laid out with Graphviz (the real function runs)."""
    calls = []
    real = assembly.handbook_chart_pages

    def counted(design):
        calls.append(design.organization.pk)
        return real(design)

    monkeypatch.setattr(assembly, "handbook_chart_pages", counted)
    return calls


def _assemble(organization, **options):
    with translation.override("en"):
        return assembly.assemble_handbook(organization, workers=1, **options)


def test_the_chart_is_drawn_again_only_when_what_it_shows_changed(
    organization, part_cache_dir, chart_drawings
):
    sample = sample_design(organization)
    first = _assemble(sample.organization)
    assert chart_drawings == [sample.organization.pk] and "chart" in first.rendered

    # A summary is not on the chart: no Graphviz, the chart pages come from the cache.
    role_services.role_update(role=sample.agent, summary_en="Answers every chat at once.")
    sample.organization.refresh_from_db()
    second = _assemble(sample.organization)
    assert len(chart_drawings) == 1
    assert sorted(second.rendered) == ["chapter", "cover"]
    assert pdf_pages(second.content)[1] == pdf_pages(first.content)[1]

    # A role's title is on the chart: drawn again, and the page shows the new title.
    role_services.role_update(role=sample.agent, title_en="Chat Agent")
    sample.organization.refresh_from_db()
    third = _assemble(sample.organization)
    assert len(chart_drawings) == 2 and "chart" in third.rendered
    assert "Chat Agent" in pdf_pages(third.content)[1]

    # Without the part cache (a cold build) the chart is always drawn.
    _assemble(sample.organization, use_part_cache=False)
    assert len(chart_drawings) == 3


def test_an_identical_chart_of_another_organization_is_drawn_for_it(
    organization, user, part_cache_dir, chart_drawings
):
    sample = sample_design(organization)
    twin = sample_design(
        OrganizationFactory(
            owner=user,
            slug="twin",
            name_zh=organization.name_zh,
            name_en=organization.name_en,
        )
    )
    _assemble(sample.organization)
    built = _assemble(twin.organization)

    assert chart_drawings == [sample.organization.pk, twin.organization.pk]
    assert "chart" in built.rendered


def _cache_file(directory: Path, name: str, size: int, age_days: float, now: float) -> Path:
    path = directory / f"{name}.djcache"
    path.write_bytes(b"x" * size)
    used = now - age_days * 24 * 60 * 60
    os.utime(path, (used, used))
    return path


def test_pruning_drops_old_parts_then_the_least_recently_used_down_to_the_size_bound(tmp_path):
    now = time.time()
    stale = _cache_file(tmp_path, "stale", 100, age_days=40, now=now)
    old = _cache_file(tmp_path, "old", 400, age_days=3, now=now)
    recent = _cache_file(tmp_path, "recent", 400, age_days=1, now=now)
    fresh = _cache_file(tmp_path, "fresh", 400, age_days=0, now=now)
    other = tmp_path / "not-a-part.txt"
    other.write_text("kept")

    deleted, left = assembly.prune_part_cache(
        tmp_path, max_bytes=1000, max_age_seconds=30 * 24 * 60 * 60, now=now
    )

    assert deleted == 2 and left == 800
    assert not stale.exists() and not old.exists()
    assert recent.exists() and fresh.exists() and other.exists()


def test_settings_bound_the_cache_and_a_handbook_keeps_the_parts_it_uses(
    organization, part_cache_dir, settings
):
    sample = sample_design(organization)
    _assemble(sample.organization)
    parts = sorted(part_cache_dir.glob("*.djcache"))
    long_ago = time.time() - 60 * 24 * 60 * 60
    for path in parts:
        os.utime(path, (long_ago, long_ago))

    # Every part served from the cache is marked as used: pruning by age keeps them all.
    again = _assemble(sample.organization)
    assert again.rendered == []
    settings.TEAMORG_HANDBOOK_CACHE_MAX_DAYS = 30
    settings.TEAMORG_HANDBOOK_CACHE_MAX_MB = 100
    assert assembly.prune_part_cache(part_cache_dir)[0] == 0

    # A bound smaller than one part leaves nothing.
    settings.TEAMORG_HANDBOOK_CACHE_MAX_MB = 0.000001
    deleted, left = assembly.prune_part_cache(part_cache_dir)
    assert deleted == len(parts) and left == 0
