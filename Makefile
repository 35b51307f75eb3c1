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

help:
	@echo "make lab        set up, then open the kit in JupyterLab"
	@echo "make test       set up, then run every check (ruff, pytest, notebooks)"
	@echo "make demo       the instructor dashboard, full screen (Voila on 127.0.0.1:$(PORT))"
	@echo "make classroom  the classroom game: team and instructor pages (Voila on $(HOST):$(CLASS_PORT))"
	@echo "make bench      speed and memory benchmarks, as ratios"
	@echo "make exercises  regenerate exercises/ from solutions/"
	@echo "make handout    the one-page class handout, HTML and PDF, in build/handout/"
	@echo "make format     format and fix the code with ruff"

setup: $(READY)

$(READY): pyproject.toml
	@if [ ! -x "$(PY)" ]; then echo "creating $(ENV)"; $(PYTHON) -m venv "$(ENV)"; fi
	"$(PY)" -m pip install --quiet --upgrade pip
	"$(PY)" -m pip install --quiet -e '.[test]'
	@touch "$@"

lab: $(READY)
	"$(PY)" -m jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(LAB_PORT) $(AS_ROOT) \
		--ServerApp.root_dir="$(CURDIR)" --ServerApp.default_url=/lab/tree/notebooks/00-start-here.ipynb

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

clean:
	rm -rf .pytest_cache .ruff_cache .hypothesis artifacts build
