# `make run` serves intake locally; `make test` runs every test. Both set everything up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
PYTEST_ARGS ?=
# Every package the app and its tests use, pinned with its hashes (README: Development).
LOCK := requirements.lock

.PHONY: run test setup lint translations clean

$(VENV)/.installed: pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

instance/config.py:
	$(PYTHON) scripts/instance-config.py instance

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d intake/translations 2>&1 | grep -v '^compiling' || true

setup: $(VENV)/.installed instance/config.py translations
	bash scripts/system-deps.sh

run: setup
	$(BIN)/intake backup --before-upgrade
	$(BIN)/intake db upgrade
	$(BIN)/intake keys init
	PORT=$(PORT) INTAKE_LOCAL_HTTP=1 $(BIN)/intake firstrun
	@echo "Serving on http://127.0.0.1:$(PORT) (Ctrl-C stops)"
	INTAKE_LOCAL_HTTP=1 exec $(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 3 \
	  --timeout 60 'intake:create_app()'

test: setup
	bash scripts/system-deps.sh --test
	bash scripts/axe-core.sh
	$(BIN)/ruff check .
	$(BIN)/mypy
	bash scripts/with-postgres.sh $(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check intake tests scripts
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
