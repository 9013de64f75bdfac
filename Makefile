# Two entry points from a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= demo.duckdb
PORT   ?= 8501
TEST_WORKERS ?= auto  # pytest-xdist workers: one per core

.PHONY: setup demo test bench clean

# The stamp is rebuilt whenever pyproject.toml changes, so a stale venv never hides a missing dependency.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

demo: setup
	$(BIN)/tracker load --sample --db $(DB)
	$(BIN)/tracker dashboard --db $(DB) --port $(PORT)

test: setup
	bash tests/browser/ensure_chromium.sh
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadgroup  # xdist_group: one Dask cluster per group

bench: setup
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/run.py --size 100000

clean:
	rm -rf $(VENV) *.duckdb *.duckdb.wal .pytest_cache
