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
export NETRALITAS_ROOT := $(CURDIR)
# Set-up installs without precompiling the ~1 GiB environment (that took most of a fresh clone's
# set-up); Python compiles each module the first time it is imported and keeps the bytecode in
# .venv, so only what the build and the tests use is ever compiled. That needs bytecode writing on.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: setup book execute build test unit nbval build-check clean-check verify clean help bench lint browser chapter weight lab pdf archive
# Workers for chapter execution and for the unit and browser tests: one per CPU core.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
export NETRALITAS_JOBS := $(JOBS)

help:
	@echo "make book   set up if needed, re-execute changed chapters, build _build/html"
	@echo "make test   set up if needed, then unit + lint alongside verify (one execution: nbval strict + byte check) -> strict build -> pdf -> browser"
	@echo "make pdf    the whole book as _build/pdf/book.pdf (offline, Debian chromium via Playwright)"
	@echo "make lab    JupyterLab on the book with the project's kernel, offline (127.0.0.1:8888)"
	@echo "make chapter NAME=x [TITLE='...']   new chapter from the template, in _toc.yml, executed"
	@echo "make lint | make browser | make weight   ruff + nbQA | HTML + Chromium/axe checks | page weight"
	@echo "make bench  timings: set-up, clean build, no-op, one data file changed, nbval, floor (< 10 min)"

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@echo "setup: creating $(VENV) from requirements.txt"
	@test -x $(PY) || $(PYTHON) -m venv --without-pip $(VENV)
	@if { test -x $(BIN)/uv || $(PYTHON) -m pip --python $(PY) install -q uv >/dev/null 2>&1 || \
	      { $(PY) -m ensurepip -q >/dev/null 2>&1 && $(PY) -m pip install -q uv >/dev/null 2>&1; }; } && \
	    $(BIN)/uv --version >/dev/null 2>&1; then \
	  $(BIN)/uv pip install -q --python $(PY) -r requirements.txt -e . ; \
	else \
	  echo "setup: uv unavailable, falling back to pip"; \
	  { $(PY) -m pip --version >/dev/null 2>&1 || $(PY) -m ensurepip -q; } && \
	  $(PY) -m pip install -q -r requirements.txt && $(PY) -m pip install -q --no-deps -e . ; \
	fi
	@rm -f $(VENV)/.installed-*
	@touch $@
	@echo "setup: done"

# Validates data/ and references.bib first (one-line error, exit 1), then re-executes only the
# chapters whose code, package modules or data files changed (content hashes in .cache/).
# Cell tags follow one rule (netralitas.build.tags: set-up and glue-only cells removed, cells that
# glue a table or figure folded), applied before the run and again for cells it just executed.
# The executor runs through netralitas.build.runlog, which keeps each chapter's runtime and reason
# in .cache/runs.json (for the "Reproduksi bab ini" boxes; never in the notebooks).
execute: setup
	@$(PY) -m netralitas.build.tags
	@$(PY) -m netralitas.build.runlog
	@$(PY) -m netralitas.build.tags
	@$(PY) -m netralitas.build.readme --check >/dev/null 2>&1 || $(PY) -m netralitas.build.readme

# The strict build; on success it records the hash of the sources it was built from (see `book`).
BUILD_BOOK = src=$$($(PY) -m netralitas.build.execute --source-digest) && \
	{ $(BIN)/jupyter-book build . $(JB_FLAGS) --quiet >/dev/null 2>_build.log || { grep -E "WARNING|ERROR" _build.log | sed 's/\x1b\[[0-9;]*m//g'; echo "build: FAILED (see _build.log)"; exit 1; }; } && \
	$(PY) -m netralitas.build.execute --mark-built $$src && rm -f _build.log && echo "build: _build/html/index.html"

# Always builds.
build: setup
	@$(BUILD_BOOK)

# Builds only when a source of the HTML changed since the last successful build.
book: execute
	@if $(PY) -m netralitas.build.execute --built-is-current; then \
	  echo "build: up to date (sources unchanged since the last build): _build/html/index.html"; \
	else $(BUILD_BOOK); fi

# Timings of set-up, clean and incremental builds, nbval (see README, Performance).
bench: setup
	@$(PY) tools/bench.py

unit: setup
	@$(PY) -m netralitas.data
	$(BIN)/pytest -q -n $(JOBS) --dist loadfile --no-loadscope-reorder tests --ignore=tests/browser --ignore=tests/test_html.py

# ruff over src/ tests/ tools/ (rules in pyproject.toml), and over the notebooks through nbQA.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/nbqa ruff book

