"""Dashboards: move a capability, the service desk runs again, and utility, warranty and value move.

Each dashboard is a class holding its widgets, a pure ``scenario()`` that maps them to a
:class:`~simlib.scenario.Scenario`, and pictures from :mod:`simlib.plots` built once and
updated in place. A function builds each one and returns the widget to display::

    from simlib import dashboards
    dashboards.utility_warranty_dashboard()      # in a notebook cell

(``simlib.widgets.utility_warranty()`` and the other short names the notebooks use still work.)

- :func:`utility_warranty_dashboard`: capacity, knowledge, skill, availability and demand
  against utility, warranty and value, the outcomes, and the time to outcome against the deadline;
- :func:`value_map_dashboard`: value over capacity x knowledge: neither lever alone creates value;
- :func:`availability_dashboard`: outages and a major disruption, and the queue they leave behind;
- :func:`internal_external_dashboard`: the second line, an internal service, seen through the
  outcomes of the external customers;
- :func:`instructor_dashboard`: the utility-vs-warranty dashboard with "break it" presets,
  for a class on a big screen (``make demo`` serves it with Voila).

The shared parts (the :class:`Dashboard` class, sliders, the numbers panel, and how moves
from a browser are coalesced so the numbers follow the hand) are in :mod:`.base`.
"""

from __future__ import annotations

from simlib.dashboards.availability import Availability, availability_dashboard
from simlib.dashboards.base import Dashboard, measures_html, numbers_html, run, slider
from simlib.dashboards.instructor import PRESETS, InstructorDashboard, instructor_dashboard
from simlib.dashboards.internal_external import InternalExternal, internal_external_dashboard
from simlib.dashboards.utility_warranty import UtilityWarranty, utility_warranty_dashboard
from simlib.dashboards.value_map import ValueMap, value_map_dashboard

__all__ = [
    "PRESETS",
    "Availability",
    "Dashboard",
    "InstructorDashboard",
    "InternalExternal",
    "UtilityWarranty",
    "ValueMap",
    "availability_dashboard",
    "instructor_dashboard",
    "internal_external_dashboard",
    "measures_html",
    "numbers_html",
    "run",
    "slider",
    "utility_warranty_dashboard",
    "value_map_dashboard",
]
