"""The Celery application of the background workers (exports, large imports):
`celery -A teamorg worker`.

Configured from Django's settings (CELERY_*); used only when CELERY_BROKER_URL is set, otherwise
jobs run in child processes of the web process (roles.exports.runner). Results live in the
database (roles.models.ExportJob, roles.imports.models.ImportJob), so Celery keeps none.
"""

import multiprocessing
import os
from multiprocessing.process import AuthenticationString

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teamorg.settings")

app = Celery("teamorg")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["roles.exports", "roles.imports"])


@worker_process_init.connect
def allow_rendering_processes(**_kwargs) -> None:
    """Let a prefork pool process start the handbook's rendering pool (roles.documents.handbook).

    The standard library refuses to start processes from a daemonic one, and billiard marks its
    pool processes daemonic (celery/celery#1709). The pool shuts itself down when the process
    exits, which is what the flag is there to ensure. billiard's process object also carries
    its own kind of authentication key, which the standard library's spawn cannot pass on to a
    child: it is handed the same key as the standard library's kind. Both are settings of the
    process object (`_config`), not public attributes."""
    process = multiprocessing.current_process()
    process._config["daemon"] = False
    process._config["authkey"] = AuthenticationString(bytes(process.authkey))