# The built site: HTML checks, then every TOC page in Debian's headless chromium (Playwright),
# with axe-core. Needs `make build` first; `make test` runs it right after the build.
CHROMIUM ?= /usr/bin/chromium
# ... and the privacy check of the built HTML (it skips in `make unit` when there is no build).
BROWSER_TESTS := tests/test_html.py tests/browser tests/test_privacy.py::test_no_guarded_name_in_built_html
browser: setup
	@test -x $(CHROMIUM) || { echo "browser: $(CHROMIUM) not found. Install Debian's chromium: apt-get update && apt-get install -y chromium (or set CHROMIUM=/path/to/chromium)"; exit 1; }
	@test -f _build/html/index.html || { echo "browser: _build/html/index.html missing: run make build first"; exit 1; }
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest -q -n $(JOBS) -p no:cacheprovider $(BROWSER_TESTS)

# New chapter from book/_templates/chapter.md, registered in _toc.yml, executed once.
chapter: setup
	@test -n "$(NAME)" || { echo "chapter: give a name, e.g. make chapter NAME=pilkada_2029 [TITLE='Pilkada 2029']"; exit 2; }
	@$(PY) -m netralitas.build.authoring "$(NAME)" $(if $(TITLE),--title "$(TITLE)")
	@$(PY) -m netralitas.build.execute book/$(NAME).ipynb

# Page weight of every TOC page (HTML, scripts + styles, images), for README "Page weight".
weight:
	@$(PY) -m netralitas.build.site weight

nbval: setup
	$(BIN)/pytest -q --nbval book --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

clean-check: setup
	@$(PY) -m netralitas.build.execute --force
	@if [ -n "$$(git status --porcelain -- book data)" ]; then \
	  echo "clean-check: re-executing the chapters changed stored files:"; git status --short -- book data; \
	  git --no-pager diff --stat -- book; exit 1; fi
	@echo "clean-check: re-execution left book/ and data/ unchanged"

# Each chapter executed once for both checks: the executor with --force (parallel), then nbval's
# strict, sanitised cell-by-cell comparison of stored vs fresh outputs (netralitas.build.nbreplay)
# and the byte-level check (notebooks unchanged, git status clean). `make nbval` and
# `make clean-check` remain as the two separate checks.
verify: setup
	@$(PY) -m netralitas.build.verify --sanitize tests/nbval_sanitize.cfg

# The steps of `make test` run concurrently where nothing orders them (GNU make -j, each step's
# output printed as a block when it ends): the unit tests and lint alongside the chain
# verify -> build -> pdf -> browser (the build needs the verified notebooks, the PDF the built
# HTML, the browser tests the PDF that every page links). Set-up runs once, first.
TEST_JOBS ?= 4
test: setup
	@$(MAKE) --no-print-directory -j$(TEST_JOBS) -O test-steps
	@echo "test: all checks passed"

.PHONY: test-steps test-unit test-lint test-verify test-build test-pdf test-browser
test-steps: test-unit test-lint test-verify test-build test-pdf test-browser
test-unit test-lint test-verify:
	@$(MAKE) --no-print-directory $(@:test-%=%)
test-build: test-verify
	@$(MAKE) --no-print-directory build
test-pdf: test-build
	@$(MAKE) --no-print-directory pdf
test-browser: test-pdf
	@$(MAKE) --no-print-directory browser

clean:
	rm -rf _build .cache

# JupyterLab (pinned, installed by `make setup`) on the book with the project's kernel, offline:
# http://127.0.0.1:$(LAB_PORT)/lab/tree/book. Ctrl-C stops it.
LAB_PORT ?= 8888
lab: setup
	@LAB_PORT=$(LAB_PORT) $(PY) -m netralitas.build.lab

# The whole book as one PDF (_build/pdf/book.pdf, copied to _build/html/book.pdf for the "Unduh
# PDF" link of every page), printed offline from the built HTML by Debian's chromium through
# Playwright (never a browser download). Builds the HTML first when it is missing.
pdf: setup
	@test -x $(CHROMIUM) || { echo "pdf: $(CHROMIUM) not found. Install Debian's chromium: apt-get update && apt-get install -y chromium (or set CHROMIUM=/path/to/chromium)"; exit 1; }
	@test -f _build/html/index.html || $(MAKE) --no-print-directory build
	@CHROMIUM=$(CHROMIUM) $(PY) -m netralitas.build.pdf

# Archive-ready metadata: ro-crate-metadata.json (RO-Crate, rocrate library) and .zenodo.json,
# regenerated from CITATION.cff, data/datapackage.json and _config.yml (tests/test_archive.py
# fails when the committed files are stale).
archive: setup
	@$(PY) -m netralitas.build.archive
