"""The README's production recipe serves a working UI: after `collectstatic`, gunicorn with DEBUG
off answers every static file a page links, and the Swagger UI's, with the right type, a
one-year cache header on hashed names, and compressed copies (WhiteNoise)."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.templatetags.static import static

from roles.documents import BASE_URL, fetch_local

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
# Every file of our own that a page links, and the Swagger UI's (served locally, no CDN).
ASSETS = {
    "css/teamorg.css": "text/css",
    "charts/chart.css": "text/css",
    "charts/chart.js": "text/javascript",
    "js/editor.js": "text/javascript",
    "js/headcount.js": "text/javascript",
    "plan/plan.css": "text/css",
    "vendor/htmx.min.js": "text/javascript",
    "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js": "text/javascript",
    "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css": "text/css",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our server
        return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()


@pytest.fixture
def production_server(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_URL": "",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    # The server's log goes to a file: a pipe nobody reads fills up and blocks the server.
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            # The checked-in configuration the README uses, on a port of its own.
            [str(GUNICORN), "-c", "python:teamorg.gunicorn_config", "teamorg.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(100):
            try:
                get(base + "/accounts/login/")
                break
            except urllib.error.HTTPError as error:  # up, but failing: say why at once
                pytest.fail(f"{error}: {log_path.read_text(errors='replace')[-3000:]}")
            except OSError:
                assert server.poll() is None, log_path.read_text(errors="replace")[-3000:]
                time.sleep(0.1)
        manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
        yield base, manifest
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_gunicorn_with_debug_off_serves_every_static_file(production_server):
    base, manifest = production_server
    status, _headers, page = get(base + "/accounts/login/")
    assert status == 200
    linked = re.findall(rb'(?:href|src)="(/static/[^"]+)"', page)
    assert linked, "the page links its stylesheet and scripts"
    # The page links hashed names, which the manifest knows.
    assert all(url.decode()[len("/static/") :] in manifest.values() for url in linked)

    for name, content_type in ASSETS.items():
        url = f"{base}/static/{manifest[name]}"
        status, headers, body = get(url)
        assert status == 200 and body, name
        assert headers["content-type"].startswith(content_type), (name, headers["content-type"])
        assert "max-age=315360000" in headers["cache-control"], (name, headers["cache-control"])
        status, headers, _body = get(url, **{"Accept-Encoding": "gzip"})
        assert headers.get("content-encoding") == "gzip", name


def test_documents_find_their_stylesheets_under_hashed_names(tmp_path, settings):
    """With DEBUG off `{% static %}` writes the hashed name; WeasyPrint's fetcher must still
    hand the print stylesheet to the PDF."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    url = static("print/documents.css")
    assert re.search(r"documents\.[0-9a-f]{12}\.css$", url)
    data, mime = fetch_local(BASE_URL.rstrip("/") + url)
    assert mime == "text/css" and b"@page" in data
