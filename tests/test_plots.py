"""The pictures: each returns its Axes, uses the palette, and draws what the run holds."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex

import simlib
import simlib.plots as plots


@pytest.fixture(scope="module")
def res(desk: simlib.Scenario) -> simlib.Result:
    return simlib.simulate(desk.replace(**{"continuity.starts": [34.0]}), seed=1)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_measures_bars_are_the_three_measures_in_their_colours(res: simlib.Result) -> None:
    ax = plots.measures(res)
    heights = [p.get_height() for p in ax.patches]
    assert heights == pytest.approx([res.utility, res.warranty, res.value])
    assert [to_hex(p.get_facecolor()).upper() for p in ax.patches] == [
        plots.COLOURS[n] for n in ("utility", "warranty", "value")
    ]
    assert f"{res.value:.1%}" in ax.get_title()
    assert ax.get_ylabel()


def test_outcomes_counts_and_kind_filter(res: simlib.Result) -> None:
    fig, (a, b) = plt.subplots(1, 2)
    assert plots.outcomes(res, a) is a
    assert [p.get_width() for p in a.patches] == [res.outcomes[n] for n in plots.OUTCOME_COLOURS if n in res.outcomes]
    plots.outcomes(res, b, kind="external")
    ext = res.requests["outcome"][res.requests["kind"] == "external"]
    assert sum(p.get_width() for p in b.patches) == ext.size


def test_deadlines_counts_every_resolved_request(res: simlib.Result) -> None:
    ax = plt.figure().add_subplot()
    picture = plots.Deadlines(ax)
    picture.update(res)
    resolved = res.outcomes["achieved"] + res.outcomes["late"]
    late_open = np.sum(res.requests["outcome"] == "late")
    assert picture.counts.sum() == resolved
    tops = [max(y for _, y in path.vertices) for path in picture.bars.get_paths()]
    assert tops == list(picture.counts)
    assert f"late: {late_open}" in [t.get_text() for t in ax.texts]


def test_waiting_over_time_matches_a_direct_count(res: simlib.Result) -> None:
    times, waiting = plots.waiting_over_time(res)
    r = res.requests
    queued = r["outcome"] != "not_supported"
    leave = np.where(np.isnan(r["start"]), r["finish"], r["start"])
    leave = np.where(np.isnan(leave), res.scenario.horizon, leave)
    for t in (10.3, 36.0, 40.5, 100.0, 150.2):
        direct = np.sum(queued & (r["arrival"] <= t) & (leave > t))
        assert waiting[np.searchsorted(times, t, side="right") - 1] == direct
    assert waiting.min() >= 0 and waiting[-1] == 0  # at the horizon nobody is left waiting in the picture


def test_queue_shows_outages_and_disruptions(res: simlib.Result) -> None:
    ax = plots.queue(res)
    labels = ax.get_legend_handles_labels()[1]
    assert "major disruption" in labels and "first-line systems down" in labels and "requests waiting" in labels
    assert ax.get_xlabel() == "time (hours)"


def test_groups_and_value_map_and_theory() -> None:
    res = simlib.simulate(simlib.load_scenario("service-desk"), seed=2)
    ax = plots.groups(res)
    heights = [p.get_height() for p in ax.patches]
    assert heights[:2] == pytest.approx([res.measures["attainment.external"], res.measures["attainment.internal"]])
    ax = plots.value_map([2, 3], [0.5, 0.9], np.array([[0.1, 0.2], [0.3, 0.8]]), mark=(3, 0.9))
    assert ax.images[0].get_array()[1, 1] == pytest.approx(0.8)
    assert len(ax.collections) == 1  # the circle on the current setting
    ax = plots.theory_vs_simulation([3, 4], [1.0, 0.5], [1.1, 0.4], [0.9, 0.3], [1.3, 0.5])
    assert ax.get_legend() is not None


def test_a_run_without_requests_is_refused(desk: simlib.Scenario) -> None:
    res = simlib.simulate(desk, seed=1, keep_requests=False)
    with pytest.raises(ValueError, match="keep_requests=True"):
        plots.deadlines(res)
    plots.measures(res)  # the measures need no requests


def test_pictures_update_in_place_and_say_when_the_scale_changed(desk: simlib.Scenario) -> None:
    a = simlib.simulate(desk, seed=1)
    b = simlib.simulate(desk.replace(**{"first_line.agents": 6}), seed=1)
    fig, axes = plt.subplots(1, 3)
    pictures = [plots.Measures(axes[0]), plots.Outcomes(axes[1]), plots.Deadlines(axes[2])]
    assert all(p.update(a) for p in pictures), "the first update builds: the whole figure must be drawn"
    artists = [[id(x) for x in p.moving] for p in pictures]
    for p in pictures:
        p.update(b)  # the scales now hold both runs
    ticks = [ax.get_yticks().tolist() for ax in axes]
    for p in pictures:
        assert p.update(a) is False and p.update(b) is False, "moving between two runs keeps the scale"
        p.update(a)
    assert [[id(x) for x in p.moving] for p in pictures] == artists, "no artist is rebuilt"
    assert [ax.get_yticks().tolist() for ax in axes] == ticks
    assert [bar.get_height() for bar in pictures[0].bars] == pytest.approx([a.utility, a.warranty, a.value])
    assert [bar.get_width() for bar in pictures[1].bars] == [a.outcomes[n] for n in pictures[1].names]


def test_nice_limit_and_hysteresis() -> None:
    assert [plots.nice_limit(x) for x in (0.7, 1.0, 1.2, 17, 460, 1349)] == [0.8, 1.0, 1.5, 20, 500, 1500]
    p = plots.Picture(plt.figure().add_subplot())
    assert p._limit(None, 90) == 100
    assert p._limit(100, 60) is None and p._limit(100, 101) == 150 and p._limit(100, 30) == 30


def test_png_bytes_is_a_png_of_the_same_pixels() -> None:
    import io

    from PIL import Image

    rgba = np.random.default_rng(1).integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    for level in (0, 1, 6):
        back = np.asarray(Image.open(io.BytesIO(plots.png_bytes(rgba, level))).convert("RGBA"))
        assert np.array_equal(back, rgba)


def test_live_figure_blits_until_the_scale_changes(desk: simlib.Scenario) -> None:
    live = plots.LiveFigure((6, 3), 72)
    ax = live.figure.add_subplot()
    live.add(plots.Measures(ax, title="fixed"))
    live.update(simlib.simulate(desk, seed=1))
    first = live.png()
    live.update(simlib.simulate(desk.replace(**{"first_line.agents": 3}), seed=1))
    second = live.png()
    assert live.full_draws == 1 and first != second
    live.invalidate()
    assert live.png() == second and live.full_draws == 2, "blitting draws the same picture as a full draw"
    assert ax.title.get_text() == "fixed" and ax.title not in live.pictures[0].moving


def test_welch_is_drawn_in_the_kit_colours(queue: simlib.Scenario) -> None:
    from simlib import warmup

    data = warmup.welch(queue.replace(horizon=60.0), runs=2, seed=1, width=2.0, window=3)
    ax = plots.welch(data, warmup=10.0)
    assert to_hex(ax.lines[1].get_color()).upper() == plots.COLOURS["simulation"]
    assert ax.get_title().startswith("Welch's plot")
