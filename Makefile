# The two commands: `make up` sets everything up and runs the portal; `make test` runs the tests.
# Everything else here is a convenience around deploy/local/.
PY := .venv/bin/python
STACK := $(PY) deploy/local/weerbaar_stack.py

.PHONY: setup up down status test test-unit demo bench schemas lock

setup:
	@bash deploy/local/setup.sh

up: setup
	@$(STACK) up

down:
	@$(STACK) down

status:
	@$(STACK) status

# Starts PostgreSQL, Kafka, the mail catcher and the stand-in IdP itself (or uses
# testcontainers where a Docker engine answers), then runs every test.
test: setup
	@$(STACK) up --infra
	@$(PY) -m pytest $(PYTEST_ARGS)

test-unit: setup
	@$(PY) -m pytest -m "not stack" $(PYTEST_ARGS)

demo:
	@$(PY) tests/e2e/demo.py

bench: setup
	@$(STACK) up --infra
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

schemas:
	@$(PY) -m weerbaar_contracts.schemas write

lock:
	@$(PY) -m pip freeze --exclude-editable | grep -v -E "^(weerbaar|-e )" > requirements.lock
