"""What every template must hold, whatever its business model.

Each template's own seed facts (its departments, roles, numbers) live in its
`test_<slug>_facts.py`; the checks here run once per template.
"""

import pytest
from django.core.management import call_command

from departments.models import Department, HeadcountPhase, Organization
from roles.models import KPI, Collaboration, Duty, HeadcountTarget, Requirement, Role
from teamorg.trees import tree_integrity_errors
from tests.conftest import TEMPLATE_SLUGS

pytestmark = pytest.mark.django_db

# The articles a template's seed items may cite: a seed source note starts with its number.
SEED_ARTICLES = {
    "startup": {"000", "001", "002", "004"},
    "platform": {"000", "002"},
    "direct-sales": {"000", "001", "002"},
    "traditional-brand": {"000", "001", "002", "004"},
    "cross-border": {"003", "004"},
}

# The least each template holds: departments, roles, and all its sourced items together.
MINIMUM_SIZE = {
    "startup": {"items": 201},
    "platform": {"departments": 19, "roles": 45},
    "direct-sales": {"items": 301},
    "traditional-brand": {"departments": 20, "roles": 30},
    "cross-border": {"departments": 12, "roles": 25},
}


@pytest.fixture(params=TEMPLATE_SLUGS)
def org(request, loaded_templates):
    return Organization.objects.get(slug=request.param)


def sourced_items(org):
    return [
        *Department.objects.filter(organization=org),
        *Role.objects.filter(organization=org),
        *Duty.objects.filter(role__organization=org),
        *Requirement.objects.filter(role__organization=org),
        *KPI.objects.filter(role__organization=org),
        *HeadcountTarget.objects.filter(role__organization=org),
        *Collaboration.objects.filter(organization=org),
    ]


def test_is_a_template_of_its_business_model(org):
    assert org.is_template
    assert org.business_model == org.slug
    assert org.name_zh and org.name_en


def test_is_at_least_as_large_as_its_seeds(org):
    sizes = {
        "departments": Department.objects.filter(organization=org).count(),
        "roles": Role.objects.filter(organization=org).count(),
        "items": len(sourced_items(org)),
    }
    for kind, least in MINIMUM_SIZE[org.slug].items():
        assert sizes[kind] >= least, kind


def test_every_item_is_seed_or_fill_with_a_source_note(org):
    items = sourced_items(org)
    for item in items:
        label = f"{type(item).__name__} {item}"
        assert item.origin in ("seed", "fill"), label
        assert item.source_note, label
        assert item.source_note.startswith("fill:") == (item.origin == "fill"), label
    seeds = [item for item in items if item.origin == "seed"]
    assert all(item.source_note[:3] in SEED_ARTICLES[org.slug] for item in seeds)


def test_every_text_is_bilingual(org):
    phases = HeadcountPhase.objects.filter(organization=org)
    assert all(p.name_zh and p.name_en and p.description_zh and p.description_en for p in phases)
    for d in Department.objects.filter(organization=org):
        assert d.name_zh and d.name_en and d.summary_zh and d.summary_en, d.code
        # as many function lines in both languages, counted with and without blank lines
        zh = d.functions_zh.strip().splitlines()
        en = d.functions_en.strip().splitlines()
        assert zh and len(zh) == len(en), d.code
        zh = [x for x in zh if x.strip()]
        en = [x for x in en if x.strip()]
        assert zh and len(zh) == len(en), d.code
    for r in Role.objects.filter(organization=org):
        assert r.title_zh and r.title_en and r.summary_zh and r.summary_en, r.code
        assert r.duties.exists() and r.requirements.exists() and r.kpis.exists(), r.code
        assert bool(r.pay_note_zh) == bool(r.pay_note_en), r.code
    for model in (Duty, Requirement, KPI):
        assert not model.objects.filter(role__organization=org, text_zh="").exists()
        assert not model.objects.filter(role__organization=org, text_en="").exists()
    for c in Collaboration.objects.filter(organization=org):
        assert c.description_zh and c.description_en


def test_every_role_has_one_target_in_every_phase(org):
    phases = set(HeadcountPhase.objects.filter(organization=org).values_list("pk", flat=True))
    for r in Role.objects.filter(organization=org):
        targets = list(r.headcount.all())
        assert len(targets) == len(phases), r.code
        assert {t.phase_id for t in targets} == phases, r.code
        assert all(0 <= t.min_count <= t.max_count for t in targets), r.code


def test_the_trees_are_intact(org):
    assert tree_integrity_errors(Department, organization=org) == []
    assert tree_integrity_errors(Role, organization=org) == []


def test_reloading_the_spec_changes_nothing(org):
    # roles are listed depth-first, so the loader sees the same tree and leaves it alone
    revision = org.revision
    call_command("loadtemplates", org.slug, verbosity=0)
    org.refresh_from_db()
    assert org.revision == revision


def test_one_role_tops_the_reporting_tree(org):
    assert Role.objects.filter(organization=org, reports_to__isnull=True).count() == 1
