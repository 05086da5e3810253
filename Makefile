# Two commands matter: `make demo` and `make test`. Both set up everything they need.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
TOOLS := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/pulumi-twilio-conversations/tools
ACTIONLINT_VERSION := v1.7.7
ACTIONLINT := $(TOOLS)/actionlint-$(ACTIONLINT_VERSION)
# The pulumi toolchain directory (found on PATH or built once into a cache by .ci/bootstrap-pulumi).
PULUMI_DIR_FILE := .build/pulumi-dir
# The pulumi toolchain, then a venv's bin/ (the main one unless named), first on PATH.
with_tools = PATH="$$(cat $(PULUMI_DIR_FILE)):$(CURDIR)/$(or $(1),$(BIN)):$$PATH" PULUMI_SKIP_UPDATE_CHECK=true
WITH_TOOLS = $(call with_tools)
# Prints the interpreter and SDK a venv really has, and fails unless they are the Python ($(1)) and SDK ($(2))
# it was built for (an empty one: any), so no run can silently test something else.
check_versions = python -c 'import importlib.metadata as m, platform, sys; \
	found = (".".join(platform.python_version_tuple()[:2]), m.version("pulumi")); \
	print(f"==> $@: Python {platform.python_version()}, pulumi SDK {found[1]}", flush=True); \
	sys.exit(None if all(w in ("", f) for w, f in zip(sys.argv[1:], found)) else f"$@: expected {sys.argv[1:]}, found {found}")' \
	"$(1)" "$(2)"

# pytest on two workers (the machines have two cores); each engine test has its own project, state and home.
PYTEST_WORKERS ?= 2
XDIST = -n $(PYTEST_WORKERS)

# The compatibility matrix: the oldest SDK the package admits on the oldest Python, the newest SDK on the
# index on the newest Python, each in its own venv under $(COMPAT)/, running the tests marked `sdk` (those
# whose outcome depends on the SDK: the gRPC servers, mocks, the engine through both doors, packaging).
# Interpreters come from pyenv, any patch.
COMPAT := .venv-compat
PYENV_VERSIONS := $(or $(PYENV_ROOT),$(HOME)/.pyenv)/versions
SDK_LOW := $(shell sed -nE 's/^ *"pulumi>=([0-9.]+),<4",$$/\1/p' pyproject.toml)
compat-low: CELL_PYTHON := 3.10
compat-low: CELL_SDK := $(SDK_LOW)
compat-high: CELL_PYTHON := 3.13
compat-high: CELL_SDK := newest

.PHONY: help demo check test suite compat compat-low compat-high lint bench actionlint pulumi-cli pulumi-tools browser install clean

help:
	@echo "make demo   set everything up, start the emulator, pulumi preview/up the quickstart"
	@echo "make check  lint and every test that needs no pulumi CLI (the inner loop: under 2 minutes warm)"
	@echo "make test   set everything up, run lint, actionlint and the whole test suite, then the SDK-facing"
	@echo "            tests on the oldest SDK with Python 3.10 and the newest with Python 3.13 (compat-low, compat-high)"
	@echo "make bench  run the benchmarks (figures go to docs/performance.md)"

$(STAMP): pyproject.toml
	@echo "==> creating $(VENV) and installing the package with its dev extras"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# The CLI and the Python language host: all a Python program (and the demo) needs.
pulumi-cli:
	@mkdir -p .build
	@sh .ci/bootstrap-pulumi > $(PULUMI_DIR_FILE).tmp && mv $(PULUMI_DIR_FILE).tmp $(PULUMI_DIR_FILE)

# Also the YAML and Node.js language hosts and the TypeScript SDK generator, for the other doors' tests.
pulumi-tools:
	@mkdir -p .build
	@BOOTSTRAP_YAML=1 BOOTSTRAP_TYPESCRIPT=1 sh .ci/bootstrap-pulumi > $(PULUMI_DIR_FILE).tmp \
		&& mv $(PULUMI_DIR_FILE).tmp $(PULUMI_DIR_FILE)

