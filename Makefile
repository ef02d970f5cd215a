# newsflow — `make run` sets everything up and analyses seeds/; `make test` runs the test suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lock ui serve eval bench clean

# torch first, from the exact pin: any looser spec pulls a multi-GB CUDA build.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24" "setuptools>=68"
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

setup: $(STAMP)

# Stance targets for the seed articles (aliases after '='); `make run TARGETS=` discovers them per article.
TARGETS ?= -t "Russia=Moscow,Kremlin,Russian Federation" -t "North Korea=DPRK,Pyongyang" -t China=Beijing \
	-t "UN sanctions=sanctions,UN Security Council" -t "the West=Western countries,Western media"

run: setup
	$(BIN)/newsflow run seeds --out outputs $(TARGETS)

test: setup
	$(BIN)/python -m pytest -q

# Re-resolve the pins after changing pyproject.toml's dependencies.
lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v -e "^newsflow" -e "^torch==" > requirements.lock

ui: setup
	$(BIN)/newsflow ui

# Serve the flow on a schedule; needs the server from `make ui` running (another terminal).
CRON ?= */30 * * * *
serve: setup
	$(BIN)/newsflow serve seeds --out outputs --cron "$(CRON)"

# naive vs newsflow vs FLOP floor (+ int8); BENCH_ARGS="--all" adds quality, --scale, --overhead
BENCH_ARGS ?=
bench: setup
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .prefect outputs/*/
