# Two commands: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP_PY := $(VENV)/.installed
STAMP_JS := node_modules/.installed

.PHONY: run test setup lint messages clean

setup: $(STAMP_PY) $(STAMP_JS)

$(STAMP_PY): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet '.[dev]'
	touch $@

# Bootstrap comes from the npm registry at install time; settings serve it from node_modules.
$(STAMP_JS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

PORT ?= 8000

run: setup
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py createcachetable  # a no-op unless CACHE_URL=db://
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 MFA_DEMO_WAIVER=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

# Re-extract and compile the Dutch catalogue after changing user-facing strings.
messages: setup
	$(PY) manage.py makemessages -l nl --no-obsolete --ignore=node_modules --ignore=.venv
	$(PY) manage.py compilemessages -l nl --ignore=node_modules --ignore=.venv

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles
