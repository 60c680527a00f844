"""Timing on a shared, noisy machine: contenders take turns.

A neighbour's burst of load lasts longer than one round of work, so timing ours for a second and
then a peer for a second lets a burst fall on one side only (on the 2-core hosts here the same
loop of single-item verifications ran 27.6k/s in one run and 22.2k/s in the next, its peer
unchanged). In a :class:`Race` every contender runs one round in turn, round after round, so a
burst falls on all of them alike; each keeps its best round, and the per-round ratios show how
far the noise moved a comparison. The rounds of one race should last about as long as each
other (see :data:`~.peers.ROUND_S`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

Sample = Callable[[], float]
"""Runs one round and returns its rate in items per second (0.0: this round measured nothing,
e.g. a peer's command failed)."""


def timed(fn: Callable[[], object], items: int, min_time: float = 0.0) -> Sample:
    """A :data:`Sample` that calls ``fn`` (which processes ``items`` items) once, or again and
    again until ``min_time`` seconds have passed (for work too short to time once), wall
    clock."""

    def sample() -> float:
        calls, t0 = 0, time.perf_counter()
        while True:
            fn()
            calls += 1
            dt = time.perf_counter() - t0
            if dt >= min_time:
                return calls * items / dt if dt > 0 else 0.0

    return sample


def best_seconds(fn: Callable[[], object], repeat: int = 3) -> float:
    """The shortest wall-clock time of ``repeat`` calls of ``fn``."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


@dataclass(frozen=True)
class Contender:
    """One side of a :class:`Race`. ``item_bytes`` (0: not a byte rate) turns items/s into
    bytes/s, for contenders whose items differ in size (a hash peer's 16 KiB blocks against our
    one 1 MiB message)."""

    name: str
    sample: Sample
    item_bytes: int = 0


class Race:
    """Contenders timed in turns (see the module docstring); the start rotates each round so
    that none always runs just after another's cache footprint."""

    def __init__(self, contenders: Iterable[Contender]) -> None:
        self.contenders = {c.name: c for c in contenders}
        self.samples: dict[str, list[float]] = {name: [] for name in self.contenders}

    def warm(self) -> None:
        """One untimed round: first-call costs (page faults, lazy loads) are not throughput."""
        for c in self.contenders.values():
            c.sample()

    def round(self) -> None:
        """One timed round of every contender (also usable as pytest-benchmark's ``setup``, which
        runs before each round of ours)."""
        names = list(self.contenders)
        start = len(next(iter(self.samples.values()), [])) % max(len(names), 1)
        for name in names[start:] + names[:start]:
            self.samples[name].append(self.contenders[name].sample())

    def run(self, min_time: float, min_rounds: int = 3) -> Race:
        """Warm up, then race rounds until ``min_time`` seconds and ``min_rounds`` rounds have
        passed."""
        self.warm()
        t0 = time.perf_counter()
        rounds = 0
        while rounds < min_rounds or time.perf_counter() - t0 < min_time:
            self.round()
            rounds += 1
        return self

    def best(self, name: str) -> float:
        """``name``'s best rate in items/s (0.0 if no round measured it)."""
        return max(self.samples[name], default=0.0)


@dataclass(frozen=True)
class Versus:
    """Our best rate against a peer's, and the range of their ratio round by round."""

    ours: float
    theirs: float
    low: float
    high: float

    @property
    def ratio(self) -> float:
        """Best against best."""
        return self.ours / self.theirs


def versus(ours: list[float], theirs: list[float], scale: float = 1.0) -> Versus | None:
    """Pair two contenders' rates of the same rounds (``scale``: what one of their items is
    worth in ours, e.g. a byte-size ratio); None when the peer measured no round."""
    pairs = [(a, b * scale) for a, b in zip(ours, theirs, strict=True) if a > 0 and b > 0]
    if not pairs:
        return None
    ratios = [a / b for a, b in pairs]
    return Versus(max(a for a, _ in pairs), max(b for _, b in pairs), min(ratios), max(ratios))
