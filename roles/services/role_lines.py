"""Writes a role's ordered lines (duties, requirements, KPIs) as a user edited them in one
language.

The editor shows each line in the active language and posts the lines back as plain rows: the id
of the line each row was (none for a new one), its text and, for a requirement, its kind. The
rule of what survives an edit lives here, not in the view:

- a line whose text the user left unchanged keeps everything: its text in the other language,
  its origin (a source article, TeamOrg's fill, the user) and its source note, wherever it moved;
- an edited line is the user's own: the new text goes to the active language's column, the
  other language's text is kept (the user may translate it later), its origin becomes the
  user's and its source note is dropped;
- a row without text is a removed line; a row with an id that is not one of this role's lines
  is a new line.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from roles.models import Requirement, RequirementKind, Role
from roles.services.roles import LINE_MODELS, role_update
from teamorg.content import Origin
from teamorg.i18n import CONTENT_LANGUAGES, translated_value


@dataclass(frozen=True)
class LineRow:
    """One line as the editor posts it, in the order shown."""

    id: int | None  # the line this row was, None for a new line
    text: str  # in the editing language
    kind: str = ""  # a requirement's kind (`RequirementKind`); empty for other lines


def _other_language(language: str) -> str:
    (other,) = [code for code in CONTENT_LANGUAGES if code != language]
    return other


def role_lines_from_rows(
    *, role: Role, lines_by_kind: Mapping[str, Sequence[LineRow]], language: str
) -> dict[str, list[dict[str, Any]]]:
    """The lines as `role_update` takes them (`{"duties": [{text_zh, text_en, origin,
    source_note}], "requirements": [... kind], ...}`), following the module's rule.

    Only the kinds given are replaced. A requirement without a known kind is refused."""
    other = _other_language(language)
    kinds = set(RequirementKind.values)
    lines: dict[str, list[dict[str, Any]]] = {}
    for kind, rows in lines_by_kind.items():
        model = LINE_MODELS[kind]
        existing = {line.pk: line for line in model.objects.filter(role_id=role.pk)}
        built = []
        for number, row in enumerate(rows, start=1):
            text = row.text.strip()
            if not text:
                continue  # an emptied line is a removed line
            line = {
                f"text_{language}": text,
                f"text_{other}": "",
                "origin": Origin.USER,
                "source_note": "",
            }
            old = existing.get(row.id)
            if old is not None:
                line[f"text_{other}"] = getattr(old, f"text_{other}")
                if text == translated_value(old, "text", language):
                    # Unchanged as the user saw it. When its own column was empty the user saw
                    # the other language's text (the fallback), and that is what is kept here.
                    line[f"text_{language}"] = getattr(old, f"text_{language}") or text
                    line.update(origin=old.origin, source_note=old.source_note)
            if model is Requirement:
                if row.kind not in kinds:
                    raise ValidationError(
                        _("Choose the kind of requirement %(n)s.") % {"n": number},
                        code="invalid_choice",
                    )
                line["kind"] = row.kind
            built.append(line)
        lines[kind] = built
    return lines


@transaction.atomic
def role_replace_lines(
    *,
    role: Role,
    lines_by_kind: Mapping[str, Sequence[LineRow]],
    language: str,
    expected_revision: int | None = None,
    role_changes: Mapping[str, Any] | None = None,
) -> Role:
    """Replace the role's lines of the kinds given with the edited rows (see the module's rule)
    and return the role as saved.

    The role form saves the role's own fields together with its lines: pass them as
    `role_changes` (what `role_update` takes: `department`, `title_zh`, `level`, ...), so that
    both are one write, with one revision, and a refusal of either changes nothing."""
    # Inside the write's transaction, so the lines compared are the lines replaced.
    lines = role_lines_from_rows(role=role, lines_by_kind=lines_by_kind, language=language)
    return role_update(
        role=role, expected_revision=expected_revision, **(role_changes or {}), **lines
    )
