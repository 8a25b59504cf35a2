"""The Celery task behind an export job (`celery -A teamorg worker`); found by the Celery
app's autodiscovery. The job's row carries everything the task needs."""

from celery import shared_task
from celery.signals import worker_process_init

from roles.documents.handbook import start_render_server
from roles.exports import services
from roles.exports.runner import TASK_NAME


@shared_task(name=TASK_NAME, ignore_result=True, acks_late=True)
def run_export(job_id: str) -> None:
    services.run_export(job_id)


@worker_process_init.connect
def start_rendering_server(**_kwargs) -> None:
    """Each pool process starts its handbook rendering server as it starts (in the background),
    so that its first handbook does not wait about 1.5 s for one. Connected after
    teamorg.celery's own handler, which lets the process start others."""
    start_render_server()
