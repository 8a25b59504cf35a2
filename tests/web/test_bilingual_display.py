"""Text shown in the other language because its own is empty is marked wherever a design is
shown: `teamorg.i18n.shown_text`, the `{% load bilingual %}` filters, the job description page
and PDF, the charter, the overview and the editor outlines."""

import pytest
from django.template import Context, Template
from django.utils import translation

from departments import services as department_services
from roles.services import role_update
from teamorg.i18n import ShownText, shown_text, translated_text
from tests.documents.support import pdf_text, squash


def _in_chinese(msgid: str) -> str:
    # The catalog gets the new strings at the end of the issue; until then the msgid shows.
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


MARK_ZH = _in_chinese("(not translated)")
TITLE_ZH = _in_chinese("not translated")


@pytest.mark.parametrize(
    ("zh", "en", "content", "expected"),
    [
        ("客服", "Service", "zh", ShownText("客服", False, "zh")),
        ("客服", "Service", "en", ShownText("Service", False, "en")),
        ("", "Service", "zh", ShownText("Service", True, "en")),
        ("客服", "", "en", ShownText("客服", True, "zh")),
        ("", None, "zh", ShownText("", False, "")),
    ],
)
def test_shown_text_says_which_language_and_whether_it_fell_back(zh, en, content, expected):
    assert shown_text(zh, en, content) == expected
    assert shown_text(zh, en, content).text == translated_text(zh, en, content)


def _render(source: str, **context) -> str:
    return Template("{% load bilingual %}" + source).render(Context(context))


def test_the_filter_marks_a_fallback_and_escapes_the_text(db, design):
    role = design["cs_lead"]
    role.title_zh, role.title_en = "", "<b>Lead</b>"
    with translation.override("zh-hans"):
        html = _render('{{ role|shown:"title" }}', role=role)
    assert (
        f'<span class="untranslated" lang="en" title="{TITLE_ZH}">&lt;b&gt;Lead&lt;/b&gt;</span>'
        in html
    )
    assert MARK_ZH in html
    with translation.override("en"):
        html = _render('{{ role|shown:"title" }}', role=role)
    assert html == "&lt;b&gt;Lead&lt;/b&gt;"  # its own language: plain text, no mark


def test_a_kpi_added_only_in_english_is_marked_in_the_chinese_job_description(signed_in, design):
    role = design["cs_lead"]
    role_update(
        role=role,
        kpis=[
            {"text_zh": "满意度 ≥ 95%", "text_en": "Satisfaction ≥ 95%"},
            {"text_zh": "", "text_en": "Refund rate under 2%"},
        ],
    )
    page = signed_in.get(
        f"/orgs/acme/roles/{role.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert (
        f'<span class="untranslated" lang="en" title="{TITLE_ZH}">Refund rate under 2%</span>'
        in page
    )
    assert page.count('class="untranslated-mark"') == 1  # the translated KPI is not marked
    english = signed_in.get(f"/orgs/acme/roles/{role.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "untranslated" not in english.content.decode().split("<main", 1)[-1]

    pdf = signed_in.get(f"/orgs/acme/roles/{role.pk}/jd.pdf", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = squash(pdf_text(pdf.content))
    assert squash("Refund rate under 2%") + squash(MARK_ZH) in text
    assert "满意度≥95%" in text


def test_overview_and_editor_outlines_mark_untranslated_names(signed_in, design):
    department_services.department_create(organization=design["organization"], name_zh="仓储部")
    role_update(role=design["marketing"], title_zh="")  # only "Marketing Director" left
    overview = signed_in.get("/orgs/acme/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert (
        f'<span class="untranslated" lang="en" title="{TITLE_ZH}">Marketing Director</span>'
        in overview
    )
    english = signed_in.get("/orgs/acme/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        '<span class="untranslated" lang="zh-Hans" title="not translated">仓储部</span>' in english
    )
    editor = signed_in.get("/orgs/acme/edit/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert (
        f'<span class="untranslated" lang="en" title="{TITLE_ZH}">Marketing Director</span>'
        in editor
    )


def test_the_charter_marks_untranslated_functions_and_summary(signed_in, design):
    department_services.department_update(
        department=design["service"],
        summary_en="Answers buyers",
        functions_en="Presales\nAftersales",
    )
    page = signed_in.get(
        f"/orgs/acme/departments/{design['service'].pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert f'<span class="untranslated" lang="en" title="{TITLE_ZH}">Answers buyers</span>' in page
    assert f'<ol class="lines untranslated" lang="en" title="{TITLE_ZH}"><li>Presales</li>' in page


def test_the_head_count_grid_marks_an_untranslated_role_title(signed_in, design):
    """The editor's grid names each role as the outlines do: a title typed only in English
    shows, marked, in the Chinese view."""
    role_update(role=design["marketing"], title_zh="")
    editor = signed_in.get("/orgs/acme/edit/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    grid = editor.split('id="headcount"', 1)[1].split("</section>", 1)[0]
    assert (
        f'<span class="untranslated" lang="en" title="{TITLE_ZH}">Marketing Director</span>' in grid
    )
    assert "客服主管</th>" in grid  # a translated title carries no mark
