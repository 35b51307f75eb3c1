"""Queueing and availability theory that the simulation must agree with.

With one request type that the first line always resolves, no second line, no outages, no
impatience and exponential handling, the first line is an M/M/c queue: requests arrive at
``arrival_rate`` per hour, each of the ``servers`` agents handles ``service_rate`` per hour.
Erlang's formulas then give the chance of waiting, the mean wait and the mean number of
requests in the system, which :func:`simlib.simulate` is tested against.
"""

from __future__ import annotations

import math

from simlib import validation

__all__ = [
    "availability",
    "erlang_b",
    "erlang_c",
    "mmc_mean_in_system",
    "mmc_mean_wait",
    "mmc_wait_probability",
]


def _check(arrival_rate: float, service_rate: float, servers: int) -> None:
    validation.number("arrival_rate", arrival_rate)
    validation.number("service_rate", service_rate, low_open=True)
    validation.whole("servers", servers, low=1)


def erlang_b(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Erlang B: the chance that all ``servers`` are busy in a loss system (M/M/c/c)."""
    _check(arrival_rate, service_rate, servers)
    load = arrival_rate / service_rate
    b = 1.0
    for k in range(1, int(servers) + 1):  # the stable recursion B(k) = aB(k-1) / (k + aB(k-1))
        b = load * b / (k + load * b)
    return b


def erlang_c(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Erlang C: the chance that a request has to wait in an M/M/c queue.

    Raises ValueError when the queue is unstable (``arrival_rate >= servers * service_rate``).
    """
    _check(arrival_rate, service_rate, servers)
    rho = arrival_rate / (servers * service_rate)
    if rho >= 1:
        raise ValueError(
            f"arrival_rate: {arrival_rate!r} is too high for {servers} servers at service rate "
            f"{service_rate!r}; expected a load below 1 (the queue grows without bound)"
        )
    b = erlang_b(arrival_rate, service_rate, servers)
    return b / (1 - rho * (1 - b))


def mmc_mean_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean time a request waits before an agent takes it (hours, if rates are per hour)."""
    c = erlang_c(arrival_rate, service_rate, servers)
    return c / (servers * service_rate - arrival_rate)


def mmc_mean_in_system(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean number of requests in the system, waiting or in hand (Little: L = lambda W)."""
    wait = mmc_mean_wait(arrival_rate, service_rate, servers)
    return arrival_rate * (wait + 1 / service_rate)


def mmc_wait_probability(arrival_rate: float, service_rate: float, servers: int, t: float) -> float:
    """P(wait > t): the chance that a request waits longer than ``t``."""
    validation.number("t", t, allow_inf=True)
    c = erlang_c(arrival_rate, service_rate, servers)
    return c * math.exp(-(servers * service_rate - arrival_rate) * t)


def availability(mtbf: float, mtrs: float) -> float:
    """Long-run share of time a system is up: MTBF / (MTBF + MTRS)."""
    validation.number("mtbf", mtbf, low_open=True, allow_inf=True)
    validation.number("mtrs", mtrs)
    if math.isinf(mtbf):
        return 1.0
    return mtbf / (mtbf + mtrs)
