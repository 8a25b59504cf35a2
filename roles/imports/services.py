"""The import's entry points for the views, the API and the background job: read an uploaded
file into a sheet, preview it against an organization (a job that keeps the file, its column
mapping and its preview), apply it, and notice a background apply whose worker never came or
died."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from departments.models import Department, DepartmentHeadcount, HeadcountPhase, Organization
from departments.services import ensure_editable
from roles.exports import runner
from roles.exports.services import STALE_GRACE, JobTimeLimit, time_limit
from roles.imports import columns
from roles.imports.apply import Progress, import_apply
from roles.imports.models import ImportJob, ImportState
from roles.imports.reading import read_tables
from roles.imports.resolve import CHANGE, CREATE, SAME, Node, Resolution, known_phase_names, resolve
from roles.imports.sheet import Sheet, read_sheet
from roles.models import Role
from teamorg.limits import IMPORT_FILE_MAX_BYTES

logger = logging.getLogger(__name__)

# Items listed one by one in a stored preview; beyond, the counts say the rest.
PREVIEW_ITEMS_MAX = 6_000
# Sheets up to this many rows are applied while the request waits (well under a second); larger
# ones by a background job whose page shows its progress.
ROWS_WHILE_YOU_WAIT = 1_000
# A background import still running after this long is stopped (nothing is written: the apply
# is one transaction) and reported as failed. Far above the seconds a 5,000-row sheet takes.
TIME_LIMIT_SECONDS = 600
# Large imports run as the export jobs do (`roles.exports.runner`): on a Celery worker when
# CELERY_BROKER_URL is set, in a child process of the web process otherwise.
IMPORT_TASK = runner.JobTask(
    "teamorg.run_import",
    "roles.imports.services.import_job_run",
    gettext_lazy("The import stopped unexpectedly; nothing was imported."),
)


class _JobTakenAway(Exception):
    """The job is no longer in the state its apply started from (the stale-job check failed a
    running import whose worker it took for dead): the import's transaction is rolled back."""


def import_read(
    *, organization: Organization | None, name: str, content: bytes, mapping: dict[str, str]
) -> Sheet:
    """The file's sheet to import (a ValidationError on `file` when the file is refused)."""
    return read_sheet(read_tables(name, content), mapping, known_phase_names(organization))


def import_preview(
    *, organization: Organization, name: str, content: bytes, mapping: dict[str, str]
) -> tuple[Sheet, Resolution]:
    """What importing the file would create, change and leave alone, and every problem. Reads
    only."""
    sheet = import_read(organization=organization, name=name, content=content, mapping=mapping)
    return sheet, resolve(organization, sheet)


def _field_label(model, name: str) -> str:
    if name == "department":
        return str(Role._meta.get_field("department").verbose_name)
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a name that is no model field shows as it is
        return name


def _node_item(kind: str, model, node: Node, resolution: Resolution) -> dict:
    values = {**(node.existing or {}), **node.fields}
    name = (
        values.get("title_zh") or values.get("title_en")
        if model is Role
        else values.get("name_zh") or values.get("name_en")
    )
    changes = [_field_label(model, field) for field in node.fields] if node.existing else []
    if node.existing and node.moved:
        changes.append(_field_label(model, "reports_to" if model is Role else "parent"))
    action = node.action
    if model is Role and node.key in resolution.line_changes and node.existing:
        changes.append(_("duties, requirements, KPIs, head count or combinations"))
        action = CHANGE
    if model is Department and node.key in resolution.department_headcount and node.existing:
        changes.append(str(DepartmentHeadcount._meta.verbose_name))
        action = CHANGE
    return {
        "kind": kind,
        "action": action,
        "name": name or node.code,
        "code": node.code,
        "row": node.where.row if node.where else None,
        "changes": changes,
    }


