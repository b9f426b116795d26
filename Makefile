# The two commands of the README: `make demo` and `make test`. Both set up what they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test venv debian-demo debian-test bench docs clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP)

debian-demo:
	@bash scripts/install-debian-deps.sh demo

debian-test:
	@bash scripts/install-debian-deps.sh test

demo: debian-demo venv
	@bash scripts/demo.sh

test: debian-test venv
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

docs: venv
	$(BIN)/cscperf docs --write

bench: venv
	@for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) demo-council demo-out cscperf.duckdb
