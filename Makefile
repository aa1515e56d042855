# The two commands of the README: `make serve` and `make test`. Everything else is what they call.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.PHONY: install serve test lint typecheck bench clean

install: $(STAMP)

# torch==2.13.0 (CPU) is pinned first so sentence-transformers does not pull a multi-GB CUDA build.
$(STAMP): pyproject.toml Makefile
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet 'torch==2.13.0'
	$(BIN)/python -m pip install --quiet -e '.[test,local]'
	@touch $@

# The web UI is rebuilt only when its sources changed.
FRONTEND_SRC := $(shell find frontend/src -type f 2>/dev/null) frontend/index.html frontend/package.json frontend/openapi.json \
                frontend/vite.config.ts $(wildcard frontend/tsconfig*.json)

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund

frontend/dist/index.html: frontend/node_modules/.package-lock.json $(FRONTEND_SRC)
	cd frontend && npm run build

# Readable logs on a terminal; production (compose, Dockerfile) keeps the JSON default.
serve: install frontend/dist/index.html
	RAGCHAT_LOG_FORMAT=$${RAGCHAT_LOG_FORMAT:-console} $(BIN)/ragchat serve --port $(PORT)

test: install frontend/dist/index.html
	$(BIN)/python -m tests.setup_services
	$(BIN)/ruff check .
	$(BIN)/mypy
	cd frontend && npm test
	$(BIN)/python -m pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy

bench: install
	$(BIN)/python -m tests.setup_services
	$(BIN)/python -m benchmarks.ws_drop_storm 1000
	$(BIN)/python -m benchmarks.ws_llm_stream
	$(BIN)/python -m benchmarks.jobs_throughput

clean:
	rm -rf $(VENV) build *.egg-info
