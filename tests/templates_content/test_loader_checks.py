"""What the template loader refuses, on copies of the real specs: a reporting line to a manager
with nobody in a phase where the report has people (unless the spec marks the post as vacant on
purpose), a vacancy mark that is not true, a preferred mark that is not true or false,
function-line origins that do not match the lines or a blank function line, an overlong source
note. A refused spec
changes nothing in the database."""

import copy

import pytest
from django.core.exceptions import ValidationError

from departments.models import Organization
from roles.models import Role
from roles.services.template_loading import parse_spec, read_spec, template_load

pytestmark = pytest.mark.django_db


def spec_of(slug):
    return copy.deepcopy(read_spec(slug))


def role_in(spec, code):
    return next(item for item in spec["roles"] if item["code"] == code)


def refusal(spec) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        parse_spec(spec)
    return caught.value


def test_a_report_to_a_manager_with_nobody_in_the_phase_is_refused():
    spec = spec_of("direct-sales")
    del role_in(spec, "order-processor")["reports_to_vacant_in"]
    error = refusal(spec)
    assert error.code == "manager_unstaffed"
    message = error.messages[0]
    # names the role, the manager and the phase
    assert "'order-processor'" in message
    assert "'order-manager'" in message
    assert "'first-6-months'" in message


def test_the_check_counts_the_most_people_of_a_phase():
    spec = spec_of("startup")
    # 004: 「推广专员,内容专员、活动专员仅需向店长汇报工作即可」 - pointing them back at the
    # operations supervisor, who has nobody before maturity, is refused
    role_in(spec, "copywriter")["reports_to"] = "ops-supervisor"
    assert "'ops-supervisor', who has 0 people in phase 'growth'" in refusal(spec).messages[0]
    # a report with nobody in a phase needs no manager then
    spec = spec_of("startup")
    for target in role_in(spec, "data-analyst")["headcount"]:
        assert target["phase"] == "maturity" or target["max"] == 0


def test_a_marked_vacancy_is_accepted_and_must_be_true():
    spec = spec_of("direct-sales")
    parse_spec(spec)  # order-processor is marked for the first 6 months
    role_in(spec, "order-processor")["reports_to_vacant_in"] = ["first-6-months", "after-12-months"]
    error = refusal(spec)
    assert error.code == "vacancy_not_vacant"
    assert "'after-12-months'" in error.messages[0]


def test_a_vacancy_needs_someone_above_who_leads_the_team():
    # three roles of the cross-border spec: director → design lead → designer
    spec = spec_of("cross-border")
    spec["roles"] = [
        role_in(spec, code) for code in ("ecommerce-director", "design-lead", "designer")
    ]
    spec["collaborations"] = []
    for item in spec["roles"]:
        item["combinable_with"] = []
    parse_spec(spec)  # the director leads the designer while the design lead's post is empty
    for target in role_in(spec, "ecommerce-director")["headcount"]:
        if target["phase"] == "launch":
            target["min"] = target["max"] = 0
    error = refusal(spec)
    assert error.code == "manager_unstaffed"
    assert "nobody above it" in error.messages[0]


def test_a_vacancy_names_known_phases():
    spec = spec_of("cross-border")
    role_in(spec, "designer")["reports_to_vacant_in"] = ["someday"]
    assert "reports_to_vacant_in" in refusal(spec).messages[0]


def test_preferred_is_true_or_false():
    spec = spec_of("direct-sales")
    role_in(spec, "order-seat-rep")["requirements"][1]["preferred"] = "yes"
    message = refusal(spec).messages[0]
    assert "'order-seat-rep' requirements[1]" in message and "preferred" in message


def test_preferred_requirements_are_carried_in_the_plan():
    plan = parse_spec(spec_of("direct-sales"))
    spec_rows = {
        (item["code"], index + 1)
        for item in read_spec("direct-sales")["roles"]
        for index, line in enumerate(item["requirements"])
        if line.get("preferred")
    }
    # a requirement row: (order, zh, en, origin, source note, kind, preferred)
    planned = {
        (code, row[0])
        for code, rows in plan.lines["requirements"].items()
        for row in rows
        if row[6]
    }
    assert planned == spec_rows and len(spec_rows) >= 10


def test_a_blank_function_line_is_refused():
    spec = spec_of("cross-border")
    department = next(d for d in spec["departments"][0]["children"] if d["code"] == "rnd")
    department["functions"]["zh"][0] = " "
    assert "blank line" in refusal(spec).messages[0]


def test_function_origins_match_the_function_lines():
    spec = spec_of("cross-border")
    department = next(d for d in spec["departments"][0]["children"] if d["code"] == "rnd")
    department["functions_origin"] = department["functions_origin"][:-1]
    assert "functions_origin" in refusal(spec).messages[0]


def test_phases_and_function_lines_carry_their_origin():
    plan = parse_spec(spec_of("cross-border"))
    assert set(plan.phase_sources) == {"launch", "growth", "mature"}
    assert plan.phase_sources["growth"]["origin"] == "fill"
    assert plan.phase_sources["launch"]["source_note"].startswith("003 ")
    # 004 lists 研发部 with no functions of its own: they are fills, though the unit is seed
    assert {s["origin"] for s in plan.function_sources["rnd"]} == {"fill"}
    assert {s["origin"] for s in plan.function_sources["logistics"]} == {"seed"}


def test_an_overlong_source_note_is_refused_not_cut():
    spec = spec_of("platform")
    role_in(spec, "ceo")["source_note"] = "000 " + "x" * 400
    assert "source_note" in refusal(spec).messages[0]


def test_a_refused_spec_changes_nothing(loaded_templates):
    organization = Organization.objects.get(slug="direct-sales")
    revision = organization.revision
    spec = spec_of("direct-sales")
    role_in(spec, "ceo")["title"]["zh"] = "首席执行官"
    del role_in(spec, "order-verifier")["reports_to_vacant_in"]
    with pytest.raises(ValidationError):
        template_load(spec)
    organization.refresh_from_db()
    assert organization.revision == revision
    assert Role.objects.get(organization=organization, code="ceo").title_zh != "首席执行官"
