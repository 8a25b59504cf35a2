"""A revision's row changes as lines people read: "moved 客服部 under 运营中心", "head count of
运营专员 in 成长期: 2–3 → 3–5", "运营专员: duty added: …".

Lines are made when the page is rendered, in the language the page is shown in, from the
changes as the triggers recorded them (or as `compare` derives them from two revisions). Names
of the rows a change is about come from the change itself; names of the rows it refers to (a
manager, a department, a phase, a member) are read once for a whole page by `Names`.

The services replace a role's lines and head count wholesale (delete, then insert), so a role
form saved with one new duty records every duty deleted and inserted again. The lines net such
pairs out: a duty deleted and inserted with the same text is no change, a head-count target
deleted and inserted with the same counts is none either.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.history.tracking import tracked
from departments.models import (
    Department,
    DepartmentHeadcount,
    HeadcountPhase,
    MemberRole,
    RowChange,
)
from roles.models import KPI, Duty, HeadcountTarget, Requirement, Role
from teamorg.i18n import content_language, translated_text

ORGANIZATIONS = "departments_organization"
MEMBERSHIPS = "departments_membership"
PHASES = HeadcountPhase._meta.db_table
DEPARTMENTS = Department._meta.db_table
ROLES = Role._meta.db_table
HEADCOUNT = HeadcountTarget._meta.db_table
DEPARTMENT_HEADCOUNT = DepartmentHeadcount._meta.db_table
COMBINABLE = Role.combinable_with.through._meta.db_table
COLLABORATIONS = "roles_collaboration"
USERS = "users"  # not a tracked table: the people memberships name
ROLE_LINE_TABLES = {
    Duty._meta.db_table: (gettext_lazy("duty"), gettext_lazy("duties")),
    Requirement._meta.db_table: (gettext_lazy("requirement"), gettext_lazy("requirements")),
    KPI._meta.db_table: (gettext_lazy("KPI"), gettext_lazy("KPIs")),
}

# Which table a referring column points at (the column names are unique across the tracked
# tables, so the column alone says it).
REFERENCES = {
    "parent_id": DEPARTMENTS,
    "department_id": DEPARTMENTS,
    "from_department_id": DEPARTMENTS,
    "to_department_id": DEPARTMENTS,
    "reports_to_id": ROLES,
    "role_id": ROLES,
    "from_role_id": ROLES,
    "to_role_id": ROLES,
    "phase_id": PHASES,
    "user_id": USERS,
}
NAME_COLUMN = {DEPARTMENTS: "name", ROLES: "title", PHASES: "name", ORGANIZATIONS: "name"}
# Texts long enough that a line says only that they changed.
DESCRIBED_TEXTS = {
    "summary": gettext_lazy("summary"),
    "description": gettext_lazy("description"),
    "functions": gettext_lazy("functions"),
    "pay_note": gettext_lazy("pay note"),
}
# Bookkeeping a person did not choose: where a text came from changes with the text itself
# (a department's function lines too).
QUIET_COLUMNS = {"id", "origin", "functions_origin", "organization_id", "created_at"}
TEXT_LIMIT = 60


@dataclass(frozen=True)
class Change:
    """One row inserted (`I`), updated (`U`) or deleted (`D`): a `RowChange`, or one that
    comparing two revisions found."""

    table: str
    row_id: int
    op: str
    old: dict | None
    new: dict | None

    @classmethod
    def of(cls, change: RowChange) -> Change:
        # A side the operation has is a dict even when nothing was recorded in it, so that a
        # change recorded without its columns reads as a line without names, not an error.
        old = None if change.op == "I" else change.old or {}
        new = None if change.op == "D" else change.new or {}
        return cls(change.table, change.row_id, change.op, old, new)

    @property
    def row(self) -> dict:
        """The row as it is after the change (before it, for a delete)."""
        return self.new if self.new is not None else self.old or {}

    def changed_columns(self) -> set[str]:
        if self.op != "U":
            return set(self.row)
        return {name for name, value in self.new.items() if self.old.get(name) != value}


def short(text: str | None) -> str:
    return Truncator(text or "").chars(TEXT_LIMIT)


def text_of(row: dict | None, name: str) -> str:
    """Bilingual text `name` of a row in the page's language, else the other one."""
    row = row or {}
    return translated_text(row.get(f"{name}_zh"), row.get(f"{name}_en"), content_language())


