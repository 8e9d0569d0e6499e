# Two commands: `make book` and `make test`. Both set up .venv from the pinned requirements when
# it is missing or out of date (a stamp holds the hash of requirements.txt + pyproject.toml).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml 2>/dev/null | sha256sum | cut -c1-16)
JB_FLAGS := -n -W --keep-going
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: setup book execute build test unit nbval build-check clean-check clean help

help:
	@echo "make book   set up if needed, re-execute changed chapters, build _build/html"
	@echo "make test   set up if needed, run unit/data tests, nbval (strict), strict build, git-clean check"

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@echo "setup: creating $(VENV) from requirements.txt"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@if $(PY) -m pip install -q uv >/dev/null 2>&1 && $(BIN)/uv --version >/dev/null 2>&1; then \
	  $(BIN)/uv pip install -q --python $(PY) --compile-bytecode -r requirements.txt && \
	  $(BIN)/uv pip install -q --python $(PY) --compile-bytecode --no-deps -e . ; \
	else \
	  echo "setup: uv unavailable, falling back to pip"; \
	  $(PY) -m pip install -q -r requirements.txt && $(PY) -m pip install -q --no-deps -e . ; \
	fi
	@rm -f $(VENV)/.installed-*
	@touch $@
	@echo "setup: done"

execute: setup
	@$(PY) -m netralitas.data
	@$(PY) -m netralitas.execute

build: setup
	@$(BIN)/jupyter-book build . $(JB_FLAGS) --quiet >/dev/null 2>_build.log || { grep -E "WARNING|ERROR" _build.log | sed 's/\x1b\[[0-9;]*m//g'; echo "build: FAILED (see _build.log)"; exit 1; }
	@rm -f _build.log
	@echo "build: _build/html/index.html"

book: execute build

unit: setup
	@$(PY) -m netralitas.data
	$(BIN)/pytest -q tests

nbval: setup
	$(BIN)/pytest -q --nbval book --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

clean-check: setup
	@$(PY) -m netralitas.execute --force
	@if [ -n "$$(git status --porcelain -- book data)" ]; then \
	  echo "clean-check: re-executing the chapters changed stored files:"; git status --short -- book data; \
	  git --no-pager diff --stat -- book; exit 1; fi
	@echo "clean-check: re-execution left book/ and data/ unchanged"

test: unit nbval build clean-check
	@echo "test: all checks passed"

clean:
	rm -rf _build .cache
