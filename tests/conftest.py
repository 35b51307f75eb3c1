"""Shared fixtures: the built-in scenarios and a small fast variant of the service desk."""

from __future__ import annotations

import pytest

import simlib


@pytest.fixture(scope="session")
def desk() -> simlib.Scenario:
    return simlib.load_scenario("service-desk")


@pytest.fixture(scope="session")
def queue() -> simlib.Scenario:
    return simlib.load_scenario("pure-queue")