class Names:
    """The names of the departments, roles, phases and people that a page's changes refer to:
    one query per table for the rows as they are now, and one for rows deleted since (their
    newest recorded change), whatever the number of changes."""

    def __init__(self, organization_id: int, changes: Iterable[Change]):
        self.organization_id = organization_id
        wanted: dict[str, set[int]] = defaultdict(set)
        for change in changes:
            for row in (change.old, change.new):
                for column, value in (row or {}).items():
                    if value is not None and column in REFERENCES:
                        wanted[REFERENCES[column]].add(int(value))
        self.rows: dict[str, dict[int, dict]] = {table: {} for table in (*NAME_COLUMN, USERS)}
        self._read_current(wanted)
        self._read_deleted(wanted)

    def _read_current(self, wanted: dict[str, set[int]]) -> None:
        readers = {
            DEPARTMENTS: (Department, ("name_zh", "name_en")),
            ROLES: (Role, ("title_zh", "title_en")),
            PHASES: (HeadcountPhase, ("name_zh", "name_en")),
        }
        for table, (model, columns) in readers.items():
            if wanted.get(table):
                found = model.objects.filter(
                    organization_id=self.organization_id, pk__in=wanted[table]
                ).values("pk", *columns)
                self.rows[table] = {row["pk"]: row for row in found}
        if wanted.get(USERS):
            people = get_user_model().objects.filter(pk__in=wanted[USERS])
            self.rows[USERS] = {
                person.pk: {"name": person.get_full_name() or person.get_username()}
                for person in people
            }

    def _read_deleted(self, wanted: dict[str, set[int]]) -> None:
        missing = Q()
        for table in (DEPARTMENTS, ROLES, PHASES):
            gone = wanted.get(table, set()) - self.rows[table].keys()
            if gone:
                missing |= Q(table=table, row_id__in=gone)
        if not missing:
            return
        newest = (
            RowChange.objects.filter(missing, revision__organization_id=self.organization_id)
            .order_by("-revision__number", "-id")
            .values_list("table", "row_id", "old", "new")
        )
        for table, row_id, old, new in newest:
            self.rows[table].setdefault(row_id, new if new is not None else old or {})

    def of(self, table: str, row_id: int | None) -> str:
        if row_id is None:
            return ""
        row = self.rows.get(table, {}).get(int(row_id))
        if row is None:
            return _("#%(id)s (deleted)") % {"id": row_id}
        if table == USERS:
            return row["name"]
        return text_of(row, NAME_COLUMN[table]) or f"#{row_id}"

    def department(self, row_id: int | None) -> str:
        return self.of(DEPARTMENTS, row_id)

    def role(self, row_id: int | None) -> str:
        return self.of(ROLES, row_id)

    def phase(self, row_id: int | None) -> str:
        return self.of(PHASES, row_id)

    def person(self, row_id: int | None) -> str:
        return self.of(USERS, row_id)


