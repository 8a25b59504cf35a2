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
# `make bench BENCH=plan` runs and rewrites only that benchmark's section of docs/benchmarks.md.
BENCH ?=
# The suite runs in parallel, one worker per core (pytest-xdist), each with its own test
# database; a file's tests stay together on one worker (their module fixtures are built once).
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL := -n $(PYTEST_WORKERS) --dist loadfile

# graphviz: org charts; pango/harfbuzz: WeasyPrint; fonts-noto-cjk: Chinese in charts and PDFs;
# poppler-utils: pdftotext in tests; gettext: compiling the UI translations.
APT_PACKAGES := graphviz fonts-noto-cjk fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 \
	libharfbuzz0b libharfbuzz-subset0 poppler-utils gettext ca-certificates
APT_TEST_PACKAGES := chromium

.PHONY: help setup run test bench lint format check-deploy clean doctor

help:
	@echo "make run    - set up everything, then serve on http://$(HOST):$(PORT)/ (demo / teamorg-demo)"
	@echo "make test   - set up everything plus Chromium, then run the whole test suite"
	@echo "make bench  - run the benchmarks and write docs/benchmarks.md (BENCH=plan: only that one)"
	@echo "make lint   - ruff, the architecture contract, shellcheck"
	@echo "make doctor - what set-up found: Python, dot, fonts, Chromium, database"

# --- system packages -------------------------------------------------------------------------
# Every check below captures a command's output before testing it: under `pipefail` a reader that
# stops early (`grep -q`, `head`) kills the writer with SIGPIPE and turns a match into a failure.
# tests/test_setup_scripts.py keeps such pipelines out of this file and .ci/.

# Prints the packages of $(1) that dpkg does not list as installed.
missing_packages = for p in $(1); do \
	status=$$(dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null || true); \
	[ "$$status" = "install ok installed" ] || echo "$$p"; done

# Checked on every run (a dpkg query, well under a second), not remembered in a stamp: packages
# removed since the last run are installed again.
.PHONY: system-packages
system-packages:
	@missing=$$($(call missing_packages,$(APT_PACKAGES))); \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:" $$missing; \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# Debian ships a real Chromium package (/usr/bin/chromium), which the browser tests use. Ubuntu's
# `chromium` is a snap stub that does not run headless in a container; only there (or on a system
# without any Chromium package) Playwright downloads its own build, which needs its download host.
.PHONY: browser
browser: $(STAMPS)/venv
	@if [ -x /usr/bin/chromium ]; then exit 0; fi; \
	os_release=$$(cat /etc/os-release 2>/dev/null || true); \
	if [[ "$$os_release" != *[Uu]buntu* ]]; then \
		echo "Installing Chromium from the system's packages"; \
		$(SUDO) apt-get update -qq; \
		policy=$$(apt-cache policy chromium 2>/dev/null || true); \
		if [[ "$$policy" == *"Candidate: "[0-9]* ]]; then \
			DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(APT_TEST_PACKAGES); \
			exit 0; \
		fi; \
		echo "No 'chromium' package in this system's apt sources."; \
	fi; \
	echo "Installing Playwright's own Chromium build"; \
	$(VENV)/bin/playwright install --with-deps chromium || { \
		echo "Could not install a Chromium for the browser tests. Install one (Debian: 'apt-get install chromium')"; \
		echo "or point CHROMIUM_PATH at a Chromium binary, then run 'make test' again."; \
		exit 1; }

# --- Python ------------------------------------------------------------------------------------
# The first interpreter >= 3.11 on PATH; on a machine without one, Debian/Ubuntu's python3.11.
PYTHON := $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)

$(STAMPS)/venv: pyproject.toml | system-packages
	@mkdir -p $(STAMPS)
	@if [ -z "$(PYTHON)" ]; then \
		echo "No Python >= 3.11 found; installing python3.11 from apt"; \
		$(SUDO) apt-get update -qq; \
		$(SUDO) apt-get install -y -qq python3.11 python3.11-venv; \
	fi
	@py="$${PYTHON_BIN:-$(or $(PYTHON),python3.11)}"; \
	if ! "$$py" -m venv --help >/dev/null 2>&1 || ! "$$py" -c 'import ensurepip' 2>/dev/null; then \
		ver=$$("$$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")'); \
		$(SUDO) apt-get update -qq; \
		$(SUDO) apt-get install -y -qq python$$ver-venv; \
	fi; \
	[ -x $(PY) ] || "$$py" -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

# --- the app -----------------------------------------------------------------------------------
setup: system-packages $(STAMPS)/venv
	@$(PY) manage.py compilemessages --ignore '.venv' -v0
	@$(PY) manage.py migrate --no-input -v0
	@$(PY) manage.py loadtemplates
	@$(PY) manage.py ensure_demo_user

run: setup
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup browser
	@$(MAKE) --no-print-directory doctor
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null
	$(VENV)/bin/pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

bench: setup
	$(PY) -m tests.benchmarks.run $(BENCH)

lint: $(STAMPS)/venv
	@missing=$$($(call missing_packages,shellcheck)); \
	if [ -n "$$missing" ]; then \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends shellcheck; \
	fi
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest -q -p no:cacheprovider tests/architecture
	shellcheck .ci/run

# What the set-up found, so that a failing set-up says why.
doctor: $(STAMPS)/venv
	@$(PY) -m teamorg.doctor

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
