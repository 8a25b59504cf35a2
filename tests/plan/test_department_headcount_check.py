"""The health check of issue 20: a department's head count (部门定编) against the sum of its
roles' head count, per phase, sub-departments' roles included, in both languages."""

from django.utils import translation

from departments.models import Organization
from departments.services import department_set_headcount
from roles.planning.health import organization_health
from tests.factories import department_path


def check(organization):
    report = organization_health(Organization.objects.get(pk=organization.pk))
    (result,) = [c for c in report.checks if c.code == "department_headcount"]
    return result


def test_no_department_head_count_means_nothing_to_check(organization, make_role):
    make_role("客服部", "客服专员", [(2, 2), (6, 6), (6, 6)])
    result = check(organization)
    assert not result.applies and result.findings == []


def test_a_mismatch_is_explained_per_phase_with_sub_departments_counted(
    organization, phases, make_role
):
    launch, growth, mature = phases
    manager = make_role("客服部", "客服部经理", [(1, 1), (1, 1), (1, 1)])
    make_role("客服部 > 客服运营组", "订购坐席代表", [(2, 2), (6, 6), (6, 6)], reports_to=manager)
    service = department_path(organization, "客服部")
    department_set_headcount(
        department=service,
        headcount=[
            {"phase": launch.pk, "min": 3, "max": 3},  # roles 3: the same, no finding
            {"phase": growth.pk, "min": 17, "max": 20},  # roles 7: fewer
            {"phase": mature.pk, "min": 5, "max": 5},  # roles 7: more
        ],
    )
    with translation.override("en"):
        result = check(organization)
    assert result.applies
    assert [(f.severity, f.node_id) for f in result.findings] == [
        ("info", service.pk),
        ("warning", service.pk),
    ]
    fewer, more = (f.message for f in result.findings)
    assert fewer == (
        "客服部, Growth: its roles add up to 7 people, fewer than its head count of 17–20."
    )
    assert more == "客服部, Maturity: its roles add up to 7 people, more than its head count of 5."
    assert "Department head count" in result.title


def test_overlapping_ranges_are_a_note(organization, phases, make_role):
    launch = phases[0]
    make_role("商品部", "文案策划员", [(2, 4), None, None])
    department_set_headcount(
        department=department_path(organization, "商品部"),
        headcount=[{"phase": launch.pk, "min": 3, "max": 5}],
    )
    with translation.override("en"):
        (finding,) = check(organization).findings
    assert finding.severity == "info"
    assert (
        finding.message == "商品部, Launch: its roles add up to 2–4 people; its head count is 3–5."
    )


def test_the_finding_reads_in_chinese_too(organization, phases, make_role):
    make_role("商品部", "文案策划员", [(5, 5), None, None])
    department_set_headcount(
        department=department_path(organization, "商品部"),
        headcount=[{"phase": phases[0].pk, "min": 3, "max": 3}],
    )
    with translation.override("zh-hans"):
        result = check(organization)
        (finding,) = result.findings
    # The catalog is the lead's to fill (issue 20); whatever it says, the finding names the
    # department, the phase and both numbers.
    for part in ("商品部", "启动期", "5", "3"):
        assert part in finding.message
    assert finding.severity_label in ("警告", "Warning")
