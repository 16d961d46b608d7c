# Two commands on a fresh machine: `make run` and `make test`.
# Both create .venv if missing and install the package with its dev extra (uv, installed with pip).
# --compile-bytecode writes the dependencies' .pyc files at install time: where Python may not
# write them at run time (PYTHONDONTWRITEBYTECODE=1), every command would otherwise compile
# pandas and the rest from source again (corridor routes: 3.4 s of CPU instead of about 1).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out
# The headline: Xi'an -> Belgrade on every route family, and Belgrade -> Astana (medicines) by air and by rail.
HEADLINE := competitors-2025 --demand xian-belgrade-competitors --demand rs-medicines-kazakhstan

.PHONY: setup run test lint typecheck pytest clean

setup: $(STAMP)

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e ".[dev]"
	touch $(STAMP)

run: setup
	$(BIN)/corridor compare $(HEADLINE) --plot $(OUT)/headline.png
	$(BIN)/corridor map $(HEADLINE) --out $(OUT)/headline-map.png

test: setup lint typecheck pytest

lint: setup
	$(BIN)/ruff check corridor tests examples benchmarks
	$(BIN)/ruff format --check corridor tests examples benchmarks

typecheck: setup
	$(BIN)/mypy

pytest: setup
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
