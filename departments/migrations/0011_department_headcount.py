# A department's own head count per phase, 部门定编 (issue 20), and the function group's English
# label "Back-office support" (the choice value is unchanged; Django does not touch the table for
# a label).
import django.db.models.deletion
from django.db import migrations, models

import teamorg.limits


class Migration(migrations.Migration):
    dependencies = [("departments", "0010_department_headcount")]

    operations = [
        migrations.AlterField(
            model_name="department",
            name="function_group",
            field=models.CharField(
                blank=True,
                choices=[
                    ("management", "Management"),
                    ("front-line", "Front line"),
                    ("operations-support", "Operations support"),
                    ("logistics-support", "Back-office support"),
                ],
                max_length=20,
                verbose_name="function group",
            ),
        ),
        migrations.CreateModel(
            name="DepartmentHeadcount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "origin",
                    models.CharField(
                        choices=[
                            ("user", "Written by the user"),
                            ("seed", "From a source article"),
                            ("fill", "Filled in by TeamOrg where the articles are silent"),
                        ],
                        default="user",
                        max_length=8,
                        verbose_name="origin",
                    ),
                ),
                (
                    "source_note",
                    models.CharField(blank=True, max_length=300, verbose_name="source note"),
                ),
                (
                    "min_count",
                    models.PositiveIntegerField(
                        validators=[teamorg.limits.NumberLimit(0, 1000000, "at least")],
                        verbose_name="at least",
                    ),
                ),
                (
                    "max_count",
                    models.PositiveIntegerField(
                        validators=[teamorg.limits.NumberLimit(0, 1000000, "at most")],
                        verbose_name="at most",
                    ),
                ),
                (
                    "department",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="headcount",
                        to="departments.department",
                    ),
                ),
                (
                    "phase",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="department_targets",
                        to="departments.headcountphase",
                    ),
                ),
            ],
            options={
                "verbose_name": "department head count",
                "verbose_name_plural": "department head counts",
                "ordering": ["department", "phase__order"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("department", "phase"), name="one_department_target_per_phase"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("min_count__lte", models.F("max_count"))),
                        name="department_headcount_min_not_above_max",
                        violation_error_message="The minimum head count is above the maximum.",
                    ),
                ],
            },
        ),
    ]
