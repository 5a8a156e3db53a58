# The two commands a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast guards snapshots bench wheelhouse clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

## Install, load the Devon MASH demo conversation and open the app.
run: $(VENV)/.installed-run
	$(BIN)/appreciate demo
	$(BIN)/appreciate

## Install with test extras, check the guards, and run the whole suite on every core; then the
## tests that drive the app in a real terminal (tmux), on their own: they hold the app to its
## real-time promises (a draft on disk within 300 ms), which a machine running two test workers
## per core cannot be asked to keep. `-n auto` is two workers per core (tests/conftest.py says
## why); PYTEST_XDIST_AUTO_NUM_WORKERS=n to choose.
test: guards
	$(BIN)/python -m pytest -q -n auto -m "not tmux"
	$(BIN)/python -m pytest -q -m tmux

## The same without the tests marked slow (a wheel built, the app in tmux, the longest screen
## tests): for while you work.
test-fast: guards
	$(BIN)/python -m pytest -q -n auto -m "not slow"

## The layer contracts in pyproject.toml (import-linter), then the type check (mypy): seconds.
guards: $(VENV)/.installed-test
	$(BIN)/lint-imports
	$(BIN)/mypy

## Regenerate the screen snapshots after a deliberate visual change.
snapshots: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q tests/tui -k snapshot --snapshot-update

## Print the benchmark figures (not part of the test suite). SCALE=10k: on the 10,000-conversation
## database as well, side by side with the 1,000 one (QUICK=1: fewer runs).
bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run_all.py $(if $(SCALE),--scale $(SCALE)) $(if $(QUICK),--quick)

## An offline install bundle in dist/, e.g. PLATFORM=win_amd64 PYVER=3.11 (default: this machine).
wheelhouse: | $(BIN)/python
	$(BIN)/python tools/wheelhouse.py \
		$(if $(PLATFORM),--platform $(PLATFORM)) $(if $(PYVER),--python $(PYVER))

clean:
	rm -rf $(VENV) build dist *.egg-info
