"""Serializers of organizations, members, phases, departments and collaboration lines.

Thin on purpose: they check types, lengths and choices and map the convenience text fields
(`name`, `title`, ...) onto the request language's column; every rule about the design itself
lives in the services. Output serializers give texts in the request language and add the
`_zh`/`_en` columns only on `?both=1` (context["both"]).
"""

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from departments.models import (
    Department,
    FunctionGroup,
    HeadcountPhase,
    MemberRole,
    Membership,
    Organization,
)
from departments.selectors import organizations_visible_to
from roles.models import Collaboration, Role
from teamorg.i18n import content_language, translated_value
from teamorg.trees import POSITIONS

# Text columns are unbounded in the database; the API still refuses a novel in a field.
LONG_TEXT_MAX_LENGTH = 10_000
# The largest id a bigint column holds; anything above is refused before it reaches SQL (SQLite
# raises OverflowError on foreign-key lookups with bigger numbers).
MAX_ID = 2**63 - 1


class TextField(serializers.CharField):
    """A CharField that takes only JSON strings (DRF's also turns numbers into text) and refuses
    text no database can store (lone UTF-16 surrogates)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        value = super().to_internal_value(data)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise serializers.ValidationError(
                _("The text contains characters that are not valid Unicode."), code="invalid"
            ) from error
        return value


class BaseModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: TextField,
        models.TextField: TextField,
    }

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, models.TextField) and "max_length" not in field_kwargs:
            field_kwargs["max_length"] = LONG_TEXT_MAX_LENGTH
        return field_class, field_kwargs


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """An id of a department/role/phase in an organization the caller can see. Ids of other
    organizations answer exactly like ids that do not exist (no existence leak)."""

    def __init__(self, model=None, **kwargs):
        self.model = model
        if not kwargs.get("read_only"):
            kwargs["queryset"] = model.objects.all()
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return self.model.objects.none()
        return self.model.objects.filter(organization__in=organizations_visible_to(user))

    def to_internal_value(self, data):
        if isinstance(data, bool) or not (
            isinstance(data, int) or (isinstance(data, str) and data.isascii() and data.isdigit())
        ):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 0 < int(data) <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(int(data))


class VisibleOrganizationField(serializers.SlugRelatedField):
    """An organization slug the caller can see; others answer as if they did not exist."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Organization.objects.all())
        super().__init__(slug_field="slug", **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Organization.objects.none()
        return organizations_visible_to(request.user)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class BilingualOutputMixin:
    """`name` etc. in the request language (falling back to the other); the `_zh`/`_en` columns
    only with `?both=1`."""

    bilingual: tuple[str, ...] = ()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        both = self.context.get("both", False)
        for name in self.bilingual:
            data[name] = translated_value(instance, name)
            if not both:
                data.pop(f"{name}_zh", None)
                data.pop(f"{name}_en", None)
        return data


class BilingualInputMixin:
    """A convenience text (`name`) is written to the column of the request language."""

    bilingual: tuple[str, ...] = ()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        language = content_language()
        for name in self.bilingual:
            if name not in attrs:
                continue
            value = attrs.pop(name)
            column = f"{name}_{language}"
            if column in attrs and attrs[column] != value:
                message = _("Give “%(name)s” or “%(column)s”, not two different texts.")
                raise serializers.ValidationError(
                    {name: [message % {"name": name, "column": column}]}, code="conflict"
                )
            attrs[column] = value
        return attrs


def convenience_text(max_length: int, help_text: str = "") -> TextField:
    return TextField(
        max_length=max_length,
        required=False,
        allow_blank=True,
        help_text=help_text or _("Written to the column of the request language (?lang=)."),
    )


# --- organizations ---------------------------------------------------------------------------


class OrganizationSerializer(BilingualOutputMixin, BaseModelSerializer):
    bilingual = ("name", "description")

    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    my_role = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = [
            "slug",
            "name",
            "description",
            "business_model",
            "is_template",
            "revision",
            "span_of_control_limit",
            "layer_limit",
            "source_note",
            "my_role",
            "created_at",
            "updated_at",
            "name_zh",
            "name_en",
            "description_zh",
            "description_en",
        ]
        read_only_fields = [
            "slug",
            "business_model",
            "is_template",
            "revision",
            "span_of_control_limit",
            "layer_limit",
            "source_note",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(
        {"type": "string", "enum": MemberRole.values, "description": "The caller's role."}
    )
    def get_my_role(self, organization: Organization) -> str:
        memberships = getattr(organization, "my_memberships", None)
        if memberships is None:
            request = self.context["request"]
            memberships = list(organization.memberships.filter(user=request.user))
        if memberships:
            return memberships[0].role
        return MemberRole.VIEWER  # a template read by a non-member


class OrganizationCreateSerializer(BilingualInputMixin, BaseModelSerializer):
    bilingual = ("name", "description")

    name = convenience_text(200)
    description = convenience_text(LONG_TEXT_MAX_LENGTH)

    class Meta:
        model = Organization
        fields = [
            "slug",
            "name",
            "name_zh",
            "name_en",
            "business_model",
            "description",
            "description_zh",
            "description_en",
        ]
        extra_kwargs = {"slug": {"required": False}}


# The create fields plus the design limits (a new organization takes the defaults).
class OrganizationUpdateSerializer(OrganizationCreateSerializer):
    class Meta(OrganizationCreateSerializer.Meta):
        fields = [*OrganizationCreateSerializer.Meta.fields, "span_of_control_limit", "layer_limit"]
        extra_kwargs = {}


class OrganizationCloneSerializer(serializers.Serializer):
    name = TextField(
        max_length=200, help_text=_("Name of the copy, in the request language (?lang=).")
    )
    slug = serializers.SlugField(max_length=80, required=False)

    def validate_slug(self, value):
        if Organization.objects.filter(slug=value).exists():
            raise serializers.ValidationError(
                _("This slug is taken; choose another."), code="unique"
            )
        return value


class MemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Membership
        fields = ["username", "role", "created_at"]
        read_only_fields = fields


class MemberCreateSerializer(serializers.Serializer):
    username = TextField(max_length=150)
    role = serializers.ChoiceField(choices=MemberRole.choices)

    def validate_username(self, value):
        user = get_user_model().objects.filter(username=value, is_active=True).first()
        if user is None:
            raise serializers.ValidationError(
                _("There is no active user “%(username)s”.") % {"username": value},
                code="does_not_exist",
            )
        return user


class MemberRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=MemberRole.choices)


# --- phases ----------------------------------------------------------------------------------


class PhaseSerializer(BilingualOutputMixin, BaseModelSerializer):
    bilingual = ("name", "description")

    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)

    class Meta:
        model = HeadcountPhase
        fields = [
            "id",
            "organization",
            "order",
            "name",
            "start_month",
            "end_month",
            "description",
            "name_zh",
            "name_en",
            "description_zh",
            "description_en",
        ]
        read_only_fields = ["id", "order", "start_month", "end_month"]


