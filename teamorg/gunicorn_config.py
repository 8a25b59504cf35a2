"""gunicorn settings for production (README: `gunicorn -c python:teamorg.gunicorn_config
teamorg.wsgi`). Environment variables override the defaults.

- timeout: a request that runs longer is killed. The database gives up waits long before
  (TEAMORG_DB_LOCK_TIMEOUT_SECONDS 10, TEAMORG_DB_STATEMENT_TIMEOUT_SECONDS 20: a 503 with
  Retry-After), and so does `dot` (TEAMORG_DOT_TIMEOUT_SECONDS 20); what may still take long is
  a large PDF, until those run as background jobs.
- max_requests: a worker is replaced after this many requests (with jitter, so not all at
  once): WeasyPrint and Pango keep caches that grow with every document.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "500"))
max_requests_jitter = 50
accesslog = "-"
errorlog = "-"
