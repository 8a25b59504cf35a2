# A role's own location and offers for the candidate job description (issue 18).
# Reserved in order so that work landing in parallel keeps one line of migrations; the operations
# are filled in by that work.
from django.db import migrations, models

import teamorg.limits


class Migration(migrations.Migration):
    dependencies = [("roles", "0005_input_limits")]

    operations = [
        migrations.AddField(
            model_name="role",
            name="location_en",
            field=models.TextField(
                blank=True,
                help_text="Leave empty to show the organization's locations.",
                max_length=1000,
                validators=[teamorg.limits.TextLimit(1000, "location (English)")],
                verbose_name="location (English)",
            ),
        ),
        migrations.AddField(
            model_name="role",
            name="location_zh",
            field=models.TextField(
                blank=True,
                help_text="Leave empty to show the organization's locations.",
                max_length=1000,
                validators=[teamorg.limits.TextLimit(1000, "location (Chinese)")],
                verbose_name="location (Chinese)",
            ),
        ),
        migrations.AddField(
            model_name="role",
            name="offers_en",
            field=models.TextField(
                blank=True,
                help_text="One per line; shown after what the organization offers.",
                max_length=4000,
                validators=[teamorg.limits.TextLimit(4000, "what this role offers (English)")],
                verbose_name="what this role offers (English)",
            ),
        ),
        migrations.AddField(
            model_name="role",
            name="offers_zh",
            field=models.TextField(
                blank=True,
                help_text="One per line; shown after what the organization offers.",
                max_length=4000,
                validators=[teamorg.limits.TextLimit(4000, "what this role offers (Chinese)")],
                verbose_name="what this role offers (Chinese)",
            ),
        ),
    ]
