# Sunshine (阳光政务) — the two commands that matter are `make run` and `make test`.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
UV ?= uv
PROTO_OUT := libs/contracts/src
PROTO_FILES := $(shell find proto -name '*.proto' | sort)
BUF := node_modules/.bin/buf

.PHONY: install proto run test test-unit test-integration lint buf-lint deploy-check compose bench fuzz clean

install: .venv/.installed proto

.venv/.installed: pyproject.toml uv.lock $(wildcard libs/*/pyproject.toml services/*/pyproject.toml tools/*/pyproject.toml)
	@command -v $(UV) >/dev/null || python3 -m pip install --quiet 'uv==0.13.9'
	$(UV) sync --frozen
	@touch $@

# Generated code (messages, gRPC stubs and .pyi type stubs) goes to an ignored folder.
proto: $(PROTO_OUT)/sunshine/.generated

$(PROTO_OUT)/sunshine/.generated: .venv/.installed $(PROTO_FILES)
	rm -rf $(PROTO_OUT)/sunshine
	$(UV) run --frozen python -m grpc_tools.protoc -Iproto \
		--python_out=$(PROTO_OUT) --pyi_out=$(PROTO_OUT) \
		--grpc_python_out=$(PROTO_OUT) --mypy_grpc_out=$(PROTO_OUT) $(PROTO_FILES)
	find $(PROTO_OUT)/sunshine -type d -exec touch {}/__init__.py \;
	@touch $@

run: install
	$(UV) run --frozen sunshine-local run

test: install
	$(UV) run --frozen pytest -q

lint: install buf-lint
	$(UV) run --frozen ruff check .

$(BUF): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

buf-lint: $(BUF)
	$(BUF) lint

# The deployment files (docs/deploy.md): hadolint on the Dockerfile, docker-compose.yml against its generator
# and the Compose specification, every Kubernetes overlay built with kubectl and validated offline.
deploy-check: install
	$(UV) run --frozen sunshine-deploy check

# Regenerate docker-compose.yml after changing deploy/local/hierarchy.toml.
compose: install
	$(UV) run --frozen sunshine-deploy compose

# Each benchmark prints its numbers next to a baseline measured in the same run (several minutes in all).
bench: install
	for script in bench/*.py; do echo "== $$script"; $(UV) run --frozen python $$script || exit 1; done

# Schema fuzzing full size: a county's and a township's gateway, every operation, anonymous, with a staff token
# and with an evaluator's, 100 cases per operation and phase, a new seed each run (docs/api.md; about an hour).
FUZZ_MAX_EXAMPLES ?= 100
FUZZ_SEED ?= random
fuzz: install
	SUNSHINE_FUZZ_MAX_EXAMPLES=$(FUZZ_MAX_EXAMPLES) SUNSHINE_FUZZ_SEED=$(FUZZ_SEED) \
	SUNSHINE_FUZZ_CALLERS=anonymous,staff,evaluator SUNSHINE_FUZZ_RUN_TIMEOUT_S=7200 \
		$(UV) run --frozen pytest -q -s -p no:cacheprovider tests/public_api/test_fuzzing.py

clean:
	rm -rf .venv $(PROTO_OUT)/sunshine node_modules var
