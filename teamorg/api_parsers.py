"""The API's JSON parser, bounded: no request body of the API nests deeper than a few levels
(a tree is sent as ids, not nested), so a body nested deeper than MAX_JSON_DEPTH is refused
with a 400 before it reaches a serializer; one nested so deep that Python's parser gives up
(a RecursionError, a 500 before) is refused the same way."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from teamorg.limits import MAX_JSON_DEPTH


def json_depth(value) -> int:
    """How deeply `value` nests lists and objects (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _too_deep() -> ParseError:
    return ParseError(
        _("The JSON is nested more than %(depth)s levels deep.") % {"depth": MAX_JSON_DEPTH}
    )


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise _too_deep() from None
        if json_depth(data) > MAX_JSON_DEPTH:
            raise _too_deep()
        return data
