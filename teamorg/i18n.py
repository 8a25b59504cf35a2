"""Bilingual model content.

Every translatable text is stored as two plain columns, `<name>_zh` and `<name>_en`. A
`TranslatedField("<name>")` descriptor on the model reads the active language's column and falls
back to the other one, so templates and serializers write `role.title`.

Readers that work on rows rather than model instances (the API's JSON rows, charts, previews) use
the same fallback through `translated_text()`, so that the rule is written once: the text in the
content language, else the other language's text, else "".

Why not django-modeltranslation: it patches every model manager and rewrites lookups, which fights
django-mptt's TreeManager and hides from bulk inserts (clone) which columns are written. Two
explicit columns are visible in the schema, in the API and in SQL.
"""

from typing import NamedTuple

from django.utils import translation

CONTENT_LANGUAGES = ("zh", "en")


def content_language(language: str | None = None) -> str:
    """Map a Django language code (zh-hans, en-us, …) to a content column suffix."""
    code = (language or translation.get_language() or "zh-hans").lower()
    return "en" if code.startswith("en") else "zh"


def translated_columns(name: str) -> tuple[str, str]:
    """The two columns of bilingual field `name`: (`<name>_zh`, `<name>_en`)."""
    return f"{name}_zh", f"{name}_en"


def translated_text(zh: str | None, en: str | None, content: str) -> str:
    """The text in content language `content` ("zh" or "en", from `content_language()`), falling
    back to the other language's text, and to "" when both are empty.

    Takes the content language already resolved, because readers call it once per row of a
    design (tens of thousands of times for a large API tree)."""
    if content == "en":
        return en or zh or ""
    return zh or en or ""


class ShownText(NamedTuple):
    """A bilingual text as a reader shows it: `text` in `language` ("zh", "en", or "" when both
    are empty); `fell_back` when that is the other language because the asked one is empty
    (pages mark such text as not translated)."""

    text: str
    fell_back: bool
    language: str


def shown_text(zh: str | None, en: str | None, content: str) -> ShownText:
    """`translated_text()` that also says which language the text is in and whether it fell
    back: the one rule, with its outcome visible to the pages that mark untranslated text."""
    own, other = (en, zh) if content == "en" else (zh, en)
    if own:
        return ShownText(own, False, content)
    if other:
        return ShownText(other, True, "zh" if content == "en" else "en")
    return ShownText("", False, "")


def shown_value(instance, name: str, language: str | None = None) -> ShownText:
    """Bilingual field `name` of a model instance as `shown_text()` gives it."""
    zh, en = translated_columns(name)
    return shown_text(getattr(instance, zh), getattr(instance, en), content_language(language))


def translated_value(instance, name: str, language: str | None = None) -> str:
    """Bilingual field `name` of a model instance in `language` (default: the active one)."""
    zh, en = translated_columns(name)
    return translated_text(getattr(instance, zh), getattr(instance, en), content_language(language))


class TranslatedField:
    """Read-only attribute giving a bilingual field in the active language, with fallback."""

    def __init__(self, name: str):
        self.name = name

    def __set_name__(self, owner, attr_name):
        self.attr_name = attr_name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return translated_value(instance, self.name)
