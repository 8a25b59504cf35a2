"""An organization's history, nested under it:

- `GET /organizations/{slug}/history/`: revisions, newest first, with their row changes;
- `GET /organizations/{slug}/history/{revision}/`: the design as it was at that revision, in
  the shape of `GET /organizations/{slug}/tree/`;
- `POST /organizations/{slug}/history/{revision}/revert/`: take back what one revision changed;
- `POST /organizations/{slug}/restore/` `{"revision": n}`: make the design what it was at `n`.

Reads need read access; restore and revert are writes (editors and owners, `If-Match` as for
every write) and answer the revision they made with the tree as it is after them. The history
core is `departments.history`; the rows are shaped by `roles.selectors.history` and
`roles.selectors.api_rows`.
"""

from collections.abc import Callable
from typing import TypeVar

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response

from departments.history import replay
from departments.history.restore import design_restore, revision_revert
from departments.models import Channel, Organization, Revision, RevisionKind
from departments.selectors import EDIT
from roles.api.common import (
    READ_PARAMETERS,
    SLUG_PARAMETER,
    WRITE_PARAMETERS,
    ApiViewMixin,
    NestedUnderOrganizationMixin,
    expected_revision,
    with_etag,
    write,
)
from roles.api.tree import OrganizationTreeSerializer
from roles.selectors.api_rows import organization_tree, organization_tree_at
from roles.selectors.history import (
    PUBLIC_KINDS,
    organization_revisions,
    public_names,
    revision_items,
)
from teamorg.api_errors import name_design_tables

# An EditConflict's body names kinds and fields as the history does.
name_design_tables(public_names)

T = TypeVar("T")
MAX_REVISION = 10**18 - 1

REVISION_PARAMETER = OpenApiParameter(
    "revision", OpenApiTypes.INT, OpenApiParameter.PATH, description="A revision number."
)
USER_FILTER = OpenApiParameter(
    "user", OpenApiTypes.INT, description="Only the revisions made by this user (an id)."
)
SINCE_FILTER = OpenApiParameter(
    "since",
    OpenApiTypes.INT,
    description="Only the revisions after this one (`since=12`: 13 and later).",
)


class RevisionUserSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text=_("Null once the account is gone."))
    username = serializers.CharField()


class FieldChangeSerializer(serializers.Serializer):
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class RowChangeSerializer(serializers.Serializer):
    table = serializers.ChoiceField(choices=PUBLIC_KINDS, help_text=_("What kind of object."))
    id = serializers.IntegerField()
    op = serializers.ChoiceField(choices=["created", "updated", "deleted"])
    fields = serializers.DictField(
        child=FieldChangeSerializer(),
        help_text=_(
            "Field name → its value before and after (null before a create, after a delete)."
        ),
    )


class RevisionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    user = RevisionUserSerializer(allow_null=True)
    channel = serializers.ChoiceField(choices=Channel.choices)
    # Not a ChoiceField: a requirement's `kind` already names an enum in the schema.
    kind = serializers.CharField(
        help_text=_("One of: %(kinds)s.") % {"kinds": ", ".join(RevisionKind.values)}
    )
    reverts = serializers.IntegerField(
        allow_null=True, help_text=_("The revision an undo, redo or revert took back.")
    )
    restored_number = serializers.IntegerField(
        allow_null=True, help_text=_("The revision a restore went back to.")
    )
    note = serializers.CharField()
    created_at = serializers.DateTimeField()
    changes = RowChangeSerializer(many=True)


class RestoreSerializer(serializers.Serializer):
    revision = serializers.IntegerField(min_value=0, max_value=MAX_REVISION)


class RestoredSerializer(serializers.Serializer):
    revision = serializers.IntegerField(help_text=_("The revision this write made."))
    tree = OrganizationTreeSerializer()


class RevertedSerializer(RestoredSerializer):
    skipped = serializers.IntegerField(
        help_text=_("Changes not taken back because they were changed again since.")
    )


