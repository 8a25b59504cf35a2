"""PostgreSQL text cannot hold NUL (0x00) characters: a query with one fails with a database
error, i.e. a 500. Such input is refused with a 400 before it gets near a query — in JSON
bodies (the API's parser) and in paths and query strings (middleware, for pages and the API
alike)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError

from teamorg.api_parsers import BoundedJSONParser


def contains_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(k) or contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(contains_nul(item) for item in value)
    return False


def nul_message() -> str:
    return _("Text may not contain NUL (0x00) characters.")


class StrictJSONParser(BoundedJSONParser):
    """The API's JSON parser: bounded in depth (teamorg.api_parsers), and no NUL anywhere."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if contains_nul(data):
            raise ParseError(nul_message())
        return data


class RejectNulInQueryString:
    def __init__(self, get_response):
        self.get_response = get_response

    """NUL in the query string, or in the path (`/members/%00/` reached a query with it)."""

    def __call__(self, request):
        in_query = any(
            contains_nul(key) or contains_nul(values) for key, values in request.GET.lists()
        )
        if in_query or contains_nul(request.path):
            return JsonResponse({"detail": nul_message()}, status=400)
        return self.get_response(request)
