"""Organizations (one org design each), their members, growth phases, departments and the
dotted collaboration lines between departments or roles."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey

from teamorg.content import LineOrigins, SourcedContent, line_pairs, line_sources
from teamorg.i18n import TranslatedField
from teamorg.limits import (
    CODE_MAX_LENGTH,
    CONTACT_MAX_LENGTH,
    DEPARTMENT_HEADCOUNT_LIMIT,
    EMAIL_MAX_LENGTH,
    LAYER_LIMIT_RANGE,
    LOCATION_MAX_LENGTH,
    MONTH_LIMIT,
    NAME_MAX_LENGTH,
    PHASE_NAME_MAX_LENGTH,
    PHASES_PER_ORGANIZATION,
    PROFILE_TEXT_MAX_LENGTH,
    SPAN_OF_CONTROL_RANGE,
    NumberLimit,
    long_text,
)


class BusinessModel(models.TextChoices):
    STARTUP = "startup", _("Startup shop")
    PLATFORM = "platform", _("Platform / marketplace")
    DIRECT_SALES = "direct-sales", _("Direct sales (own B2C shop)")
    TRADITIONAL_BRAND = "traditional-brand", _("Traditional brand going online")
    CROSS_BORDER = "cross-border", _("Cross-border")
    CUSTOM = "custom", _("Custom")


# The bilingual texts of an organization's profile, which a candidate's job description shows.
PROFILE_TEXTS = ("company_intro", "locations", "benefits", "how_to_apply")


class Organization(models.Model):
    """One org design. Its revision goes up on every change to anything inside it."""

    slug = models.SlugField(_("slug"), max_length=CODE_MAX_LENGTH, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=NAME_MAX_LENGTH, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=NAME_MAX_LENGTH, blank=True)
    business_model = models.CharField(
        _("business model"), max_length=20, choices=BusinessModel, default=BusinessModel.CUSTOM
    )
    description_zh = long_text(_("description (Chinese)"), blank=True)
    description_en = long_text(_("description (English)"), blank=True)
    is_template = models.BooleanField(_("is a template"), default=False)
    source_note = long_text(_("source note"), blank=True)
    # The profile a candidate's job description shows (issue 18); empty in the templates, which
    # describe no company.
    company_intro_zh = long_text(
        _("company introduction (Chinese)"), PROFILE_TEXT_MAX_LENGTH, blank=True
    )
    company_intro_en = long_text(
        _("company introduction (English)"), PROFILE_TEXT_MAX_LENGTH, blank=True
    )
    locations_zh = long_text(
        _("locations (Chinese)"), LOCATION_MAX_LENGTH, blank=True, help_text=_("One per line.")
    )
    locations_en = long_text(
        _("locations (English)"), LOCATION_MAX_LENGTH, blank=True, help_text=_("One per line.")
    )
    benefits_zh = long_text(
        _("what we offer (Chinese)"),
        PROFILE_TEXT_MAX_LENGTH,
        blank=True,
        help_text=_("One per line."),
    )
    benefits_en = long_text(
        _("what we offer (English)"),
        PROFILE_TEXT_MAX_LENGTH,
        blank=True,
        help_text=_("One per line."),
    )
    how_to_apply_zh = long_text(_("how to apply (Chinese)"), CONTACT_MAX_LENGTH, blank=True)
    how_to_apply_en = long_text(_("how to apply (English)"), CONTACT_MAX_LENGTH, blank=True)
    cloned_from = models.ForeignKey(
        "self",
        verbose_name=_("cloned from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clones",
    )
    revision = models.PositiveBigIntegerField(_("revision"), default=1, editable=False)
    span_of_control_limit = models.PositiveSmallIntegerField(
        _("span of control limit"),
        default=12,
        validators=[NumberLimit(*SPAN_OF_CONTROL_RANGE, _("span of control limit"))],
        help_text=_("Most direct reports one manager should carry (the articles say 10-12)."),
    )
    layer_limit = models.PositiveSmallIntegerField(
        _("layer limit"),
        default=5,
        validators=[NumberLimit(*LAYER_LIMIT_RANGE, _("layer limit"))],
        help_text=_("Most reporting layers before the design counts as too deep."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    name = TranslatedField("name")
    description = TranslatedField("description")
    company_intro = TranslatedField("company_intro")
    locations = TranslatedField("locations")
    benefits = TranslatedField("benefits")
    how_to_apply = TranslatedField("how_to_apply")

    class Meta:
        ordering = ["-is_template", "slug"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(name_zh="") | ~Q(name_en=""),
                name="organization_has_a_name",
                violation_error_message=_("An organization needs a name in Chinese or English."),
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.slug

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("member role"), max_length=10, choices=MemberRole)
    created_at = models.DateTimeField(auto_now_add=True)
    # Who gave the member access (the owner whose invitation they accepted); the member sees
    # it on their dashboard. None for the organization's creator and for older memberships.
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="one_membership_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class Invitation(models.Model):
    """An owner's offer of a member role to the account a user name or e-mail address names.

    The inviter never learns whether that account exists: an invitation is made, listed and
    withdrawn the same way either way, `user` (the account it reached, if any) is never shown
    to the inviter, and a declined invitation still looks open to them until it expires. The
    invitee sees it on their dashboard — the organization, who invited them and when — and
    only their acceptance makes them a member (`departments.invitations`)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    address = models.CharField(
        _("user name or e-mail"), max_length=EMAIL_MAX_LENGTH, help_text=_("As the owner typed it.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    role = models.CharField(_("member role"), max_length=10, choices=MemberRole)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("invited at"))
    expires_at = models.DateTimeField(_("expires at"))
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "address"], name="one_invitation_per_address"
            )
        ]

    def __str__(self) -> str:
        return f"{self.address} · {self.get_role_display()}"


