"""Bilingual texts in the editor's forms: each translatable text is edited as two inputs, Chinese
and English side by side, so that saving one language never leaves the other silently stale.

A form lists its texts (`BilingualText`) and gets one Django field per column (`title_zh`,
`title_en`), each with the length limit of the model's column — the limit is defined once, on
the model, and the API and the admin read the same one. `bilingual_rows()` gives the template
(`departments/editor/_bilingual_field.html`) the pairs in display order (the page's language
first) with a flag for a missing translation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db import models
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from teamorg.i18n import CONTENT_LANGUAGES, content_language

LANGUAGE_NAMES = {"zh": _("Chinese"), "en": _("English")}
HTML_LANG = {"zh": "zh-Hans", "en": "en"}


@dataclass(frozen=True)
class BilingualText:
    """One translatable text of a form: `name` is the model's field pair (`title` for
    `title_zh`/`title_en`); `required` means at least one of the two languages."""

    name: str
    label: str | Promise
    required: bool = False
    multiline: bool = False


def bilingual_form_fields(
    model: type[models.Model], texts: tuple[BilingualText, ...]
) -> dict[str, forms.Field]:
    """Two form fields per text, limited like the model's columns."""
    fields: dict[str, forms.Field] = {}
    for text in texts:
        for language in CONTENT_LANGUAGES:
            column = model._meta.get_field(f"{text.name}_{language}")
            attrs = {"lang": HTML_LANG[language], "data-language": language}
            widget = (
                forms.Textarea(attrs={"rows": 3, **attrs})
                if text.multiline
                else forms.TextInput(attrs=attrs)
            )
            fields[column.name] = forms.CharField(
                label=f"{text.label} · {LANGUAGE_NAMES[language]}",
                max_length=getattr(column, "max_length", None),
                required=False,
                strip=True,
                widget=widget,
            )
    return fields


class BilingualFormMixin:
    """For a `forms.Form` whose class sets `bilingual_model` and `bilingual_texts`."""

    bilingual_model: type[models.Model]
    bilingual_texts: tuple[BilingualText, ...] = ()

    @classmethod
    def bilingual_initial(cls, instance: models.Model) -> dict[str, str]:
        """The form's text columns as `instance` has them, for `initial=`."""
        return {
            f"{text.name}_{language}": getattr(instance, f"{text.name}_{language}")
            for text in cls.bilingual_texts
            for language in CONTENT_LANGUAGES
        }

    def add_bilingual_fields(self) -> None:
        """Call from `__init__` after `super().__init__()`: the text pairs come first."""
        pairs = bilingual_form_fields(self.bilingual_model, self.bilingual_texts)
        self.fields = {**pairs, **self.fields}

    def clean_bilingual(self, cleaned: dict) -> None:
        """Call from `clean()`: a required text needs at least one language."""
        active = content_language()
        for text in self.bilingual_texts:
            if not text.required:
                continue
            if not any(cleaned.get(f"{text.name}_{language}") for language in CONTENT_LANGUAGES):
                self.add_error(
                    f"{text.name}_{active}",
                    _("Fill it in at least one language."),
                )

    def one_language_notes(self, instance: models.Model) -> list[str]:
        """Call after `is_valid()` with `instance` as it was before the write: for each text the
        user changed in one language only while the other language had text, a note that the
        other language was left as it was (it would otherwise look unchanged in that view).
        A text whose two inputs were not both posted is left out."""
        notes = []
        for text in self.bilingual_texts:
            columns = {language: f"{text.name}_{language}" for language in CONTENT_LANGUAGES}
            if not all(self.add_prefix(column) in self.data for column in columns.values()):
                continue
            old = {lang: (getattr(instance, col) or "").strip() for lang, col in columns.items()}
            new = {lang: self.cleaned_data.get(col) or "" for lang, col in columns.items()}
            changed = [language for language in CONTENT_LANGUAGES if new[language] != old[language]]
            if len(changed) != 1:
                continue
            (unchanged,) = [language for language in CONTENT_LANGUAGES if language != changed[0]]
            if not old[unchanged] or not old[changed[0]]:
                # Nothing there to fall out of step (the other view shows the new text), or a
                # translation added where there was none: both now say what the user meant.
                continue
            notes.append(
                gettext(
                    "Only the %(changed)s text of “%(text)s” was changed; the %(unchanged)s "
                    "text is still “%(old)s”. Change it too if it should say the same."
                )
                % {
                    "changed": LANGUAGE_NAMES[changed[0]],
                    "unchanged": LANGUAGE_NAMES[unchanged],
                    "text": text.label,
                    "old": Truncator(old[unchanged]).chars(60),
                }
            )
        return notes

    def bilingual_rows(self) -> list[dict]:
        """Per text: its label, its two bound fields (the page's language first) and which
        language is missing while the other has text (the other view shows the fallback)."""
        active = content_language()
        order = (active, *(language for language in CONTENT_LANGUAGES if language != active))
        rows = []
        for text in self.bilingual_texts:
            bound = {language: self[f"{text.name}_{language}"] for language in order}
            values = {language: (bound[language].value() or "").strip() for language in order}
            missing = [
                language for language in order if not values[language] and any(values.values())
            ]
            rows.append(
                {
                    "name": text.name,
                    "label": text.label,
                    "required": text.required,
                    "multiline": text.multiline,
                    "fields": [
                        {
                            "language": language,
                            "language_name": LANGUAGE_NAMES[language],
                            "field": bound[language],
                            "missing": language in missing,
                        }
                        for language in order
                    ],
                }
            )
        return rows
