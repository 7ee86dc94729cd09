# revops: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LANDING ?= data/landing
SCALE ?= 1
SEED ?= 42
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
# The venv's tools first on PATH: dagster dev (make ui, the browser tests) runs `dbt parse`
# through dagster-dbt, which looks for `dbt` on PATH.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: help install demo-data run test lint ui bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "revops needs Python >= 3.11, found " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install revops with pinned dependencies

$(LANDING)/ground_truth.json: | $(STAMP)
	$(BIN)/revops generate --scale $(SCALE) --seed $(SEED) --out $(LANDING)

demo-data: $(LANDING)/ground_truth.json ## generate demo data into data/landing if there is none

run: $(STAMP) $(LANDING)/ground_truth.json ## install, generate demo data if missing, run the whole pipeline
	$(BIN)/revops run --landing $(LANDING) \
	  --as-of $$($(BIN)/python -c 'import json,sys; print(json.load(open(sys.argv[1]))["as_of"])' $(LANDING)/ground_truth.json)

lint: $(STAMP) ## sqlfluff (dbt templater) and ruff
	@# The dbt templater compiles against a throwaway in-memory DuckDB: a fresh clone has no warehouse.
	REVOPS_DUCKDB_PATH=:memory: $(BIN)/sqlfluff lint models --processes 2 --disable-progress-bar
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(STAMP) ## install, lint, then the whole test suite
	$(MAKE) --no-print-directory lint
	@# Three workers on two cores: much of a test's time is a dbt or Dagster process waiting on the disk.
	$(BIN)/python -m pytest -n 3 --dist loadgroup

ui: $(STAMP) ## the Dagster UI on http://127.0.0.1:3000, the check pages on http://127.0.0.1:3001
	@mkdir -p $(DAGSTER_HOME) && cp dagster.yaml $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dbt parse --quiet --project-dir . --profiles-dir .
	@# the check pages the checks link to (REVOPS_PAGES_URL), stopped with the UI;
	@# no -m: pyproject.toml's [tool.dagster] names the code location `revops`
	$(BIN)/revops serve & pages=$$!; trap 'kill $$pages' EXIT; \
	  $(BIN)/dagster dev -h 127.0.0.1 -p 3000

bench: $(STAMP) ## benchmarks (scale 1 and 10; BENCH_ARGS=--scale-100 for more)
	@# first the harness's own smoke run (a tiny scale, about 5 minutes), then the measurements
	REVOPS_BENCH_SMOKE=1 $(BIN)/python -m pytest tests/bench -q -n 0 -p no:cacheprovider
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

clean: ## remove generated data, warehouse, dbt target and logs (keeps .venv)
	rm -rf data target logs reports .dagster_home
