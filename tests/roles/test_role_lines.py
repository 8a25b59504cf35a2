"""What a role's lines keep when a user edits them in one language (`role_replace_lines`)."""

import pytest
from django.core.exceptions import ValidationError

from roles.models import Role
from roles.services import role_update
from roles.services.role_lines import LineRow, role_lines_from_rows, role_replace_lines
from teamorg.errors import StaleRevision
from tests.factories import RoleFactory
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def role(organization):
    role = RoleFactory(department__organization=organization, title_zh="客服主管")
    return role_update(
        role=role,
        duties=[
            {
                "text_zh": "处理投诉",
                "text_en": "Handle complaints",
                "origin": "seed",
                "source_note": "article 3",
            },
            {"text_zh": "培训新人", "text_en": "Train newcomers", "origin": "fill"},
        ],
        requirements=[{"kind": "experience", "text_zh": "两年经验", "text_en": "Two years"}],
    )


def _duties(role):
    return [
        (d.text_zh, d.text_en, d.origin, d.source_note)
        for d in Role.objects.get(pk=role.pk).duties.all()
    ]


def _revision(organization):
    organization.refresh_from_db()
    return organization.revision


def test_unchanged_lines_keep_their_other_language_origin_and_note_wherever_they_move(role):
    complaints, training = role.duties.order_by("order")
    role_replace_lines(
        role=role,
        lines_by_kind={
            "duties": [LineRow(training.pk, "培训新人"), LineRow(complaints.pk, "处理投诉")]
        },
        language="zh",
    )
    assert _duties(role) == [
        ("培训新人", "Train newcomers", "fill", ""),
        ("处理投诉", "Handle complaints", "seed", "article 3"),
    ]


def test_an_edited_line_is_the_users_and_keeps_its_other_language(role):
    complaints, training = role.duties.order_by("order")
    role_replace_lines(
        role=role,
        lines_by_kind={
            "duties": [LineRow(complaints.pk, "Handle complaints and refunds"), LineRow(None, "")]
        },
        language="en",
    )
    # Edited in English: the English text is new, the Chinese kept, the origin now the user's;
    # the emptied new row and the line left out are gone.
    assert _duties(role) == [("处理投诉", "Handle complaints and refunds", "user", "")]


def test_a_new_line_and_a_foreign_id_are_the_users_in_the_editing_language(role, organization):
    other = RoleFactory(department__organization=organization)
    foreign = role_update(role=other, kpis=[{"text_zh": "别人的", "origin": "seed"}]).kpis.get()
    lines = role_lines_from_rows(
        role=role,
        lines_by_kind={"kpis": [LineRow(None, "满意度"), LineRow(foreign.pk, "别人的")]},
        language="zh",
    )
    assert lines == {
        "kpis": [
            {"text_zh": "满意度", "text_en": "", "origin": "user", "source_note": ""},
            {"text_zh": "别人的", "text_en": "", "origin": "user", "source_note": ""},
        ]
    }


def test_only_the_kinds_given_are_replaced(role):
    role_replace_lines(role=role, lines_by_kind={"duties": []}, language="zh")
    role = Role.objects.get(pk=role.pk)
    assert role.duties.count() == 0
    assert [(r.kind, r.text_en) for r in role.requirements.all()] == [("experience", "Two years")]


def test_a_requirement_keeps_or_changes_its_kind(role):
    requirement = role.requirements.get()
    role_replace_lines(
        role=role,
        lines_by_kind={"requirements": [LineRow(requirement.pk, "两年经验", kind="education")]},
        language="zh",
    )
    saved = Role.objects.get(pk=role.pk).requirements.get()
    assert (saved.kind, saved.text_zh, saved.text_en) == ("education", "两年经验", "Two years")


def test_a_requirement_without_a_known_kind_is_refused_and_nothing_changes(role, organization):
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        role_replace_lines(
            role=role,
            lines_by_kind={"requirements": [LineRow(None, ""), LineRow(None, "本科", kind="x")]},
            language="zh",
            expected_revision=_revision(organization),
        )
    assert refused.value.code == "invalid_choice"
    assert "requirement 2" in refused.value.messages[0]  # numbered as the form shows them
    assert database_snapshot() == before


def test_role_changes_and_lines_are_one_write(role, organization):
    before = _revision(organization)
    saved = role_replace_lines(
        role=role,
        lines_by_kind={"duties": [LineRow(None, "排班")]},
        language="zh",
        expected_revision=before,
        role_changes={"title_zh": "客服经理", "salary_min": 6000},
    )
    assert (saved.title_zh, saved.salary_min) == ("客服经理", 6000)
    assert _duties(role) == [("排班", "", "user", "")]
    assert _revision(organization) == before + 1


def test_a_refused_role_change_leaves_the_lines_alone(role, organization):
    before = database_snapshot()
    with pytest.raises(ValidationError):
        role_replace_lines(
            role=role,
            lines_by_kind={"duties": [LineRow(None, "排班")]},
            language="zh",
            role_changes={"salary_min": 9000, "salary_max": 6000},
        )
    assert database_snapshot() == before


def test_a_stale_revision_is_refused_and_nothing_changes(role, organization):
    stale = _revision(organization) - 1
    before = database_snapshot()
    with pytest.raises(StaleRevision):
        role_replace_lines(
            role=role, lines_by_kind={"duties": []}, language="zh", expected_revision=stale
        )
    assert database_snapshot() == before
