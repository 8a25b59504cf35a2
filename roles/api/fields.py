"""The building blocks every API serializer shares: strict text, ids and slugs that only see
the caller's organizations, and the bilingual convenience texts.

Serializers stay thin on purpose: they check types, lengths and choices and map the convenience
text fields (`name`, `title`, ...) onto the request language's column; every rule about the
design itself lives in the services. Output serializers give texts in the request language and
add the `_zh`/`_en` columns only on `?both=1` (context["both"]).
"""

from django.db import models
from django.utils.translation import gettext as _
from rest_framework import serializers

from departments.models import Organization
from departments.selectors import organizations_visible_to
from teamorg.i18n import content_language, translated_value
from teamorg.limits import LONG_TEXT_MAX_LENGTH

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


# No docstring on purpose: drf-spectacular shows the nearest class docstring as the component's
# description, and the schema is a contract.
class BaseModelSerializer(serializers.ModelSerializer):
    # Model text columns become TextFields with the model's limit (`teamorg.limits`); a text
    # column without one still gets LONG_TEXT_MAX_LENGTH.
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
    """The input field of a convenience text (`name`), written to the request language."""
    return TextField(
        max_length=max_length,
        required=False,
        allow_blank=True,
        help_text=help_text or _("Written to the column of the request language (?lang=)."),
    )
