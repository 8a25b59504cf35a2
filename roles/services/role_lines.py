"""Writes a role's ordered lines (duties, requirements, KPIs) as the editor shows them: each line
with its Chinese and English text side by side.

The editor posts the lines back as plain rows: the id of the line each row was (none for a new
one), its two texts and, for a requirement, its kind and whether it is preferred (优先). The rule
of what survives an edit lives here, not in the view:

- a line whose two texts the user left unchanged keeps its origin (a source article, TeamOrg's
  fill, the user) and its source note, wherever it moved, and whatever kind or preferred mark
  the user gave it (the origin is the text's);
- an edited line (either language) is the user's own: both texts are saved as posted, its origin
  becomes the user's and its source note is dropped;
- a row without text in either language is a removed line; a row with an id that is not one of
  this role's lines is a new line.

`one_language_edits()` reads, before the write, which texts the user changed in one language
while the other kept its old, non-empty text: the editor says so after saving, so that a renamed
English title never leaves a stale Chinese one unnoticed.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from departments.history.recording import design_write
from roles.models import Requirement, RequirementKind, Role
from roles.services.roles import LINE_MODELS, role_update
from teamorg.content import Origin
from teamorg.i18n import CONTENT_LANGUAGES

ROLE_TEXTS = ("title", "summary", "pay_note")  # the role's own bilingual texts


@dataclass(frozen=True)
class LineRow:
    """One line as the editor posts it, in the order shown."""

    id: int | None  # the line this row was, None for a new line
    text_zh: str = ""
    text_en: str = ""
    kind: str = ""  # a requirement's kind (`RequirementKind`); empty for other lines
    preferred: bool = False  # a requirement that is a nice-to-have (优先)

    def text(self, language: str) -> str:
        return getattr(self, f"text_{language}").strip()

    @property
    def is_blank(self) -> bool:
        return not any(self.text(language) for language in CONTENT_LANGUAGES)


@dataclass(frozen=True)
class OneLanguageEdit:
    """A text changed in `changed` only, while `unchanged` kept its old, non-empty text.

    `field` is a role text (`title`, `summary`, `pay_note`) or a line kind (`duties`, ...);
    for lines, `count` says how many lines of that kind."""

    field: str
    changed: str
    unchanged: str
    old_text: str = ""  # the unchanged language's text (role texts only)
    count: int = 1


def _texts(line) -> dict[str, str]:
    return {language: getattr(line, f"text_{language}") for language in CONTENT_LANGUAGES}


def role_lines_from_rows(
    *, role: Role, lines_by_kind: Mapping[str, Sequence[LineRow]]
) -> dict[str, list[dict[str, Any]]]:
    """The lines as `role_update` takes them (`{"duties": [{text_zh, text_en, origin,
    source_note}], "requirements": [... kind, preferred], ...}`), following the module's rule.

    Only the kinds given are replaced. A requirement without a known kind is refused."""
    kinds = set(RequirementKind.values)
    lines: dict[str, list[dict[str, Any]]] = {}
    for kind, rows in lines_by_kind.items():
        model = LINE_MODELS[kind]
        existing = {line.pk: line for line in model.objects.filter(role_id=role.pk)}
        built = []
        for number, row in enumerate(rows, start=1):
            if row.is_blank:
                continue  # an emptied line is a removed line
            texts = {language: row.text(language) for language in CONTENT_LANGUAGES}
            line = {f"text_{language}": text for language, text in texts.items()}
            line.update(origin=Origin.USER, source_note="")
            old = existing.get(row.id)
            if old is not None and texts == _texts(old):
                line.update(origin=old.origin, source_note=old.source_note)
            if model is Requirement:
                if row.kind not in kinds:
                    raise ValidationError(
                        _("Choose the kind of requirement %(n)s.") % {"n": number},
                        code="invalid_choice",
                    )
                line["kind"] = row.kind
                line["preferred"] = row.preferred
            built.append(line)
        lines[kind] = built
    return lines


def _one_sided(old: Mapping[str, str], new: Mapping[str, str]) -> tuple[str, str] | None:
    """(changed, unchanged) when exactly one language changed from a text it had while the
    other has old text."""
    changed = [language for language in CONTENT_LANGUAGES if new[language] != old[language]]
    if len(changed) != 1:
        return None
    (other,) = [language for language in CONTENT_LANGUAGES if language != changed[0]]
    if not old[other] or not old[changed[0]]:
        # Nothing was there to fall out of step, or a missing translation was added.
        return None
    return changed[0], other


def one_language_edits(
    *,
    role: Role,
    role_changes: Mapping[str, Any] | None = None,
    lines_by_kind: Mapping[str, Sequence[LineRow]] | None = None,
) -> list[OneLanguageEdit]:
    """What the user changed in one language only (read before the write). A new line, a
    removed line or a line whose other language was empty is no such edit."""
    edits = []
    changes = role_changes or {}
    for name in ROLE_TEXTS:
        columns = {language: f"{name}_{language}" for language in CONTENT_LANGUAGES}
        if not all(column in changes for column in columns.values()):
            continue
        old = {language: getattr(role, column) or "" for language, column in columns.items()}
        new = {language: (changes[column] or "").strip() for language, column in columns.items()}
        sides = _one_sided(old, new)
        if sides:
            edits.append(OneLanguageEdit(name, *sides, old_text=old[sides[1]]))
    for kind, rows in (lines_by_kind or {}).items():
        existing = {line.pk: line for line in LINE_MODELS[kind].objects.filter(role_id=role.pk)}
        counts: dict[tuple[str, str], int] = {}
        for row in rows:
            old = existing.get(row.id)
            if old is None or row.is_blank:
                continue
            sides = _one_sided(
                _texts(old), {language: row.text(language) for language in CONTENT_LANGUAGES}
            )
            if sides:
                counts[sides] = counts.get(sides, 0) + 1
        edits.extend(OneLanguageEdit(kind, *sides, count=n) for sides, n in counts.items())
    return edits


@design_write
def role_replace_lines(
    *,
    role: Role,
    lines_by_kind: Mapping[str, Sequence[LineRow]],
    expected_revision: int | None = None,
    role_changes: Mapping[str, Any] | None = None,
) -> Role:
    """Replace the role's lines of the kinds given with the edited rows (see the module's rule)
    and return the role as saved.

    The role form saves the role's own fields together with its lines: pass them as
    `role_changes` (what `role_update` takes: `department`, `title_zh`, `combinable_with`, ...),
    so that both are one write, with one revision, and a refusal of either changes nothing."""
    # Inside the write's transaction, so the lines compared are the lines replaced.
    lines = role_lines_from_rows(role=role, lines_by_kind=lines_by_kind)
    return role_update(
        role=role, expected_revision=expected_revision, **(role_changes or {}), **lines
    )
