# hvdesign: every routine task is a make target. The first target that needs the
# virtual environment creates it (python3 -m venv + pip install -e ".[dev]").
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DESIGN ?= data/designs/default.yaml
REPORT ?= build/report.html

.PHONY: setup test report lab app bench lint format clean netbox-test

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

## Run every test: unit, property, fuzz, doctests, notebooks (nbmake), report and browser
## tests (all but the real-NetBox import, which `make netbox-test` runs).
test: $(STAMP)
	$(PY) -m pytest --nbmake tests hvdesign notebooks --ignore=hvdesign/report/templates -m "not netbox" -p no:cacheprovider

## Write the default design's HTML report to $(REPORT).
report: $(STAMP)
	@mkdir -p $(dir $(REPORT))
	$(VENV)/bin/hvdesign report $(DESIGN) -o $(REPORT)

## JupyterLab on the notebooks (127.0.0.1 only).
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --ip=127.0.0.1 --notebook-dir=notebooks $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

## The explorer app served by Voila on 127.0.0.1:8866 (preheated kernel, idle kernels
## culled, every asset served locally: hvdesign/widgets/serve.py).
app: $(STAMP)
	$(PY) -m hvdesign.widgets.serve notebooks/00_explorer.ipynb --port=8866

## Speed benchmarks: print figures and ratios against simple references.
bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

## ruff (lint + format check) on the package, tests, benchmarks and notebooks; mypy on the package.
## Import the NetBox files of four designs into a real, empty NetBox 4.7 through its own
## bulk-import views (PostgreSQL, Redis and NetBox set up and cached by
## tools/netbox/setup.sh: the first run takes 8 to 20 min, later runs about 2 min).
netbox-test: $(STAMP)
	tools/netbox/setup.sh
	$(PY) -m pytest -m netbox tests/netbox -p no:cacheprovider

lint: $(STAMP)
	$(VENV)/bin/ruff check hvdesign tests benchmarks notebooks
	$(VENV)/bin/ruff format --check hvdesign tests benchmarks notebooks
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff format hvdesign tests benchmarks notebooks
	$(VENV)/bin/ruff check --fix hvdesign tests benchmarks notebooks

clean:
	rm -rf build .pytest_cache .ruff_cache .hypothesis
