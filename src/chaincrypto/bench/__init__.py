"""``chaincrypto bench``: throughput of each operation on each available backend, and of the
installed peers (OpenSSL, libsecp256k1, gmssl) on the same machine in the same run.

Timing repeats the work until a minimum time has passed and keeps the best rate, since shared
machines are noisy."""

from ._runner import (
    Comparison,
    Result,
    as_json,
    compare,
    measure,
    operations,
    peer_rates,
    plan,
    run,
)
from .operations import Work, register

__all__ = [
    "Comparison",
    "Result",
    "Work",
    "as_json",
    "compare",
    "measure",
    "operations",
    "peer_rates",
    "plan",
    "register",
    "run",
]
