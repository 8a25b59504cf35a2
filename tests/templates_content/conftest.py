import pytest

from departments.models import Organization


@pytest.fixture
def org(request, loaded_templates):
    """The template a facts module is about: the one its `SLUG` names."""
    return Organization.objects.get(slug=request.module.SLUG)
