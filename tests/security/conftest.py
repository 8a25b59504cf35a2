# The editor's fixtures (a signed-in htmx client, a small design), shared with tests/web.
from tests.web.conftest import design, htmx  # noqa: F401
