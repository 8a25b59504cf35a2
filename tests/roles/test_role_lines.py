"""What a role's lines keep when a user edits them with both languages side by side
(`role_replace_lines`), and which edits touched one language only (`one_language_edits`)."""

import pytest
from django.core.exceptions import ValidationError

from roles.models import Role
from roles.services import role_update
from roles.services.role_lines import (
    LineRow,
    OneLanguageEdit,
    one_language_edits,
    role_lines_from_rows,
    role_replace_lines,
)
from teamorg.errors import StaleRevision
from tests.factories import RoleFactory
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def role(organization):
    role = RoleFactory(department__organization=organization, title_zh="客服主管")
    return role_update(
        role=role,
        title_en="Customer Service Lead",
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


def test_unchanged_lines_keep_their_origin_and_note_wherever_they_move(role):
    complaints, training = role.duties.order_by("order")
    role_replace_lines(
        role=role,
        lines_by_kind={
            "duties": [
                LineRow(training.pk, "培训新人", "Train newcomers"),
                LineRow(complaints.pk, "处理投诉", "Handle complaints"),
            ]
        },
    )
    assert _duties(role) == [
        ("培训新人", "Train newcomers", "fill", ""),
        ("处理投诉", "Handle complaints", "seed", "article 3"),
    ]


def test_a_line_edited_in_one_language_is_the_users_with_both_texts_as_posted(role):
    complaints, training = role.duties.order_by("order")
    role_replace_lines(
        role=role,
        lines_by_kind={
            "duties": [
                LineRow(complaints.pk, "处理投诉", "Handle complaints and refunds"),
                LineRow(None, "", " "),
            ]
        },
    )
    # Edited in English: both texts saved as posted, the origin now the user's, the note gone;
    # the emptied new row and the line left out are gone.
    assert _duties(role) == [("处理投诉", "Handle complaints and refunds", "user", "")]


def test_a_translation_added_to_a_line_is_saved(role):
    role_update(role=role, kpis=[{"text_zh": "", "text_en": "Refund rate < 2%", "origin": "seed"}])
    kpi = Role.objects.get(pk=role.pk).kpis.get()
    role_replace_lines(
        role=role, lines_by_kind={"kpis": [LineRow(kpi.pk, "退款率低于 2%", "Refund rate < 2%")]}
    )
    saved = Role.objects.get(pk=role.pk).kpis.get()
    assert (saved.text_zh, saved.text_en, saved.origin) == (
        "退款率低于 2%",
        "Refund rate < 2%",
        "user",
    )


def test_a_new_line_and_a_foreign_id_are_new_lines_of_the_user(role, organization):
    other = RoleFactory(department__organization=organization)
    foreign = role_update(role=other, kpis=[{"text_zh": "别人的", "origin": "seed"}]).kpis.get()
    lines = role_lines_from_rows(
        role=role,
        lines_by_kind={"kpis": [LineRow(None, "满意度", ""), LineRow(foreign.pk, "别人的", "")]},
    )
    assert lines == {
        "kpis": [
            {"text_zh": "满意度", "text_en": "", "origin": "user", "source_note": ""},
            {"text_zh": "别人的", "text_en": "", "origin": "user", "source_note": ""},
        ]
    }


def test_only_the_kinds_given_are_replaced(role):
    role_replace_lines(role=role, lines_by_kind={"duties": []})
    role = Role.objects.get(pk=role.pk)
    assert role.duties.count() == 0
    assert [(r.kind, r.text_en) for r in role.requirements.all()] == [("experience", "Two years")]


def test_a_requirement_keeps_or_changes_its_kind(role):
    requirement = role.requirements.get()
    role_replace_lines(
        role=role,
        lines_by_kind={
            "requirements": [LineRow(requirement.pk, "两年经验", "Two years", kind="education")]
        },
    )
    saved = Role.objects.get(pk=role.pk).requirements.get()
    assert (saved.kind, saved.text_zh, saved.text_en) == ("education", "两年经验", "Two years")


def test_a_requirement_without_a_known_kind_is_refused_and_nothing_changes(role, organization):
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        role_replace_lines(
            role=role,
            lines_by_kind={"requirements": [LineRow(None), LineRow(None, "本科", kind="x")]},
            expected_revision=_revision(organization),
        )
    assert refused.value.code == "invalid_choice"
    assert "requirement 2" in refused.value.messages[0]  # numbered as the form shows them
    assert database_snapshot() == before


def test_role_changes_and_lines_are_one_write(role, organization):
    before = _revision(organization)
    saved = role_replace_lines(
        role=role,
        lines_by_kind={"duties": [LineRow(None, "排班", "Rosters")]},
        expected_revision=before,
        role_changes={"title_zh": "客服经理", "salary_min": 6000},
    )
    assert (saved.title_zh, saved.salary_min) == ("客服经理", 6000)
    assert _duties(role) == [("排班", "Rosters", "user", "")]
    assert _revision(organization) == before + 1


def test_a_refused_role_change_leaves_the_lines_alone(role, organization):
    before = database_snapshot()
    with pytest.raises(ValidationError):
        role_replace_lines(
            role=role,
            lines_by_kind={"duties": [LineRow(None, "排班")]},
            role_changes={"salary_min": 9000, "salary_max": 6000},
        )
    assert database_snapshot() == before


def test_a_stale_revision_is_refused_and_nothing_changes(role, organization):
    stale = _revision(organization) - 1
    before = database_snapshot()
    with pytest.raises(StaleRevision):
        role_replace_lines(role=role, lines_by_kind={"duties": []}, expected_revision=stale)
    assert database_snapshot() == before


def test_one_language_edits_name_the_text_and_the_language_left_as_it_was(role):
    complaints, training = role.duties.order_by("order")
    edits = one_language_edits(
        role=role,
        role_changes={"title_zh": "客服主管", "title_en": "Customer Support Agent"},
        lines_by_kind={
            "duties": [
                LineRow(complaints.pk, "处理投诉", "Handle complaints and refunds"),
                LineRow(training.pk, "培训所有新人", "Train newcomers"),
                LineRow(None, "", "A new duty"),
            ]
        },
    )
    assert edits == [
        OneLanguageEdit("title", "en", "zh", old_text="客服主管"),
        OneLanguageEdit("duties", "en", "zh", count=1),
        OneLanguageEdit("duties", "zh", "en", count=1),
    ]


def test_edits_in_both_languages_or_into_an_empty_one_are_not_one_sided(role):
    complaints, _training = role.duties.order_by("order")
    role_update(role=role, summary_zh="", summary_en="")
    edits = one_language_edits(
        role=Role.objects.get(pk=role.pk),
        role_changes={
            "title_zh": "客服经理",
            "title_en": "Customer Service Manager",
            "summary_zh": "",
            "summary_en": "Leads the team",  # the Chinese summary was empty: nothing went stale
        },
        lines_by_kind={"duties": [LineRow(complaints.pk, "处理投诉和退款", "Complaints, refunds")]},
    )
    assert edits == []
