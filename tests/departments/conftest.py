import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read service error messages; the catalog would give them in Chinese."""
    with translation.override("en"):
        yield
