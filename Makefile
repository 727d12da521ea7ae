# Leerstroom — `make run` to start the site, `make test` to check everything. `make help` lists all.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_VERSION := 3.11
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: help setup run test test-fast bench bench-transcode bench-chunked bench-first-playable bench-catalog bench-accreditation bench-heartbeats bench-live lint format messages system-packages test-system-packages

help: ## Show the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-22s %s\n", $$1, $$2}'

system-packages: ## Install ffmpeg and gettext from Debian when missing (needs root)
	@scripts/install-system-packages.sh run

test-system-packages: ## Also install Chromium and WeasyPrint's libraries for the tests
	@scripts/install-system-packages.sh test

$(UV):
	python$(PYTHON_VERSION) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Bytecode compiled once at install: where PYTHONDONTWRITEBYTECODE is set, every process (each
# test run, check, worker) would otherwise compile Django and Wagtail again, about 9 s each.
$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --compile-bytecode --python python$(PYTHON_VERSION) --quiet
	@touch $@

frontend/static/vendor/.built: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build
	@touch $@

messages: $(VENV)/.synced ## Compile the translations
	@$(MANAGE) compilemessages --ignore=.venv --ignore=.tools --ignore=frontend/node_modules -v 0

setup: system-packages $(VENV)/.synced frontend/static/vendor/.built messages ## Install everything the site needs

run: setup ## Install, migrate, seed the demo once, start the web server and a Celery worker
	@$(MANAGE) migrate --noinput -v 0
	@HOST=$(HOST) PORT=$(PORT) scripts/run.sh

test: setup test-system-packages ## Lint, checks and the whole test suite on real services and the embedded stack
	@$(PY) scripts/test.py

test-fast: setup test-system-packages ## The inner loop: ruff, checks and the suite on SQLite without browser and slow tests
	@$(PY) scripts/test.py --fast

lint: $(VENV)/.synced ## Ruff lint and format check, and the one-way layers (import-linter)
	@$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/lint-imports

format: $(VENV)/.synced ## Format the code with ruff
	@$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

bench: bench-transcode bench-chunked bench-first-playable bench-catalog bench-accreditation bench-heartbeats bench-live ## Run every benchmark (each prints a final JSON line)

bench-transcode: setup system-packages ## The video ladder: pipeline vs bare ffmpeg vs one ffmpeg per rung
	$(PY) bench/transcode.py

bench-chunked: setup system-packages ## Long videos in parts: one worker process vs two (PostgreSQL, Redis)
	$(PY) bench/transcode.py --mode chunked

bench-first-playable: setup system-packages ## A 10-minute 1.5 GB source playable as soon as a 60-s one (PostgreSQL, Redis)
	$(PY) bench/transcode.py --mode first-playable

bench-catalog: setup ## Home, search and course pages over 10,000 courses (PostgreSQL, Redis)
	$(PY) bench/catalog.py

bench-accreditation: setup ## Standing per register over 2,000 ledger entries and a 20,000-row attendance export (PostgreSQL)
	$(PY) bench/accreditation.py

bench-heartbeats: setup ## 1,333 heartbeats/s on gunicorn with the Redis buffer, and a join storm (PostgreSQL, Redis)
	$(PY) bench/heartbeats.py

bench-live: setup test-system-packages ## A 1080p30 webinar through the real ingest, latency in Chromium, 20,000 viewers' app traffic (PostgreSQL, Redis)
	$(PY) bench/live.py
