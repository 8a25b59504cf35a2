"""What every TeamOrg API view shares: the request language, revisions as ETag (the
organization's, or an object's version) and `If-Match` precondition, writes that report the
revision they made, the OpenAPI parameters and error responses, and pagination. Used by every
resource of `roles.api` and by the planning API (`roles.planning.api`).

Class docstrings of views and serializers here and in the resource modules are part of the
OpenAPI schema (drf-spectacular shows the nearest one as a description): change them only on
purpose.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response

from departments.models import Organization
from departments.selectors import READ, check_access, organizations_visible_to
from teamorg.errors import StaleRevision
from teamorg.nul_guard import StrictJSONParser

T = TypeVar("T")

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}

LANG_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    enum=["zh-hans", "zh", "en"],
    description="Language of the texts in the response (default: the Accept-Language header, "
    "else Chinese). Convenience fields such as `name` or `title` are written in this language.",
)
BOTH_PARAMETER = OpenApiParameter(
    "both",
    OpenApiTypes.BOOL,
    description="Also give every text in both languages (`title_zh`, `title_en`, ...).",
)
IF_MATCH_PARAMETER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description='The revision the change is based on, e.g. `"12"`: the ETag of a GET of this '
    "object (its version) or of the organization. Answered with 412 when a field the change "
    "sets was changed by someone else since.",
)
IF_NONE_MATCH_PARAMETER = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description="An ETag from an earlier GET: 304 without a body while it is still current (for "
    "one object: while nothing it shows has changed).",
)
CHILDREN_PARAMETER = OpenApiParameter(
    "children",
    OpenApiTypes.STR,
    enum=["lift", "refuse"],
    description="What happens to what is under the node: `refuse` (default) refuses the delete "
    "while there is any; `lift` moves it up one level.",
)
READ_PARAMETERS = [LANG_PARAMETER, BOTH_PARAMETER]
OBJECT_READ_PARAMETERS = [*READ_PARAMETERS, IF_NONE_MATCH_PARAMETER]
WRITE_PARAMETERS = [*READ_PARAMETERS, IF_MATCH_PARAMETER]


class ProblemItemSerializer(serializers.Serializer):
    message = serializers.CharField()
    code = serializers.CharField()


class ConflictSerializer(serializers.Serializer):
    """One field the write changed that someone else changed first (412 `edit_conflict`)."""

    kind = serializers.CharField()
    id = serializers.IntegerField()
    field = serializers.CharField()
    theirs = serializers.JSONField(allow_null=True)
    yours = serializers.JSONField(allow_null=True)
    deleted = serializers.BooleanField()
    revision = serializers.IntegerField()
    user = serializers.DictField(allow_null=True)


class ProblemSerializer(serializers.Serializer):
    """Every error answer: `detail` always; `errors` per field on 400, `current_revision` on
    412 and, for `edit_conflict`, the `conflicts`."""

    detail = serializers.CharField()
    errors = serializers.DictField(child=ProblemItemSerializer(many=True), required=False)
    code = serializers.CharField(required=False)
    current_revision = serializers.IntegerField(required=False)
    conflicts = ConflictSerializer(many=True, required=False)


class TeamOrgAutoSchema(AutoSchema):
    """Documents the error answers every operation can give, so clients (and schemathesis) see
    them in the schema: 400 bad input, 401/403/404 access, 412 stale revision on writes and
    304 on GETs that honour If-None-Match."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "401", "403", "404"]
        if self.method in ("POST", "PATCH", "PUT", "DELETE"):
            codes.append("412")
        for code in codes:
            responses.setdefault(code, self._get_response_for_code(ProblemSerializer, code))
        if self.method == "GET" and any(
            getattr(p, "name", None) == "If-None-Match" for p in self.get_override_parameters()
        ):
            responses.setdefault("304", {"description": "Not modified (same revision)."})
        return responses


class Pagination(LimitOffsetPagination):
    default_limit = 100
    # A page is read with one query per table filtered by its ids; keep that list bounded.
    max_limit = 500


