# The newsroom's everyday commands. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

BENCH_ARTICLES ?= 100000

.PHONY: run test lint format clean bench stack stack-stop

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo
	DJANGO_DEBUG=1 $(BIN)/python manage.py create_demo_editor
	@echo "Serving the AES Newsroom on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.dev-installed
	$(BIN)/pytest

# Seeds the corpora, times pages in-process (pytest-benchmark), serves them with
# gunicorn, drives them with wrk (Debian's `wrk`); writes bench/RESULTS.md.
# Then the edge figures: the stack (make stack) read through Varnish (bench/edge.py).
# PostgreSQL (BENCH_PG_URL) and Redis (BENCH_REDIS_URL) when they answer.
bench: $(VENV)/.dev-installed
	$(BIN)/python bench/run.py --articles $(BENCH_ARTICLES)

# PostgreSQL, Redis, two gunicorn app servers and Varnish in front, on loopback,
# with the demo loaded (deploy/stack.py); Debian's varnish and varnish-modules.
stack: $(VENV)/.dev-installed
	$(BIN)/python deploy/stack.py start

stack-stop: $(VENV)/.dev-installed
	$(BIN)/python deploy/stack.py stop

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache bench/.data
