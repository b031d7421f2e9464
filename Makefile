# The two commands a user needs: `make run` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
CONFIG  ?= config.ini
PORT    ?=
HOST    ?=

.PHONY: install browser run test lint bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The browser tests drive Debian's chromium (never Playwright's own download); needs root.
browser:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

run: $(STAMP)
	$(BIN)/sapgw --config $(CONFIG) init
	$(BIN)/sapgw --config $(CONFIG) serve $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

test: $(STAMP) browser
	$(BIN)/pytest -n auto

# `ruff check` only: the code is wrapped by hand (ruff format would rewrite most files).
lint: $(STAMP)
	$(BIN)/ruff check src tests bench

bench: $(STAMP)
	$(BIN)/python bench/e2e_funds.py

clean:
	rm -rf var .pytest_cache
