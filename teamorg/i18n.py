"""Bilingual model content.

Every translatable text is stored as two plain columns, `<name>_zh` and `<name>_en`. A
`TranslatedField("<name>")` descriptor on the model reads the active language's column and falls
back to the other one, so templates and serializers write `role.title`.

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


def translated_value(instance, name: str, language: str | None = None) -> str:
    primary = content_language(language)
    fallback = "en" if primary == "zh" else "zh"
    return getattr(instance, f"{name}_{primary}") or getattr(instance, f"{name}_{fallback}") or ""


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
