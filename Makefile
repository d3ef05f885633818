# The two commands a newcomer needs:  make run   and   make test
# Only Python 3.11 and make are required. Set DATABASE_URL / REDIS_URL to use your own
# servers; otherwise embedded ones are started under .local/ (git-ignored).

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
CHROMIUM ?= /usr/bin/chromium

.PHONY: run dev test test-fast install browser compose lint vendor demo-code bench county loadtest clean-data duplicates

# `make run`: the product as people meet it (DEBUG off, real error pages, static files
# through WhiteNoise). `make dev`: the same with DEBUG on, for developers only.
run: $(STAMP)
	$(BIN)/python -m config.launcher run

dev: $(STAMP)
	$(BIN)/python -m config.launcher dev

# Two test processes (pytest-xdist), one per core: each has its own test database and cache
# prefix. TEST_PROCESSES=0 runs everything in one process.
TEST_PROCESSES ?= 2

test: $(STAMP) browser compose
	$(BIN)/python -m config.launcher test -- -n $(TEST_PROCESSES) $(PYTEST_ARGS)

# Everything but the browser journeys and the real-worker tests: the quick loop while coding.
test-fast: $(STAMP)
	$(BIN)/python -m config.launcher test -- -n $(TEST_PROCESSES) -m "not browser and not worker" $(PYTEST_ARGS)

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Python 3.11 is required")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

# Browser tests drive Debian's chromium (never a downloaded browser).
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Chromium at $(CHROMIUM). Install it with:"; \
	    echo "    sudo apt-get install chromium      (or set CHROMIUM=/path/to/chromium)"; \
	    exit 1; \
	  fi; \
	fi

# The compose file is validated in the tests with Debian's docker-compose (no engine needed).
compose:
	@if ! command -v docker-compose >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's docker-compose for the compose file test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null; \
	  else \
	    echo "The deployment tests need docker-compose. Install it with:"; \
	    echo "    sudo apt-get install docker-compose"; \
	    exit 1; \
	  fi; \
	fi

# Repeated blocks in app code and templates (issue 11's measure): a copy of the tracked files
# without tests, bench, docs, migrations and vendored assets, read by the `duplicates` tool.
duplicates:
	@tmp=$$(mktemp -d); \
	git ls-files | grep -v -E '^(tests|bench|docs)/|static/vendor|/migrations/|^\.ci' | \
	  while read f; do mkdir -p "$$tmp/$$(dirname "$$f")" && cp "$$f" "$$tmp/$$f"; done; \
	(cd "$$tmp" && duplicates --most 200 --seconds 240); rm -rf "$$tmp"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

demo-code: $(STAMP)
	@$(BIN)/python -c 'from demo import synthetic; print(synthetic.current_code())'

# County-scale data (own database, earlyhelp_county) and the benchmarks that run against it.
county: $(STAMP)
	EARLYHELP_DB_NAME=earlyhelp_county $(BIN)/python -m config.launcher with \
	  $(BIN)/python -m bench generate_county $(ARGS)
	EARLYHELP_DB_NAME=earlyhelp_county $(BIN)/python -m config.launcher with \
	  $(BIN)/python -m bench generate_county_outcomes

bench: $(STAMP)
	DEBUG=false EARLYHELP_DB_NAME=earlyhelp_county $(BIN)/python -m config.launcher with \
	  $(BIN)/python -m bench run_benchmarks $(ARGS)

loadtest: $(STAMP)
	EARLYHELP_DB_NAME=earlyhelp_county $(BIN)/python -m config.launcher with bash bench/loadtest.sh

# Refresh the vendored GOV.UK Frontend, MOJ Frontend and htmx from the npm registry.
vendor:
	bash static/vendor/update.sh

clean-data:
	rm -rf .local
