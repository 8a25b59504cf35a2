"""The Celery task behind an export job (`celery -A teamorg worker`); found by the Celery
app's autodiscovery. The job's row carries everything the task needs."""

from celery import shared_task

from roles.exports import services
from roles.exports.runner import TASK_NAME


@shared_task(name=TASK_NAME, ignore_result=True, acks_late=True)
def run_export(job_id: str) -> None:
    services.run_export(job_id)