def preview_data(sheet: Sheet, resolution: Resolution) -> dict:
    """The preview as JSON: counts, the items of the sheet with what happens to each, every
    problem, the columns as read and those waiting for the mapping step."""
    items = []
    for phase in resolution.phases.values():
        if phase.existing is None or phase.fields:
            values = {**(phase.existing or {}), **phase.fields}
            items.append(
                {
                    "kind": "phase",
                    "action": CREATE if phase.existing is None else CHANGE,
                    "name": values.get("name_zh") or values.get("name_en"),
                    "code": "",
                    "row": phase.where.row if phase.where else None,
                    "changes": [_field_label(HeadcountPhase, f) for f in phase.fields]
                    if phase.existing
                    else [],
                }
            )
    for kind, model, nodes in (
        ("department", Department, resolution.departments),
        ("role", Role, resolution.roles),
    ):
        for node in nodes.values():
            if node.where is None and node.action == SAME:
                continue  # not in the sheet: left as it is
            items.append(_node_item(kind, model, node, resolution))
    for line in resolution.collaborations_new:
        items.append(
            {
                "kind": "collaboration",
                "action": CREATE,
                "name": line["description_zh"] or line["description_en"],
                "code": "",
                "row": line["where"].row,
                "changes": [],
            }
        )
    counts = {
        kind: {CREATE: 0, CHANGE: 0, SAME: 0}
        for kind in ("phase", "department", "role", "collaboration")
    }
    for item in items:
        counts[item["kind"]][item["action"]] += 1
    counts["collaboration"][CHANGE] = len(resolution.collaborations_changed)
    items.sort(key=lambda item: (item["row"] is None, item["row"] or 0))
    return {
        "sheet": sheet.name,
        "skipped_sheets": sheet.skipped_sheets,
        "columns": sheet.columns,
        "unknown_columns": sheet.unknown_columns,
        "counts": counts,
        "problems": [problem.as_dict() for problem in resolution.problems],
        "items": items[:PREVIEW_ITEMS_MAX],
        "items_total": len(items),
        "revision": resolution.revision,
        "rows": len(sheet.departments)
        + len(sheet.roles)
        + len(sheet.phases)
        + len(sheet.collaborations),
    }


def _clean_mapping(mapping) -> dict[str, str]:
    if not isinstance(mapping, dict):
        raise ValidationError({"mapping": _("The column mapping is an object: header → field.")})
    allowed = {key for key, _label in columns.mapping_choices()}
    clean = {}
    for header, key in mapping.items():
        if not isinstance(header, str) or not isinstance(key, str) or key not in allowed:
            raise ValidationError(
                {"mapping": _("“%(value)s” is not a field a column can hold.") % {"value": key}},
                code="invalid",
            )
        clean[header] = key
    return clean


def import_job_create(
    *,
    organization: Organization,
    user: AbstractBaseUser | None,
    filename: str,
    content: bytes,
    mapping: dict[str, str] | None = None,
) -> ImportJob:
    """Keep the uploaded file and preview it. A file refused as a whole (too large, a zip bomb,
    a formula, unreadable) is a ValidationError on `file` and keeps nothing."""
    ensure_editable(organization)
    if len(content) > IMPORT_FILE_MAX_BYTES:
        read_tables(filename, content)  # raises the size message
    mapping = _clean_mapping(mapping or {})
    sheet, resolution = import_preview(
        organization=organization, name=filename, content=content, mapping=mapping
    )
    preview = preview_data(sheet, resolution)
    return ImportJob.objects.create(
        organization=organization,
        filename=filename[:200],
        content=content,
        size=len(content),
        mapping=mapping,
        revision=organization.revision,
        preview=preview,
        problems=len(preview["problems"]),
        created_by=user if user is not None and user.is_authenticated else None,
    )


def import_job_remap(*, job: ImportJob, mapping: dict[str, str]) -> ImportJob:
    """Preview the kept file again with the user's column mapping (or against the design as it
    is now)."""
    if job.state == ImportState.APPLIED:
        raise ValidationError(_("This import was applied already."), code="applied")
    fields = _previewed_again(job, _clean_mapping(mapping))
    fields.update(state=ImportState.PREVIEWED, error="")
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=list(fields))
    return job


def _previewed_again(job: ImportJob, mapping: dict[str, str]) -> dict:
    """The job's fields for a preview of its file made now, with `mapping`."""
    organization = Organization.objects.get(pk=job.organization_id)
    sheet, resolution = import_preview(
        organization=organization, name=job.filename, content=bytes(job.content), mapping=mapping
    )
    preview = preview_data(sheet, resolution)
    return {
        "mapping": mapping,
        "preview": preview,
        "problems": len(preview["problems"]),
        "revision": organization.revision,
    }


def import_job_apply(*, job: ImportJob, progress: Progress | None = None) -> ImportJob:
    """Apply the previewed file as one revision. Refused, with nothing written, when the
    preview has problems, when the design changed since the preview (the preview is made
    again), or when it was applied already."""
    _check_applicable(job)
    try:
        _write(job, progress=progress)
    except ValidationError as error:
        if error.code in ("stale_preview", "import_problems"):
            import_job_remap(job=job, mapping=job.mapping)
        raise
    except _JobTakenAway:
        # Another request started or applied it meanwhile (a double click): that one counts.
        job.refresh_from_db(fields=["state"])
        _check_applicable(job)
        raise ValidationError(_("This import is being applied."), code="running") from None
    return job


