# Two commands on a fresh machine: `make site` and `make test`. Everything else is set up here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUTPUT ?= output
AS_OF  ?=

.PHONY: site test test-stress expected setup system-packages lint typecheck unit clean bench help lock
.DEFAULT_GOAL := help

help:
	@echo "make site   安装依赖、校验 content/ 并生成网站到 $(OUTPUT)/"
	@echo "make test   安装依赖并运行全部检查与测试"
	@echo "make test-stress  在两个占满 CPU 的进程下把浏览器测试连续运行 20 次，报告失败"
	@echo "make expected  页面有意改动后，重新生成 tests/expected/ 的预期输出"

# Python packages: exact versions from requirements.lock (regenerate with `make lock`).
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# Browser assets (lunr.js) and test tools (axe-core): exact versions from package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# System packages for the browser tests, from Debian, only when missing: Chromium (driven by
# Playwright through its executable path; no browser download) and CJK fonts to render Chinese.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
system-packages:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -q "Noto Sans CJK"; then \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			chromium fonts-noto-cjk >/dev/null; \
	fi

setup: $(VENV)/.installed node_modules/.installed

site: setup
	$(BIN)/gongshi validate --content content
	$(BIN)/gongshi build --content content --output $(OUTPUT) $(if $(AS_OF),--as-of $(AS_OF))

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

unit: setup system-packages
	$(BIN)/pytest

test: lint typecheck unit

# The browser tests 20 times (STRESS_RUNS=…) with two busy loops on the machine: a flaky wait
# shows here before it fails CI.
STRESS_RUNS ?= 20
test-stress: setup system-packages
	$(BIN)/python tests/stress.py --runs $(STRESS_RUNS)

# After an intended change to the pages: rebuild the mini portal's expected output, then review
# the diff of tests/expected/ before committing it.
expected: setup
	cd tests && ../$(BIN)/python expected_site.py regenerate

# After changing pyproject.toml's pins: resolve them and freeze the whole tree.
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' > requirements.lock

clean:
	rm -rf $(OUTPUT) .pytest_cache .mypy_cache .ruff_cache