class HeadcountPhase(SourcedContent):
    """A growth phase of an organization, e.g. 启动期 (months 0-6). A template's phase says
    where it comes from like any other template content (an article's 前6个月, or a fill)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="phases")
    # Orders are renumbered 1…n by the services; the range leaves room for the two-pass reorder.
    order = models.PositiveSmallIntegerField(
        _("order"), validators=[NumberLimit(1, 10 * PHASES_PER_ORGANIZATION, _("order"))]
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=PHASE_NAME_MAX_LENGTH, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=PHASE_NAME_MAX_LENGTH, blank=True)
    start_month = models.PositiveSmallIntegerField(
        _("from month"),
        null=True,
        blank=True,
        validators=[NumberLimit(0, MONTH_LIMIT, _("from month"))],
    )
    end_month = models.PositiveSmallIntegerField(
        _("to month"),
        null=True,
        blank=True,
        validators=[NumberLimit(0, MONTH_LIMIT, _("to month"))],
    )
    description_zh = long_text(_("description (Chinese)"), blank=True)
    description_en = long_text(_("description (English)"), blank=True)

    name = TranslatedField("name")
    description = TranslatedField("description")

    class Meta:
        ordering = ["organization", "order"]
        verbose_name = _("head-count phase")
        verbose_name_plural = _("head-count phases")
        constraints = [
            models.UniqueConstraint(fields=["organization", "order"], name="phase_order_unique"),
            models.CheckConstraint(
                condition=~Q(name_zh="") | ~Q(name_en=""),
                name="phase_has_a_name",
                violation_error_message=_("A phase needs a name in Chinese or English."),
            ),
            models.CheckConstraint(
                condition=Q(start_month__isnull=True)
                | Q(end_month__isnull=True)
                | Q(start_month__lte=models.F("end_month")),
                name="phase_months_in_order",
                violation_error_message=_("A phase cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FunctionGroup(models.TextChoices):
    """The function model of the articles: who serves customers and who supports them."""

    MANAGEMENT = "management", _("Management")
    FRONT_LINE = "front-line", _("Front line")
    OPERATIONS_SUPPORT = "operations-support", _("Operations support")
    LOGISTICS_SUPPORT = "logistics-support", _("Back-office support")


class Department(MPTTModel, SourcedContent):
    """A department; the tree of an organization's departments is an MPTT tree.

    Never set `parent` or call `move_to` outside `departments.services`: tree writes need the
    lock in `teamorg.locking`.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="departments"
    )
    parent = TreeForeignKey(
        "self",
        verbose_name=_("parent department"),
        null=True,
        blank=True,
        # RESTRICT, not CASCADE: deleting a department never silently takes its sub-departments
        # with it (services lift or refuse); deleting the whole organization still works.
        on_delete=models.RESTRICT,
        related_name="children",
    )
    code = models.SlugField(_("code"), max_length=CODE_MAX_LENGTH)
    name_zh = models.CharField(_("name (Chinese)"), max_length=NAME_MAX_LENGTH, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=NAME_MAX_LENGTH, blank=True)
    summary_zh = long_text(_("summary (Chinese)"), blank=True)
    summary_en = long_text(_("summary (English)"), blank=True)
    functions_zh = long_text(_("functions (Chinese)"), blank=True, help_text=_("One per line."))
    functions_en = long_text(_("functions (English)"), blank=True, help_text=_("One per line."))
    # Where each function line comes from, one {origin, source_note} per line (line n of
    # functions_zh with line n of functions_en, blank lines left out): a seed department may
    # hold lines TeamOrg filled in, and a line the user rewrote is the user's. The services keep
    # it in step with the texts (`departments.services.function_origins`). Empty: not known
    # line by line (rows older than the column), every line takes the department's origin.
    functions_origin = models.JSONField(
        _("origin of each function line"),
        default=list,
        blank=True,
        validators=[LineOrigins(_("origin of each function line"))],
    )
    function_group = models.CharField(
        _("function group"), max_length=20, choices=FunctionGroup, blank=True
    )

    name = TranslatedField("name")
    summary = TranslatedField("summary")
    functions = TranslatedField("functions")

    class MPTTMeta:
        parent_attr = "parent"
        # "level" is a role's grade (executive … assistant); the tree depth is "depth".
        level_attr = "depth"

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="department_code_unique"),
            models.CheckConstraint(
                condition=~Q(name_zh="") | ~Q(name_en=""), name="department_has_a_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        lines = len(line_pairs(self.functions_zh, self.functions_en))
        origins = self.functions_origin
        if isinstance(origins, list) and origins and len(origins) != lines:
            raise ValidationError(
                {
                    "functions_origin": ValidationError(
                        _(
                            "The origins of the function lines (%(origins)s) do not match "
                            "the function lines (%(lines)s)."
                        ),
                        code="line_count_mismatch",
                        params={"origins": len(self.functions_origin), "lines": lines},
                    )
                }
            )

    @property
    def function_sources(self) -> list[dict[str, str]]:
        """{origin, source_note} of each function line, in order (see `functions_origin`)."""
        return line_sources(
            self.functions_zh, self.functions_en, self.functions_origin, self.origin
        )

    @property
    def function_lines(self) -> list[str]:
        return [line.strip() for line in self.functions.splitlines() if line.strip()]


class DepartmentHeadcount(SourcedContent):
    """How many people a department is planned to have in one phase (部门定编): a range,
    min <= max, both >= 0, covering the department with its sub-departments.

    Set apart from its roles' head count (定岗定编): HR sets a department's establishment and
    its positions' head counts separately, and the two need not agree (000's staffing table
    gives 商品部 "前期共计(3人)" over role rows adding up to 5). The plan, the charts, the
    charter and the API show both; a health check explains where they differ."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="headcount")
    phase = models.ForeignKey(
        HeadcountPhase, on_delete=models.CASCADE, related_name="department_targets"
    )
    min_count = models.PositiveIntegerField(
        _("at least"), validators=[NumberLimit(0, DEPARTMENT_HEADCOUNT_LIMIT, _("at least"))]
    )
    max_count = models.PositiveIntegerField(
        _("at most"), validators=[NumberLimit(0, DEPARTMENT_HEADCOUNT_LIMIT, _("at most"))]
    )

    class Meta:
        ordering = ["department", "phase__order"]
        verbose_name = _("department head count")
        verbose_name_plural = _("department head counts")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "phase"], name="one_department_target_per_phase"
            ),
            models.CheckConstraint(
                condition=Q(min_count__lte=models.F("max_count")),
                name="department_headcount_min_not_above_max",
                violation_error_message=_("The minimum head count is above the maximum."),
            ),
        ]

    def __str__(self) -> str:
        if self.min_count == self.max_count:
            return str(self.min_count)
        return f"{self.min_count}–{self.max_count}"


class UserPreferences(models.Model):
    """What a user chose for themselves, kept with the account rather than one browser."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="preferences",
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("user preferences")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return f"{self.user} · {self.language}"


class Channel(models.TextChoices):
    """Where a change came from."""

    EDITOR = "editor", _("editor")
    API = "api", _("API")
    ADMIN = "admin", _("admin")
    TEMPLATE = "template", _("template reload")
    IMPORT = "import", _("import")
    RESTORE = "restore", _("restore")
    SYSTEM = "system", _("command line")


class RevisionKind(models.TextChoices):
    CHANGE = "change", _("change")
    UNDO = "undo", _("undo")
    REDO = "redo", _("redo")
    REVERT = "revert", _("revert")
    RESTORE = "restore", _("restore")
    CREATED = "created", _("created")


class Revision(models.Model):
    """One write to an organization's design: who, when, through which channel. What changed
    is in its `RowChange`s (written by database triggers, see `departments.history`)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveBigIntegerField(_("revision"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept as it was, so the history still names a person whose account was deleted.
    user_name = models.CharField(_("changed by"), max_length=150, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    kind = models.CharField(
        _("kind"), max_length=10, choices=RevisionKind, default=RevisionKind.CHANGE
    )
    # An undo, redo or revert names the revision whose changes it took back; a restore names
    # the revision number it restored; a copy names where it came from.
    reverts = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reverted_by"
    )
    restored_number = models.PositiveBigIntegerField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    # The editor tab (a random id per page) that made it: a tab's own earlier writes are never
    # a conflict for it, and the same person in another tab is told it was them.
    client = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="one_revision_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} r{self.number}"


class RowChange(models.Model):
    """One row inserted (`I`), updated (`U`) or deleted (`D`) by a revision, with the tracked
    columns before and after. Written only by the database triggers."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="changes")
    table = models.CharField(max_length=64)
    row_id = models.BigIntegerField()
    op = models.CharField(max_length=1)
    old = models.JSONField(null=True)
    new = models.JSONField(null=True)

    class Meta:
        indexes = [models.Index(fields=["table", "row_id"], name="rowchange_row")]

    def __str__(self) -> str:
        return f"{self.op} {self.table} {self.row_id}"

    def changed_columns(self) -> set[str]:
        if self.op != "U":
            return set(self.new or self.old)
        return {name for name, value in self.new.items() if self.old.get(name) != value}


class TreeShape(models.Model):
    """The order of an organization's tree (`table`) from revision `number` on. Recorded when a
    revision changes a tree, because the MPTT columns that hold sibling order are not in the row
    changes (a move renumbers every row).

    `whole`: `nodes` is every node as `[id, parent id]` in tree order. Otherwise `nodes` is what
    the revision's moves placed, `[id, parent id, previous sibling id]` in the order they were
    made (`None`: the first child), and the order is the shape before with each placement made
    in turn (`departments.history.replay.shape_at`)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="tree_shapes"
    )
    number = models.PositiveBigIntegerField()
    table = models.CharField(max_length=64)
    nodes = models.JSONField()
    whole = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "table", "number"], name="treeshape_at")]

    def __str__(self) -> str:
        return f"{self.table} from r{self.number}"


class HistoryCursor(models.Model):
    """The revision the current transaction records into. The triggers read it; a write inserts
    it when it starts and deletes it before it commits, so no other transaction ever sees it."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"recording r{self.revision_id}"
