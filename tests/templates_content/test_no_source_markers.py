"""Where a template's text comes from is data (`origin`, `source_note`), never part of what a
user reads: no page, job description or export of a template shows "seed", "(fill)", "原文" /
"原图" or a seed file's name, and the loader refuses a spec that puts one in a text."""

import copy
import re

import pytest
from django.core.exceptions import ValidationError

from departments.models import Department, HeadcountPhase, Organization
from roles.models import KPI, Collaboration, Duty, Requirement, Role
from roles.services.template_loading import parse_spec, read_spec
from tests.conftest import TEMPLATE_SLUGS

pytestmark = pytest.mark.django_db

# Written out here, not imported from the loader: the test must catch a loader that lets one by.
MARKERS = re.compile(
    r"\bseed\b|[（(]\s*fill\s*[)）]|原文|原图|\b00[0-9]_[0-9a-f]{16}\b", re.IGNORECASE
)

# Every text a user reads, per model (both languages).
USER_TEXT = {
    Organization: ("name", "description"),
    HeadcountPhase: ("name",),
    Department: ("name", "summary", "functions"),
    Role: ("title", "summary", "pay_note"),
    Duty: ("text",),
    Requirement: ("text",),
    KPI: ("text",),
    Collaboration: ("description",),
}


def organization_filter(model, organization) -> dict:
    if model is Organization:
        return {"pk": organization.pk}
    if model in (Duty, Requirement, KPI):
        return {"role__organization": organization}
    return {"organization": organization}


@pytest.mark.parametrize("slug", TEMPLATE_SLUGS)
def test_no_user_facing_text_of_a_template_names_its_source(loaded_templates, slug):
    organization = Organization.objects.get(slug=slug)
    found = []
    for model, fields in USER_TEXT.items():
        columns = [f"{field}_{language}" for field in fields for language in ("zh", "en")]
        rows = model.objects.filter(**organization_filter(model, organization))
        for row in rows.values("pk", *columns):
            for column in columns:
                if MARKERS.search(row[column] or ""):
                    found.append((model.__name__, row["pk"], column, row[column]))
    assert found == []
    # The provenance itself is kept where it belongs.
    assert Role.objects.filter(organization=organization).exclude(source_note="").exists()


@pytest.mark.parametrize(
    "marked", ["底薪加提成（seed: 001 奖金和提成）", "Base plus commission (fill)", "原文为采购"]
)
def test_the_loader_refuses_a_text_with_a_source_marker(marked):
    spec = copy.deepcopy(read_spec("cross-border"))
    spec["roles"][0]["pay_note"] = {"zh": marked, "en": "Base plus commission"}
    with pytest.raises(ValidationError) as refused:
        parse_spec(spec)
    message = " ".join(refused.value.messages)
    assert "pay_note" in message and "source marker" in message
