"""``chaincrypto audit RECORDS``: verify every signature of a record file on a Dask cluster and
list the rows that fail.

Registered by :mod:`chaincrypto.cli` through :func:`add_parser`; this module imports Dask only
when the command runs, so the rest of the command line works without it. Exit status: 0 when
every record verifies, 1 when some fail (their 0-based row numbers are written one per line),
2 on a usage error (one line on stderr).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Iterator
from typing import Any, TextIO

import numpy as np
import numpy.typing as npt

from . import INSTALL_HINT

_ALGORITHMS = ("sm2", "secp256k1", "p256")


class AuditError(RuntimeError):
    """A usage problem the command reports in one line (exit status 2)."""


def add_parser(sub: Any) -> None:
    """Add the ``audit`` subcommand to the ``chaincrypto`` subparsers ``sub``."""
    p = sub.add_parser(
        "audit",
        help="verify a Parquet/CSV file of signatures on a Dask cluster; list the failures",
        description=__doc__,
    )
    p.add_argument(
        "records",
        metavar="RECORDS",
        help="a .parquet or .csv file with columns algorithm, public_key, message (or digest),"
        " signature[, prehashed]; CSV binary fields in hex",
    )
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler (default: local cluster)")
    p.add_argument(
        "--workers", type=int, metavar="N", help="local cluster worker processes (default: cores)"
    )
    p.add_argument("--output", "-o", metavar="FILE", help="failure row numbers (default: stdout)")
    p.add_argument("--uid", default="1234567812345678", help="SM2 signer identity (UTF-8 text)")
    p.add_argument("--algorithm", choices=_ALGORITHMS, help="for files without that column")
    p.add_argument("--encoding", choices=("der", "raw"), default="der", help="signature format")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(func=run)


def failures(frame: Any, opts: Any) -> tuple[int, npt.NDArray[np.int64]]:
    """One partition: its row count and the positions (within it) of the records that fail."""
    from ._tasks import verify_frame

    ok = verify_frame(frame, opts).to_numpy()
    return len(ok), np.flatnonzero(~ok).astype(np.int64)


@contextlib.contextmanager
def _client(scheduler: str | None, workers: int | None) -> Iterator[Any]:
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler, timeout="10s") as client:
            yield client
        return
    from .._threads import cpu_count

    with (
        LocalCluster(
            n_workers=workers or cpu_count(),
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _progress(total: int, disable: bool) -> Any:
    from tqdm import tqdm

    return tqdm(
        total=total, unit="part", desc="verifying", disable=disable or None, file=sys.stderr
    )


def _collect(client: Any, frame: Any, opts: Any, quiet: bool) -> tuple[int, list[int]]:
    """Verify every partition; returns the record count and the sorted failing row numbers."""
    from dask import delayed
    from distributed import as_completed

    tasks = [delayed(failures, pure=True)(part, opts) for part in frame.to_delayed()]
    futures = client.compute(tasks)
    position = {f.key: i for i, f in enumerate(futures)}
    results: list[tuple[int, npt.NDArray[np.int64]]] = [(0, np.zeros(0, np.int64))] * len(tasks)
    with _progress(len(futures), quiet) as bar:
        for future in as_completed(futures):
            results[position[future.key]] = future.result()
            bar.update(1)
    start, failed = 0, []
    for count, bad in results:
        failed.extend((bad + start).tolist())
        start += count
    return start, failed


def _write(lines: list[int], out: TextIO) -> None:
    out.writelines(f"{i}\n" for i in lines)


def run(args: argparse.Namespace) -> int:
    """Run the command; returns the exit status."""
    from . import require_dask

    try:
        require_dask()
        import tqdm  # noqa: F401
    except ImportError:
        raise AuditError(INSTALL_HINT) from None
    from ._tasks import VerifyOptions
    from .records import file_format, read_records

    file_format(args.records)  # a usage error before any cluster starts
    if args.workers is not None and args.workers < 1:
        raise AuditError(f"--workers: expected a positive integer, got {args.workers}")
    try:
        uid = args.uid.encode("utf-8")
    except UnicodeEncodeError:
        raise AuditError("--uid: not valid UTF-8 text") from None
    with _client(args.scheduler, args.workers) as client:
        frame, prehashed = read_records(args.records, algorithm=args.algorithm, client=client)
        opts = VerifyOptions(
            uid=uid,
            encoding=args.encoding,
            algorithm=args.algorithm,
            prehashed=prehashed,
            threads=_thread_plan(client),
        )
        total, failed = _collect(client, frame, opts, args.no_progress)
    if args.output:
        with open(args.output, "w") as fh:
            _write(failed, fh)
    else:
        _write(failed, sys.stdout)
    print(f"chaincrypto audit: {total:,} records, {len(failed):,} failed", file=sys.stderr)
    return 1 if failed else 0


def _thread_plan(client: Any) -> dict[str, int]:
    from .sizing import thread_plan

    return thread_plan(client)
