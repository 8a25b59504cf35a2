"""The Celery task behind a large import (`celery -A teamorg worker`, the same workers as the
export jobs); found by the Celery app's autodiscovery. The job's row carries everything the
task needs: the file, its column mapping, the revision it was previewed at."""

from celery import shared_task

from roles.imports import services


@shared_task(name=services.IMPORT_TASK.name, ignore_result=True, acks_late=True)
def run_import(job_id: str) -> None:
    services.import_job_run(job_id)