def _number(request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    value = value.strip()
    if not (value.isascii() and value.isdigit() and len(value) < 19):
        raise exceptions.ValidationError({name: [_("Give a whole number.")]}, code="invalid")
    return int(value)


class OrganizationHistoryViewSet(
    ApiViewMixin, NestedUnderOrganizationMixin, viewsets.GenericViewSet
):
    # Docstring-free: the operations carry their own descriptions in the schema.
    queryset = Revision.objects.none()  # tells the schema the model; reads go through selectors
    filter_backends = []  # `user` and `since` only, read by `list`

    @extend_schema(
        tags=["history"],
        parameters=[SLUG_PARAMETER, USER_FILTER, SINCE_FILTER],
        responses=RevisionSerializer(many=True),
        summary="The history of an organization",
        description="Every revision, newest first: who made it, through which channel, what "
        "kind (change, undo, redo, revert, restore, created) and its changes, one per row, with "
        "each changed field before and after. Fields have their API names (`reports_to`, "
        "`department`, `title_zh`). A constant number of queries per page.",
    )
    def list(self, request, *args, **kwargs):
        organization = self.organization()
        revisions = organization_revisions(
            organization, user_id=_number(request, "user"), since=_number(request, "since")
        )
        page = self.paginate_queryset(revisions)
        items = revision_items(list(page))
        dates = serializers.DateTimeField()
        for item in items:
            item["created_at"] = dates.to_representation(item["created_at"])
        return self.get_paginated_response(items)

    @extend_schema(
        tags=["history"],
        parameters=[SLUG_PARAMETER, REVISION_PARAMETER, *READ_PARAMETERS],
        responses=OrganizationTreeSerializer,
        summary="The design as it was at a revision",
        description="The same shape as `GET /organizations/{slug}/tree/` read at that time; "
        "`revision` is the requested one. 404 for a revision the history does not reach.",
    )
    def retrieve(self, request, *args, **kwargs):
        organization = self.organization()
        number = int(self.kwargs["revision"])
        start = replay.history_start(organization.pk)
        if start is None:
            raise exceptions.NotFound(_("This organization has no recorded history yet."))
        if not start <= number <= organization.revision:
            raise exceptions.NotFound(
                _(
                    "There is no revision %(number)s in this history: it goes from revision "
                    "%(start)s to %(current)s."
                )
                % {"number": number, "start": start, "current": organization.revision}
            )
        tree = organization_tree_at(organization, number, both=self.both_languages)
        return Response(tree)

    @extend_schema(
        tags=["history"],
        parameters=[SLUG_PARAMETER, *WRITE_PARAMETERS],
        request=RestoreSerializer,
        responses=RestoredSerializer,
        summary="Restore the design of an earlier revision",
        description="Editors and owners. The design becomes what it was at `revision`, as a "
        "new revision (which can itself be taken back). Answers the new revision and the tree. "
        "400 `invalid` for a revision the history does not reach, `history_gone` when "
        "something it needs can no longer be brought back.",
    )
    def restore(self, request, *args, **kwargs):
        organization = self.organization(EDIT)
        serializer = RestoreSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        expected = expected_revision(request, organization)
        (_organization, tree), revision = self.written(
            organization,
            lambda: design_restore(
                organization=organization,
                number=serializer.validated_data["revision"],
                expected_revision=expected,
            ),
        )
        return with_etag(Response({"revision": revision, "tree": tree}), revision)

    @extend_schema(
        tags=["history"],
        parameters=[SLUG_PARAMETER, REVISION_PARAMETER, *WRITE_PARAMETERS],
        request=None,
        responses=RevertedSerializer,
        summary="Take back what one revision changed",
        description="Editors and owners. Every change of that revision is taken back where "
        "nobody changed it again since; `skipped` counts the others, which keep their newer "
        "value. A new revision (kind `revert`). 404 for a revision that does not exist, 400 "
        "`history_nothing` when everything in it was changed again since, `history_gone` "
        "when something it needs can no longer be brought back.",
    )
    def revert(self, request, *args, **kwargs):
        organization = self.organization(EDIT)
        revision = get_object_or_404(
            Revision, organization=organization, number=int(self.kwargs["revision"])
        )
        expected = expected_revision(request, organization)
        ((_organization, skipped), tree), number = self.written(
            organization,
            lambda: revision_revert(
                organization=organization, revision=revision, expected_revision=expected
            ),
        )
        return with_etag(Response({"revision": number, "skipped": skipped, "tree": tree}), number)

    def written(self, organization: Organization, action: Callable[[], T]):
        """Run a history write and read the tree in its transaction, so the tree is exactly
        what the write made: `((action's result, tree), revision)`."""

        def run() -> tuple[T, dict]:
            result = action()
            current = Organization.objects.get(pk=organization.pk)
            return result, organization_tree(current, both=self.both_languages)

        return write(organization.pk, run)
