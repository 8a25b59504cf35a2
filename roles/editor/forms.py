"""Forms of the browser pages and the editor. They check the shape of the input (numbers, choices,
lengths) and give labelled fields; every rule about the design itself lives in the services.

Also here: the parser of the role form's ordered line lists (`posted_line_rows`) and
`add_service_errors`, which puts a service's `ValidationError` on the form's fields."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from departments.models import HeadcountPhase, MemberRole, Organization
from roles.editor.bilingual import BilingualFormMixin, BilingualText
from roles.models import (
    EmploymentType,
    Level,
    PayStructure,
    RequirementKind,
    Role,
)
from roles.services.role_lines import LineRow
from teamorg.i18n import CONTENT_LANGUAGES
from teamorg.ids import parse_id
from teamorg.limits import (
    CODE_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    HEADCOUNT_LIMIT,
    HIRING_PRIORITY_LIMIT,
    NAME_MAX_LENGTH,
    SALARY_LIMIT,
)
from teamorg.trees import POSITIONS

POSITION_CHOICES = [
    ("last-child", _("Under it, as the last")),
    ("first-child", _("Under it, as the first")),
    ("left", _("Just before it")),
    ("right", _("Just after it")),
]
assert {value for value, _label in POSITION_CHOICES} == set(POSITIONS)

CHILDREN_CHOICES = [
    ("lift", _("Move them up one level")),
    ("refuse", _("Do not delete it while it has any")),
]


class NewOrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX_LENGTH, strip=True)
    slug = forms.SlugField(
        label=_("Web address (optional)"),
        max_length=CODE_MAX_LENGTH,
        required=False,
        help_text=_("Letters, digits and hyphens, used in the page address, e.g. acme-shop."),
    )
    source = forms.ChoiceField(label=_("Start from"), required=False)

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", _("An empty organization")), *sources]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug == "new":
            raise forms.ValidationError(_("This address is reserved; choose another."))
        return slug


class NameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX_LENGTH, strip=True)


class DeleteForm(forms.Form):
    children = forms.ChoiceField(
        label=_("What happens to what is under it?"),
        choices=CHILDREN_CHOICES,
        widget=forms.RadioSelect,
        initial="refuse",
    )


class MoveForm(forms.Form):
    kind = forms.ChoiceField(choices=[("departments", "departments"), ("roles", "roles")])
    node = forms.IntegerField(min_value=1)
    target = forms.IntegerField(label=_("Move to"), min_value=1, required=False)
    position = forms.ChoiceField(label=_("Position"), choices=POSITION_CHOICES)


class HeadcountForm(forms.Form):
    role = forms.IntegerField(min_value=1)
    phase = forms.IntegerField(min_value=1)
    min_count = forms.IntegerField(
        label=_("At least"), min_value=0, max_value=HEADCOUNT_LIMIT, required=False
    )
    max_count = forms.IntegerField(
        label=_("At most"), min_value=0, max_value=HEADCOUNT_LIMIT, required=False
    )


class RoleForm(BilingualFormMixin, forms.Form):
    """A role's own fields. Its texts (title, summary, pay note) are edited in Chinese and
    English side by side; the title is required in at least one of them. `combinable_with`
    offers only the other roles of the role's organization (the service checks again)."""

    bilingual_model = Role
    bilingual_texts = (
        BilingualText("title", _("Title"), required=True),
        BilingualText("summary", _("Summary"), multiline=True),
        BilingualText("pay_note", _("Pay note")),
        BilingualText("location", _("Work location (empty: the organization's)"), multiline=True),
        BilingualText("offers", _("What this role offers (one per line)"), multiline=True),
    )

    department = forms.TypedChoiceField(label=_("Department"), coerce=int)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    employment_type = forms.ChoiceField(label=_("Employment type"), choices=EmploymentType.choices)
    hiring_priority = forms.IntegerField(
        label=_("Hiring priority"),
        min_value=1,
        max_value=HIRING_PRIORITY_LIMIT,
        required=False,
        help_text=_("1 = hire first."),
    )
    # 关键岗位 (issue 20): labelled and explained as the model field is, so the form, the API
    # and the admin say the same.
    key_position = forms.BooleanField(
        label=capfirst(Role._meta.get_field("key_position").verbose_name),
        required=False,
        help_text=Role._meta.get_field("key_position").help_text,
    )
    pay_structure = forms.ChoiceField(
        label=_("Pay structure"),
        choices=[("", _("Not set")), *PayStructure.choices],
        required=False,
    )
    salary_min = forms.IntegerField(
        label=_("Monthly salary from (CNY)"), min_value=0, max_value=SALARY_LIMIT, required=False
    )
    salary_max = forms.IntegerField(
        label=_("Monthly salary to (CNY)"), min_value=0, max_value=SALARY_LIMIT, required=False
    )
    combinable_with = forms.TypedMultipleChoiceField(
        label=_("May be combined with (一人多职)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Roles one person may hold together with this one early on."),
    )

    def __init__(self, *args, departments=(), other_roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_bilingual_fields()
        self.fields["department"].choices = [
            (department.pk, "\u2003" * department.depth + department.name)
            for department in departments
        ]
        self.fields["combinable_with"].choices = [(role.pk, role.title) for role in other_roles]

    def clean(self):
        cleaned = super().clean()
        self.clean_bilingual(cleaned)
        low, high = cleaned.get("salary_min"), cleaned.get("salary_max")
        if low is not None and high is not None and low > high:
            self.add_error("salary_max", _("The salary “to” must not be below the salary “from”."))
        return cleaned

    def plain_fields(self) -> list[forms.BoundField]:
        """The fields the template lays out one by one (not the texts, not the combinations)."""
        skip = {
            f"{text.name}_{language}"
            for text in self.bilingual_texts
            for language in CONTENT_LANGUAGES
        }
        return [field for field in self if field.name not in skip | {"combinable_with"}]


REQUIREMENT_KIND_CHOICES = RequirementKind.choices
# The role form's line lists: each posts `<prefix>-id`, `<prefix>-text_zh` and `<prefix>-text_en`
# (requirements also `<prefix>-kind`, and `<prefix>-preferred`: "1" for a nice-to-have (优先),
# "" for a must) once per line, in the order shown. The prefixes are the services' line kinds.
LINE_PREFIXES = ("duties", "requirements", "kpis")
KINDED_LINES = "requirements"


def posted_line_rows(data: QueryDict) -> dict[str, list[LineRow]]:
    """The role form's lines as posted, every row in order (an emptied row included: the form
    shows it again if the save fails; the service drops it)."""
    rows = {}
    for prefix in LINE_PREFIXES:
        ids = data.getlist(f"{prefix}-id")
        texts = [data.getlist(f"{prefix}-text_{language}") for language in CONTENT_LANGUAGES]
        kinds = data.getlist(f"{prefix}-kind") if prefix == KINDED_LINES else [""] * len(ids)
        needs = data.getlist(f"{prefix}-preferred") if prefix == KINDED_LINES else [""] * len(ids)
        # A blank id is a new line; anything else must be an id (a malformed one was taken for
        # a new line, issue 17 item 4).
        line_ids = [parse_id(line_id) if line_id.strip() else None for line_id in ids]
        malformed = any(
            line_id is None and raw.strip() for line_id, raw in zip(line_ids, ids, strict=True)
        ) or any(need not in ("", "1") for need in needs)
        # A form without the preferred column (a page loaded before it existed) is refused
        # rather than read as "all required", which would clear every preferred mark.
        if malformed or any(len(column) != len(ids) for column in (*texts, kinds, needs)):
            raise ValidationError(
                gettext("The list of lines was garbled in transit; reload the page."),
                code="invalid",
            )
        rows[prefix] = [
            LineRow(
                id=line_id,
                **{
                    f"text_{language}": column[index].strip()
                    for language, column in zip(CONTENT_LANGUAGES, texts, strict=True)
                },
                kind=kinds[index],
                preferred=needs[index] == "1",
            )
            for index, line_id in enumerate(line_ids)
        ]
    return rows


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's errors on the form's fields: a bilingual column (`title_en`, `name_zh`)
    on the field that edits it (`title`, `name`); what no field shows on the form as a whole."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        name = field
        for language in CONTENT_LANGUAGES:
            name = name.removesuffix(f"_{language}")
        form.add_error(name if name in form.fields else None, errors)


# --- organization settings, members, phases ----------------------------------------------------


class OrganizationSettingsForm(BilingualFormMixin, forms.Form):
    """The organization's own fields; limits come from the model's fields."""

    bilingual_model = Organization
    bilingual_texts = (
        BilingualText("name", _("Name"), required=True),
        BilingualText("description", _("Description"), multiline=True),
        # The profile a candidate's job description shows (PROFILE_TEXTS).
        BilingualText("company_intro", _("Company introduction"), multiline=True),
        BilingualText("locations", _("Work locations (one per line)"), multiline=True),
        BilingualText("benefits", _("What we offer (one per line)"), multiline=True),
        BilingualText("how_to_apply", _("How to apply"), multiline=True),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("business_model", "span_of_control_limit", "layer_limit"):
            self.fields[name] = Organization._meta.get_field(name).formfield()
        self.add_bilingual_fields()

    def clean(self):
        cleaned = super().clean()
        self.clean_bilingual(cleaned)
        return cleaned


class MemberAddForm(forms.Form):
    who = forms.CharField(
        label=_("User name or e-mail"),
        max_length=EMAIL_MAX_LENGTH,
        strip=True,
        help_text=_(
            "The colleague gets access once they accept the invitation on their dashboard."
        ),
    )
    role = forms.ChoiceField(label=_("Right"), choices=MemberRole.choices, initial="viewer")


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Right"), choices=MemberRole.choices)


class PhaseForm(BilingualFormMixin, forms.Form):
    """A growth phase: names and description in both languages, its month range."""

    bilingual_model = HeadcountPhase
    bilingual_texts = (
        BilingualText("name", _("Name"), required=True),
        BilingualText("description", _("Description"), multiline=True),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in (("start_month", _("From month")), ("end_month", _("To month"))):
            field = HeadcountPhase._meta.get_field(name).formfield(min_value=0)
            field.label = label
            self.fields[name] = field
        self.fields["end_month"].help_text = _("Leave empty for an open-ended last phase.")
        self.add_bilingual_fields()

    def clean(self):
        cleaned = super().clean()
        self.clean_bilingual(cleaned)
        start, end = cleaned.get("start_month"), cleaned.get("end_month")
        if start is not None and end is not None and start > end:
            self.add_error("end_month", _("A phase cannot end before it starts."))
        return cleaned


PHASE_TARGET_CHOICES = [
    ("delete", _("Delete its head count with the phase")),
    ("move", _("Move its head count to another phase")),
]


class PhaseDeleteForm(forms.Form):
    targets = forms.ChoiceField(
        label=_("What happens to the head count set for this phase?"),
        choices=PHASE_TARGET_CHOICES,
        widget=forms.RadioSelect,
        initial="delete",
    )
    move_to = forms.TypedChoiceField(label=_("Move it to"), coerce=int, required=False)

    def __init__(self, *args, phases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["move_to"].choices = [("", "—")] + [(p.pk, p.name) for p in phases]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("targets") == "move" and not cleaned.get("move_to"):
            self.add_error("move_to", _("Choose the phase that takes the head count."))
        return cleaned


def add_column_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's errors on the form's fields. A bilingual form has a field per column
    (`name_zh`), so a column's error goes on that input; the rest as `add_service_errors`."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    rest = {}
    for field, errors in error.error_dict.items():
        if field in form.fields:
            form.add_error(field, errors)
        else:
            rest[field] = errors
    if rest:
        add_service_errors(form, ValidationError(rest))
