"""Pictures of a run: utility, warranty and value, outcomes, deadlines, queues and maps.

A learner should *look* at a service, not read tables about it. Each function here draws
one picture of a :class:`~simlib.result.Result` (or of plain arrays) on a matplotlib Axes
and returns the Axes, so the same pictures serve the notebooks and the dashboards::

    import simlib, simlib.plots as plots
    res = simlib.simulate(simlib.load_scenario("service-desk"), seed=1)
    plots.measures(res)          # utility, warranty and value side by side

Without ``ax`` a new figure is made with pyplot (handy in a notebook). Each picture is also
a class (:class:`Measures`, :class:`Outcomes`, :class:`Deadlines`, :class:`Queue`,
:class:`Groups`, :class:`ValueMap`) that builds its artists once and then updates them in
place with each new run; the dashboards keep them in a :class:`LiveFigure`, which redraws
only what moved and sends the figure as PNG bytes. Colours come from the Okabe-Ito palette, which people with
the common forms of colour blindness can tell apart, and mean the same thing everywhere:
blue is utility, orange warranty, green value (and an achieved outcome).
"""

from __future__ import annotations

from simlib.plots.classroom import NAMED_COLOURS, TEAM_COLOURS, class_history, class_value_cost, team_colours
from simlib.plots.fit import fit_pictures
from simlib.plots.functions import (
    deadlines,
    groups,
    journeys,
    measures,
    outcomes,
    queue,
    theory_vs_simulation,
    value_map,
    welch,
)
from simlib.plots.live import LiveFigure, png_bytes
from simlib.plots.palette import (
    COLOURS,
    OKABE_ITO,
    OUTCOME_COLOURS,
    matplotlib_line,
    nice_limit,
    pct,
    waiting_over_time,
)
from simlib.plots.pictures import Deadlines, Groups, Measures, Outcomes, Picture, Queue, ValueMap

__all__ = [
    "fit_pictures",
    "COLOURS",
    "OKABE_ITO",
    "NAMED_COLOURS",
    "OUTCOME_COLOURS",
    "TEAM_COLOURS",
    "Deadlines",
    "Groups",
    "LiveFigure",
    "Measures",
    "Outcomes",
    "Picture",
    "Queue",
    "ValueMap",
    "class_history",
    "class_value_cost",
    "deadlines",
    "groups",
    "journeys",
    "matplotlib_line",
    "measures",
    "nice_limit",
    "outcomes",
    "pct",
    "png_bytes",
    "queue",
    "team_colours",
    "theory_vs_simulation",
    "value_map",
    "waiting_over_time",
    "welch",
]
