# The two commands the README opens with: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PKGS   := monitor streams connectors

.PHONY: run test stop setup venv kafka-jars postgres chromium lint typecheck unit bench compose-check clean

run: venv kafka-jars  ## Run the whole pipeline locally until Ctrl-C
	$(BIN)/monitor run

test: setup lint typecheck compose-check  ## Set everything up and run the whole suite
	$(BIN)/pytest --cov --cov-report=term --cov-fail-under=$${COVERAGE_FLOOR:-90}

stop:  ## Stop what `make run` or the tests left running
	@[ -x $(BIN)/monitor ] && $(BIN)/monitor stop || true
	@[ -x $(BIN)/monitor ] && MONITOR_DATA_DIR=$(CURDIR)/.local/test MONITOR_KAFKA_PORT=19092 \
		MONITOR_KAFKA_CONTROLLER_PORT=19093 $(BIN)/monitor stop || true

setup: venv kafka-jars postgres chromium

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found: install Python 3.11+ or run make PYTHON=python3.12"; exit 1; }
	@echo "installing monitor and its dependencies into $(VENV) (first run: a few minutes)…"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

kafka-jars: venv  ## Fetch the Apache Kafka jars with Maven (cached in .local/kafka/lib)
	@echo "checking the Kafka jars (the first run fetches them with Maven: a minute or two)…"
	@$(BIN)/python -c "from monitor.local.broker import fetch_jars; from monitor.settings import get_settings; print('kafka jars:', fetch_jars(get_settings()))"

postgres:  ## Install (Debian package) and start PostgreSQL with the test database
	bash deploy/postgres.sh

chromium:  ## Install Debian's Chromium for the dashboard's browser test (when missing)
	bash deploy/chromium.sh

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv
	$(BIN)/mypy $(PKGS)

compose-check:  ## Validate docker-compose.yml with docker-compose 1.29 (no engine needed)
	bash deploy/compose-check.sh

bench: venv kafka-jars  ## Run the benchmarks and print their figures
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean: stop
	rm -rf $(VENV) .local .pytest_cache .mypy_cache .ruff_cache .coverage
