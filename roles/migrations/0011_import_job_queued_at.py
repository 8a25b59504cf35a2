# A large import's apply waits in the same queue as the exports: record when it was queued and
# when a worker took it, so that one no worker takes, or whose worker died, is reported as failed
# (roles.imports.services.import_jobs_expire_stale). Existing rows keep null: jobs applied while
# the request waited never had a queue, and older background ones count from their upload.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("roles", "0010_role_move_writes"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="queued_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="importjob",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
