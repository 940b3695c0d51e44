# Two commands on a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench clean bytecode

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "pagesetter needs Python 3.11 or newer (set PYTHON=python3.11)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]' --config-settings editable_mode=compat
	@touch $(STAMP)

# An editable install leaves the package's own modules uncompiled (pip compiles a regular
# install); where PYTHONDONTWRITEBYTECODE is set, every run would compile them again.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q src >/dev/null

demo: bytecode
	$(BIN)/pagesetter render layouts/page3.yaml

test: $(STAMP)
	$(BIN)/python -m pytest

bench: bytecode
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) output .pytest_cache .hypothesis
