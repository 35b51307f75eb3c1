"""The requests of a run, drawn before it starts: everything random about each of them.

Each customer group has its own random streams, spawned from the run's seed in the group's
order, so changing one group's demand leaves the other groups' requests as they were. Within
a group each question has its own stream, drawn for every request whatever the scenario: a
request is the same request whatever the capacity, first-line knowledge, skill or
verification (common random numbers), and no warranty lever can move utility.

The teams' outages and the major disruptions have streams of their own too (:func:`draw`
returns them for :mod:`simlib.model`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simlib.codes import Distribution, Fate
from simlib.scenario import Scenario

__all__ = ["Draws", "arrival_times", "draw"]

FIRST, SECOND, NOBODY = Fate.FIRST, Fate.SECOND, Fate.NOBODY


@dataclass
class Draws:
    """Everything random about the run's requests, sorted by arrival time."""

    arrival: np.ndarray
    group: np.ndarray
    type: np.ndarray
    fate: np.ndarray  # Fate: FIRST, SECOND or NOBODY
    attack: np.ndarray  # sent by an impostor
    caught: np.ndarray  # an impostor here would be caught by verification
    patience: np.ndarray
    handling1: np.ndarray  # hours at the first line (with skill, and the security check)
    handling2: np.ndarray  # hours at the second line (with skill)


def arrival_times(rng: np.random.Generator, rate: float, profile, horizon: float) -> np.ndarray:
    """A Poisson process on [0, horizon): constant rate, or piecewise constant per hour (of the day or the week)."""
    if rate == 0:
        return np.empty(0)
    if profile is None:
        n = rng.poisson(rate * horizon)
        return np.sort(rng.uniform(0.0, horizon, n))
    weights = np.asarray(profile, dtype=float)
    weights = weights / weights.mean()
    starts = np.arange(math.ceil(horizon), dtype=float)
    lengths = np.minimum(starts + 1.0, horizon) - starts
    counts = rng.poisson(rate * weights[starts.astype(int) % weights.size] * lengths)
    times = np.repeat(starts, counts) + rng.uniform(0.0, 1.0, counts.sum()) * np.repeat(lengths, counts)
    return np.sort(times)


def _unit_handling(rng: np.random.Generator, n: int, distribution: np.ndarray, cv: np.ndarray) -> np.ndarray:
    """Handling-time multipliers with mean 1, by each request's type distribution."""
    expo = rng.standard_exponential(n)
    normal = rng.standard_normal(n)
    sigma = np.sqrt(np.log1p(cv**2))
    lognormal = np.exp(sigma * normal - sigma**2 / 2)
    return np.select(
        [distribution == Distribution.EXPONENTIAL, distribution == Distribution.DETERMINISTIC],
        [expo, np.ones(n)],
        lognormal,
    )


def _per_type(sc: Scenario, table, default: float) -> np.ndarray:
    return np.array([table.get(t, default) for t in sc.type_names], dtype=float)


def draw(sc: Scenario, seed: int | np.random.SeedSequence | None) -> tuple[Draws, list[np.random.Generator]]:
    """Draw every request of a run, and the streams for the teams' outages and disruptions.

    Each customer group has its own streams (spawned from ``seed`` in the group's order),
    so changing one group's demand leaves the other groups' requests as they were. Within a
    group each question has its own stream, drawn for every request whatever the scenario:

    - arrival times, types, patience and handling multipliers;
    - *resolvable*: ``u0 < know_how[type]``, whether the service (any line) can resolve it;
    - *first*: ``u1 < first_line.knowledge[type]``, whether the first line holds that know-how;
    - *attack*: ``u2 < security.attacks`` for a request of a target type, an impostor;
    - *caught*: ``u3 < security.verification``, whether the check would catch an impostor.

    So P(first line resolves) = K f, P(second line) = K (1 - f), P(nobody) = 1 - K; and
    moving any warranty lever (first-line knowledge, verification, skill, agents...) leaves
    every request's fitness for purpose as it was (common random numbers).
    """
    if isinstance(seed, np.random.SeedSequence):  # a fresh copy: spawning changes the one given
        root = np.random.SeedSequence(seed.entropy, spawn_key=seed.spawn_key, pool_size=seed.pool_size)
    else:
        root = np.random.SeedSequence(seed)
    groups_seq, systems_seq = root.spawn(2)
    type_index = {t.name: i for i, t in enumerate(sc.types)}
    t_dist = np.array([Distribution[t.distribution.upper()] for t in sc.types])
    t_cv = np.array([t.cv for t in sc.types])
    sec = sc.security
    target = np.array([t in sec.targets for t in sc.type_names], dtype=bool)
    check = np.where(target, sec.verification * sec.check_time, 0.0)
    t_h1 = (np.array([t.handling for t in sc.types]) + check) / sc.first_line.skill
    second = sc.second_line
    t_h2 = np.array([t.second_line_handling for t in sc.types]) / (second.skill if second else 1.0)
    know_how = _per_type(sc, sc.know_how, 0.0)
    first_share = _per_type(sc, sc.first_line.knowledge, 0.0)

    parts = []
    for g, (group, seq) in enumerate(zip(sc.customers, groups_seq.spawn(len(sc.customers)))):
        # Streams 0-4 are those of the first release; new questions get new streams (5, 6, 7),
        # so the requests of a scenario without them are the requests they always were.
        streams = [np.random.default_rng(s) for s in seq.spawn(8)]
        r_arr, r_type, r_know, r_pat, r_hand, r_first, r_attack, r_catch = streams
        arrival = arrival_times(r_arr, group.rate, group.profile, sc.horizon)
        n = arrival.size
        mix_types = np.array([type_index[t] for t in group.mix])
        types = mix_types[r_type.choice(len(mix_types), size=n, p=np.array(list(group.mix.values())))]
        resolvable = r_know.random(n) < know_how[types]
        first = r_first.random(n) < first_share[types]
        fate = np.where(resolvable, np.where(first, FIRST, SECOND), NOBODY).astype(np.int8)
        attack = target[types] & (r_attack.random(n) < sec.attacks)
        caught = r_catch.random(n) < sec.verification
        patience = (
            r_pat.standard_exponential(n) * group.patience if not math.isinf(group.patience) else np.full(n, math.inf)
        )
        h1 = _unit_handling(r_hand, n, t_dist[types], t_cv[types]) * t_h1[types]
        h2 = _unit_handling(r_hand, n, t_dist[types], t_cv[types]) * t_h2[types]
        parts.append([arrival, np.full(n, g), types, fate, attack, caught, patience, h1, h2])
    # Merge the groups by arrival time one column at a time, letting go of each group's part
    # as it goes: a run of a million requests holds little more than one copy of its draws.
    order = np.argsort(np.concatenate([p[0] for p in parts]), kind="stable")
    draws = Draws(*(np.concatenate([p.pop(0) for p in parts])[order] for _ in range(len(parts[0]))))
    systems = [np.random.default_rng(s) for s in systems_seq.spawn(3)]  # first, second, continuity
    return draws, systems
