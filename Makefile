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
WITH_TOOLS = PATH="$$(cat $(PULUMI_DIR_FILE)):$(CURDIR)/$(BIN):$$PATH" PULUMI_SKIP_UPDATE_CHECK=true

.PHONY: help demo test lint unit engine bench actionlint pulumi-cli install clean

help:
	@echo "make demo   set everything up, start the emulator, pulumi preview/up the quickstart"
	@echo "make test   set everything up, run lint, actionlint and the whole test suite"
	@echo "make bench  run the benchmarks (figures go to docs/performance.md)"

$(STAMP): pyproject.toml
	@echo "==> creating $(VENV) and installing the package with its dev extras"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

pulumi-cli:
	@mkdir -p .build
	@sh .ci/bootstrap-pulumi > $(PULUMI_DIR_FILE).tmp && mv $(PULUMI_DIR_FILE).tmp $(PULUMI_DIR_FILE)

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

test: $(STAMP) pulumi-cli lint actionlint
	@echo "==> pytest (unit, gRPC harness, emulator and engine tests)"
	$(WITH_TOOLS) $(BIN)/pytest

demo: $(STAMP) pulumi-cli
	$(WITH_TOOLS) bash examples/quickstart/demo.sh

bench: $(STAMP) pulumi-cli
	$(WITH_TOOLS) $(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .build .pytest_cache .mypy_cache .ruff_cache
