"""Benchmarks: run with ``pytest benches --benchmark-enable`` (they are off in the test suite).

Each benchmark times our code with pytest-benchmark and, in the same run, the peers it competes
with, in turns: a :class:`~chaincrypto.bench.Race` of the peers is pytest-benchmark's ``setup``,
so one round of each peer runs before each round of ours. The ratios go into the benchmark's
``extra_info`` and the printed summary."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from typing import Any

from chaincrypto.bench import Contender, Race
from chaincrypto.bench.peers import ROUND_S
from chaincrypto.bench.timing import versus


def race_peers(
    benchmark: Any,
    target: Callable[[], object],
    items: int,
    peers: Iterable[Contender | None],
    *,
    rounds: int = 3,
    item_bytes: int = 0,
) -> None:
    """Time ``target`` (ours, ``items`` items a call) for ``rounds`` rounds, a round of each
    installed peer (None: not installed) before each of ours, after one untimed round of
    everyone, and :func:`record` the result. A round of ours repeats ``target`` to last about
    as long as a peer's (:data:`~chaincrypto.bench.peers.ROUND_S`;
    ``extra_info["calls_a_round"]``)."""
    race = Race([p for p in peers if p is not None])
    t0 = time.perf_counter()
    target()  # our warm-up, and how long one call takes
    once = time.perf_counter() - t0
    calls = max(1, math.ceil(ROUND_S / once)) if once > 0 else 1

    def round_of_ours() -> None:
        for _ in range(calls):
            target()

    race.warm()
    benchmark.pedantic(round_of_ours, setup=race.round, rounds=rounds, iterations=1)
    benchmark.extra_info["calls_a_round"] = calls
    record(benchmark, items * calls, race, item_bytes)


def record(benchmark: Any, items: int, race: Race | None = None, item_bytes: int = 0) -> None:
    """Store our best rate (items/s; ``items`` a round) on the benchmark and, for each peer of
    ``race`` that measured, its best rate, the ratio of bests and the range of the per-round
    ratios, under ``extra_info["peers"][name]``; with ``item_bytes`` (ours an item) peers with
    byte sizes are compared by bytes."""
    ours = [items / t for t in benchmark.stats.stats.data]
    benchmark.extra_info.update(items_per_s=round(max(ours)), peers={})
    for name, peer in (race.contenders if race else {}).items():
        scale = peer.item_bytes / item_bytes if peer.item_bytes and item_bytes else 1.0
        vs = versus(ours, race.samples[name], scale)
        if vs is None:
            continue
        benchmark.extra_info["peers"][name] = {
            "items_per_s": round(vs.theirs),
            "ratio": round(vs.ratio, 3),
            "ratio_range": [round(vs.low, 3), round(vs.high, 3)],
        }
        print(
            f"\n{benchmark.name}: ours {vs.ours:,.0f}/s, {name} {vs.theirs:,.0f}/s, "
            f"{vs.ratio:.2f}x (rounds {vs.low:.2f}-{vs.high:.2f}x)"
        )
