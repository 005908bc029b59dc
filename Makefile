# Two commands on a fresh machine: `make site` and `make test`. Everything else is set up here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUTPUT ?= output
AS_OF  ?=

.PHONY: site test setup lint typecheck unit clean bench help
.DEFAULT_GOAL := help

help:
	@echo "make site   安装依赖、校验 content/ 并生成网站到 $(OUTPUT)/"
	@echo "make test   安装依赖并运行全部检查与测试"

# Python packages: exact versions from requirements.lock (regenerate with `make lock`).
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

setup: $(VENV)/.installed

site: setup
	$(BIN)/gongshi validate --content content
	$(BIN)/gongshi build --content content --output $(OUTPUT) $(if $(AS_OF),--as-of $(AS_OF))

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest

test: lint typecheck unit

# Regenerates the expected output of the fixture portal after an intended change.
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^gongshi' > requirements.lock

clean:
	rm -rf $(OUTPUT) .pytest_cache .mypy_cache .ruff_cache
