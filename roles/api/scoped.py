"""The viewset of the objects that live inside one organization (phases, departments, roles,
collaboration lines) and the documentation of its operations.

Every request reads through the caller's visible organizations, so an object of an organization
the caller cannot see is a 404 like one that does not exist. Writes check the caller's rights,
pass the `If-Match` revision to one service call and answer the version it left (a delete: the
revision it made).

The ETag of one object is its version (`departments.history.versions`): the newest revision
that changed what its answer shows, read before the object, so an answer is never older than
its tag.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from departments.history.versions import VersionParts, object_version
from departments.models import Organization
from departments.selectors import EDIT, check_access, organizations_visible_to
from roles.api.common import (
    IF_MATCH_PARAMETER,
    OBJECT_READ_PARAMETERS,
    READ_PARAMETERS,
    WRITE_PARAMETERS,
    ApiViewMixin,
    BothLanguagesMixin,
    expected_revision,
    not_modified,
    not_modified_response,
    refuse_fields,
    with_etag,
    write,
)


class ScopedViewSet(
    ApiViewMixin,
    BothLanguagesMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """CRUD of one kind of object inside organizations, through its services.

    Subclasses name the model, the serializers (output, create, update) and implement
    `perform_service_create/update/delete`.
    """

    model: type
    create_serializer_class: type
    update_serializer_class: type
    # Fields a PATCH refuses, with where to change them instead.
    fixed_fields: dict[str, str] = {}
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return self.model.objects.filter(
            organization__in=organizations_visible_to(self.request.user)
        ).select_related("organization")

    def output(self, instance) -> dict:
        return self.get_serializer(instance).data

    def version_parts(self, instance) -> VersionParts:
        """What the object's answer shows (subclasses add lines, ancestors...)."""
        return VersionParts(rows=[(self.model._meta.db_table, instance.pk)])

    def version(self, instance) -> int:
        return object_version(instance.organization_id, self.version_parts(instance))

    def fresh(self, instance):
        """The object read again, after its version was read."""
        return self.get_queryset().get(pk=instance.pk)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        version = self.version(instance)
        if not_modified(request, version):
            return not_modified_response(version)
        return with_etag(Response(self.output(self.fresh(instance))), version)

    def organization_for_create(self, data: dict) -> Organization:
        organization = data.pop("organization", None)
        if organization is None:
            raise ValidationError({"organization": [_("This field is required.")]})
        return organization

    def create(self, request, *args, **kwargs):
        serializer = self.create_serializer_class(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organization = self.organization_for_create(data)
        check_access(request.user, organization, EDIT)
        expected = expected_revision(request, organization)
        instance, _revision = write(
            organization.pk,
            lambda: self.perform_service_create(
                organization=organization, expected_revision=expected, **data
            ),
        )
        version = self.version(instance)
        return with_etag(
            Response(self.output(self.fresh(instance)), status=status.HTTP_201_CREATED), version
        )

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        check_access(request.user, instance.organization, EDIT)
        refuse_fields(request.data, self.fixed_fields)
        serializer = self.update_serializer_class(
            instance, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        expected = expected_revision(request, instance.organization)
        write(
            instance.organization_id,
            lambda: self.perform_service_update(
                instance, expected_revision=expected, **serializer.validated_data
            ),
        )
        version = self.version(instance)
        return with_etag(Response(self.output(self.fresh(instance))), version)

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        check_access(request.user, instance.organization, EDIT)
        expected = expected_revision(request, instance.organization)
        _result, revision = write(
            instance.organization_id,
            lambda: self.perform_service_delete(instance, expected_revision=expected),
        )
        return with_etag(Response(status=status.HTTP_204_NO_CONTENT), revision)

    def move_with(self, request, serializer_class, target_field: str, move):
        """Run the `move` action for the object in the URL: validate the request with
        `serializer_class`, then call `move(node, target=, position=, expected_revision=)` under
        the tree lock. Returns the node read again after the move and its version."""
        node = self.get_object()
        check_access(request.user, node.organization, EDIT)
        serializer = serializer_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        expected = expected_revision(request, node.organization)
        write(
            node.organization_id,
            lambda: move(
                node,
                target=serializer.validated_data[target_field],
                position=serializer.validated_data["position"],
                expected_revision=expected,
            ),
        )
        version = self.version(node)
        return self.fresh(node), version


def scoped_schema(
    *, tag: str, output, create, update, delete_parameters=(), list_description: str = ""
):
    """The documentation of a ScopedViewSet's list/retrieve/create/partial_update/destroy."""
    return extend_schema_view(
        list=extend_schema(tags=[tag], parameters=READ_PARAMETERS, description=list_description),
        retrieve=extend_schema(tags=[tag], parameters=OBJECT_READ_PARAMETERS, responses=output),
        create=extend_schema(
            tags=[tag], parameters=WRITE_PARAMETERS, request=create, responses={201: output}
        ),
        partial_update=extend_schema(
            tags=[tag], parameters=WRITE_PARAMETERS, request=update, responses=output
        ),
        destroy=extend_schema(
            tags=[tag], parameters=[IF_MATCH_PARAMETER, *delete_parameters], responses={204: None}
        ),
    )
