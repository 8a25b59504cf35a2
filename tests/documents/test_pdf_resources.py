"""While rendering a PDF only our own static files are read: no network, no other file."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from roles import documents
from tests.documents.support import pdf_text


@pytest.fixture
def web_server():
    """A local HTTP server that records every request it gets."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


def test_serves_the_print_stylesheet():
    data, mime = documents.fetch_local(documents.BASE_URL + "static/print/documents.css")

    assert mime == "text/css"
    assert b"@page" in data


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://example.com/logo.png",
        documents.BASE_URL + "static/../teamorg/settings.py",
        documents.BASE_URL + "static/%2e%2e/%2e%2e/teamorg/settings.py",
        documents.BASE_URL + "static//etc/passwd",
        documents.BASE_URL + "teamorg/settings.py",
        documents.BASE_URL + "static/print/no-such-file.css",
    ],
)
def test_refuses_everything_else(url):
    with pytest.raises(ValueError, match="only load local static files"):
        documents.fetch_local(url)


def test_rendering_never_reaches_the_network(web_server):
    base, hits = web_server
    html = f"""<html><head><link rel="stylesheet" href="{base}/evil.css">
    <style>@import url("{base}/imported.css");</style></head>
    <body><p>正文</p><img src="{base}/tracker.png"><img src="file:///etc/hostname"></body></html>"""

    pdf = documents.html_to_pdf(html)

    assert hits == []
    assert "正文" in pdf_text(pdf)
