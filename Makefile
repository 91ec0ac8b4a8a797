# outcomes: yearly follow-up, baseline and cost-benefit reports.
# `make help` lists the targets. Only Python 3.11+ and make are needed:
# the virtual environment is created with `python3 -m venv` when missing.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Extra arguments for the report command, e.g. make report ARGS="--lang en"
ARGS   ?=
# Extra arguments for pytest, e.g. make test PYTEST_ARGS="-k followup"
PYTEST_ARGS ?=
# Test files run in parallel on the available cores (pytest-xdist); PARALLEL= runs them in one process.
PARALLEL ?= -n auto --dist loadfile

.DEFAULT_GOAL := help
.PHONY: help install report screenshots test notebooks lint format lab demo-data validate bench clean

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "; printf "Targets:\n"} /^[a-zA-Z_-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,lab]"
	@touch $(STAMP)

install: $(STAMP) ## Create .venv (if missing) and install the package with its test tools

report: $(STAMP) ## Render the report from config/report.yml into reports/<programme>/<year>/
	$(BIN)/outcomes report $(ARGS)

screenshots: report ## Render the report, then screenshot every page (1280 and 390 px) and print it to A4, into reports/screenshots/
	$(BIN)/python scripts/screenshots.py

test: lint ## Check the code (lint), run the test suite, then every notebook top to bottom (nbval)
	$(BIN)/python -m pytest $(PARALLEL) $(PYTEST_ARGS)
	$(BIN)/python -m pytest -p no:xdist --nbval-lax notebooks/ -q

notebooks: $(STAMP) ## Run every notebook top to bottom with its default parameters (nbval, no output comparison)
	$(BIN)/python -m pytest -p no:xdist --nbval-lax notebooks/ -q

lint: $(STAMP) ## ruff (lint and format check) and mypy over the package, tests, notebooks, benchmarks and scripts
	$(BIN)/ruff check src tests notebooks benchmarks scripts
	$(BIN)/ruff format --check src tests notebooks benchmarks scripts
	$(BIN)/mypy

format: $(STAMP) ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix src tests notebooks benchmarks scripts
	$(BIN)/ruff format src tests notebooks benchmarks scripts

lab: $(STAMP) ## Open JupyterLab in the project's environment
	$(BIN)/jupyter lab notebooks/

demo-data: $(STAMP) ## Regenerate the synthetic demo inputs under data/raw/demo/
	$(BIN)/outcomes demo-data

validate: $(STAMP) ## Check every input named in config/report.yml, writing rejects
	$(BIN)/outcomes validate

bench: $(STAMP) ## Run the benchmarks and print their figures
	$(BIN)/python benchmarks/run.py

clean: ## Remove the environment, processed data and rendered reports
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .hypothesis .cache
	find data/processed -mindepth 1 ! -name .gitkeep ! -name README.md -exec rm -rf {} +
	find reports -mindepth 1 ! -name .gitkeep ! -name README.md -exec rm -rf {} +
