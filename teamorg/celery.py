"""The Celery application of the background workers (exports, large imports):
`celery -A teamorg worker`.

Configured from Django's settings (CELERY_*); used only when CELERY_BROKER_URL is set, otherwise
jobs run in child processes of the web process (roles.exports.runner). Results live in the
database (roles.models.ExportJob, roles.imports.models.ImportJob), so Celery keeps none.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teamorg.settings")

app = Celery("teamorg")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["roles.exports", "roles.imports"])
