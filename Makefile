# Candor: `make run` to talk to the assistant, `make test` to check everything.
# Both create the virtual environment, install pinned dependencies and train the model when the
# training data changed, so they work from a fresh clone.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_VERSION := $(shell cat .python-version)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
CANDOR := $(BIN)/candor
RASA := $(BIN)/rasa

# Quieter TensorFlow and SQLAlchemy start-up messages; override on the command line if needed.
export TF_CPP_MIN_LOG_LEVEL ?= 2
export SQLALCHEMY_SILENCE_UBER_WARNING ?= 1

# Debian packages: espeak-ng speaks on the voice channel; wbritish and wamerican (English word
# lists) tell redaction an everyday word from a name; sox checks the voice's audio in the tests and
# Chromium runs the web widget's browser tests. Installed only when missing, with apt-get.
RUN_PACKAGES := espeak-ng wbritish wamerican
TEST_PACKAGES := $(RUN_PACKAGES) sox chromium
# axe-core (npm) checks the widget against WCAG in the browser tests.
BROWSER_TESTS := tests/e2e/browser
NODE_PACKAGES := $(BROWSER_TESTS)/node_modules/.package-lock.json

.PHONY: help run test train shell install validate test-conversations test-python lock clean \
	run-packages test-packages security-soak fairness

help:
	@echo "make run     set up, train if needed, and start Candor on http://localhost:5005"
	@echo "make test    set up, train if needed, and run every test"
	@echo "make train   train the model if the training data changed"
	@echo "make shell   chat with Candor in this terminal"
	@echo "make lock    re-pin dependencies in constraints.txt after editing pyproject.toml"
	@echo "make security-soak   a long fuzz run across every route and a long load run (not in make test)"
	@echo "make fairness        the fairness gate on the trained model (fails today; not in make test)"

run: install run-packages train
	@$(CANDOR) serve

shell: install train
	@$(CANDOR) shell

train: install
	@$(CANDOR) train

install: $(INSTALLED)

test: install test-packages $(NODE_PACKAGES) train validate test-conversations test-python

# `rasa data validate`, failing on every warning except responses the action server sends by name;
# then the import contracts in pyproject.toml ([tool.importlinter]: which package may import which).
validate: install
	$(CANDOR) validate
	$(BIN)/lint-imports

# Conversation tests (data/tests): every prediction must be right, or the run fails. They run
# again with the plain and screen-reader modes set: a mode may change wording, never a decision.
# `candor test-conversations` loads the model once for the three runs.
test-conversations: install train
	$(CANDOR) test-conversations

# Two processes (pytest-xdist); the tests that need the running servers all go to one of them.
# The slowest tests are listed at the end, so the 20-minute budget is spent where it shows.
TEST_PROCESSES ?= 2
test-python: install train
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist loadgroup --durations=15 --ignore=$(FAIRNESS_GATE)

# The fairness gate (issue 17): the shipped model must serve every way of writing English, and
# redact names of every origin, within the gaps `fairness` in bot/policy.yml allows. It fails today
# (see the README), so it is kept out of `make test` until it passes, and joins it then.
FAIRNESS_GATE := tests/fairness
fairness: install run-packages train
	$(BIN)/python -m pytest $(FAIRNESS_GATE)

# The long versions of the fuzz and load tests that `make test` runs briefly (tests/security):
# many more generated requests per route, and ten minutes of customers served beside a flood.
# Both talk only to the servers they start on 127.0.0.1, and stop by themselves.
SOAK_EXAMPLES ?= 5000
SOAK_SECONDS ?= 600
security-soak: install train
	CANDOR_FUZZ_EXAMPLES=$(SOAK_EXAMPLES) CANDOR_LOAD_SECONDS=$(SOAK_SECONDS) \
		$(BIN)/python -m pytest tests/security/test_e2e_fuzz.py tests/security/test_e2e_load.py

# Python 3.10 is required (Rasa 3.6 does not support 3.11+). Look on PATH (pyenv's shim works
# here thanks to .python-version), then in pyenv's versions folder, then give up with advice.
$(BIN)/python:
	@set -e; found=""; \
	for candidate in "$${PYTHON:-}" python3.10 \
	    $$(ls -d "$${PYENV_ROOT:-$$HOME/.pyenv}"/versions/3.10.*/bin/python3.10 2>/dev/null | sort -rV); do \
	  if [ -n "$$candidate" ] && "$$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; then \
	    found="$$candidate"; break; \
	  fi; \
	done; \
	if [ -z "$$found" ]; then \
	  echo "Candor needs Python 3.10 (Rasa 3.6 does not support 3.11 or newer), and none was found." >&2; \
	  echo "Install it with 'pyenv install $(PYTHON_VERSION)', or your system's python3.10 and python3.10-venv packages," >&2; \
	  echo "or name one with 'make PYTHON=/path/to/python3.10 ...'." >&2; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$found ($$("$$found" --version))"; \
	"$$found" -m venv $(VENV)

$(INSTALLED): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check --constraint constraints.txt --editable '.[test]'
	@touch $@

run-packages:
	@.ci/debian-packages $(RUN_PACKAGES)

test-packages:
	@.ci/debian-packages $(TEST_PACKAGES)

$(NODE_PACKAGES): $(BROWSER_TESTS)/package.json $(BROWSER_TESTS)/package-lock.json
	npm ci --prefix $(BROWSER_TESTS) --no-audit --no-fund --loglevel=error

lock: $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade --editable '.[test]'
	@{ echo "# Exact versions of everything 'make install' puts in .venv, so installs repeat."; \
	   echo "# Regenerate with 'make lock' after changing dependencies in pyproject.toml."; \
	   $(BIN)/pip freeze --exclude-editable; } > constraints.txt
	@touch $(INSTALLED)

clean:
	rm -rf $(VENV) models var .rasa results $(BROWSER_TESTS)/node_modules
