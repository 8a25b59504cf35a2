"""Every input limit of TeamOrg, defined once: text lengths, number ranges, how deep a JSON body
may nest and how large one organization may grow.

The models' fields and validators, the services, the API's serializers, the editor's forms and
inputs (`maxlength`, `max`) and the admin all read these numbers, so a value one channel takes
is a value every channel takes, and a value one refuses, all refuse with the same reason. The
services are where a limit is enforced (every write goes through them); the other channels read
the same numbers only to refuse early and to tell the user the limit before they type.

Why these numbers (docs/architecture.md, "Input limits"): they keep every page, chart, document
and export of the largest design we measure (docs/benchmarks.md: 5,000 roles) within its time
budget, and every stored number far inside the database's integer columns (PostgreSQL's integer
is 32-bit; SQLite would store anything and let PostgreSQL fail later with a 500).
"""

from django.core.exceptions import ValidationError
from django.core.validators import BaseValidator, MaxLengthValidator
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# --- text lengths (characters) ------------------------------------------------------------------

NAME_MAX_LENGTH = 200  # organization and department names, role titles
PHASE_NAME_MAX_LENGTH = 100
SHORT_TEXT_MAX_LENGTH = 300  # pay notes, collaboration descriptions, a line's source note
CODE_MAX_LENGTH = 80  # slugs and codes, which become parts of URLs and file names
# Summaries, descriptions, charter functions, source notes. A job description of 10,000
# characters already fills about four printed pages; 800,000 made the JD and the handbook time
# out.
LONG_TEXT_MAX_LENGTH = 10_000
LINE_MAX_LENGTH = 2_000  # one duty, requirement or KPI
# The organization profile a candidate's job description shows (and a role's own additions):
# a company introduction or a list of offers of 4,000 characters is already a printed page.
PROFILE_TEXT_MAX_LENGTH = 4_000  # company introduction; benefits / what we offer (one per line)
LOCATION_MAX_LENGTH = 1_000  # work locations, one per line (organization, or a role's own)
CONTACT_MAX_LENGTH = 1_000  # how to apply: whom to write to, where, what to send
USERNAME_MAX_LENGTH = 150  # Django's user name column
EMAIL_MAX_LENGTH = 254  # RFC 5321's longest address

# --- number ranges ------------------------------------------------------------------------------

# People one role may need in one phase; sums over 5,000 roles stay far inside 32 bits.
HEADCOUNT_LIMIT = 100_000
# People one department is planned to have in one phase (部门定编, issue 20): it covers the
# department with its sub-departments, so it may exceed one role's limit; 1,000 departments at
# this limit still sum inside 32 bits.
DEPARTMENT_HEADCOUNT_LIMIT = 1_000_000
SALARY_LIMIT = 10_000_000  # a monthly salary in CNY
HIRING_PRIORITY_LIMIT = 999
MONTH_LIMIT = 1_200  # a growth phase's months (a hundred years)
SPAN_OF_CONTROL_RANGE = (1, 100)
LAYER_LIMIT_RANGE = (1, 30)

# --- request shape ------------------------------------------------------------------------------

# No API body nests deeper than a few levels (a tree is sent as ids, not nested).
MAX_JSON_DEPTH = 32

# --- organization size --------------------------------------------------------------------------

# The largest design the benchmarks measure every page and export at (docs/benchmarks.md).
ROLES_PER_ORGANIZATION = 5_000
# The benchmarks' 5,000 roles sit in 500 departments; twice that still draws in budget.
DEPARTMENTS_PER_ORGANIZATION = 1_000
# Duties, requirements and KPIs: each kind, per role. The longest template role has 12 duties;
# 50 lines of 2,000 characters is a job description of dozens of pages.
LINES_PER_ROLE = 50
# Growth phases: one column each in the head-count grid, the plan and its exports.
PHASES_PER_ORGANIZATION = 20
# Open invitations of one organization: enough for a whole team at once, too few to probe
# for accounts.
OPEN_INVITATIONS_PER_ORGANIZATION = 100

# --- spreadsheet import (roles/imports) ---------------------------------------------------------

# An uploaded XLSX or CSV. A 5,000-role sheet with every text filled is about 3 MB as XLSX and
# 8 MB as CSV; anything larger is refused before it is read.
IMPORT_FILE_MAX_BYTES = 10 * 1024 * 1024
# What an XLSX may unpack to (the sum of its zip members' sizes), checked before openpyxl opens
# it: a zip bomb of a few kilobytes can unpack to gigabytes.
IMPORT_UNPACKED_MAX_BYTES = 100 * 1024 * 1024
# Rows of one sheet: the largest design (5,000 roles, 1,000 departments, 20 phases) plus its
# collaboration lines.
IMPORT_ROWS_MAX = 10_000
IMPORT_COLUMNS_MAX = 200


@deconstructible
class TextLimit(MaxLengthValidator):
    """A text column's length limit, whose message names the field and the limit."""

    message = _(
        "%(field)s: at most %(limit_value)d characters are allowed (this text has %(show_value)d)."
    )

    def __init__(self, limit_value: int, field: str = "") -> None:
        super().__init__(limit_value)
        self.field = field

    def __call__(self, value) -> None:
        shown = self.clean(value)
        if self.compare(shown, self.limit_value):
            params = {
                "field": capfirst(self.field),
                "limit_value": self.limit_value,
                "show_value": shown,
                "value": value,
            }
            raise ValidationError(self.message, code=self.code, params=params)

    def __eq__(self, other) -> bool:
        return super().__eq__(other) and self.field == other.field


@deconstructible
class NumberLimit(BaseValidator):
    """A number column's range low…high, whose message names the field and the range."""

    message = _("%(field)s must be between %(low)s and %(high)s.")
    code = "out_of_range"

    def __init__(self, low: int, high: int, field: str = "") -> None:
        super().__init__(high)
        self.low, self.high, self.field = low, high, field

    def __call__(self, value) -> None:
        if value is not None and not self.low <= value <= self.high:
            params = {"field": capfirst(self.field), "low": self.low, "high": self.high}
            raise ValidationError(self.message, code=self.code, params=params)

    def __eq__(self, other) -> bool:
        return isinstance(other, NumberLimit) and (self.low, self.high, self.field) == (
            other.low,
            other.high,
            other.field,
        )


def size_limit_error(field: str, message: str, limit: int, code: str = "limit_reached"):
    """The refusal of a write that would make an organization larger than its limit."""
    return ValidationError({field: ValidationError(message % {"limit": limit}, code=code)})


def long_text(verbose_name, limit: int = LONG_TEXT_MAX_LENGTH, **kwargs) -> models.TextField:
    """A text column of at most `limit` characters: `max_length` gives the forms (editor,
    admin) and the API their limit, the validator makes `full_clean()` (the services) refuse
    more, naming the field."""
    return models.TextField(
        verbose_name, max_length=limit, validators=[TextLimit(limit, verbose_name)], **kwargs
    )