def _write(job: ImportJob, *, progress: Progress | None = None) -> None:
    """Import the job's file and mark the job applied, in one transaction, provided the job
    is still in the state `job.state` says (the one it was applied from): otherwise
    `_JobTakenAway`, and nothing is written."""
    taken_state = job.state
    organization = Organization.objects.get(pk=job.organization_id)
    sheet = import_read(
        organization=organization,
        name=job.filename,
        content=bytes(job.content),
        mapping=job.mapping,
    )

    def report(step: str, done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk, state=taken_state).update(
            step=step[:200], done=done, total=total
        )
        if progress is not None:
            progress(step, done, total)

    with transaction.atomic():
        resolution = import_apply(
            organization=organization,
            sheet=sheet,
            expected_revision=job.revision,
            progress=report,
        )
        # In the import's own transaction, and only from the state it started in: a job the
        # stale-job check failed meanwhile ("nothing was imported") stays failed and its late
        # worker's import is rolled back. Against that check's UPDATE the row lock decides.
        marked = ImportJob.objects.filter(pk=job.pk, state=taken_state).update(
            state=ImportState.APPLIED,
            applied_revision=resolution.revision,
            finished_at=timezone.now(),
            done=F("total"),
        )
        if not marked:
            raise _JobTakenAway
    job.refresh_from_db(
        fields=["state", "applied_revision", "finished_at", "step", "done", "total"]
    )


def import_job_for(organization: Organization, job_id) -> ImportJob:
    """The organization's job (another organization's job is a missing one)."""
    return ImportJob.objects.defer("content").get(organization=organization, pk=job_id)


def _check_applicable(job: ImportJob) -> None:
    if job.state == ImportState.APPLIED:
        raise ValidationError(_("This import was applied already."), code="applied")
    if job.state in (ImportState.QUEUED, ImportState.RUNNING):
        raise ValidationError(_("This import is being applied."), code="running")
    if job.problems:
        raise ValidationError(
            _("Fix the %(count)s problems in the sheet first; nothing was imported.")
            % {"count": job.problems},
            code="import_problems",
        )


def import_job_start(*, job: ImportJob) -> ImportJob:
    """Apply the import: a small sheet at once, a large one as a background job (the job is
    then queued; its page and the API show its state and progress)."""
    _check_applicable(job)
    if (job.preview or {}).get("rows", 0) <= ROWS_WHILE_YOU_WAIT:
        return import_job_apply(job=job)
    job.state = ImportState.QUEUED
    job.step = _("Waiting for a worker…")
    job.done, job.total, job.error = 0, 3, ""
    # The queue limit counts from here (not from the upload: the preview may be read for long).
    job.queued_at, job.started_at, job.finished_at = timezone.now(), None, None
    job.save(
        update_fields=[
            "state",
            "step",
            "done",
            "total",
            "error",
            "queued_at",
            "started_at",
            "finished_at",
        ]
    )
    transaction.on_commit(
        lambda: runner.dispatch(
            job.pk, TIME_LIMIT_SECONDS, on_lost=import_job_lost, task=IMPORT_TASK
        )
    )
    return job


def import_job_run(job_id) -> None:
    """The background job (a Celery worker's or the embedded child's): apply, recording the
    outcome on the job; never raises. It takes the job from queued to running in one UPDATE:
    a job another worker took already, or one the queue limit failed before a worker came
    (`import_jobs_expire_stale`), is left alone. Every later write to the job is from running
    too, so a job failed meanwhile keeps its message, and its import is rolled back."""
    taken = ImportJob.objects.filter(pk=job_id, state=ImportState.QUEUED).update(
        state=ImportState.RUNNING,
        started_at=timezone.now(),
        step=_("Reading and checking the sheet"),
        done=1,
        total=3,
    )
    if not taken:
        return
    job = ImportJob.objects.get(pk=job_id)
    try:
        with time_limit(TIME_LIMIT_SECONDS):
            _write(job)
    except _JobTakenAway:
        logger.warning("import %s was failed while its worker applied it; rolled back", job.pk)
    except JobTimeLimit:
        _fail_running(
            job,
            _(
                "The import took longer than %(seconds)s seconds and was stopped; nothing was "
                "imported."
            )
            % {"seconds": TIME_LIMIT_SECONDS},
        )
    except ValidationError as error:
        # The design changed since the preview, or the sheet has problems against it now: the
        # page shows the new preview with the failure.
        again = (
            _previewed_again(job, job.mapping)
            if error.code in ("stale_preview", "import_problems")
            else {}
        )
        _fail_running(job, " ".join(error.messages), **again)
    except Exception:  # noqa: BLE001 - a worker reports every failure on its job
        logger.exception("import %s failed", job.pk)
        _fail_running(job, _("The import stopped unexpectedly; nothing was imported."))


