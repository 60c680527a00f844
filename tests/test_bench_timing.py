"""The benchmark timing: contenders take turns, so a burst of load falls on both sides."""

from __future__ import annotations

import itertools

import pytest

from chaincrypto.bench import Contender, Race
from chaincrypto.bench.timing import best_seconds, timed, versus


def _loaded(rate: float, calls: list[str], name: str, slow: set[int]) -> Contender:
    """A contender whose round runs at ``rate``, a tenth of it while the shared call count is in
    ``slow`` (a neighbour's burst of load)."""

    def sample() -> float:
        calls.append(name)
        return rate / 10 if len(calls) - 1 in slow else rate

    return Contender(name, sample)


def test_rounds_take_turns_and_rotate_the_start() -> None:
    calls: list[str] = []
    race = Race([_loaded(1.0, calls, n, set()) for n in ("a", "b", "c")])
    for _ in range(3):
        race.round()
    assert calls == ["a", "b", "c", "b", "c", "a", "c", "a", "b"]
    assert all(len(s) == 3 for s in race.samples.values())


def test_a_burst_of_load_falls_on_both_sides() -> None:
    """Ours is twice the peer. A burst from the eighth call on would, timed one after the other,
    land on the peer only and make the ratio 20x; in turns the best rounds still give 2x, and
    the per-round ratios show the burst."""
    calls: list[str] = []
    slow = set(range(7, 100))
    race = Race([_loaded(200.0, calls, "ours", slow), _loaded(100.0, calls, "peer", slow)])
    race.run(0.0, 5)
    vs = versus(race.samples["ours"], race.samples["peer"])
    assert vs is not None and vs.ratio == pytest.approx(2.0)
    assert (vs.low, vs.high) == (pytest.approx(2.0), pytest.approx(20.0))  # a round it split


def test_warm_up_is_not_counted() -> None:
    calls: list[str] = []
    race = Race([_loaded(1.0, calls, "a", set())])
    race.run(0.0, 2)
    assert len(calls) == 3 and len(race.samples["a"]) == 2


def test_failed_rounds_measure_nothing() -> None:
    assert versus([5.0, 6.0], [0.0, 0.0]) is None
    vs = versus([5.0, 6.0, 9.0], [2.0, 0.0, 3.0])
    assert vs is not None and (vs.ours, vs.theirs) == (9.0, 3.0)  # the 6.0 round is unpaired
    assert (vs.low, vs.high) == (2.5, 3.0)
    with pytest.raises(ValueError):
        versus([1.0], [1.0, 2.0])  # rounds that do not pair up are a bug, not noise


def test_scale_compares_items_of_different_sizes() -> None:
    """A peer's 16 KiB blocks against our 1 MiB messages: 64 of theirs make one of ours."""
    vs = versus([100.0], [6400.0], scale=16384 / (1 << 20))
    assert vs is not None and vs.ratio == pytest.approx(1.0)


def test_timed_and_best_seconds_time_the_call() -> None:
    ticks = itertools.count()
    assert timed(lambda: sum(range(10_000)), 10_000)() > 0
    assert best_seconds(lambda: next(ticks), repeat=4) >= 0 and next(ticks) == 4
    calls = itertools.count()
    timed(lambda: next(calls), 1, min_time=0.02)()  # short work repeats to fill min_time
    assert next(calls) > 10


def test_peer_contenders_name_the_op_s_peers() -> None:
    from chaincrypto.bench import peer_contenders

    names = {c.name for c in peer_contenders("secp256k1-recover")}
    assert names == {"libsecp256k1 (coincurve)"}  # only libsecp256k1 recovers keys
    assert {c.item_bytes for c in peer_contenders("sm3-64B")} == {64}