class PhaseUpdateSerializer(BilingualInputMixin, BaseModelSerializer):
    bilingual = ("name", "description")

    name = convenience_text(100)
    description = convenience_text(LONG_TEXT_MAX_LENGTH)

    class Meta:
        model = HeadcountPhase
        fields = [
            "order",
            "name",
            "name_zh",
            "name_en",
            "start_month",
            "end_month",
            "description",
            "description_zh",
            "description_en",
        ]
        extra_kwargs = {"order": {"required": False}}
        validators = []  # uniqueness and month order are the service's (full_clean) to judge


class PhaseCreateSerializer(PhaseUpdateSerializer):
    organization = VisibleOrganizationField()

    class Meta(PhaseUpdateSerializer.Meta):
        fields = ["organization", *PhaseUpdateSerializer.Meta.fields]


# --- departments -----------------------------------------------------------------------------


class DepartmentSerializer(BilingualOutputMixin, BaseModelSerializer):
    bilingual = ("name", "summary", "functions")

    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    depth = serializers.IntegerField(read_only=True, help_text=_("Depth in the tree, 0 = top."))
    name = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    functions = serializers.CharField(read_only=True, help_text=_("One function per line."))
    function_group = serializers.ChoiceField(
        choices=FunctionGroup.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Department
        fields = [
            "id",
            "organization",
            "parent",
            "depth",
            "code",
            "name",
            "summary",
            "functions",
            "function_group",
            "origin",
            "source_note",
            "name_zh",
            "name_en",
            "summary_zh",
            "summary_en",
            "functions_zh",
            "functions_en",
        ]
        read_only_fields = ["id", "code", "function_group", "origin", "source_note"]


class DepartmentUpdateSerializer(BilingualInputMixin, BaseModelSerializer):
    bilingual = ("name", "summary", "functions")

    name = convenience_text(200)
    summary = convenience_text(LONG_TEXT_MAX_LENGTH)
    functions = convenience_text(LONG_TEXT_MAX_LENGTH, _("One function per line."))

    class Meta:
        model = Department
        fields = [
            "code",
            "name",
            "name_zh",
            "name_en",
            "summary",
            "summary_zh",
            "summary_en",
            "functions",
            "functions_zh",
            "functions_en",
            "function_group",
        ]
        extra_kwargs = {"code": {"required": False}}
        validators = []  # code uniqueness is the service's (full_clean) to judge


class DepartmentCreateSerializer(DepartmentUpdateSerializer):
    organization = VisibleOrganizationField()
    parent = VisibleRelatedField(
        Department,
        required=False,
        allow_null=True,
        help_text=_("Id of the parent department; null or absent for a top-level department."),
    )

    class Meta(DepartmentUpdateSerializer.Meta):
        fields = ["organization", "parent", *DepartmentUpdateSerializer.Meta.fields]


class DepartmentMoveSerializer(serializers.Serializer):
    parent = VisibleRelatedField(
        Department,
        allow_null=True,
        help_text=_(
            "The target department: with first-child/last-child the new parent, with left/right "
            "the sibling to stand beside. null makes a top-level department."
        ),
    )
    position = serializers.ChoiceField(choices=POSITIONS, default="last-child")


# --- collaboration lines ---------------------------------------------------------------------


class CollaborationSerializer(BilingualOutputMixin, BaseModelSerializer):
    bilingual = ("description",)

    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    from_department = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    to_department = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    from_role = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    to_role = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    description = serializers.CharField(read_only=True)

    class Meta:
        model = Collaboration
        fields = [
            "id",
            "organization",
            "from_department",
            "to_department",
            "from_role",
            "to_role",
            "order",
            "description",
            "origin",
            "source_note",
            "description_zh",
            "description_en",
        ]
        read_only_fields = ["id", "order", "origin", "source_note"]


class CollaborationUpdateSerializer(BilingualInputMixin, BaseModelSerializer):
    bilingual = ("description",)

    description = convenience_text(300)

    class Meta:
        model = Collaboration
        fields = ["order", "description", "description_zh", "description_en"]
        extra_kwargs = {"order": {"max_value": 1_000_000}}


class CollaborationCreateSerializer(CollaborationUpdateSerializer):
    organization = VisibleOrganizationField()
    from_department = VisibleRelatedField(Department, required=False, allow_null=True)
    to_department = VisibleRelatedField(Department, required=False, allow_null=True)
    from_role = VisibleRelatedField(Role, required=False, allow_null=True)
    to_role = VisibleRelatedField(Role, required=False, allow_null=True)

    class Meta(CollaborationUpdateSerializer.Meta):
        fields = [
            "organization",
            "from_department",
            "to_department",
            "from_role",
            "to_role",
            *CollaborationUpdateSerializer.Meta.fields,
        ]


# --- the whole design (schema of GET /organizations/{slug}/tree/) ------------------------------
# The tree is built as plain data by `departments.selectors.organization_tree` (fast); these
# serializers only describe it in the OpenAPI schema.


class TreePhaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    name = serializers.CharField()
    start_month = serializers.IntegerField(allow_null=True)
    end_month = serializers.IntegerField(allow_null=True)
    name_zh = serializers.CharField(required=False)
    name_en = serializers.CharField(required=False)


class TreeDepartmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    parent = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    summary = serializers.CharField()
    functions = serializers.CharField(help_text=_("One function per line."))
    function_group = serializers.CharField()
    origin = serializers.CharField()
    source_note = serializers.CharField()
    name_zh = serializers.CharField(required=False)
    name_en = serializers.CharField(required=False)
    summary_zh = serializers.CharField(required=False)
    summary_en = serializers.CharField(required=False)
    functions_zh = serializers.CharField(required=False)
    functions_en = serializers.CharField(required=False)

    def get_fields(self):
        from roles.api.role_serializers import RoleSerializer

        fields = super().get_fields()
        fields["children"] = TreeDepartmentSerializer(many=True)
        fields["roles"] = RoleSerializer(many=True)
        return fields


class TreeReportingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    department = serializers.IntegerField()
    level = serializers.CharField()
    reports_to = serializers.IntegerField(allow_null=True)
    title_zh = serializers.CharField(required=False)
    title_en = serializers.CharField(required=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["children"] = TreeReportingSerializer(many=True)
        return fields


class TreeCollaborationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    from_department = serializers.IntegerField(allow_null=True)
    to_department = serializers.IntegerField(allow_null=True)
    from_role = serializers.IntegerField(allow_null=True)
    to_role = serializers.IntegerField(allow_null=True)
    description = serializers.CharField()
    description_zh = serializers.CharField(required=False)
    description_en = serializers.CharField(required=False)


class OrganizationTreeSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    business_model = serializers.CharField()
    is_template = serializers.BooleanField()
    revision = serializers.IntegerField()
    name_zh = serializers.CharField(required=False)
    name_en = serializers.CharField(required=False)
    description_zh = serializers.CharField(required=False)
    description_en = serializers.CharField(required=False)
    phases = TreePhaseSerializer(many=True)
    departments = TreeDepartmentSerializer(many=True)
    reporting = TreeReportingSerializer(many=True)
    collaborations = TreeCollaborationSerializer(many=True)
