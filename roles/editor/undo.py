"""Undo and redo in the editor: the toolbar's two buttons (and Ctrl+Z / Ctrl+Shift+Z, see
static/js/editor.js) and the endpoints they post to.

Undo takes back the user's own latest change, redo their latest undo
(`departments.history.restore`); each is a new revision, so the editor answers like any other
write: the fresh outlines, panels and chart, and the status line saying what was taken back. The
toolbar is a fragment of its own, fetched again whenever the design changes, so it is right after
every write wherever it came from (a form, the head-count grid, a drag).

A button's title says what it would take back. The history pages describe every kind of change
in full; here a short line is enough, read from the revision's own row changes: a role or
department added, deleted, renamed or moved, else the revision's number and time.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from departments.history.restore import redo, redoable, undo, undoable
from departments.models import Organization, Revision, RowChange
from roles.editor.decorators import editor_action, editor_fragment, form_and_action
from roles.editor.responses import changed
from teamorg.i18n import content_language

BAR_TEMPLATE = "departments/editor/_undo_bar.html"

# The trees whose rows a short description can name, with the column prefix of a node's name
# and of its parent.
_NAMED_TABLES = {
    "roles_role": ("title", "reports_to_id"),
    "departments_department": ("name", "parent_id"),
}


def _name(row: dict | None, prefix: str) -> str:
    row = row or {}
    active = row.get(f"{prefix}_{content_language()}") or ""
    return active or row.get(f"{prefix}_zh") or row.get(f"{prefix}_en") or ""


def _when(revision: Revision) -> str:
    return timezone.localtime(revision.created_at).strftime("%H:%M")


def describe(revision: Revision) -> str:
    """What `revision` did, in one short line."""
    changes = [c for c in revision.changes.all() if c.table in _NAMED_TABLES]
    # Lines, head count and lifted children change along with a node; the node tells the story.
    nodes = [c for c in changes if c.op in ("I", "D")]
    if len(nodes) == 1:
        return _node_added_or_deleted(nodes[0])
    if not nodes:
        renamed = [c for c in changes if _renamed(c)]
        if len(renamed) == 1:
            return _renamed_line(renamed[0])
        moved = [c for c in changes if _NAMED_TABLES[c.table][1] in c.changed_columns()]
        if len(moved) == 1 and not renamed:
            prefix = _NAMED_TABLES[moved[0].table][0]
            return _("moved %(name)s") % {"name": _name(moved[0].new, prefix)}
    return _("the change of revision %(number)s (%(time)s)") % {
        "number": revision.number,
        "time": _when(revision),
    }


def _renamed(change: RowChange) -> bool:
    prefix = _NAMED_TABLES[change.table][0]
    return change.op == "U" and any(c.startswith(f"{prefix}_") for c in change.changed_columns())


def _renamed_line(change: RowChange) -> str:
    prefix = _NAMED_TABLES[change.table][0]
    # The page's language first, but a rename in the other language only says that one.
    languages = sorted(
        (c for c in change.changed_columns() if c.startswith(f"{prefix}_")),
        key=lambda column: column != f"{prefix}_{content_language()}",
    )
    column = languages[0]
    return _("renamed %(old)s → %(new)s") % {
        "old": change.old.get(column) or _name(change.old, prefix),
        "new": change.new.get(column) or _name(change.new, prefix),
    }


def _node_added_or_deleted(change: RowChange) -> str:
    prefix = _NAMED_TABLES[change.table][0]
    if change.op == "I":
        return _("added %(name)s") % {"name": _name(change.new, prefix)}
    return _("deleted %(name)s") % {"name": _name(change.old, prefix)}


def _described(revision: Revision | None, *, redoing: bool = False) -> str:
    if revision is None:
        return ""
    # Redo offers an undo; what it brings back is the change that undo took back.
    if redoing and revision.reverts is not None:
        return describe(revision.reverts)
    return describe(revision)


def undo_bar_context(organization: Organization, user) -> dict:
    """The toolbar: what undo and redo would take back, if anything."""
    return {
        "organization": organization,
        "undo_what": _described(undoable(organization, user)),
        "redo_what": _described(redoable(organization, user), redoing=True),
    }


@editor_fragment
def _bar(request: HttpRequest, organization: Organization) -> HttpResponse:
    return render(request, BAR_TEMPLATE, undo_bar_context(organization, request.user))


def _kept_warnings(skipped: int) -> list[str]:
    if not skipped:
        return []
    return [
        ngettext(
            "%(count)s change was kept as it is: it was changed again since.",
            "%(count)s changes were kept as they are: they were changed again since.",
            skipped,
        )
        % {"count": skipped}
    ]


@editor_action
def _undo(request: HttpRequest, organization: Organization, revision: int) -> HttpResponse:
    what = _described(undoable(organization, request.user))
    now, skipped = undo(organization=organization, user=request.user, expected_revision=revision)
    message = _("Undid: %(what)s (revision %(revision)s).") % {
        "what": what,
        "revision": now.revision,
    }
    # The detail panel may show a role that is gone or changed back: it closes.
    return changed(request, organization, message, role_panel="", warnings=_kept_warnings(skipped))


@editor_action
def _redo(request: HttpRequest, organization: Organization, revision: int) -> HttpResponse:
    what = _described(redoable(organization, request.user), redoing=True)
    now, skipped = redo(organization=organization, user=request.user, expected_revision=revision)
    message = _("Redid: %(what)s (revision %(revision)s).") % {
        "what": what,
        "revision": now.revision,
    }
    return changed(request, organization, message, role_panel="", warnings=_kept_warnings(skipped))


# GET: the toolbar as it is now (the page fetches it after every write); POST: the action.
editor_undo = form_and_action(_bar, _undo)
editor_redo = form_and_action(_bar, _redo)
