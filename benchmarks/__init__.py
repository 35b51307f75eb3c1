"""Benchmarks of simlib: speed and memory, as ratios against reference models run side by side.

``python -m benchmarks`` (or ``make bench``) runs every ``benchmarks/bench_*.py`` module and
prints one table. Each module exposes ``run(quick: bool = False) -> list[dict]``; each dict is
a row with keys ``benchmark``, ``measure``, ``value``, ``unit``, ``target`` and ``ok`` (True,
False, or None when the row has no target). ``--quick`` is a fast smoke run: smaller sizes,
fewer repeats, and targets that only hold at full size are not judged.
"""
