import re
from pathlib import Path

from django.conf import settings

CATALOG = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries(text: str) -> list[str]:
    return [block for block in text.split("\n\n") if "msgid" in block]


def test_the_chinese_catalog_is_complete():
    entries = _entries(CATALOG.read_text(encoding="utf-8"))
    assert len(entries) > 400
    fuzzy = [e for e in entries if re.search(r"^#,.*\bfuzzy\b", e, re.M)]
    empty = [
        e
        for e in entries[1:]  # the header has an empty msgid by design
        if re.search(r'^msgstr(\[\d+\])? ""$(?!\n")', e, re.M)
    ]
    assert fuzzy == []
    assert empty == []


def test_the_ui_speaks_chinese_by_default_and_english_on_request(signed_in):
    chinese = signed_in.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<h1>我的组织</h1>" in chinese and 'lang="zh-hans"' in chinese
    english = signed_in.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>My organizations</h1>" in english and 'lang="en"' in english


def test_the_language_choice_sticks(signed_in):
    response = signed_in.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = signed_in.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<h1>My organizations</h1>" in page
