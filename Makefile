# nnwidgets: `make lab` to teach and learn, `make test` to check everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
LAB_ARGS ?=
STUDENTS ?= 40
LOADTEST_ARGS ?=

.PHONY: lab test bench lessons loadtest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-lab: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[lab]"
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[test,lab]"
	touch $@

## lab: create .venv, install nnwidgets, open the lessons in JupyterLab
lab: $(VENV)/.installed-lab
	$(BIN)/jupyter lab --ServerApp.root_dir=lessons $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

## test: unit and panel tests, nbval (strict) on every lesson, real-browser tests, the Binder check
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest tests lessons --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg \
		--nbval-cell-timeout=300 -p no:cacheprovider -rs $(PYTEST_ARGS)

## bench: browser latency, kernel update time, cold start and compute comparisons -> benchmarks/results.json;
##        grading throughput -> grade_results.json; the playground -> playground_results.json;
##        then writes the README's benchmark tables from those files
bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/grade_bench.py
	$(BIN)/python benchmarks/playground_bench.py
	$(BIN)/python benchmarks/kernel_memory.py
	$(BIN)/python benchmarks/loadtest.py --students $(STUDENTS) $(LOADTEST_ARGS)
	$(BIN)/python benchmarks/readme_tables.py

## loadtest: STUDENTS real kernels run lesson 01, then move every slider at a person's pace -> loadtest_results.json
##           (40 students need about 16 GB free; make loadtest STUDENTS=5 on a small machine)
loadtest: $(VENV)/.installed-test
	$(BIN)/python benchmarks/loadtest.py --students $(STUDENTS) $(LOADTEST_ARGS)

## lessons: re-execute the lesson notebooks in place (commit the result)
lessons: $(VENV)/.installed-test
	$(BIN)/python tools/execute_lessons.py

clean:
	rm -rf $(VENV) .pytest_cache
