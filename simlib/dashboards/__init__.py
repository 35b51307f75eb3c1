"""Dashboards: move a capability, the service desk runs again, and utility, warranty and value move.

Each dashboard is a class holding its widgets, a pure ``scenario()`` that maps them to a
:class:`~simlib.scenario.Scenario`, and pictures from :mod:`simlib.plots` built once and
updated in place. A function builds each one and returns the widget to display::

    from simlib import dashboards
    dashboards.utility_warranty_dashboard()      # in a notebook cell

- :func:`utility_warranty_dashboard`: the catalogue and know-how (utility) and the warranty
  levers (agents, skill, MTBF, first-time fix, recovery, verification) against utility,
  warranty and value, the outcomes, and the time to outcome against the deadline;
- :func:`value_map_dashboard`: value over capacity x know-how: neither lever alone creates value;
- :func:`availability_dashboard`: outages and a major disruption, and the queue they leave behind;
- :func:`knowledge_skill_dashboard`: know-how (utility), first-time fix and skill (warranty) against
  utility, warranty and value, and how every request ended;
- :func:`internal_external_dashboard`: the second line, an internal service, seen through the
  outcomes of the external customers;
- :func:`instructor_dashboard`: the utility-vs-warranty dashboard with the ITIL two-by-two
  and "break it" presets, for a class on a big screen (``make demo`` serves it with Voila).

Every slider of a learner's lever is built from :mod:`simlib.levers` (label, range, step,
meaning): no lever is typed twice.

The shared parts (the :class:`Dashboard` class, sliders, the numbers panel, and how moves
from a browser are coalesced so the numbers follow the hand) are in :mod:`.base`.
"""

from __future__ import annotations

from simlib.dashboards.availability import Availability, availability_dashboard
from simlib.dashboards.base import Dashboard, lever_slider, measures_html, numbers_html, run, slider
from simlib.dashboards.instructor import (
    BREAK_IT,
    HIGH,
    LOW,
    PRESETS,
    QUADRANTS,
    InstructorDashboard,
    Preset,
    instructor_dashboard,
)
from simlib.dashboards.internal_external import InternalExternal, internal_external_dashboard
from simlib.dashboards.knowledge_skill import KnowledgeSkill, knowledge_skill_dashboard
from simlib.dashboards.utility_warranty import UtilityWarranty, utility_warranty_dashboard
from simlib.dashboards.value_map import ValueMap, value_map_dashboard

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
    "KnowledgeSkill",
    "UtilityWarranty",
    "ValueMap",
    "availability_dashboard",
    "instructor_dashboard",
    "internal_external_dashboard",
    "knowledge_skill_dashboard",
    "lever_slider",
    "measures_html",
    "numbers_html",
    "run",
    "slider",
    "utility_warranty_dashboard",
    "value_map_dashboard",
]
