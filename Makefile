# Two commands for a new user: `make run` and `make test`. Everything else is for developers.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEBUG ?= 1
CONTENT := content/

.PHONY: run serve test setup lint format messages pygments-css share-image deploy-lint image-check clean

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "InfraLearn needs Python 3.11 or newer; found " + sys.version.split()[0] + ". Set PYTHON=/path/to/python3.11 and try again.")'
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the requirement files change.
$(VENV)/.installed-run: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-run

$(VENV)/.installed-deploy: requirements-deploy.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-deploy.txt
	@touch $@

setup: $(VENV)/.installed-run
	DEBUG=$(DEBUG) $(PY) manage.py migrate --noinput
	DEBUG=$(DEBUG) $(PY) manage.py import_content $(CONTENT)
	DEBUG=$(DEBUG) $(PY) manage.py create_demo_users

run: setup
	@echo "Serving InfraLearn at http://127.0.0.1:$(PORT)/ (Ctrl+C stops it)"
	DEBUG=$(DEBUG) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production: settings from the environment (DEBUG off; SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL required),
# static files collected with hashed names, migrations applied, then gunicorn (see docs/deploy.md).
serve: $(VENV)/.installed-run
	DEBUG=0 $(PY) manage.py check --deploy
	DEBUG=0 $(PY) manage.py collectstatic --noinput -v0
	DEBUG=0 $(PY) manage.py migrate --noinput
	DEBUG=0 exec $(VENV)/bin/gunicorn -c config/gunicorn.py config.wsgi

# axe-core for the accessibility tests, when npm is here (without it those tests are skipped, or fail in CI).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --ignore-scripts --silent --no-audit --no-fund && touch $@; \
	else echo "npm not found: the accessibility tests will be skipped"; fi

test: $(VENV)/.installed-dev node_modules/.installed
	$(PY) -m pytest -n auto

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# After changing interface strings: extract them, translate locale/zh_Hant/LC_MESSAGES/django.po, compile.
messages: $(VENV)/.installed-dev
	DEBUG=1 $(PY) manage.py makemessages -l zh_Hant --no-location --no-obsolete
	DEBUG=1 $(PY) manage.py compilemessages -l zh_Hant --ignore=.venv

# The container and deployment files, without a container engine or a cluster: hadolint on Containerfile,
# compose.yaml against the Compose specification, deploy/kubernetes against the Kubernetes and Gateway API
# schemas (docs/deploy.md).
deploy-lint: $(VENV)/.installed-deploy node_modules/.installed
	$(PY) deploy/lint.py

# Build the image from Containerfile with buildah (on a Debian base made here with debootstrap) and run it
# against the local PostgreSQL and Redis; needs root, buildah and debootstrap, and skips without them.
image-check: $(VENV)/.installed-run
	PY=$(PY) deploy/image-check.sh

pygments-css: $(VENV)/.installed-run
	$(PY) -m kb.pygments_css light > static/css/pygments.css
	$(PY) -m kb.pygments_css dark > static/css/pygments-dark.css

# The share image (og:image) is drawn by Chromium through Playwright, as the browser tests are.
share-image: $(VENV)/.installed-dev
	$(PY) -m kb.share_image

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
