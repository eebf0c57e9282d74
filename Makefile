# wirestream: `make run` (the pipeline on the embedded broker) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv run test test-quick test-unit test-integration lint bench eval models schemas map deploy clean

venv: $(STAMP)

# Re-installs whenever pyproject.toml changes; the project is installed editable.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "wirestream needs Python 3.11: set PYTHON=/path/to/python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: venv
	$(BIN)/wirestream run

# Three test processes: on 2 cores the waits of one test (rebalances, windows, restarts) overlap
# the CPU work of another. A file's tests share their process's broker and worker, a test with a
# broker of its own runs alone, the long ones first (tests/conftest.py); `make test PYTEST_JOBS=0`
# runs in one process.
PYTEST_JOBS ?= 3
test: venv
	$(BIN)/python -m pytest $(if $(filter 0,$(PYTEST_JOBS)),,-n $(PYTEST_JOBS) --dist loadgroup --no-loadscope-reorder)

# The unit tier without the slow tests (generated inputs, subprocesses): under a minute.
test-quick: venv
	$(BIN)/python -m pytest tests/unit -m "not slow" -q

test-unit: venv
	$(BIN)/python -m pytest tests/unit

test-integration: venv
	$(BIN)/python -m pytest tests/integration

# ruff's rules and mypy's strict mode, as pyproject.toml sets them; CI runs it before the tests.
lint: venv
	$(BIN)/ruff check services tests eval bench training
	$(BIN)/mypy

bench: venv
	$(BIN)/python -m bench

# Accuracy figures (datelines and places; reads ../shared where a figure needs it): printed, not asserted.
eval: venv
	$(BIN)/python -m eval

# Train the multilingual NER pipeline from ../shared/data/ner-train into the package (about 45 min
# on 2 cores; seeded). `make test` never trains: the trained pipeline is committed.
models: venv
	$(BIN)/python -m training.ner.train

# The newsroom page's map, drawn from the npm package world-atlas (Natural Earth land): rarely needed.
map: venv
	cd $$(mktemp -d) && npm pack -s world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz && \
	  $(CURDIR)/$(BIN)/python -m wirestream.web.world_map package/land-110m.json

schemas: venv
	$(BIN)/python -m wirestream.export

# deploy/kubernetes/: the Helm chart deploy/helm/wirestream rendered (plain and Strimzi), and the Grafana dashboard.
deploy: venv
	$(BIN)/python -m wirestream.export kubernetes

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .wirestream
