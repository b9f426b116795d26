# The two commands of the README: `make demo` and `make test`. Both set up what they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test venv web-assets debian-demo debian-test bench docs clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP)

# GOV.UK Frontend and htmx from the npm registry, vendored into the app's static files (no CDN);
# axe-core for the accessibility tests.
WEB_VENDOR := src/cscperf/web/static/vendor/govuk-frontend.min.css
$(WEB_VENDOR): web-assets/package-lock.json scripts/vendor_web_assets.py
	$(BIN)/python scripts/vendor_web_assets.py --fresh

web-assets: $(STAMP) $(WEB_VENDOR)

debian-demo:
	@bash scripts/install-debian-deps.sh demo

debian-test:
	@bash scripts/install-debian-deps.sh test

demo: debian-demo venv web-assets
	@bash scripts/demo.sh

test: debian-test venv web-assets
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

docs: venv
	$(BIN)/cscperf docs --write

bench: venv
	@for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) demo-council demo-out cscperf.duckdb web-assets/node_modules src/cscperf/web/static/vendor
