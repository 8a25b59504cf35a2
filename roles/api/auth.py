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
    },
    summary="Get the API token of a user",
    description="Send `Authorization: Token <token>` with every other request.",
)
class TokenView(ObtainAuthToken):
    parser_classes = (StrictJSONParser,)
    schema = TeamOrgAutoSchema()
