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