class ApiViewMixin:
    """Language handling and the JSON-only parser for every TeamOrg API view."""

    parser_classes = [StrictJSONParser]
    pagination_class = Pagination
    schema = TeamOrgAutoSchema()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        language = request_language(request)
        if language:
            translation.activate(language)

    @property
    def both_languages(self) -> bool:
        value = self.request.query_params.get("both", "").strip().lower()
        if value in TRUE_VALUES:
            return True
        if value in FALSE_VALUES:
            return False
        raise exceptions.ValidationError({"both": [_("Use both=1 or both=0.")]})


# Docstring-free on purpose: a viewset's nearest class docstring becomes its operations'
# description in the schema. Put it after ApiViewMixin in a viewset's bases.
class BothLanguagesMixin:
    # Tells the serializers whether to add the `_zh`/`_en` columns (`?both=1`). Schema
    # generation has no real request, hence the checks.
    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "request", None) is not None and hasattr(self.request, "query_params"):
            context["both"] = self.both_languages
        return context


def request_language(request) -> str | None:
    """`?lang=` wins over Accept-Language (which LocaleMiddleware already applied)."""
    value = request.query_params.get("lang")
    if value is None:
        return None
    value = value.strip().lower()
    if value.startswith("zh"):
        return "zh-hans"
    if value.startswith("en"):
        return "en"
    raise exceptions.ValidationError({"lang": [_("Choose zh-hans or en.")]})


def etag(revision: int) -> str:
    return f'"{revision}"'


def _entity_tags(header: str) -> list[str]:
    tags = []
    for part in header.split(","):
        part = part.strip()
        if part.startswith("W/"):
            part = part[2:]
        tags.append(part.strip('"'))
    return [tag for tag in tags if tag]


def expected_revision(request, organization: Organization) -> int | None:
    """The revision named by `If-Match`, for the service's optimistic check (None: no header,
    or `*`). A tag that cannot be a revision can never match: 412 at once."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    revisions = [
        int(tag)
        for tag in _entity_tags(header)
        if tag.isascii() and tag.isdigit() and len(tag) < 19
    ]
    if not revisions:
        raise StaleRevision(expected=header.strip()[:40], current=organization.revision)
    # Several tags: the write may go ahead if any is current; the service re-checks atomically.
    return organization.revision if organization.revision in revisions else revisions[0]


def not_modified(request, revision: int) -> bool:
    header = request.headers.get("If-None-Match")
    if header is None:
        return False
    return header.strip() == "*" or str(revision) in _entity_tags(header)


def with_etag(response: Response, revision: int | None) -> Response:
    if revision is not None:
        response["ETag"] = etag(revision)
    return response


def not_modified_response(revision: int) -> Response:
    return with_etag(Response(status=status.HTTP_304_NOT_MODIFIED), revision)


def write(organization_id: int, action: Callable[[], T]) -> tuple[T, int | None]:
    """Run a service and read the revision it made in the same transaction.

    The service's revision bump holds the organization row (PostgreSQL) or the database
    (SQLite, BEGIN IMMEDIATE) until commit, so the revision read here is exactly this write's,
    never a later writer's: a client that sends it back as If-Match cannot skip over someone
    else's change.
    """
    with transaction.atomic():
        result = action()
        revision = (
            Organization.objects.filter(pk=organization_id)
            .values_list("revision", flat=True)
            .first()
        )
    return result, revision


def parse_children_policy(request) -> str:
    value = request.query_params.get("children", "refuse")
    if value not in ("lift", "refuse"):
        raise exceptions.ValidationError({"children": [_("Choose “lift” or “refuse”.")]})
    return value


def refuse_fields(data: Any, fields: dict[str, str]) -> None:
    """400 for fields a PATCH cannot change (with where to change them instead)."""
    if not isinstance(data, dict):
        return
    errors = {name: [message] for name, message in fields.items() if name in data}
    if errors:
        raise exceptions.ValidationError(errors)


# The `{slug}` of the endpoints nested under an organization (history, exports).
SLUG_PARAMETER = OpenApiParameter(
    "slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The organization's slug."
)


# Docstring-free, like the mixins above: it would become the operations' description.
class NestedUnderOrganizationMixin:
    def organization(self, need: str = READ) -> Organization:
        """The organization of the URL's `slug`: 404 when the caller cannot see it, 403 when
        they may see it but not `need` it."""
        organization = get_object_or_404(
            organizations_visible_to(self.request.user), slug=self.kwargs["slug"]
        )
        check_access(self.request.user, organization, need)
        return organization