def change_lines(
    changes: Iterable[Change], names: Names, *, reshaped: Iterable[str] = ()
) -> list[str]:
    """What `changes` (one revision's, or the net change between two) did, as lines in the
    active language. `reshaped` names the trees whose order changed (a sibling move records no
    column change)."""
    by_table: dict[str, list[Change]] = defaultdict(list)
    for change in changes:
        by_table[change.table].append(change)
    # A role added or deleted is one line; its own lines and head count go with it.
    whole_roles = {c.row_id for c in by_table[ROLES] if c.op != "U"}
    deleted_phases = {c.row_id for c in by_table[PHASES] if c.op == "D"}
    lines: list[str] = []
    lines += _organization_lines(by_table[ORGANIZATIONS])
    lines += _phase_lines(by_table[PHASES])
    lines += _department_lines(by_table[DEPARTMENTS], names)
    whole_departments = {c.row_id for c in by_table[DEPARTMENTS] if c.op != "U"}
    lines += _department_headcount_lines(
        by_table[DEPARTMENT_HEADCOUNT], names, whole_departments, deleted_phases
    )
    lines += _role_lines(by_table[ROLES], names)
    for table in ROLE_LINE_TABLES:
        lines += _role_line_lines(table, by_table[table], names, skip=whole_roles)
    lines += _headcount_lines(by_table[HEADCOUNT], names, whole_roles, deleted_phases)
    lines += _combinable_lines(by_table[COMBINABLE], names, whole_roles)
    lines += _collaboration_lines(by_table[COLLABORATIONS], names)
    lines += _membership_lines(by_table[MEMBERSHIPS], names)
    for table, label in ((DEPARTMENTS, _("departments")), (ROLES, _("roles"))):
        parent = tracked(table).tree_parent
        if table in reshaped and not any(
            c.op != "U" or parent in c.changed_columns() for c in by_table[table]
        ):
            lines.append(_("changed the order of the %(things)s") % {"things": label})
    return lines


# --- values ------------------------------------------------------------------------------------


def _field(table: str, column: str):
    for model_field in tracked(table).model._meta.concrete_fields:
        if model_field.column == column:
            return model_field
    return None


def _value(table: str, column: str, value) -> str:
    if value is None or value == "":
        return "—"
    model_field = _field(table, column)
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return short(str(value))


def _bilingual_names(columns: set[str]) -> set[str]:
    return {column[:-3] for column in columns if column.endswith(("_zh", "_en"))}


def _rename(change: Change, name: str) -> tuple[str, str] | None:
    """(old, new) of bilingual text `name` when it changed: in the page's language, or in the
    other one when only that changed."""
    old, new = text_of(change.old, name), text_of(change.new, name)
    if old != new:
        return old, new
    for language in ("zh", "en"):
        column = f"{name}_{language}"
        if change.old.get(column) != change.new.get(column):
            return change.old.get(column) or "—", change.new.get(column) or "—"
    return None


def _field_lines(change: Change, subject: str, handled: set[str]) -> list[str]:
    """Lines for the columns of an update that no specific line covered."""
    lines = []
    columns = change.changed_columns() - handled - QUIET_COLUMNS
    for name in sorted(_bilingual_names(columns)):
        columns -= {f"{name}_zh", f"{name}_en"}
        label = DESCRIBED_TEXTS.get(name)
        if label is None:
            model_field = _field(change.table, f"{name}_zh")
            label = str(model_field.verbose_name).split(" (")[0] if model_field else name
        lines.append(_("changed the %(field)s of %(name)s") % {"field": label, "name": subject})
    for column in sorted(columns):
        model_field = _field(change.table, column)
        lines.append(
            _("%(name)s: %(field)s: %(old)s → %(new)s")
            % {
                "name": subject,
                "field": model_field.verbose_name if model_field else column,
                "old": _value(change.table, column, change.old.get(column)),
                "new": _value(change.table, column, change.new.get(column)),
            }
        )
    return lines


# --- the design's own rows ---------------------------------------------------------------------


def _organization_lines(changes: list[Change]) -> list[str]:
    lines = []
    for change in changes:
        if change.op != "U":
            continue
        renamed = _rename(change, "name")
        if renamed:
            lines.append(
                _("renamed the organization %(old)s to %(new)s")
                % {"old": renamed[0], "new": renamed[1]}
            )
        lines += _field_lines(change, _("the organization"), {"name_zh", "name_en"})
    return lines


