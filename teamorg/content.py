"""Fields shared by every piece of design content: where it came from."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from teamorg.limits import SHORT_TEXT_MAX_LENGTH


class Origin(models.TextChoices):
    USER = "user", _("Written by the user")
    SEED = "seed", _("From a source article")
    FILL = "fill", _("Filled in by TeamOrg where the articles are silent")


class SourcedContent(models.Model):
    """Template content says whether it is a seed fact or a fill, and from which passage."""

    origin = models.CharField(_("origin"), max_length=8, choices=Origin, default=Origin.USER)
    source_note = models.CharField(_("source note"), max_length=SHORT_TEXT_MAX_LENGTH, blank=True)

    class Meta:
        abstract = True