def _fail_running(job: ImportJob, message: str, **fields) -> None:
    ImportJob.objects.filter(pk=job.pk, state=ImportState.RUNNING).update(
        state=ImportState.FAILED, error=message, finished_at=timezone.now(), **fields
    )


def import_job_lost(job_id, message: str) -> None:
    """The worker process died without finishing the job (killed past its time limit, out of
    memory): say so on the job. Nothing was written: the apply is one transaction."""
    ImportJob.objects.filter(pk=job_id, state__in=[ImportState.QUEUED, ImportState.RUNNING]).update(
        state=ImportState.FAILED, error=message, finished_at=timezone.now()
    )


def import_jobs_expire_stale(*, organization: Organization) -> int:
    """Mark failed the organization's background imports whose worker never came or is gone,
    as `roles.exports.services.expire_stale_jobs` does for exports (the same workers run
    both): one still queued TEAMORG_EXPORT_QUEUE_LIMIT_SECONDS after its apply was queued (no
    worker running, or all of them busy; the exports' setting, not one of its own), and one
    still running TIME_LIMIT_SECONDS plus the exports' STALE_GRACE after a worker took it (its
    worker was killed by Celery's hard limit, ran out of memory, or its machine restarted).
    Nothing was imported either way: the apply is one transaction, and a worker that comes
    later finds the job failed and imports nothing (`import_job_run`). Called on every look at
    an import (its page, the page's poll, the API), so a person watching sees it fail, in the
    language of that look. Returns how many."""
    now = timezone.now()
    queue_limit = int(settings.TEAMORG_EXPORT_QUEUE_LIMIT_SECONDS)
    run_limit = timedelta(seconds=TIME_LIMIT_SECONDS) + STALE_GRACE
    never_taken, lost = [], []
    for job in ImportJob.objects.filter(
        organization=organization, state__in=(ImportState.QUEUED, ImportState.RUNNING)
    ).only("pk", "state", "created_at", "queued_at", "started_at"):
        # Jobs from before queued_at and started_at were recorded count from their upload.
        if job.state == ImportState.QUEUED:
            if (job.queued_at or job.created_at) + timedelta(seconds=queue_limit) < now:
                never_taken.append(job.pk)
        elif (job.started_at or job.queued_at or job.created_at) + run_limit < now:
            lost.append(job.pk)
    expired = 0
    if never_taken:
        # Only jobs still queued: one a worker took meanwhile runs on, bound by its time limit.
        expired += ImportJob.objects.filter(pk__in=never_taken, state=ImportState.QUEUED).update(
            state=ImportState.FAILED, error=_queue_limit_message(queue_limit), finished_at=now
        )
    if lost:
        with transaction.atomic():
            # A row locked by its worker is not lost: the import's transaction is open (its
            # progress writes are in it). Skipped rather than waited for, which would hold this
            # look until that transaction ends. (SQLite has no row locks: its writes are one at
            # a time anyway.)
            unlocked = ImportJob.objects.select_for_update(skip_locked=True).filter(
                pk__in=lost, state=ImportState.RUNNING
            )
            expired += ImportJob.objects.filter(
                pk__in=list(unlocked.values_list("pk", flat=True)), state=ImportState.RUNNING
            ).update(
                state=ImportState.FAILED,
                error=_(
                    "The worker stopped before the import was finished; nothing was imported. "
                    "Try again."
                ),
                finished_at=now,
            )
    return expired


def _queue_limit_message(seconds: int) -> str:
    """Why an import no worker took failed, and what to do: in minutes when the limit is whole
    minutes (the default, 600 s), else in seconds (the exports' message, for an import)."""
    if seconds >= 60 and seconds % 60 == 0:
        return ngettext(
            "No worker started the import within %(count)d minute; nothing was imported. Try "
            "again; if it happens again, tell your administrator that the background worker "
            "may not be running.",
            "No worker started the import within %(count)d minutes; nothing was imported. Try "
            "again; if it happens again, tell your administrator that the background worker "
            "may not be running.",
            seconds // 60,
        ) % {"count": seconds // 60}
    return ngettext(
        "No worker started the import within %(count)d second; nothing was imported. Try "
        "again; if it happens again, tell your administrator that the background worker may "
        "not be running.",
        "No worker started the import within %(count)d seconds; nothing was imported. Try "
        "again; if it happens again, tell your administrator that the background worker may "
        "not be running.",
        seconds,
    ) % {"count": seconds}
