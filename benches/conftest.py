"""Benchmarks: run with ``pytest benches --benchmark-enable`` (they are off in the test suite).

Each benchmark times our code with pytest-benchmark and, in the same run, the peer it competes
with; the ratio goes into the benchmark's ``extra_info`` and the printed summary."""

from __future__ import annotations

from typing import Any


def record(benchmark: Any, items: int, peer_name: str, peer_rate: float | None) -> float | None:
    """Store our best rate (items/s), the peer's, and their ratio on the benchmark."""
    ours = items / benchmark.stats.stats.min
    benchmark.extra_info.update(items_per_s=round(ours), peer=peer_name)
    if peer_rate:
        benchmark.extra_info.update(
            peer_items_per_s=round(peer_rate), ratio=round(ours / peer_rate, 3)
        )
        print(
            f"\n{benchmark.name}: ours {ours:,.0f}/s, {peer_name} {peer_rate:,.0f}/s, "
            f"ratio {ours / peer_rate:.2f}x"
        )
        return ours / peer_rate
    return None
