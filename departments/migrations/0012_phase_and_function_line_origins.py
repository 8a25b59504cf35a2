# Where phases and department function lines come from (issue 20): a phase is sourced content
# like a role (origin, source_note), and a department keeps one {origin, source_note} per
# function line. Existing departments get an empty list, which reads as before: every line takes
# the department's origin (`Department.function_sources`); `loadtemplates` then gives the
# templates' lines their own.
from django.db import migrations, models

import teamorg.content


class Migration(migrations.Migration):
    dependencies = [("departments", "0011_department_headcount")]

    operations = [
        migrations.AddField(
            model_name="department",
            name="functions_origin",
            field=models.JSONField(
                blank=True,
                default=list,
                validators=[teamorg.content.LineOrigins("origin of each function line")],
                verbose_name="origin of each function line",
            ),
        ),
        migrations.AddField(
            model_name="headcountphase",
            name="origin",
            field=models.CharField(
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
        migrations.AddField(
            model_name="headcountphase",
            name="source_note",
            field=models.CharField(blank=True, max_length=300, verbose_name="source note"),
        ),
    ]
