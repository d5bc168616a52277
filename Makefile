# The two commands of the README: `make run` opens the app, `make test` runs the tests.
# Both create .venv and install what they need on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SCENE ?= xinchuansha
ARGS ?= --replay typhoon
PYTEST_ARGS ?=

.PHONY: run test setup system-deps lint translations bench clean

# Every plugin under plugins/ (each with its own pyproject.toml) is installed editable, so it is
# found through the twin_app.simulations entry points exactly like a third-party plugin.
PLUGIN_PROJECTS := $(wildcard plugins/*/pyproject.toml)

$(STAMP): pyproject.toml tools/install-system-deps.sh $(PLUGIN_PROJECTS)
	@tools/install-system-deps.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@for project in $(PLUGIN_PROJECTS); do \
		echo "installing plugin $$(dirname $$project)"; \
		$(BIN)/python -m pip install --quiet -e "$$(dirname $$project)" || exit 1; \
	done
	@touch $(STAMP)

setup: $(STAMP)

system-deps:
	@tools/install-system-deps.sh

run: setup
	@$(BIN)/twin-app open $(SCENE) $(ARGS)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check twin_app tests benchmarks tools
	$(BIN)/lint-imports

# Refresh the Qt Linguist sources from the code, fill new texts from resources/i18n/zh_CN_terms.toml,
# then compile them (.ts -> .qm).
translations: setup
	$(BIN)/pyside6-lupdate $$(find twin_app/qt -name '*.py' | sort) -ts resources/i18n/twin_app_zh_CN.ts
	$(BIN)/python tools/fill_translations.py resources/i18n/zh_CN_terms.toml
	$(BIN)/pyside6-lrelease resources/i18n/twin_app_zh_CN.ts -qm resources/i18n/twin_app_zh_CN.qm

bench: setup
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
