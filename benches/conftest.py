"""Benchmarks: run with ``pytest benches --benchmark-enable`` (they are off in the test suite).

Each benchmark times our code with pytest-benchmark and, in the same run, the peers it competes
with; the ratios go into the benchmark's ``extra_info`` and the printed summary."""

from __future__ import annotations

from typing import Any


def record(benchmark: Any, items: int, peers: list[tuple[str, float | None]]) -> None:
    """Store our best rate (items/s) on the benchmark and, for each peer measured (rate not
    None), its rate and our ratio to it under ``extra_info["peers"][name]``."""
    ours = items / benchmark.stats.stats.min
    benchmark.extra_info.update(items_per_s=round(ours), peers={})
    for name, rate in peers:
        if not rate:
            continue
        benchmark.extra_info["peers"][name] = {
            "items_per_s": round(rate),
            "ratio": round(ours / rate, 3),
        }
        print(f"\n{benchmark.name}: ours {ours:,.0f}/s, {name} {rate:,.0f}/s, {ours / rate:.2f}x")
