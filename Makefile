# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test venv clean gazetteer words

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# The stamp depends on pyproject.toml so a changed dependency list reinstalls.
$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e '.[test,build,backfill]'
	touch $@

venv: $(VENV)/.installed

demo: venv
	$(BIN)/twinwatch demo

test: venv
	$(BIN)/python -m pytest -q

gazetteer: venv
	$(BIN)/pip install -q -e '.[build]'
	$(BIN)/python scripts/build_gazetteer.py
	$(BIN)/python scripts/prepare_words.py

# The gazetteer's names as Kiwi user words, read from the built gazetteer data.
words: venv
	$(BIN)/python scripts/prepare_words.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
