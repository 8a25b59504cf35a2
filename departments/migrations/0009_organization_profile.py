# The organization profile a candidate's job description shows (issue 18).
# Reserved in order so that work landing in parallel keeps one line of migrations; the operations
# are filled in by that work.
from django.db import migrations, models

import teamorg.limits


class Migration(migrations.Migration):
    dependencies = [("departments", "0008_invitations")]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="benefits_en",
            field=models.TextField(
                blank=True,
                help_text="One per line.",
                max_length=4000,
                validators=[teamorg.limits.TextLimit(4000, "what we offer (English)")],
                verbose_name="what we offer (English)",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="benefits_zh",
            field=models.TextField(
                blank=True,
                help_text="One per line.",
                max_length=4000,
                validators=[teamorg.limits.TextLimit(4000, "what we offer (Chinese)")],
                verbose_name="what we offer (Chinese)",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="company_intro_en",
            field=models.TextField(
                blank=True,
                max_length=4000,
                validators=[teamorg.limits.TextLimit(4000, "company introduction (English)")],
                verbose_name="company introduction (English)",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="company_intro_zh",
            field=models.TextField(
                blank=True,
                max_length=4000,
                validators=[teamorg.limits.TextLimit(4000, "company introduction (Chinese)")],
                verbose_name="company introduction (Chinese)",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="how_to_apply_en",
            field=models.TextField(
                blank=True,
                max_length=1000,
                validators=[teamorg.limits.TextLimit(1000, "how to apply (English)")],
                verbose_name="how to apply (English)",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="how_to_apply_zh",
            field=models.TextField(
                blank=True,
                max_length=1000,
                validators=[teamorg.limits.TextLimit(1000, "how to apply (Chinese)")],
                verbose_name="how to apply (Chinese)",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="locations_en",
            field=models.TextField(
                blank=True,
                help_text="One per line.",
                max_length=1000,
                validators=[teamorg.limits.TextLimit(1000, "locations (English)")],
                verbose_name="locations (English)",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="locations_zh",
            field=models.TextField(
                blank=True,
                help_text="One per line.",
                max_length=1000,
                validators=[teamorg.limits.TextLimit(1000, "locations (Chinese)")],
                verbose_name="locations (Chinese)",
            ),
        ),
    ]
