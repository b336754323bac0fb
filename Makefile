# MitraSehat developer commands. Run modes (docs: shared DESIGN.md "Run modes"):
#   make run        embedded: SQLite file, Celery eager, demo data, http://127.0.0.1:8000
#   make services   local PostgreSQL + Redis on loopback (installs them as root when missing)
#   make test       lint + migrations check + deploy check + pytest on real PostgreSQL and Redis
#                   (+ the isolation suite with each tenancy layer alone, the API fuzzing on SQLite)
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PG_PORT ?= 5432
REDIS_PORT ?= 6379
PY = .venv/bin/python
VENV_BIN = .venv/bin
MANAGE = $(PY) manage.py
PYTEST_ARGS ?=

# Full-stack URLs of what scripts/services.sh provides: the app connects as mitrasehat_app, which
# owns nothing and cannot bypass row-level security; migrations run as the owner, mitrasehat.
SERVICES_DATABASE_URL = postgres://mitrasehat_app:mitrasehat@127.0.0.1:$(PG_PORT)/mitrasehat
SERVICES_OWNER_URL = postgres://mitrasehat:mitrasehat@127.0.0.1:$(PG_PORT)/mitrasehat
SERVICES_REDIS_URL = redis://127.0.0.1:$(REDIS_PORT)/0
SERVICES_ENV = DATABASE_URL=$(SERVICES_DATABASE_URL) DATABASE_OWNER_URL=$(SERVICES_OWNER_URL) \
	REDIS_URL=$(SERVICES_REDIS_URL)
MIGRATE_ENV = DATABASE_URL=$(SERVICES_OWNER_URL) REDIS_URL=$(SERVICES_REDIS_URL)
TEST_ENV = $(SERVICES_ENV) DJANGO_SETTINGS_MODULE=config.settings.test DJANGO_ALLOW_ASYNC_UNSAFE=true
SERVICES = PG_PORT=$(PG_PORT) REDIS_PORT=$(REDIS_PORT) bash scripts/services.sh

export PIP_DISABLE_PIP_VERSION_CHECK = 1

.PHONY: help venv install run run-stack test lint format check-deploy services services-stop \
	services-status worker beat messages bench

help:
	@echo "make run           embedded mode: SQLite, demo data, http://127.0.0.1:8000"
	@echo "make test          everything CI runs (starts PostgreSQL + Redis; PYTEST_ARGS=... passes to pytest)"
	@echo "make lint|format   ruff check + format check | apply ruff format + fixes"
	@echo "make services      start/reuse PostgreSQL :$(PG_PORT) and Redis :$(REDIS_PORT); services-stop stops them"
	@echo "make run-stack     web on PostgreSQL + Redis; with 'make worker' and 'make beat' in other terminals"
	@echo "make messages      makemessages (id, en) + compilemessages"
	@echo "make check-deploy  production settings pass 'check --deploy'"

# --- environment ------------------------------------------------------------------------
$(PY):
	python3 -m venv .venv

# Reinstall only when a requirements file changed since the last successful install.
.venv/.installed: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --progress-bar off -r requirements-dev.txt
	touch $@

venv: $(PY)

install: .venv/.installed

# --- run --------------------------------------------------------------------------------
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_regions
	$(MANAGE) seed_demo
	$(MANAGE) runserver 127.0.0.1:8000

run-stack: install services
	$(MIGRATE_ENV) $(MANAGE) migrate --noinput
	$(SERVICES_ENV) $(MANAGE) load_regions
	$(SERVICES_ENV) $(MANAGE) seed_demo
	$(SERVICES_ENV) $(MANAGE) runserver 127.0.0.1:8000

worker: install services
	$(SERVICES_ENV) $(VENV_BIN)/celery -A config worker --loglevel INFO --concurrency 2

beat: install services
	$(SERVICES_ENV) $(VENV_BIN)/celery -A config beat --loglevel INFO \
		--scheduler django_celery_beat.schedulers:DatabaseScheduler

# --- services ---------------------------------------------------------------------------
services:
	$(SERVICES)

services-stop:
	$(SERVICES) stop

services-status:
	$(SERVICES) status

# --- quality ----------------------------------------------------------------------------
lint: install
	$(VENV_BIN)/ruff check .
	$(VENV_BIN)/ruff format --check .

format: install
	$(VENV_BIN)/ruff format .
	$(VENV_BIN)/ruff check --fix .

# Production settings must pass the deploy checklist with a fresh random 60-character key.
# (env -u: a developer's shell may export the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE.)
check-deploy: install
	env -u DJANGO_ALLOW_ASYNC_UNSAFE DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(45))')" \
	DJANGO_ALLOWED_HOSTS=example.org \
	$(SERVICES_ENV) $(MANAGE) check --deploy --fail-level WARNING

test: install
	$(SERVICES) --with-browser
	$(VENV_BIN)/ruff check .
	$(VENV_BIN)/ruff format --check .
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run
	$(MAKE) --no-print-directory check-deploy
	$(TEST_ENV) $(VENV_BIN)/pytest $(PYTEST_ARGS)
	@# each tenancy layer alone must hold: the isolation suite with row-level security off (ORM
	@# scoping alone), then with the ORM's scoping off (row-level security alone)
	$(TEST_ENV) $(VENV_BIN)/pytest -p no:cacheprovider --tenancy-layers=orm tests/test_tenancy_layers.py tests/test_isolation.py
	$(TEST_ENV) $(VENV_BIN)/pytest -p no:cacheprovider --tenancy-layers=rls tests/test_tenancy_layers.py tests/test_isolation.py
	@# the API fuzzing once more on the embedded database (SQLite): some inputs only break there
	env -u DATABASE_URL REDIS_URL=$(SERVICES_REDIS_URL) DJANGO_SETTINGS_MODULE=config.settings.test \
		$(VENV_BIN)/pytest -p no:cacheprovider tests/test_api_fuzz.py

# --- translations -----------------------------------------------------------------------
messages: install
	@command -v msgfmt >/dev/null || { echo "msgfmt missing: apt-get install -y gettext" >&2; exit 1; }
	$(MANAGE) makemessages -l id -l en --ignore=.venv --ignore=static/vendor --ignore=staticfiles
	$(MANAGE) compilemessages --ignore=.venv

# --- benchmarks -------------------------------------------------------------------------
# Benchmarks outside the test suite, on their own database (mitrasehat_bench) and Redis db 3.
# Options: BENCH_FACTORS=1,2,4 BENCH_NATIONAL=1 BENCH_REQUESTS=30 (bench/README.md).
bench: install
	$(SERVICES)
	@command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y wrk \
		|| { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; }
	BENCH_DATABASE_URL=postgres://mitrasehat:mitrasehat@127.0.0.1:$(PG_PORT)/mitrasehat_bench \
	BENCH_REDIS_URL=redis://127.0.0.1:$(REDIS_PORT)/3 $(PY) -m bench.run
