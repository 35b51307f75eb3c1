"""The dashboards under the short names the notebooks use: ``simlib.widgets.utility_warranty()``.

The dashboards live in :mod:`simlib.dashboards`; this module only re-exports them, so that
every notebook, exercise and handout written against ``simlib.widgets`` keeps working::

    import simlib.widgets
    simlib.widgets.utility_warranty()        # in a notebook cell
"""

from __future__ import annotations

from simlib.dashboards import (
    BREAK_IT,
    HIGH,
    LOW,
    PRESETS,
    QUADRANTS,
    Availability,
    Dashboard,
    InstructorDashboard,
    InternalExternal,
    Preset,
    UtilityWarranty,
    ValueMap,
    instructor_dashboard,
    measures_html,
    numbers_html,
    run,
)
from simlib.dashboards import availability_dashboard as availability
from simlib.dashboards import internal_external_dashboard as internal_external
from simlib.dashboards import utility_warranty_dashboard as utility_warranty
from simlib.dashboards import value_map_dashboard as value_map

__all__ = [
    "BREAK_IT",
    "HIGH",
    "LOW",
    "PRESETS",
    "QUADRANTS",
    "Preset",
    "Availability",
    "Dashboard",
    "InstructorDashboard",
    "InternalExternal",
    "UtilityWarranty",
    "ValueMap",
    "availability",
    "instructor_dashboard",
    "internal_external",
    "measures_html",
    "numbers_html",
    "run",
    "utility_warranty",
    "value_map",
]