def _phase_lines(changes: list[Change]) -> list[str]:
    lines = []
    reordered = False
    for change in changes:
        name = short(text_of(change.row, "name"))
        if change.op == "I":
            lines.append(_("added phase %(name)s") % {"name": name})
        elif change.op == "D":
            lines.append(_("deleted phase %(name)s") % {"name": name})
        else:
            renamed = _rename(change, "name")
            if renamed:
                lines.append(
                    _("renamed phase %(old)s to %(new)s") % {"old": renamed[0], "new": renamed[1]}
                )
            reordered = reordered or "order" in change.changed_columns()
            lines += _field_lines(change, name, {"name_zh", "name_en", "order"})
    if reordered:
        lines.append(_("changed the order of the phases"))
    return lines


def _department_lines(changes: list[Change], names: Names) -> list[str]:
    lines = []
    for change in changes:
        name = short(text_of(change.row, "name"))
        if change.op == "I":
            parent = change.new.get("parent_id")
            if parent:
                lines.append(
                    _("added department %(name)s under %(parent)s")
                    % {"name": name, "parent": names.department(parent)}
                )
            else:
                lines.append(_("added department %(name)s") % {"name": name})
            continue
        if change.op == "D":
            lines.append(_("deleted department %(name)s") % {"name": name})
            continue
        columns = change.changed_columns()
        renamed = _rename(change, "name")
        if renamed:
            lines.append(_("renamed %(old)s to %(new)s") % {"old": renamed[0], "new": renamed[1]})
        if "parent_id" in columns:
            parent = change.new.get("parent_id")
            if parent:
                lines.append(
                    _("moved %(name)s under %(parent)s")
                    % {"name": name, "parent": names.department(parent)}
                )
            else:
                lines.append(_("moved %(name)s to the top level") % {"name": name})
        lines += _field_lines(change, name, {"name_zh", "name_en", "parent_id"})
    return lines


def _role_lines(changes: list[Change], names: Names) -> list[str]:
    lines = []
    for change in changes:
        name = short(text_of(change.row, "title"))
        if change.op == "I":
            lines.append(
                _("added role %(name)s in %(department)s")
                % {"name": name, "department": names.department(change.new.get("department_id"))}
            )
            continue
        if change.op == "D":
            lines.append(_("deleted role %(name)s") % {"name": name})
            continue
        columns = change.changed_columns()
        renamed = _rename(change, "title")
        if renamed:
            lines.append(_("renamed %(old)s to %(new)s") % {"old": renamed[0], "new": renamed[1]})
        if "reports_to_id" in columns:
            manager = change.new.get("reports_to_id")
            if manager:
                lines.append(
                    _("moved %(name)s under %(parent)s")
                    % {"name": name, "parent": names.role(manager)}
                )
            else:
                lines.append(_("moved %(name)s to the top level") % {"name": name})
        if "department_id" in columns:
            lines.append(
                _("moved role %(name)s to department %(department)s")
                % {"name": name, "department": names.department(change.new.get("department_id"))}
            )
        handled = {"title_zh", "title_en", "reports_to_id", "department_id"}
        lines += _field_lines(change, name, handled)
    return lines


# --- what hangs off a role ---------------------------------------------------------------------


def _line_key(row: dict) -> tuple:
    return (*_text_key(row), bool(row.get("preferred")))


def _text_key(row: dict) -> tuple:
    """A line's texts and kind: what it says, whether required or preferred (优先)."""
    return (row.get("text_zh") or "", row.get("text_en") or "", row.get("kind") or "")


def _need_line(role: str, kind: str, row: dict) -> str:
    """A requirement now preferred (优先), or now required, its text unchanged."""
    if row.get("preferred"):
        message = _("%(role)s: %(kind)s marked preferred: %(text)s")
    else:
        message = _("%(role)s: %(kind)s marked required: %(text)s")
    return message % {"role": role, "kind": kind, "text": short(text_of(row, "text"))}


