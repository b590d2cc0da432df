# armadito.fleet — developer and CI entry points.
#
#   make venv      .venv/ with the server (editable, PostgreSQL extra) and every dev tool
#   make test      every test suite (what CI runs through .ci/run)
#   make demo      a local armadito-server, this machine enrolled through playbooks/enroll.yml
#   make bench     server benchmark figures
#
# Run `make help` for the other targets.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed
export PATH := $(BIN):$(PATH)
# Quieter pip, no version nag; pytest never reads stdin (CI has none).
export PIP_DISABLE_PIP_VERSION_CHECK := 1

PYTEST_OPTS ?= -q -ra --timeout=600 --durations=10

.PHONY: help venv test test-server test-server-sqlite test-server-postgresql test-collection \
        test-unit test-integration system-packages host-python38 sanity ansible-test-standin demo demo-stop bench bench-jobs bench-enroll bench-scan bench-collection lint changelog clean

help:
	@echo "make venv                   create .venv/ with the server and every development tool"
	@echo "make test                   run every test suite (CI runs this)"
	@echo "make test-server-sqlite     server tests on SQLite"
	@echo "make test-server-postgresql server tests on a throw-away PostgreSQL database"
	@echo "make test-collection        collection unit and integration tests"
	@echo "make sanity                 ansible-test sanity on a staged copy of the collection"
	@echo "make demo / make demo-stop  enroll this machine with a local armadito-server / stop the server"
	@echo "make bench                  server benchmark (state reports, enrollments, AV-config rows)"
	@echo "make bench-enroll           enroll.yml for 100 simulated hosts against the same work with uri tasks"
	@echo "make lint                   ansible-lint (production profile) and antsibull-docs lint-collection-docs"
	@echo "make bench-jobs             2,000 scan jobs across 200 agents through getjobs/runjobs and clamd"
	@echo "make bench-scan             armadito_scan against clamdscan --multiscan, same clamd, same trees"
	@echo "make bench-collection       armadito_info against ping, armadito_enroll against uri (50 hosts)"
	@echo "make changelog              lint the changelog fragments (antsibull-changelog)"
	@echo "make clean                  remove .venv/, .demo/, .bench/ and test output"

# ---------------------------------------------------------------------------------------------
# Environment. The stamp is newer than every file that decides what is installed, so a second
# `make venv` does nothing.

venv: $(STAMP)

$(STAMP): requirements-dev.txt server/pyproject.toml
	@if [ ! -x $(VENV)/bin/python ]; then \
	    echo "creating $(VENV) with $$($(PYTHON) --version)"; \
	    $(PYTHON) -m venv $(VENV); \
	fi
	$(VENV)/bin/python -m pip install -q --upgrade 'pip>=23.1'
	$(VENV)/bin/python -m pip install -q -r requirements-dev.txt -e 'server[postgresql]'
	@touch $@

# ---------------------------------------------------------------------------------------------
# Tests. Each suite fails the run on any failure, pytest's exit status 5 ("no tests collected")
# included.

test: test-server test-collection changelog sanity lint
	@echo "make test: all suites passed"

# The two server runs share nothing (own database, own server processes on free ports): run them
# side by side, each one's output printed in one piece when it ends.
test-server: $(STAMP)
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-server-sqlite test-server-postgresql

test-server-sqlite: $(STAMP)
	@echo "=== server tests on SQLite"
	cd server && env -u ARMADITO_TEST_DATABASE_URL $(BIN)/pytest $(PYTEST_OPTS)

test-server-postgresql: $(STAMP)
	@echo "=== server tests on PostgreSQL"
	url=$$($(CURDIR)/scripts/postgres-test-db create); \
	trap '$(CURDIR)/scripts/postgres-test-db drop "$$url" || true' EXIT; \
	cd server && ARMADITO_TEST_DATABASE_URL="$$url" $(BIN)/pytest $(PYTEST_OPTS)

test-collection: test-unit test-integration

# What the integration tests and the benchmarks run for real: clamd and its tools, the
# clamav-testfiles corpus, an SSH server and sudo for the one host reached over SSH.
SYSTEM_PACKAGES := clamav clamav-daemon clamdscan clamav-testfiles openssh-server sudo

system-packages:
	@scripts/debian-packages $(SYSTEM_PACKAGES)

# The oldest managed-host Python the modules support, with requests: .venv/py38/.
host-python38: $(STAMP)
	@scripts/host-python38

test-integration: system-packages host-python38

test-unit test-integration: $(STAMP)
	@echo "=== collection tests: $(patsubst test-%,tests/%,$@)"
	$(BIN)/pytest $(PYTEST_OPTS) $(patsubst test-%,tests/%,$@)

ansible-test-standin: $(STAMP)
	@$(BIN)/python scripts/install-ansible-test-standin

sanity: $(STAMP) ansible-test-standin
	@scripts/sanity

# ---------------------------------------------------------------------------------------------
# Demo and benchmark.

demo: $(STAMP)
	@scripts/demo start
	@scripts/demo-enroll

demo-stop:
	@scripts/demo stop

bench: $(STAMP)
	$(BIN)/python bench/server.py

bench-jobs: $(STAMP) system-packages
	$(BIN)/python bench/jobs.py

bench-enroll: $(STAMP) system-packages
	$(BIN)/python bench/enroll_playbook.py

bench-scan: $(STAMP) system-packages
	$(BIN)/python bench/scan.py

bench-collection: $(STAMP) system-packages
	$(BIN)/python bench/collection.py

lint: $(STAMP)
	@scripts/lint

changelog: $(STAMP)
	@echo "=== changelog fragments"
	$(BIN)/antsibull-changelog lint

clean:
	-@scripts/demo stop 2>/dev/null
	rm -rf $(VENV) .demo .bench tests/output .pytest_cache server/.pytest_cache
