"""Shared fixtures: the built-in scenarios and a small fast variant of the service desk."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

import simlib

# In CI the property tests draw the same examples every run, so a submission's result is repeatable;
# on a developer's machine they explore new examples each time.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def desk() -> simlib.Scenario:
    return simlib.load_scenario("service-desk")


@pytest.fixture(scope="session")
def queue() -> simlib.Scenario:
    return simlib.load_scenario("pure-queue")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    """Browser tests: on failure, flag the test (its page fixture saves a screenshot) and add the servers' logs."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and item.get_closest_marker("browser") is not None:
        item.browser_failed = True
        for server in getattr(item, "browser_servers", ()):
            report.sections.append((f"server log ({report.when})", server.log()))
