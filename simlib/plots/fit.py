"""Pictures of a fitted desk: what the log shows against what the fitted scenario does."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from simlib.plots.palette import OKABE_ITO

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from simlib.fit import Fit


def _lognormal_quantiles(p: np.ndarray, mean: float, cv: float) -> np.ndarray:
    from statistics import NormalDist

    sigma = math.sqrt(math.log1p(cv**2))
    mu = math.log(mean) - sigma**2 / 2
    z = np.array([NormalDist().inv_cdf(float(q)) for q in p])
    return np.exp(mu + sigma * z)


def fit_pictures(desk: Fit, *, weeks: int | None = None, seed: int = 1) -> Figure:
    """Three panels: arrivals by hour of the day, the type mix (log against the fitted desk, simulated), handling times.

    The handling panel is a Q-Q plot (the log's times against the fitted lognormal's
    quantiles) for each type the log has work times for; without them it says that the
    handling times are an assumption.
    """
    import matplotlib.pyplot as plt

    from simlib.fit import _type_names

    obs = desk.report.observed
    sc = desk.scenario
    sim = desk.simulated(weeks=weeks, seed=seed)  # the same run as desk.validate()'s, run once
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), layout="constrained")
    hours = np.arange(24)
    ax = axes[0]
    ax.bar(hours, np.asarray(obs["by_hour"]) * 100, color=OKABE_ITO["sky blue"], label="log")
    ax.plot(hours, np.asarray(sim["by_hour"]) * 100, "o-", color=OKABE_ITO["vermillion"], label="fitted desk")
    ax.set(
        xlabel="hour of the day", ylabel="share of the tickets (%)", title="Arrivals by hour", xticks=range(0, 24, 3)
    )
    ax.legend(frameon=False)
    ax = axes[1]
    names = list(sc.customers[0].mix)
    x = np.arange(len(names))
    ax.barh(x + 0.2, [obs["mix"].get(n, 0) * 100 for n in names], 0.4, color=OKABE_ITO["sky blue"], label="log")
    ax.barh(
        x - 0.2, [sim["mix"].get(n, 0) * 100 for n in names], 0.4, color=OKABE_ITO["vermillion"], label="fitted desk"
    )
    ax.set(yticks=x, yticklabels=names, xlabel="share of the tickets (%)", title="Type mix")
    ax.invert_yaxis()
    ax.legend(frameon=False)
    ax = axes[2]
    fits = desk.report.handling_fit
    if fits:
        types = np.array(_type_names(desk.tickets))
        worked = desk.tickets.worked
        top = 1e-9
        for colour, (name, f) in zip(("blue", "orange", "bluish green", "reddish purple", "vermillion"), fits.items()):
            data = np.sort(worked[(types == name) & np.isfinite(worked) & (worked > 0)])
            p = (np.arange(1, data.size + 1) - 0.5) / data.size
            q = _lognormal_quantiles(p, f["mean"], f["cv"])
            ax.plot(q, data, ".", color=OKABE_ITO[colour], label=f"{name} (KS D={f['ks']:.2f})")
            top = max(top, float(q.max()), float(data.max()))
        ax.plot([0, top], [0, top], color=OKABE_ITO["black"], lw=1)
        ax.set(
            xlabel="fitted lognormal quantile (hours)", ylabel="time worked in the log (hours)", title="Handling times"
        )
        ax.legend(frameon=False, fontsize="small")
    else:
        ax.set_axis_off()
        ax.set_title("Handling times")
        ax.text(
            0.5,
            0.5,
            "The log has no work-time field:\nhandling times are an assumption\n(0.5 h first line, 1 h second line).",
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
    return fig
