import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from departments.models import Organization
from tests.factories import OrganizationFactory, UserFactory

TEMPLATE_SLUGS = ("startup", "platform", "direct-sales", "traditional-brand", "cross-border")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the five templates once per test run, as `make run` does."""
    with django_db_blocker.unblock():
        call_command("loadtemplates", verbosity=0)


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language. A request handled in the test's thread (the
    API switches to the request's language) leaves that language active, and a later test that
    reads translated names would see it, depending on the order tests run in."""
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def loaded_templates(db):
    """The five templates. Loaded once per run; reloaded after a transactional test (which
    flushes the database: pytest-django runs those last) removed them."""
    if Organization.objects.filter(is_template=True).count() < len(TEMPLATE_SLUGS):
        call_command("loadtemplates", verbosity=0)


@pytest.fixture
def user(db):
    return UserFactory(username="hr-manager")


@pytest.fixture
def other_user(db):
    return UserFactory(username="someone-else")


@pytest.fixture
def organization(user):
    return OrganizationFactory(owner=user, slug="acme", name_zh="测试电商", name_en="Acme Shop")


@pytest.fixture
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://… (.ci/run does)")
