# Spreadsheet imports: the uploaded file, its preview and its job (issue 19).
# Reserved in order so that work landing in parallel keeps one line of migrations; the operations
# are filled in by that work.
import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("roles", "0006_role_candidate_fields"),
        ("departments", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportJob",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("filename", models.CharField(max_length=200)),
                ("content", models.BinaryField()),
                ("size", models.PositiveBigIntegerField(default=0)),
                ("mapping", models.JSONField(blank=True, default=dict)),
                ("revision", models.PositiveBigIntegerField()),
                ("preview", models.JSONField(blank=True, default=dict)),
                ("problems", models.PositiveIntegerField(default=0)),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("previewed", "previewed"),
                            ("queued", "queued"),
                            ("running", "running"),
                            ("applied", "applied"),
                            ("failed", "failed"),
                        ],
                        default="previewed",
                        max_length=10,
                    ),
                ),
                ("step", models.CharField(blank=True, max_length=200)),
                ("done", models.PositiveIntegerField(default=0)),
                ("total", models.PositiveIntegerField(default=0)),
                ("error", models.TextField(blank=True)),
                ("applied_revision", models.PositiveBigIntegerField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="import_jobs",
                        to="departments.organization",
                    ),
                ),
            ],
            options={"ordering": ["-created_at"]},
        ),
    ]