def _role_line_lines(
    table: str, changes: list[Change], names: Names, *, skip: set[int]
) -> list[str]:
    """A role's duties (or requirements, KPIs) added, removed, changed or reordered, with the
    lines that were deleted and inserted again unchanged netted out."""
    singular, plural = ROLE_LINE_TABLES[table]
    by_role: dict[int, list[Change]] = defaultdict(list)
    for change in changes:
        role_id = change.row.get("role_id")
        if role_id not in skip:
            by_role[role_id].append(change)
    lines = []
    for role_id, role_changes in by_role.items():
        role = short(names.role(role_id))
        removed = sorted((c.old for c in role_changes if c.op == "D"), key=_order)
        added = sorted((c.new for c in role_changes if c.op == "I"), key=_order)
        changed = [(c.old, c.new) for c in role_changes if c.op == "U"]
        kept: list[tuple[dict, dict]] = []
        for row in list(removed):
            match = next((a for a in added if _line_key(a) == _line_key(row)), None)
            if match is not None:
                removed.remove(row)
                added.remove(match)
                kept.append((row, match))
        # Deleted and inserted again saying the same, only required ↔ preferred.
        for row in list(removed):
            match = next((a for a in added if _text_key(a) == _text_key(row)), None)
            if match is not None:
                removed.remove(row)
                added.remove(match)
                kept.append((row, match))
                lines.append(_need_line(role, singular, match))
        kept_before = [_text_key(old) for old, _new in kept]
        kept_after = [_text_key(new) for _old, new in sorted(kept, key=lambda p: _order(p[1]))]
        reordered = kept_before != kept_after
        for old, new in changed:
            if _text_key(old) == _text_key(new) and _line_key(old) != _line_key(new):
                lines.append(_need_line(role, singular, new))
                reordered = reordered or old.get("order") != new.get("order")
            elif _line_key(old) != _line_key(new):
                if (
                    old.get("kind") != new.get("kind")
                    and old.get("text_zh") == new.get("text_zh")
                    and old.get("text_en") == new.get("text_en")
                ):
                    lines.append(
                        _("%(role)s: %(kind)s changed: %(old)s → %(new)s")
                        % {
                            "role": role,
                            "kind": singular,
                            "old": _value(table, "kind", old.get("kind")),
                            "new": _value(table, "kind", new.get("kind")),
                        }
                    )
                    continue
                removed.append(old)
                added.append(new)
            elif old.get("order") != new.get("order"):
                reordered = True
        if len(removed) == len(added):
            pairs, removed, added = list(zip(removed, added, strict=True)), [], []
        else:
            pairs = []
        for old, new in pairs:
            lines.append(
                _("%(role)s: %(kind)s changed: %(old)s → %(new)s")
                % {
                    "role": role,
                    "kind": singular,
                    "old": short(text_of(old, "text")),
                    "new": short(text_of(new, "text")),
                }
            )
        for row in added:
            lines.append(
                _("%(role)s: %(kind)s added: %(text)s")
                % {"role": role, "kind": singular, "text": short(text_of(row, "text"))}
            )
        for row in removed:
            lines.append(
                _("%(role)s: %(kind)s removed: %(text)s")
                % {"role": role, "kind": singular, "text": short(text_of(row, "text"))}
            )
        if reordered and not pairs and not added and not removed:
            lines.append(_("%(role)s: %(kinds)s reordered") % {"role": role, "kinds": plural})
    return lines


def _order(row: dict) -> tuple:
    return (row.get("order") or 0, row.get("id") or 0)


def _count(row: dict | None) -> str:
    if row is None:
        return _("none")
    low, high = row.get("min_count"), row.get("max_count")
    return str(low) if low == high else f"{low}–{high}"


def _headcount_lines(
    changes: list[Change], names: Names, whole_roles: set[int], deleted_phases: set[int]
) -> list[str]:
    return [
        _("head count of %(role)s in %(phase)s: %(old)s → %(new)s")
        % {"role": short(names.role(owner)), "phase": names.phase(phase), "old": old, "new": new}
        for owner, phase, old, new in _count_changes(
            changes, "role_id", skip=whole_roles, deleted_phases=deleted_phases
        )
    ]


