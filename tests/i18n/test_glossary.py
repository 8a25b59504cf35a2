"""One word per concept (docs/glossary.md): the Chinese catalog and the templates use the
glossary's terms and none of the variants it rules out.

The rules are read from the glossary itself, so the document and the check cannot drift apart.
The catalog is parsed with polib (a dev dependency), not with a home-made .po reader.
"""

import json
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from tests.conftest import TEMPLATE_SLUGS

BASE = Path(settings.BASE_DIR)
CATALOG = BASE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
GLOSSARY = BASE / "docs" / "glossary.md"
TEMPLATES = BASE / "fixtures" / "templates"


def table(heading: str) -> list[list[str]]:
    """The rows of the first table under `## heading`, cells unescaped (`\\|` is a pipe)."""
    section = GLOSSARY.read_text(encoding="utf-8").split(f"## {heading}\n", 1)[1]
    rows = []
    for line in section.split("\n## ", 1)[0].splitlines():
        if not line.startswith("|") or set(line) <= set("|- "):
            continue
        cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
        rows.append([cell.strip().replace("\\|", "|").strip("`") for cell in cells])
    return rows[1:]  # without the header


def words(cell: str, separator: str) -> list[str]:
    return [word.strip() for word in cell.split(separator) if word.strip()]


TERMS = [
    {
        "concept": concept,
        "zh": words(zh, " / "),
        "not": words(variants, ","),
        "msgids": re.compile(pattern, re.IGNORECASE),
    }
    for concept, _en, zh, variants, pattern in table("Terms")
]
NEVER_ZH = [variant for variant, _use in table("Never in Chinese")]
NEVER_EN = [word for variants, _use in table("Never in English") for word in words(variants, " / ")]


def translations() -> list[tuple[str, str]]:
    """(msgid, every translated form) of the live entries of the catalog."""
    entries = []
    for entry in polib.pofile(str(CATALOG)):
        if entry.obsolete:
            continue
        forms = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for form in forms:
            if form:
                entries.append((entry.msgid, form))
    return entries


def without_placeholders(msgid: str) -> str:
    # %(name)s and {name} are filled in; {phase, min, max} spells out API fields
    return re.sub(r"%\([a-z_]+\)[sd]|\{[^}]*\}", " ", msgid)


def template_texts(slug: str):
    """(language, text) of every text a user reads in a template spec (not source notes)."""

    def walk(item):
        if isinstance(item, dict):
            for language in ("zh", "en"):
                value = item.get(language)
                values = value if isinstance(value, list) else [value]
                for text in values:
                    if isinstance(text, str):
                        yield language, text
            for key, value in item.items():
                if key not in ("zh", "en", "source_note"):
                    yield from walk(value)
        elif isinstance(item, list):
            for value in item:
                yield from walk(value)

    spec = json.loads((TEMPLATES / f"{slug}.json").read_text(encoding="utf-8"))
    yield from walk(spec)


def test_the_glossary_has_its_tables():
    assert len(TERMS) >= 15
    assert "招聘优先级" in NEVER_ZH and "answers for" in NEVER_EN
    assert all(term["zh"] for term in TERMS)


@pytest.mark.parametrize("term", TERMS, ids=lambda term: term["concept"][:40])
def test_the_catalog_uses_the_glossary_term(term):
    matched = [
        (msgid, form)
        for msgid, form in translations()
        if term["msgids"].search(without_placeholders(msgid))
    ]
    assert matched, f"no catalog message is about “{term['concept']}”: check the pattern"
    wrong = [
        (msgid, form)
        for msgid, form in matched
        if not any(word in form for word in term["zh"])
        or any(variant in form for variant in term["not"])
    ]
    assert wrong == [], f"use {' / '.join(term['zh'])}, never {', '.join(term['not'])}"


def test_the_catalog_never_uses_a_ruled_out_variant():
    wrong = [
        (msgid, form)
        for msgid, form in translations()
        if any(variant in form for variant in NEVER_ZH)
    ]
    assert wrong == []


@pytest.mark.parametrize("slug", TEMPLATE_SLUGS)
def test_the_templates_never_use_a_ruled_out_variant(slug):
    wrong = [
        (language, text)
        for language, text in template_texts(slug)
        if (language == "zh" and any(variant in text for variant in NEVER_ZH))
        or (language == "en" and any(variant in text.lower() for variant in NEVER_EN))
    ]
    assert wrong == []


def test_a_ruled_out_variant_is_caught():
    # The checks above would pass on an empty list too: show they see a wrong word.
    entry = polib.POEntry(msgid="Hiring priority", msgstr="招聘优先级")
    term = next(t for t in TERMS if t["concept"].startswith("order in which roles"))
    assert term["msgids"].search(entry.msgid)
    assert not any(word in entry.msgstr for word in term["zh"])
    assert any(variant in entry.msgstr for variant in NEVER_ZH)
    assert any(variant in "It answers for the targets" for variant in NEVER_EN)
