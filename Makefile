# The project's verbs. `make run` and `make test` need only Python 3.11 on the machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test check lint format vendor migrate seed clean backup restore bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: dependencies are reinstalled only when a requirements file changes.
$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run-deps

## run: install, migrate, seed the demo clinic and serve it on SQLite at http://127.0.0.1:8000
run: export DJANGO_DEBUG ?= 1
run: $(VENV)/.run-deps
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: install the dev tools and run the whole suite (PostgreSQL when DATABASE_URL is set)
test: $(VENV)/.dev-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## backup: write var/backups/clinic-<UTC time>.tar.gz (or BACKUP_DIR=dir, ARCHIVE=path): database,
## photos and a SHA-256 manifest, mode 0600. It holds health data: encrypt it (see README).
# Like `run`, local use needs no settings; production sets DJANGO_DEBUG=0 and its own variables.
backup restore: export DJANGO_DEBUG ?= 1
backup: $(VENV)/.run-deps
	$(BIN)/python manage.py backup $(if $(ARCHIVE),--archive "$(ARCHIVE)") $(if $(BACKUP_DIR),--dir "$(BACKUP_DIR)")

## restore: ARCHIVE=path restores a backup into an empty install (FORCE=1 overwrites a non-empty one)
restore: $(VENV)/.run-deps
	@test -n "$(ARCHIVE)" || { echo "usage: make restore ARCHIVE=var/backups/clinic-....tar.gz" >&2; exit 2; }
	$(BIN)/python manage.py restore "$(ARCHIVE)" $(if $(FORCE),--force)

## check: lint, formatting, missing migrations, and the production settings check
check: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_DEBUG=1 $(BIN)/mypy
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  DJANGO_ALLOWED_HOSTS=clinic.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING

format: $(VENV)/.dev-deps
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## bench: serve with gunicorn on PostgreSQL (BENCH_DATABASE_URL, default the clinic_bench database,
## filled by `manage.py seed_scale`) and measure the heavy pages against a bare view (needs wrk)
bench: $(VENV)/.run-deps
	$(BIN)/python scripts/bench.py

## vendor: refresh Bootstrap and its icons in static/vendor from the npm registry (needs npm)
vendor:
	scripts/vendor.sh

clean:
	rm -rf $(VENV) var/staticfiles
