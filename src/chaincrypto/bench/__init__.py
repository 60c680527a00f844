"""``chaincrypto bench``: throughput of each operation on each available backend, and of the
installed peers (OpenSSL, libsecp256k1, gmssl) on the same machine in the same run.

Timing repeats the work until a minimum time has passed and keeps the best rate, since shared
machines are noisy; ours and the peers take turns, round by round (:mod:`.timing`), so that a
burst of a neighbour's load falls on both sides of a comparison."""

from ._runner import (
    Comparison,
    Result,
    as_json,
    compare,
    measure,
    operations,
    peer_contenders,
    plan,
    run,
)
from .operations import Work, register
from .timing import Contender, Race

__all__ = [
    "Comparison",
    "Contender",
    "Race",
    "Result",
    "Work",
    "as_json",
    "compare",
    "measure",
    "operations",
    "peer_contenders",
    "plan",
    "register",
    "run",
]
