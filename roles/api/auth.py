"""`POST /api/v1/auth/token/`: a user's API token for their user name and password."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken

from roles.api.common import ProblemSerializer, TeamOrgAutoSchema
from teamorg.nul_guard import StrictJSONParser


@extend_schema(
    tags=["auth"],
    request=inline_serializer(
        "Credentials",
        {"username": serializers.CharField(), "password": serializers.CharField()},
    ),
    responses={
        200: inline_serializer("Token", {"token": serializers.CharField()}),
        400: ProblemSerializer,
        429: ProblemSerializer,
    },
    summary="Get the API token of a user",
    description=(
        "Send `Authorization: Token <token>` with every other request. Repeated wrong passwords "
        "for one user name, or from one address, lock that user name or address for a while: "
        "the answer is then 429 with Retry-After, and the password is not checked."
    ),
)
class TokenView(ObtainAuthToken):
    parser_classes = (StrictJSONParser,)
    schema = TeamOrgAutoSchema()

    def get_serializer_context(self) -> dict:
        # The serializer authenticates with this request. django-axes marks a refused sign-in on
        # it and its middleware answers 429 from that mark, but the middleware sees Django's
        # request, not DRF's wrapper: hand over the wrapped one so the mark lands where it looks.
        return {**super().get_serializer_context(), "request": self.request._request}