# Chromium for the dashboard's browser test (tests/emulator/test_emulator_dashboard_browser.py, marker
# `browser`): the distribution's package, installed once when absent. Playwright drives it through
# executable_path; `playwright install` is never run (its download is not reachable offline).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "==> installing chromium (apt-get; the dashboard's browser test drives it)"; \
		sudo=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq chromium; \
	}
	@chromium --version 2>/dev/null | head -n 1

$(ACTIONLINT):
	@echo "==> installing actionlint $(ACTIONLINT_VERSION) (go install)"
	@mkdir -p $(TOOLS)
	GOBIN=$(TOOLS) go install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)
	mv $(TOOLS)/actionlint $@

actionlint: $(ACTIONLINT)
	@echo "==> actionlint examples/github-actions/*.yml"
	$(ACTIONLINT) -shellcheck= -pyflakes= examples/github-actions/*.yml

lint: $(STAMP)
	@echo "==> ruff and mypy"
	$(BIN)/ruff check provider tests benchmarks
	$(BIN)/ruff format --check provider tests benchmarks
	$(BIN)/mypy

# No CLI: unit, gRPC harness, emulator and property tests (on the lighter Hypothesis profile).
check: lint
	@echo "==> pytest: every test that needs no pulumi CLI"
	HYPOTHESIS_PROFILE=check $(BIN)/pytest $(XDIST) -m "not engine"

test: lint actionlint suite compat

suite: $(STAMP) pulumi-tools browser
	@echo "==> pytest (unit, gRPC harness, emulator, engine and packaging tests)"
	@$(BIN)/$(call check_versions)
	$(WITH_TOOLS) $(BIN)/pytest $(XDIST)

compat: compat-low compat-high

compat-low compat-high: $(STAMP) pulumi-tools
	@python=$$(ls -d $(PYENV_VERSIONS)/$(CELL_PYTHON).*/bin/python$(CELL_PYTHON) 2>/dev/null | sort -V | tail -n 1 || true); \
	[ -n "$$python" ] || { echo "$@: no Python $(CELL_PYTHON) in $(PYENV_VERSIONS)/ (pyenv install $(CELL_PYTHON))" >&2; exit 1; }; \
	sdk=$(CELL_SDK); \
	if [ "$$sdk" = newest ]; then \
		sdk=$$($(BIN)/pip index versions pulumi 2>/dev/null | sed -nE 's/^Available versions: //p' | tr -d ' ' | tr , '\n' | grep -m 1 '^3\.' || true); \
	fi; \
	[ -n "$$sdk" ] || { echo "$@: no SDK to test: neither pyproject.toml's \"pulumi>=X,<4\" nor the index's newest 3.x" >&2; exit 1; }; \
	stamp=$(COMPAT)/$@/.installed-$$(cksum < pyproject.toml | cut -d' ' -f1)-$$($$python -V | cut -d' ' -f2)-$$sdk; \
	if [ ! -e "$$stamp" ]; then \
		echo "==> $@: creating $(COMPAT)/$@ with $$python and pulumi==$$sdk"; \
		rm -rf $(COMPAT)/$@ && $$python -m venv $(COMPAT)/$@; \
		$(COMPAT)/$@/bin/pip install --quiet --upgrade pip; \
		$(COMPAT)/$@/bin/pip install --quiet -e '.[test]' "pulumi==$$sdk"; \
		touch "$$stamp"; \
	fi; \
	$(COMPAT)/$@/bin/$(call check_versions,$(CELL_PYTHON),$$sdk)
	$(call with_tools,$(COMPAT)/$@/bin) $(COMPAT)/$@/bin/pytest -p no:cacheprovider $(XDIST) -m sdk

demo: $(STAMP) pulumi-cli
	$(WITH_TOOLS) bash examples/quickstart/demo.sh

bench: $(STAMP) pulumi-cli
	$(WITH_TOOLS) $(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(COMPAT) .build .pytest_cache .mypy_cache .ruff_cache
