"""Roles (`/roles/`): positions with their duties, requirements, KPIs and head count per
phase, and `move` in the reporting tree. Writes go through `roles.services`.

`RoleSerializer` is the ROLE object of the design contract, the same in `GET /roles/{id}/`, the
role list and the whole-design tree (`roles.api.tree`): all three are built by
`roles.selectors.role_items`. The input serializers check shapes and map the convenience texts to
the request language; the rules (cycles, organizations, head-count ranges, phases of the
organization) are the services'.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from departments.history.versions import VersionParts
from departments.models import Department, Organization
from departments.selectors import organizations_visible_to
from roles import services
from roles.api.common import (
    CHILDREN_PARAMETER,
    WRITE_PARAMETERS,
    parse_children_policy,
    with_etag,
)
from roles.api.fields import (
    MAX_ID,
    BaseModelSerializer,
    BilingualInputMixin,
    TextField,
    VisibleOrganizationField,
    VisibleRelatedField,
    convenience_text,
)
from roles.api.filters import RoleFilter
from roles.api.scoped import ScopedViewSet, scoped_schema
from roles.models import (
    KPI,
    Duty,
    EmploymentType,
    HeadcountTarget,
    Level,
    PayStructure,
    Requirement,
    RequirementKind,
    Role,
)
from roles.selectors import role_items
from teamorg.i18n import content_language
from teamorg.limits import (
    HEADCOUNT_LIMIT,
    LINE_MAX_LENGTH,
    LINES_PER_ROLE,
    LOCATION_MAX_LENGTH,
    LONG_TEXT_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PHASES_PER_ORGANIZATION,
    PROFILE_TEXT_MAX_LENGTH,
    SHORT_TEXT_MAX_LENGTH,
)
from teamorg.trees import POSITIONS

PREFERRED_HELP = gettext_lazy(
    "A nice-to-have (优先): the job description lists it apart from the required ones."
)


class RoleRequirementSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RequirementKind.choices)
    preferred = serializers.BooleanField(help_text=PREFERRED_HELP)
    text = serializers.CharField()
    text_zh = serializers.CharField(required=False)
    text_en = serializers.CharField(required=False)


class RoleHeadcountSerializer(serializers.Serializer):
    phase = serializers.IntegerField(help_text=_("Id of a head-count phase."))
    min = serializers.IntegerField(min_value=0)
    max = serializers.IntegerField(min_value=0)


class RoleSerializer(serializers.Serializer):
    """A role with its duties, requirements, KPIs and head count per phase: the ROLE object of
    the design contract, the same in `GET /roles/{id}/`, the role list and the tree."""

    id = serializers.IntegerField()
    organization = serializers.CharField(help_text=_("Slug of the organization."))
    code = serializers.CharField()
    title = serializers.CharField()
    department = serializers.IntegerField()
    reports_to = serializers.IntegerField(allow_null=True)
    level = serializers.ChoiceField(choices=Level.choices)
    employment_type = serializers.ChoiceField(choices=EmploymentType.choices)
    hiring_priority = serializers.IntegerField(allow_null=True, help_text=_("1 = hire first."))
    key_position = serializers.BooleanField(
        help_text=_("A key position: to be filled first, before the rest of the team.")
    )
    summary = serializers.CharField()
    pay_structure = serializers.ChoiceField(choices=PayStructure.choices, allow_blank=True)
    salary_min = serializers.IntegerField(allow_null=True)
    salary_max = serializers.IntegerField(allow_null=True)
    pay_note = serializers.CharField()
    location = serializers.CharField(
        help_text=_("The role's own work location; empty: the organization's locations apply.")
    )
    offers = serializers.CharField(
        help_text=_("What this role offers beyond the organization's offers, one per line.")
    )
    origin = serializers.CharField()
    source_note = serializers.CharField()
    combinable_with = serializers.ListField(child=serializers.IntegerField())
    duties = serializers.ListField(child=serializers.CharField())
    requirements = RoleRequirementSerializer(many=True)
    kpis = serializers.ListField(child=serializers.CharField())
    headcount = RoleHeadcountSerializer(many=True)
    # Only with ?both=1:
    title_zh = serializers.CharField(required=False)
    title_en = serializers.CharField(required=False)
    summary_zh = serializers.CharField(required=False)
    summary_en = serializers.CharField(required=False)
    pay_note_zh = serializers.CharField(required=False)
    pay_note_en = serializers.CharField(required=False)
    location_zh = serializers.CharField(required=False)
    location_en = serializers.CharField(required=False)
    offers_zh = serializers.CharField(required=False)
    offers_en = serializers.CharField(required=False)
    duties_zh = serializers.ListField(child=serializers.CharField(), required=False)
    duties_en = serializers.ListField(child=serializers.CharField(), required=False)
    kpis_zh = serializers.ListField(child=serializers.CharField(), required=False)
    kpis_en = serializers.ListField(child=serializers.CharField(), required=False)

    def to_representation(self, instance: Role) -> dict:
        # The same builder as the tree and the list, so the shapes cannot drift apart.
        (item,) = role_items(
            Role.objects.filter(pk=instance.pk),
            scope={"pk": instance.pk},
            both=self.context.get("both", False),
        )
        return item


def lines_field(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=TextField(max_length=LINE_MAX_LENGTH, allow_blank=True),
        max_length=LINES_PER_ROLE,
        required=False,
        help_text=help_text,
    )


class RequirementInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RequirementKind.choices, default=RequirementKind.OTHER)
    preferred = serializers.BooleanField(default=False, help_text=PREFERRED_HELP)
    text = TextField(
        max_length=LINE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text=_("Written to the column of the request language (?lang=)."),
    )
    text_zh = TextField(max_length=LINE_MAX_LENGTH, required=False, allow_blank=True)
    text_en = TextField(max_length=LINE_MAX_LENGTH, required=False, allow_blank=True)


class HeadcountInputSerializer(serializers.Serializer):
    phase = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    min = serializers.IntegerField(
        min_value=0,
        max_value=HEADCOUNT_LIMIT,
        error_messages={"min_value": _("Head count cannot be negative.")},
    )
    max = serializers.IntegerField(
        min_value=0,
        max_value=HEADCOUNT_LIMIT,
        required=False,
        help_text=_("Defaults to min."),
        error_messages={"min_value": _("Head count cannot be negative.")},
    )


class RoleUpdateSerializer(BilingualInputMixin, BaseModelSerializer):
    """Fields a PATCH may change. Lists (duties, requirements, KPIs, head count, combinable
    roles) are replaced as a whole when given."""

    bilingual = ("title", "summary", "pay_note", "location", "offers")

    title = convenience_text(NAME_MAX_LENGTH)
    summary = convenience_text(LONG_TEXT_MAX_LENGTH)
    pay_note = convenience_text(SHORT_TEXT_MAX_LENGTH)
    location = convenience_text(LOCATION_MAX_LENGTH)
    offers = convenience_text(PROFILE_TEXT_MAX_LENGTH)
    department = VisibleRelatedField(Department, required=False)
    combinable_with = VisibleRelatedField(
        Role,
        many=True,
        required=False,
        help_text=_("Ids of roles one person may hold together with this one early on."),
    )
    duties = lines_field(_("Duties in the request language, in order (replaces all duties)."))
    duties_zh = lines_field(_("Duties in Chinese; line n pairs with line n of duties_en."))
    duties_en = lines_field(_("Duties in English; line n pairs with line n of duties_zh."))
    kpis = lines_field(_("KPIs in the request language, in order (replaces all KPIs)."))
    kpis_zh = lines_field(_("KPIs in Chinese; line n pairs with line n of kpis_en."))
    kpis_en = lines_field(_("KPIs in English; line n pairs with line n of kpis_zh."))
    requirements = RequirementInputSerializer(many=True, required=False, max_length=LINES_PER_ROLE)
    headcount = HeadcountInputSerializer(
        many=True,
        required=False,
        max_length=PHASES_PER_ORGANIZATION,
        help_text=_("Head count per phase, [{phase, min, max}] (replaces the whole list)."),
    )

    class Meta:
        model = Role
        fields = [
            "code",
            "department",
            "title",
            "title_zh",
            "title_en",
            "summary",
            "summary_zh",
            "summary_en",
            "level",
            "employment_type",
            "hiring_priority",
            "key_position",
            "pay_structure",
            "salary_min",
            "salary_max",
            "pay_note",
            "pay_note_zh",
            "pay_note_en",
            "location",
            "location_zh",
            "location_en",
            "offers",
            "offers_zh",
            "offers_en",
            "combinable_with",
            "duties",
            "duties_zh",
            "duties_en",
            "requirements",
            "kpis",
            "kpis_zh",
            "kpis_en",
            "headcount",
        ]
        extra_kwargs = {
            "code": {"required": False},
            "salary_min": {"max_value": 2_147_483_647},
            "salary_max": {"max_value": 2_147_483_647},
        }
        validators = []  # code uniqueness and the salary band are the service's to judge

    def validate(self, attrs):
        attrs = super().validate(attrs)
        language = content_language()
        for kind in ("duties", "kpis"):
            plain = attrs.pop(kind, None)
            by_language = {"zh": attrs.pop(f"{kind}_zh", None), "en": attrs.pop(f"{kind}_en", None)}
            if plain is not None:
                if by_language[language] is not None:
                    message = _("Give “%(kind)s” or “%(kind)s_%(language)s”, not both.")
                    raise serializers.ValidationError(
                        {kind: [message % {"kind": kind, "language": language}]}
                    )
                by_language[language] = plain
            zh, en = by_language["zh"], by_language["en"]
            if zh is None and en is None:
                continue
            if zh is not None and en is not None and len(zh) != len(en):
                message = _("%(kind)s_zh and %(kind)s_en must have the same number of lines.")
                raise serializers.ValidationError({kind: [message % {"kind": kind}]})
            count = len(zh if zh is not None else en)
            attrs[kind] = [
                {
                    "text_zh": zh[n] if zh is not None else "",
                    "text_en": en[n] if en is not None else "",
                }
                for n in range(count)
            ]
        if "requirements" in attrs:
            lines = []
            for n, line in enumerate(attrs["requirements"], start=1):
                line = dict(line)
                if "text" in line:
                    text, column = line.pop("text"), f"text_{language}"
                    if column in line and line[column] != text:
                        message = _("Requirement %(n)s: give “text” or “%(column)s”, not both.")
                        raise serializers.ValidationError(
                            {"requirements": [message % {"n": n, "column": column}]}
                        )
                    line[column] = text
                lines.append(line)
            attrs["requirements"] = lines
        if "headcount" in attrs:
            attrs["headcount"] = [dict(target) for target in attrs["headcount"]]
        return attrs


class RoleCreateSerializer(RoleUpdateSerializer):
    organization = VisibleOrganizationField(
        required=False,
        help_text=_("Slug of the organization; defaults to the department's organization."),
    )
    department = VisibleRelatedField(Department)
    reports_to = VisibleRelatedField(
        Role,
        required=False,
        allow_null=True,
        help_text=_("Id of the manager; null or absent for a top role."),
    )

    class Meta(RoleUpdateSerializer.Meta):
        fields = ["organization", "reports_to", *RoleUpdateSerializer.Meta.fields]


class RoleMoveSerializer(serializers.Serializer):
    reports_to = VisibleRelatedField(
        Role,
        allow_null=True,
        help_text=_(
            "The target role: with first-child/last-child the new manager, with left/right the "
            "colleague to stand beside. null makes a top role."
        ),
    )
    position = serializers.ChoiceField(choices=POSITIONS, default="last-child")


@scoped_schema(
    tag="roles",
    output=RoleSerializer,
    create=RoleCreateSerializer,
    update=RoleUpdateSerializer,
    delete_parameters=[CHILDREN_PARAMETER],
    list_description="Roles in reporting-tree order, each the same ROLE object as "
    "`GET /roles/{id}/`.",
)
class RoleViewSet(ScopedViewSet):
    model = Role
    serializer_class = RoleSerializer
    create_serializer_class = RoleCreateSerializer
    update_serializer_class = RoleUpdateSerializer
    fixed_fields = {
        "organization": _("A role cannot move to another organization."),
        "reports_to": _("Use POST /api/v1/roles/{id}/move/ to change a reporting line."),
    }
    filterset_class = RoleFilter
    search_fields = ["title_zh", "title_en", "code"]
    ordering_fields = ["id", "code", "title_zh", "title_en", "level", "hiring_priority"]
    ordering = ["tree_id", "lft"]

    def version_parts(self, role: Role) -> VersionParts:
        # The role's row, its lines and head count, and its 一人多职 links (stored both ways).
        through = Role.combinable_with.through._meta.db_table
        return VersionParts(
            rows=[(Role._meta.db_table, role.pk)],
            owned=[
                *((model._meta.db_table, "role_id", role.pk)
                  for model in (Duty, Requirement, KPI, HeadcountTarget)),
                (through, "from_role_id", role.pk),
                (through, "to_role_id", role.pk),
            ],
        )  # fmt: skip

    def fresh(self, role: Role) -> Role:
        return role  # the answer reads the role again anyway (`RoleSerializer`)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        ids = [role.pk for role in page]
        # One query per table for the whole page instead of seven per role.
        items = role_items(
            Role.objects.filter(pk__in=ids), scope={"pk__in": ids}, both=self.both_languages
        )
        position = {pk: n for n, pk in enumerate(ids)}
        items.sort(key=lambda item: position[item["id"]])
        return self.get_paginated_response(items)

    def organization_for_create(self, data: dict) -> Organization:
        organization = data.pop("organization", None)
        if organization is not None:
            return organization
        slug = self.request.query_params.get("organization")
        if slug:
            found = organizations_visible_to(self.request.user).filter(slug=slug).first()
            if found is None:
                raise ValidationError({"organization": [_("No such organization.")]})
            return found
        return data["department"].organization

    def perform_service_create(self, **kwargs):
        return services.role_create(**kwargs)

    def perform_service_update(self, role, **kwargs):
        return services.role_update(role=role, **kwargs)

    def perform_service_delete(self, role, **kwargs):
        return services.role_delete(
            role=role, children=parse_children_policy(self.request), **kwargs
        )

    @extend_schema(
        tags=["roles"],
        parameters=WRITE_PARAMETERS,
        request=RoleMoveSerializer,
        responses=RoleSerializer,
        summary="Change a reporting line",
        description="`reports_to` is the target role (null makes a top role); `position` is "
        "first-child or last-child of it (reporting to it), or left or right of it.",
    )
    @action(detail=True, methods=["post"])
    def move(self, request, *args, **kwargs):
        role, version = self.move_with(
            request,
            RoleMoveSerializer,
            "reports_to",
            lambda node, **move: services.role_move(role=node, **move),
        )
        return with_etag(Response(self.output(role)), version)
