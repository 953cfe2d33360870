# BackTo — the two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv

.PHONY: run test test-fast lint lock messages bench bench-scale audit-deps clean

$(VENV)/bin/python:
	PYTHON=$(PYTHON) scripts/debian-packages run
	$(PYTHON) -m venv $(VENV)

# pip first: the lock files need a newer pip than the one venv brings (requirements-pip.lock says why)
$(VENV)/.pip: requirements-pip.lock | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-pip.lock
	touch $@

$(VENV)/.installed: requirements.lock pyproject.toml $(VENV)/.pip
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.dev-installed: requirements-dev.lock requirements.lock pyproject.toml $(VENV)/.pip
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(VENV)/.installed $@

## run: serve a demo clinic on SQLite at http://127.0.0.1:8000 (BACKTO_PORT to change)
run: $(VENV)/.installed
	@scripts/run

## test: lint, types, import contract, tests on SQLite and PostgreSQL, browser tests
test: $(VENV)/.dev-installed
	@scripts/test

## test-fast: the SQLite suite only, no system packages needed
test-fast: $(VENV)/.dev-installed
	$(VENV)/bin/pytest -m "not browser" -q

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/mypy && $(VENV)/bin/lint-imports

## lock: re-pin every dependency (with hashes) from requirements*.in
lock:
	$(PYTHON) -m pip install --quiet uv
	$(PYTHON) -m uv pip compile --quiet --python-version 3.11 --generate-hashes requirements.in -o requirements.lock
	$(PYTHON) -m uv pip compile --quiet --python-version 3.11 --generate-hashes requirements-dev.in -o requirements-dev.lock
	$(PYTHON) -m uv pip compile --quiet --python-version 3.11 --generate-hashes requirements-audit.in -o requirements-audit.lock

## messages: update every app's translation catalogue from the code, and compile it (docs/i18n.md)
messages: $(VENV)/.dev-installed
	$(VENV)/bin/python scripts/messages.py

## audit-deps: check the lock files against published advisories (says so when none is reachable)
audit-deps:
	@scripts/audit-deps

## bench: run the benchmarks and write bench/RESULTS.md
bench: $(VENV)/.dev-installed
	@scripts/bench

## bench-scale: a network on this machine (primary, replica, two app servers, 100,000 children; about an hour)
bench-scale: $(VENV)/.dev-installed
	$(VENV)/bin/python bench/bench_scale.py --results bench/RESULTS.md

clean:
	rm -rf $(VENV) .venv-audit var/static
