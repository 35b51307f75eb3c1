# The door to every task of the kit. `make lab` and `make test` set everything up first.
#
# The kit installs into the active virtual or conda environment if there is one,
# otherwise into .venv here. Setting up is done once and redone only when
# pyproject.toml changes.

SHELL := /bin/bash
PYTHON ?= python3
PORT ?= 8866
LAB_PORT ?= 8888
# make classroom: the classroom game (HOST=0.0.0.0 opens it to the class network; see README)
HOST ?= 127.0.0.1
CLASS_PORT ?= 8867
GAMES ?= games
GAME ?=
ROUNDS ?= 4

ifdef VIRTUAL_ENV
  ENV := $(VIRTUAL_ENV)
else ifdef CONDA_PREFIX
  ENV := $(CONDA_PREFIX)
else
  ENV := .venv
endif
PY := $(ENV)/bin/python
# Jupyter refuses to run as root unless told; some containers and lab machines are root only.
AS_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
READY := $(ENV)/.simlib-ready
BENCH_READY := $(ENV)/.simlib-bench-ready

.PHONY: help setup lab test lint format demo classroom bench exercises handout clean

# `make demo LANG=nl`: the kit in Dutch (see simlib/i18n.py). A language given to make goes first in
# gettext's order (LANGUAGE), to Voila or JupyterLab and so to their kernels; without one the kit
# follows the environment.
# `make lab LANG=nl` opens the start page of that language (notebooks/nl/), where there is one.
START := notebooks/00-start-here.ipynb
ifeq ($(origin LANG),command line)
demo lab classroom handout: export LANGUAGE := $(LANG)
ifneq ($(wildcard notebooks/$(firstword $(subst _, ,$(LANG)))/00-start-here.ipynb),)
START := notebooks/$(firstword $(subst _, ,$(LANG)))/00-start-here.ipynb
endif
endif

help:
	@echo "make lab        set up, then open the kit in JupyterLab"
	@echo "make test       set up, then run every check (ruff, pytest, notebooks)"
	@echo "make demo       the instructor dashboard, full screen (Voila on 127.0.0.1:$(PORT))"
	@echo "make classroom  the classroom game: the team page and the instructor console (one server on $(HOST):$(CLASS_PORT))"
	@echo "make bench      speed and memory benchmarks, as ratios"
	@echo "make exercises  regenerate exercises/ from solutions/"
	@echo "make handout    the one-page class handout, HTML and PDF, in build/handout/"
	@echo "make format     format and fix the code with ruff"
	@echo "make translations  extract the marked strings, update the Dutch catalogue, compile it"
	@echo "                 (make demo LANG=nl, make lab LANG=nl: the kit in Dutch)"
	@echo "make twins      build and run the Dutch twins of the class path (notebooks/nl/, exercises/nl/)"

setup: $(READY)

$(READY): pyproject.toml
	@if [ ! -x "$(PY)" ]; then echo "creating $(ENV)"; $(PYTHON) -m venv "$(ENV)"; fi
	"$(PY)" -m pip install --quiet --upgrade pip
	"$(PY)" -m pip install --quiet -e '.[test]'
	@touch "$@"

lab: $(READY)
	"$(PY)" -m jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(LAB_PORT) $(AS_ROOT) \
		--ServerApp.root_dir="$(CURDIR)" --ServerApp.default_url=/lab/tree/$(START)

lint: $(READY)
	"$(PY)" -m ruff check .
	"$(PY)" -m ruff format --check .

format: $(READY)
	"$(PY)" -m ruff format .
	"$(PY)" -m ruff check --fix .

test: lint
	"$(PY)" -m pytest

demo: $(READY)
	"$(PY)" -m voila --no-browser --port=$(PORT) --Voila.ip=127.0.0.1 \
		--MappingKernelManager.cull_idle_timeout=600 --MappingKernelManager.cull_interval=60 \
		notebooks/instructor-dashboard.ipynb

classroom: $(READY)
	"$(PY)" -m simlib.classroom serve --host=$(HOST) --port=$(CLASS_PORT) --dir=$(GAMES) --rounds=$(ROUNDS) --game="$(GAME)"

$(BENCH_READY): $(READY)
	"$(PY)" -m pip install --quiet -e '.[test,bench]'
	@touch "$@"

bench: $(BENCH_READY)
	"$(PY)" -m benchmarks

exercises: $(READY)
	"$(PY)" -m simlib.exercises solutions exercises

handout: $(READY)
	"$(PY)" -m simlib.handout build/handout

# The Dutch catalogue: extract the marked strings into the template, bring simlib.po in step
# (new strings come in empty or fuzzy: translate them, then run this again), compile simlib.mo.
# The compiled .mo is committed, so installing the kit needs no Babel; tests/test_i18n.py checks all three agree.
LOCALE := simlib/locale
.PHONY: translations
translations: $(READY)
	"$(ENV)/bin/pybabel" extract -F babel.cfg -o $(LOCALE)/simlib.pot --sort-output --no-location \
		--project=simlib --version=0.1.0 --copyright-holder="the simlib authors" .
	"$(ENV)/bin/pybabel" update -i $(LOCALE)/simlib.pot -d $(LOCALE) -D simlib -l nl --init-missing \
		--ignore-obsolete --ignore-pot-creation-date
	"$(ENV)/bin/pybabel" compile --statistics -d $(LOCALE) -D simlib -l nl

# The Dutch twins of the class-path notebooks, from the English ones and the catalogue (run
# `make translations` first; the builder names any text that has no Dutch yet), then executed.
.PHONY: twins
twins: $(READY)
	"$(PY)" -m simlib.authoring.twins

clean:
	rm -rf .pytest_cache .ruff_cache .hypothesis artifacts build
