# TeamOrg: `make run` serves the app, `make test` runs every test. Both install what is missing
# on a fresh Debian/Ubuntu machine (apt packages, .venv, the project), and are quick when
# nothing changed (stamp files in .stamps/ remember what was done for which input).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

# graphviz: org charts; pango/harfbuzz: WeasyPrint; fonts-noto-cjk: Chinese in charts and PDFs;
# poppler-utils: pdftotext in tests; gettext: compiling the UI translations.
APT_PACKAGES := graphviz fonts-noto-cjk fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 \
	libharfbuzz0b libharfbuzz-subset0 poppler-utils gettext ca-certificates
APT_TEST_PACKAGES := chromium

.PHONY: help setup run test bench lint format check-deploy clean

help:
	@echo "make run    - set up everything, then serve on http://$(HOST):$(PORT)/ (demo / teamorg-demo)"
	@echo "make test   - set up everything plus Chromium, then run the whole test suite"
	@echo "make bench  - run the benchmarks and write docs/benchmarks.md"
	@echo "make lint   - ruff check and format check"

# --- system packages -------------------------------------------------------------------------
$(STAMPS)/apt: Makefile
	@mkdir -p $(STAMPS)
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages: $$missing"; \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@touch $@

# Debian ships a real Chromium package; Ubuntu's is a snap stub that does not run headless in
# containers, so there Playwright's own Chromium build is used instead.
$(STAMPS)/browser: Makefile $(STAMPS)/venv
	@if [ -x /usr/bin/chromium ]; then :; \
	elif apt-cache policy chromium 2>/dev/null | grep -q 'Candidate: [0-9]' && ! grep -qi ubuntu /etc/os-release; then \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(APT_TEST_PACKAGES); \
	else \
		$(VENV)/bin/playwright install --with-deps chromium; \
	fi
	@touch $@

# --- Python ------------------------------------------------------------------------------------
# The first interpreter >= 3.11 on PATH; on a machine without one, Debian/Ubuntu's python3.11.
PYTHON := $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)

$(STAMPS)/venv: pyproject.toml $(STAMPS)/apt
	@if [ -z "$(PYTHON)" ]; then \
		echo "No Python >= 3.11 found; installing python3.11 from apt"; \
		$(SUDO) apt-get install -y -qq python3.11 python3.11-venv; \
	fi
	@py="$${PYTHON_BIN:-$(or $(PYTHON),python3.11)}"; \
	if ! "$$py" -m venv --help >/dev/null 2>&1 || ! "$$py" -c 'import ensurepip' 2>/dev/null; then \
		ver=$$("$$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")'); \
		$(SUDO) apt-get install -y -qq python$$ver-venv; \
	fi; \
	[ -x $(PY) ] || "$$py" -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

# --- the app -----------------------------------------------------------------------------------
setup: $(STAMPS)/apt $(STAMPS)/venv
	@$(PY) manage.py compilemessages --ignore '.venv' -v0
	@$(PY) manage.py migrate --no-input -v0
	@$(PY) manage.py loadtemplates
	@$(PY) manage.py ensure_demo_user

run: setup
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup $(STAMPS)/browser
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: setup
	$(PY) -m tests.benchmarks.run

lint: $(STAMPS)/venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMPS)/venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The production settings the README documents; `check --deploy` must stay clean with them.
check-deploy: $(STAMPS)/venv
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$$(head -c 48 /dev/urandom | base64)" \
	DJANGO_ALLOWED_HOSTS=teamorg.example.com DJANGO_HSTS_SECONDS=31536000 DJANGO_HSTS_PRELOAD=1 \
	$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(STAMPS) var/teamorg.sqlite3
