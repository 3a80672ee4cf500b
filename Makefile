# Every check a developer or CI runs is a target here. `make run` and `make test` work on a
# fresh clone: they install what is missing first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
VENDOR := static/vendor

# Tests and benchmarks run against the real services of this machine unless told otherwise.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bosun
TEST_BROKER_URL ?= redis://127.0.0.1:6379/1
TEST_ENV := DJANGO_SETTINGS_MODULE=config.settings.test \
	DATABASE_URL=$(or $(DATABASE_URL),$(TEST_DATABASE_URL)) \
	CELERY_BROKER_URL=$(or $(CELERY_BROKER_URL),$(TEST_BROKER_URL)) \
	DJANGO_ALLOW_ASYNC_UNSAFE=true

.PHONY: install run test smoke-embedded lint format bench system-deps compose-check schema clean

install: $(STAMP) $(VENDOR)/.stamp

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

$(VENDOR)/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/@picocss/pico/css/pico.min.css $(VENDOR)/pico.min.css
	cp node_modules/sortablejs/Sortable.min.js $(VENDOR)/Sortable.min.js
	touch $@

run: install
	./scripts/run-embedded

# Debian's Chromium (for the browser tests) and docker-compose (to validate the production
# stack); installed with apt when missing and when we may.
system-deps:
	./scripts/system-deps

# `make run`'s embedded mode end to end (scripts/smoke_embedded.py), on a temporary var/ and a
# free port; no PostgreSQL or Redis. The test environment is set here on purpose: the script
# must keep it from the embedded run, which uses config.settings.local and its own defaults.
SMOKE_EMBEDDED := $(TEST_ENV) $(BIN)/python scripts/smoke_embedded.py

test: install system-deps
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)
	$(SMOKE_EMBEDDED)

smoke-embedded: install
	$(SMOKE_EMBEDDED)

lint: install system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=lint-only-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=') \
		ALLOWED_HOSTS=bosun.example.com DATABASE_URL=sqlite:///var/lint.sqlite3 \
		CACHE_URL=rediscache://127.0.0.1:6379/9 \
		$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null
	$(MAKE) compose-check

compose-check:
	docker-compose -f docker-compose.yml --env-file .env.example config -q

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

schema: install
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file docs/openapi.yaml

bench: install
	$(TEST_ENV) $(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var staticfiles
