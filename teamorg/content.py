"""Fields shared by every piece of design content: where it came from."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from teamorg.limits import SHORT_TEXT_MAX_LENGTH


class Origin(models.TextChoices):
    USER = "user", _("Written by the user")
    SEED = "seed", _("From a source article")
    FILL = "fill", _("Filled in by TeamOrg where the articles are silent")


class SourcedContent(models.Model):
    """Template content says whether it is a seed fact or a fill, and from which passage."""

    origin = models.CharField(_("origin"), max_length=8, choices=Origin, default=Origin.USER)
    source_note = models.CharField(_("source note"), max_length=SHORT_TEXT_MAX_LENGTH, blank=True)

    class Meta:
        abstract = True


def line_source(origin: str, source_note: str = "") -> dict[str, str]:
    """Where one line of a one-per-line text comes from, as `LineOrigins` stores it."""
    return {"origin": origin, "source_note": source_note}


@deconstructible
class LineOrigins:
    """The shape of a per-line origin list (a JSON column): a list of
    `{"origin": <Origin>, "source_note": <at most SHORT_TEXT_MAX_LENGTH characters>}`, one per
    line of the text it describes. Whether the count matches the lines is the model's `clean()`
    to check: a field validator sees only its own value."""

    message = _("%(field)s: entry %(n)s must be {origin, source_note} with a known origin.")
    too_long = _("%(field)s: the source note of entry %(n)s is longer than %(limit)s characters.")
    # Not "invalid": the field would put its own message ("Value must be valid JSON.") in place.
    code = "invalid_line_origins"

    def __init__(self, field: str = "") -> None:
        self.field = field

    def __call__(self, value) -> None:
        name = capfirst(self.field)
        if not isinstance(value, list):
            raise ValidationError(self.message, code=self.code, params={"field": name, "n": 1})
        for number, entry in enumerate(value, start=1):
            params = {"field": name, "n": number, "limit": SHORT_TEXT_MAX_LENGTH}
            if (
                not isinstance(entry, dict)
                or set(entry) != {"origin", "source_note"}
                or entry["origin"] not in Origin.values
                or not isinstance(entry["source_note"], str)
            ):
                raise ValidationError(self.message, code=self.code, params=params)
            if len(entry["source_note"]) > SHORT_TEXT_MAX_LENGTH:
                raise ValidationError(self.too_long, code=self.code, params=params)

    def __eq__(self, other) -> bool:
        return isinstance(other, LineOrigins) and self.field == other.field


def text_lines(text: str | None) -> list[str]:
    """A one-per-line text as its lines: stripped, blank lines left out."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def line_pairs(text_zh: str | None, text_en: str | None) -> list[tuple[str, str]]:
    """The lines of a bilingual one-per-line text as (Chinese, English) pairs: line n of one
    language pairs with line n of the other, a language with fewer lines gives "" for the rest."""
    zh, en = text_lines(text_zh), text_lines(text_en)
    count = max(len(zh), len(en))
    return [(zh[n] if n < len(zh) else "", en[n] if n < len(en) else "") for n in range(count)]


def line_sources(
    text_zh: str | None, text_en: str | None, stored: list | None, origin: str
) -> list[dict[str, str]]:
    """{origin, source_note} of each line of a bilingual one-per-line text: the stored list
    when it has one entry per line, else (not recorded line by line) `origin` for every line."""
    count = len(line_pairs(text_zh, text_en))
    if stored and len(stored) == count:
        return [line_source(entry["origin"], entry["source_note"]) for entry in stored]
    return [line_source(origin) for _ in range(count)]
