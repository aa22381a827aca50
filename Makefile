# The two commands of README.md (`make run`, `make test`) and the developer's others.
# Every target installs the project into .venv first; that re-runs only when pyproject.toml
# changes (the stamp file is newer than it otherwise).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv run test lint bench

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || $(MAKE) --no-print-directory python-venv
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

# Debian's python3 lacks venv/ensurepip until python3-venv is installed.
.PHONY: python-venv
python-venv:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; \
	else \
		echo "python3 cannot create virtual environments: run 'sudo apt-get install python3-venv'" >&2; \
		exit 1; \
	fi

# The product on SQLite under ./data with demo data and no tokens: http://127.0.0.1:8080/
run: venv
	$(BIN)/reception run --demo

test: venv
	$(BIN)/pytest -q

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Each benchmark in bench/ prints its figures; the last line of each is the summary.
bench: venv
	@set -e; found=0; for script in bench/*.py; do \
		[ -e "$$script" ] || continue; found=1; \
		echo "== $$script"; $(BIN)/python "$$script"; \
	done; [ $$found = 1 ] || echo "no benchmarks in bench/ yet"
