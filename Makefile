# wirestream: `make run` (the pipeline on the embedded broker) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv kafka run test test-tansu test-kafka test-quick test-unit test-integration lint bench eval models schemas map deploy clean

venv: $(STAMP)

# Re-installs whenever pyproject.toml changes; the project is installed editable.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "wirestream needs Python 3.11: set PYTHON=/path/to/python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Apache Kafka's broker jars from Maven Central (deploy/kafka/pom.xml) into .tools/ (git-ignored), for
# the Kafka test tier and `wirestream broker --kafka`. Without Java and Maven it says so and the tier
# skips; under CI=true that is an error.
KAFKA_VERSION := 3.9.1
KAFKA_STAMP := .tools/kafka-$(KAFKA_VERSION)/libs/.installed
kafka: $(KAFKA_STAMP)

$(KAFKA_STAMP): deploy/kafka/pom.xml
	@if command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1; then \
	  echo "make kafka: Apache Kafka $(KAFKA_VERSION) jars into .tools/ (Maven)"; \
	  rm -rf .tools/kafka-$(KAFKA_VERSION) && mvn -q -B -f deploy/kafka/pom.xml dependency:copy-dependencies && touch $@; \
	elif [ "$$CI" = true ]; then \
	  echo "make kafka: CI=true needs Java 17 and Maven for the Kafka tier (apt-get install openjdk-17-jdk-headless maven)"; exit 1; \
	else \
	  echo "make kafka: no Java or Maven here: the Kafka tier will skip (apt-get install openjdk-17-jdk-headless maven)"; \
	fi

run: venv
	$(BIN)/wirestream run

# Three test processes: on 2 cores the waits of one test (rebalances, windows, restarts) overlap
# the CPU work of another. A file's tests share their process's broker and worker, a test with a
# broker of its own runs alone, the long ones first (tests/conftest.py); `make test PYTEST_JOBS=0`
# runs in one process.
PYTEST_JOBS ?= 3
XDIST = $(if $(filter 0,$(PYTEST_JOBS)),,-n $(PYTEST_JOBS) --dist loadgroup --no-loadscope-reorder)
# Every tier: the unit tests, the integration tests on the embedded broker, and the guarantee tests
# again on Apache Kafka (marked `kafka`).
test: venv kafka
	$(BIN)/python -m pytest $(XDIST)

# One broker's tier at a time: everything but the Apache Kafka tests, or those alone.
test-tansu: venv
	$(BIN)/python -m pytest $(XDIST) -m "not kafka"

test-kafka: venv kafka
	$(BIN)/python -m pytest $(XDIST) -m kafka

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
