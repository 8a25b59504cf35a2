"""Roles (positions), their reporting tree, their ordered lines (duties, requirements, KPIs)
their head count per growth phase, and collaboration lines between departments or roles.
Models of the `departments` app are referenced by string: this app builds on that one, never
the other way round."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey

from teamorg.content import SourcedContent
from teamorg.i18n import TranslatedField
from teamorg.limits import (
    CODE_MAX_LENGTH,
    HEADCOUNT_LIMIT,
    HIRING_PRIORITY_LIMIT,
    LINE_MAX_LENGTH,
    LOCATION_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PROFILE_TEXT_MAX_LENGTH,
    SALARY_LIMIT,
    SHORT_TEXT_MAX_LENGTH,
    NumberLimit,
    long_text,
)

# Every limit is defined once, in `teamorg.limits` (HEADCOUNT_LIMIT is still importable from
# here): these validators, the services, the API, the editor's inputs and the admin read it.


class Level(models.TextChoices):
    EXECUTIVE = "executive", _("Executive")
    DIRECTOR = "director", _("Director")
    MANAGER = "manager", _("Manager")
    SUPERVISOR = "supervisor", _("Supervisor")
    SPECIALIST = "specialist", _("Specialist")
    ASSISTANT = "assistant", _("Assistant")


class EmploymentType(models.TextChoices):
    FULL_TIME = "full-time", _("Full-time")
    PART_TIME = "part-time", _("Part-time")
    SHARED = "shared", _("Shared with the parent company")
    OUTSOURCED = "outsourced", _("Outsourced / agency")


class PayStructure(models.TextChoices):
    BASE = "base", _("Base salary")
    BASE_COMMISSION = "base-commission", _("Base + commission")
    BASE_BONUS = "base-bonus", _("Base + bonus")


class Role(MPTTModel, SourcedContent):
    """A position. The reporting lines form an MPTT tree on `reports_to`.

    Never set `reports_to` or call `move_to` outside `roles.services`: tree writes need the lock in
    `teamorg.locking`.
    """

    # No index of its own on organization or code: the unique (organization, code) below starts
    # with the organization, and no query looks a code up across organizations. Each index is
    # one more write on every row update that is not HOT (roles migration 0010).
    organization = models.ForeignKey(
        "departments.Organization",
        on_delete=models.CASCADE,
        related_name="roles",
        db_index=False,
    )
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("department"),
        # Deleting a department moves or refuses its roles (services); never a silent cascade.
        on_delete=models.RESTRICT,
        related_name="roles",
    )
    reports_to = TreeForeignKey(
        "self",
        verbose_name=_("reports to"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="direct_reports",
    )
    code = models.SlugField(_("code"), max_length=CODE_MAX_LENGTH, db_index=False)
    title_zh = models.CharField(_("title (Chinese)"), max_length=NAME_MAX_LENGTH, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=NAME_MAX_LENGTH, blank=True)
    summary_zh = long_text(_("summary (Chinese)"), blank=True)
    summary_en = long_text(_("summary (English)"), blank=True)
    level = models.CharField(_("level"), max_length=12, choices=Level, default=Level.SPECIALIST)
    employment_type = models.CharField(
        _("employment type"),
        max_length=12,
        choices=EmploymentType,
        default=EmploymentType.FULL_TIME,
    )
    hiring_priority = models.PositiveSmallIntegerField(
        _("hiring priority"),
        null=True,
        blank=True,
        help_text=_("1 = hire first."),
        validators=[NumberLimit(1, HIRING_PRIORITY_LIMIT, _("hiring priority"))],
    )
    # 000's staffing table: 「标红的19人最好全部到岗」 — the people who should be in place
    # first, before the rest of the team is brought together (issue 20).
    key_position = models.BooleanField(
        _("key position"),
        default=False,
        help_text=_("Should be filled first: the team cannot start without it."),
    )
    pay_structure = models.CharField(
        _("pay structure"), max_length=16, choices=PayStructure, blank=True
    )
    salary_min = models.PositiveIntegerField(
        _("monthly salary from (CNY)"),
        null=True,
        blank=True,
        validators=[NumberLimit(0, SALARY_LIMIT, _("monthly salary from (CNY)"))],
    )
    salary_max = models.PositiveIntegerField(
        _("monthly salary to (CNY)"),
        null=True,
        blank=True,
        validators=[NumberLimit(0, SALARY_LIMIT, _("monthly salary to (CNY)"))],
    )
    pay_note_zh = models.CharField(
        _("pay note (Chinese)"), max_length=SHORT_TEXT_MAX_LENGTH, blank=True
    )
    pay_note_en = models.CharField(
        _("pay note (English)"), max_length=SHORT_TEXT_MAX_LENGTH, blank=True
    )
    # What a candidate's job description shows of this role beyond the organization's profile:
    # its own work location (instead of the organization's) and offers (after the
    # organization's).
    location_zh = long_text(
        _("location (Chinese)"),
        LOCATION_MAX_LENGTH,
        blank=True,
        help_text=_("Leave empty to show the organization's locations."),
    )
    location_en = long_text(
        _("location (English)"),
        LOCATION_MAX_LENGTH,
        blank=True,
        help_text=_("Leave empty to show the organization's locations."),
    )
    offers_zh = long_text(
        _("what this role offers (Chinese)"),
        PROFILE_TEXT_MAX_LENGTH,
        blank=True,
        help_text=_("One per line; shown after what the organization offers."),
    )
    offers_en = long_text(
        _("what this role offers (English)"),
        PROFILE_TEXT_MAX_LENGTH,
        blank=True,
        help_text=_("One per line; shown after what the organization offers."),
    )
    combinable_with = models.ManyToManyField(
        "self",
        verbose_name=_("may be combined with"),
        blank=True,
        symmetrical=True,
        help_text=_("Roles one person may hold together early on (一人多职)."),
    )

    title = TranslatedField("title")
    summary = TranslatedField("summary")
    pay_note = TranslatedField("pay_note")
    location = TranslatedField("location")
    offers = TranslatedField("offers")

    class MPTTMeta:
        parent_attr = "reports_to"
        # "level" is a role's grade (executive … assistant); the tree depth is "depth".
        level_attr = "depth"

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="role_code_unique"),
            models.CheckConstraint(
                condition=~Q(title_zh="") | ~Q(title_en=""),
                name="role_has_a_title",
                violation_error_message=_("A role needs a title in Chinese or English."),
            ),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=F("salary_max")),
                name="role_salary_band_in_order",
                violation_error_message=_("The salary “to” must not be below the salary “from”."),
            ),
            models.CheckConstraint(
                condition=Q(hiring_priority__isnull=True) | Q(hiring_priority__gte=1),
                name="role_hiring_priority_from_one",
                violation_error_message=_("The hiring priority starts at 1."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RoleLine(SourcedContent):
    """An ordered, bilingual line of a role."""

    order = models.PositiveIntegerField(_("order"), default=0)
    text_zh = long_text(_("text (Chinese)"), LINE_MAX_LENGTH, blank=True)
    text_en = long_text(_("text (English)"), LINE_MAX_LENGTH, blank=True)

    text = TranslatedField("text")

    class Meta:
        abstract = True
        ordering = ["role", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Duty(RoleLine):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="duties")

    class Meta(RoleLine.Meta):
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        constraints = [
            models.CheckConstraint(
                condition=~Q(text_zh="") | ~Q(text_en=""),
                name="duty_has_text",
                violation_error_message=_("A duty needs text in Chinese or English."),
            )
        ]


class RequirementKind(models.TextChoices):
    EDUCATION = "education", _("Education")
    EXPERIENCE = "experience", _("Experience")
    SKILL = "skill", _("Skills")
    KNOWLEDGE = "knowledge", _("Knowledge")
    TRAIT = "trait", _("Personal traits")
    OTHER = "other", _("Other")


class Requirement(RoleLine):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="requirements")
    kind = models.CharField(
        _("kind"), max_length=12, choices=RequirementKind, default=RequirementKind.OTHER
    )
    # A nice-to-have (优先, 「…者优先」): the job description lists it apart from what a
    # candidate must bring (issue 20).
    preferred = models.BooleanField(
        _("preferred"),
        default=False,
        help_text=_("A nice-to-have (优先): listed apart from what a candidate must bring."),
    )

    class Meta(RoleLine.Meta):
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        constraints = [
            models.CheckConstraint(
                condition=~Q(text_zh="") | ~Q(text_en=""),
                name="requirement_has_text",
                violation_error_message=_("A requirement needs text in Chinese or English."),
            )
        ]


class KPI(RoleLine):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="kpis")

    class Meta(RoleLine.Meta):
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        constraints = [
            models.CheckConstraint(
                condition=~Q(text_zh="") | ~Q(text_en=""),
                name="kpi_has_text",
                violation_error_message=_("A KPI needs text in Chinese or English."),
            )
        ]


class HeadcountTarget(SourcedContent):
    """How many people a role needs in one phase: a range, min <= max, both >= 0."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="headcount")
    phase = models.ForeignKey(
        "departments.HeadcountPhase", on_delete=models.CASCADE, related_name="targets"
    )
    min_count = models.PositiveIntegerField(
        _("at least"), validators=[NumberLimit(0, HEADCOUNT_LIMIT, _("at least"))]
    )
    max_count = models.PositiveIntegerField(
        _("at most"), validators=[NumberLimit(0, HEADCOUNT_LIMIT, _("at most"))]
    )

    class Meta:
        ordering = ["role", "phase__order"]
        verbose_name = _("head-count target")
        verbose_name_plural = _("head-count targets")
        constraints = [
            models.UniqueConstraint(fields=["role", "phase"], name="one_target_per_role_and_phase"),
            models.CheckConstraint(
                condition=Q(min_count__gte=0),
                name="headcount_min_not_negative",
                violation_error_message=_("Head count cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(min_count__lte=F("max_count")),
                name="headcount_min_not_above_max",
                violation_error_message=_("The minimum head count is above the maximum."),
            ),
        ]

    def __str__(self) -> str:
        if self.min_count == self.max_count:
            return str(self.min_count)
        return f"{self.min_count}–{self.max_count}"


class Collaboration(SourcedContent):
    """A dotted line (对接): two departments, or two roles, that hand work to each other."""

    organization = models.ForeignKey(
        "departments.Organization", on_delete=models.CASCADE, related_name="collaborations"
    )
    from_department = models.ForeignKey(
        "departments.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    to_department = models.ForeignKey(
        "departments.Department", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    from_role = models.ForeignKey(
        "Role", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    to_role = models.ForeignKey(
        "Role", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    description_zh = models.CharField(
        _("description (Chinese)"), max_length=SHORT_TEXT_MAX_LENGTH, blank=True
    )
    description_en = models.CharField(
        _("description (English)"), max_length=SHORT_TEXT_MAX_LENGTH, blank=True
    )
    description = TranslatedField("description")

    class Meta:
        ordering = ["organization", "order", "id"]
        verbose_name = _("collaboration line")
        verbose_name_plural = _("collaboration lines")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(from_department__isnull=False, to_department__isnull=False)
                    & Q(from_role__isnull=True, to_role__isnull=True)
                )
                | (
                    Q(from_role__isnull=False, to_role__isnull=False)
                    & Q(from_department__isnull=True, to_department__isnull=True)
                ),
                name="collaboration_links_two_departments_or_two_roles",
                violation_error_message=_(
                    "A collaboration line links two departments or two roles."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(from_department=models.F("to_department"))
                | Q(from_department__isnull=True),
                name="collaboration_not_department_to_itself",
                violation_error_message=_("A collaboration line needs two different departments."),
            ),
            models.CheckConstraint(
                condition=~Q(from_role=models.F("to_role")) | Q(from_role__isnull=True),
                name="collaboration_not_role_to_itself",
                violation_error_message=_("A collaboration line needs two different roles."),
            ),
        ]

    def __str__(self) -> str:
        return self.description or f"collaboration {self.pk}"


class ExportState(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


# A queued, running or finished job is the one answer for its design revision and options: a
# second request joins it. A failed job does not count, so that a retry starts a new one.
LIVE_EXPORT_STATES = (ExportState.QUEUED, ExportState.RUNNING, ExportState.DONE)


class ExportJob(models.Model):
    """A long export (the handbook, a printed chart, a large spreadsheet) made in the
    background for one revision of a design, with its progress and, once done, its file.

    The file lives in the database, not on a disk, so that every web process and every worker,
    on any machine, reads the same result; it is loaded only when downloaded (`.defer`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "departments.Organization", on_delete=models.CASCADE, related_name="export_jobs"
    )
    kind = models.CharField(max_length=40)
    # The normalized options (language included) as canonical JSON: equal requests, equal keys.
    options = models.JSONField(default=dict)
    options_key = models.CharField(max_length=500)
    revision = models.PositiveBigIntegerField()
    state = models.CharField(max_length=10, choices=ExportState.choices, default="queued")
    step = models.CharField(max_length=200, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    time_limit_seconds = models.PositiveIntegerField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True)
    heartbeat_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    result = models.BinaryField(null=True)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "options_key", "revision"],
                condition=Q(state__in=LIVE_EXPORT_STATES),
                name="one_live_export_per_revision_and_options",
            )
        ]
        indexes = [models.Index(fields=["organization", "kind", "options_key", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} of {self.organization_id} at revision {self.revision} ({self.state})"


# The spreadsheet import's job lives with the import (issue 19); importing it here registers it.
from roles.imports.models import ImportJob, ImportState  # noqa: E402, F401