def _department_headcount_lines(
    changes: list[Change], names: Names, whole_departments: set[int], deleted_phases: set[int]
) -> list[str]:
    """A department's head count (部门定编) per phase, as the head count of a role."""
    return [
        _("head count of department %(department)s in %(phase)s: %(old)s → %(new)s")
        % {
            "department": short(names.department(owner)),
            "phase": names.phase(phase),
            "old": old,
            "new": new,
        }
        for owner, phase, old, new in _count_changes(
            changes, "department_id", skip=whole_departments, deleted_phases=deleted_phases
        )
    ]


def _count_changes(
    changes: list[Change], owner_column: str, *, skip: set[int], deleted_phases: set[int]
) -> list[tuple[int, int, str, str]]:
    """(owner id, phase id, old count, new count) of each per-phase head-count cell whose
    count differs between before its first change and after its last, leaving out owners added
    or deleted whole and deleted phases (they have their own lines)."""
    before: dict[tuple[int, int], dict | None] = {}
    after: dict[tuple[int, int], dict | None] = {}
    for change in changes:
        key = (change.row.get(owner_column), change.row.get("phase_id"))
        if key[0] in skip or key[1] in deleted_phases:
            continue
        before.setdefault(key, change.old)  # the first change of a cell holds its old value
        after[key] = change.new
    counted = []
    for (owner, phase), old in before.items():
        if _count(old) != _count(after[(owner, phase)]):
            counted.append((owner, phase, _count(old), _count(after[(owner, phase)])))
    return counted


def _combinable_lines(changes: list[Change], names: Names, whole_roles: set[int]) -> list[str]:
    # One person may hold both: the relation is stored in both directions.
    net: dict[frozenset, int] = defaultdict(int)
    for change in changes:
        pair = frozenset((change.row.get("from_role_id"), change.row.get("to_role_id")))
        if pair & whole_roles:
            continue
        if change.op == "I":
            net[pair] += 1
        elif change.op == "D":
            net[pair] -= 1
    lines = []
    for pair, balance in net.items():
        if not balance:
            continue
        first, second = sorted(pair, key=lambda role_id: role_id or 0)
        values = {"first": short(names.role(first)), "second": short(names.role(second))}
        if balance > 0:
            lines.append(_("%(first)s and %(second)s may now be held by one person") % values)
        else:
            lines.append(_("%(first)s and %(second)s are no longer held by one person") % values)
    return lines


def _collaboration_ends(row: dict, names: Names) -> str:
    if row.get("from_role_id"):
        first, second = names.role(row["from_role_id"]), names.role(row.get("to_role_id"))
    else:
        first = names.department(row.get("from_department_id"))
        second = names.department(row.get("to_department_id"))
    return f"{short(first)} ↔ {short(second)}"


def _collaboration_lines(changes: list[Change], names: Names) -> list[str]:
    lines = []
    for change in changes:
        ends = _collaboration_ends(change.row, names)
        if change.op == "I":
            lines.append(_("collaboration line added: %(ends)s") % {"ends": ends})
        elif change.op == "D":
            lines.append(_("collaboration line removed: %(ends)s") % {"ends": ends})
        else:
            columns = change.changed_columns() - QUIET_COLUMNS - {"order"}
            was = _collaboration_ends(change.old, names)
            if was != ends:
                lines.append(
                    _("collaboration line %(old)s changed to %(new)s") % {"old": was, "new": ends}
                )
            elif columns:
                lines.append(_("collaboration line changed: %(ends)s") % {"ends": ends})
    return lines


def _member_role(value) -> str:
    try:
        return str(MemberRole(value).label).lower()
    except ValueError:
        return str(value)


def _membership_lines(changes: list[Change], names: Names) -> list[str]:
    lines = []
    for change in changes:
        person = names.person(change.row.get("user_id"))
        if change.op == "I":
            lines.append(
                _("member %(name)s added as %(role)s")
                % {"name": person, "role": _member_role(change.new.get("role"))}
            )
        elif change.op == "D":
            lines.append(_("member %(name)s removed") % {"name": person})
        elif "role" in change.changed_columns():
            lines.append(
                _("member %(name)s is now %(role)s")
                % {"name": person, "role": _member_role(change.new.get("role"))}
            )
    return lines
