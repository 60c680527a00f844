"""The ``chaincrypto`` command (also ``python -m chaincrypto``)."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from typing import BinaryIO

from . import _cli_keys
from . import bench as benchmod
from .distributed.audit import add_parser as add_audit_parser
from .hashing import sha256, sm3
from .info import info


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]
    lines = [
        "  ".join(
            str(c).rjust(w) if i > 1 else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cmd_info(args: argparse.Namespace) -> int:
    report = info()
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    cpu = report["cpu"]
    print(f"chaincrypto {report['version']} (Python {report['python']})")
    print(
        f"CPU: {cpu['processor']}, {cpu['cores']} cores, features: "
        f"{', '.join(cpu['features']) or 'none'}"
    )
    for alg, paths in report["hash_paths"].items():
        auto = report["hash_auto_64"][alg]
        print(f"  {alg} paths: {', '.join(paths)} (auto on 64-byte batches: {auto})")
    if report["ec_paths"]:
        print(f"  curve code: {', '.join(report['ec_paths'])} (signatures use the last)")
    if report["gpus"]:
        for g in report["gpus"]:
            print(
                f"GPU {g['index']}: {g['name']} (sm_{g['compute_capability'].replace('.', '')}, "
                f"{g['memory_gib']} GiB)"
            )
    else:
        print(f"GPU: none usable ({report['gpu_status']})")
    for name, st in report["backends"].items():
        mark = "available" if st["available"] else "unavailable"
        print(f"backend {name}: {mark}: {st['status']}")
    cross = report["crossovers"]
    print(f"CPU/GPU crossovers, smallest batch sent to the GPU ({cross['note']}):")
    groups: dict[tuple[str, str], list[str]] = {}
    for op, c in cross["ops"].items():
        groups.setdefault((_min_items(c["min_items"]), c["source"]), []).append(op)
    for (n, source), ops in groups.items():
        print(f"  {n} ({source}): {', '.join(ops)}")
    print(f"backend in force: {report['backend_in_force']}; threads: {report['threads']}")
    return 0


def _min_items(n: int | None) -> str:
    return "never" if n is None else f"{n:,}"


def _cmd_calibrate(args: argparse.Namespace) -> int:
    from .backends import crossover

    ops = args.ops.split(",") if args.ops else None
    results, path = crossover.calibrate_and_store(
        ops,
        budget_s=args.budget,
        progress=lambda op: print(f"calibrating {op} ...", file=sys.stderr),
    )
    rows = []
    for r in results:
        last = r.points[-1]
        rows.append(
            [
                r.op,
                _min_items(r.min_items) if r.final else "not yet (raise --budget)",
                f"{r.measured_up_to:,}",
                f"{last.batch / last.cpu_s:,.0f}",
                f"{last.batch / last.gpu_s:,.0f}",
            ]
        )
    print(
        _table(
            ["operation", "GPU from", "measured up to", "CPU items/s", "GPU items/s"],
            rows,
        )
    )
    print(f"(items/s at the largest batch measured; cached in {path})")
    return 0


def _plot(results: Sequence[benchmod.Result], path: str) -> None:
    """Throughput against batch size, one line per operation and backend (log-log)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise CliError("--plot needs matplotlib: pip install 'chaincrypto[plot]'") from None
    series: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for r in results:
        series.setdefault((r.op, r.backend), []).append((r.batch, r.items_per_s))
    fig, ax = plt.subplots(figsize=(8, 5))
    ax.set_prop_cycle(color=plt.get_cmap("tab20").colors)
    for (op, backend), points in sorted(series.items()):
        points.sort()
        ax.plot(
            [p[0] for p in points], [p[1] for p in points], marker="o", label=f"{op} ({backend})"
        )
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("batch size (items)")
    ax.set_ylabel("items per second")
    ax.set_title("chaincrypto throughput")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _cmd_bench(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    ops = args.ops.split(",") if args.ops else None
    backends_ = None if args.backend in (None, "all") else [args.backend]
    sizes = _sizes(args.sizes) if args.sizes else None
    steps = benchmod.plan(ops, backends_, sizes, quick=args.quick)
    races = len(ops or benchmod.operations()) if args.compare else 0
    with tqdm(total=len(steps) + races, unit="step", file=sys.stderr, leave=False) as bar:

        def progress(label: str) -> None:
            bar.set_description(label, refresh=False)
            bar.update(1)

        results = benchmod.run(
            ops, backends_, sizes, quick=args.quick, threads=args.threads, progress=progress
        )
        comparisons = benchmod.compare(ops, quick=args.quick, progress=progress) if races else []
    print(
        _table(
            ["operation", "backend", "batch", "threads", "items/s", "MB/s"],
            [r.row() for r in results],
        )
    )
    if comparisons:
        print()
        print("One core each, same run, taking turns (best rounds; ratio range by round):")
        print(
            _table(
                ["operation", "ours", "peer", "theirs", "unit", "ratio", "by round"],
                [
                    [
                        c.op,
                        f"{c.ours:,.1f}",
                        c.peer,
                        f"{c.theirs:,.1f}",
                        c.unit,
                        f"{c.ratio:.2f}x",
                        f"{c.low:.2f}-{c.high:.2f}x",
                    ]
                    for c in comparisons
                ],
            )
        )
    if args.plot:
        _plot(results, args.plot)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(benchmod.as_json(results, comparisons), fh, indent=2)
    return 0


class CliError(Exception):
    """A user-facing failure: printed as one line, exit status 2."""


def _open_input(name: str) -> BinaryIO:
    if name == "-":
        return sys.stdin.buffer
    try:
        return open(name, "rb")
    except OSError as exc:
        raise CliError(f"{name}: {exc.strerror or exc}") from None


def _digest_file(name: str, algorithm: str) -> str:
    h = sm3() if algorithm == "sm3" else sha256()
    fh = _open_input(name)
    try:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()
    return h.hexdigest()


_CHECK_LINE = re.compile(r"([0-9a-fA-F]{64}) [ *](.+)")


def _cmd_hash(args: argparse.Namespace) -> int:
    if not args.check:
        for name in args.files or ["-"]:
            print(f"{_digest_file(name, args.algorithm)}  {name}")
        return 0
    failed = 0
    for listing in args.files or ["-"]:
        fh = _open_input(listing)
        lines = fh.read().decode("utf-8", "replace").splitlines()
        for lineno, line in enumerate(lines, 1):
            if not line.strip():
                continue
            # sha256sum's format: the digest, a space, then a space (text) or '*' (binary mode)
            found = _CHECK_LINE.fullmatch(line)
            if not found:
                raise CliError(f"{listing}:{lineno}: not a '<hex digest>  <file>' line")
            digest, name = found.groups()
            try:
                ok = _digest_file(name, args.algorithm) == digest.lower()
            except CliError as exc:
                print(f"{name}: FAILED open or read ({exc})")
                failed += 1
                continue
            print(f"{name}: {'OK' if ok else 'FAILED'}")
            failed += not ok
    if failed:
        print(f"chaincrypto: WARNING: {failed} computed checksum(s) did NOT match", file=sys.stderr)
    return 1 if failed else 0


def _read_hex_lines(name: str) -> list[bytes]:
    fh = _open_input(name)
    try:
        text = fh.read().decode("ascii", "replace")
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()
    leaves = []
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        try:
            leaves.append(bytes.fromhex(line))
        except ValueError:
            raise CliError(f"{name}:{lineno}: not hex: {line[:40]!r}") from None
    return leaves


def _cmd_merkle_root(args: argparse.Namespace) -> int:
    from .merkle import merkle_root

    leaves = _read_hex_lines(args.file)
    root, mutated = merkle_root(leaves, hash=args.hash, scheme=args.scheme, return_mutated=True)
    print(root.hex())
    if mutated:
        print("chaincrypto: warning: the tree is mutated (CVE-2012-2459)", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chaincrypto", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("info", help="hardware, backends and why each is or is not available")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=_cmd_info)
    p = sub.add_parser("bench", help="throughput of every operation on this machine")
    p.add_argument("--quick", action="store_true", help="one batch size per operation, short runs")
    p.add_argument("--ops", help=f"comma-separated subset of: {', '.join(benchmod.operations())}")
    p.add_argument("--backend", choices=["cpu", "cuda", "all"], help="default: all available")
    p.add_argument("--sizes", help="comma-separated batch sizes (default: per operation)")
    p.add_argument("--threads", type=int, help="threads for the C backend (default: all cores)")
    p.add_argument(
        "--compare",
        action="store_true",
        help="also time the installed peers (OpenSSL) on one core and print ratios",
    )
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    p.add_argument(
        "--plot",
        metavar="FILE.png",
        help="also draw throughput against batch size (needs matplotlib)",
    )
    p.set_defaults(func=_cmd_bench)
    p = sub.add_parser(
        "calibrate",
        help="measure per operation the batch size from which the GPU beats the CPU; cache it",
    )
    p.add_argument("--ops", help="comma-separated operations (default: all the GPU implements)")
    p.add_argument(
        "--budget",
        type=float,
        default=2.0,
        metavar="SECONDS",
        help="measuring time per operation (default 2; kernel compilation comes on top)",
    )
    p.set_defaults(func=_cmd_calibrate)
    p = sub.add_parser("hash", help="print or check SM3 / SHA-256 checksums (sha256sum-style)")
    p.add_argument("--algorithm", "-a", choices=["sm3", "sha256"], default="sm3")
    p.add_argument(
        "--check",
        "-c",
        action="store_true",
        help="read '<digest>  <file>' lines from the FILEs and check them",
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="files to hash; - for stdin")
    p.set_defaults(func=_cmd_hash)
    p = sub.add_parser("merkle-root", help="Merkle root of the leaves in FILE (one hex per line)")
    p.add_argument("--scheme", choices=["chainmaker", "bitcoin", "rfc6962"], default="chainmaker")
    p.add_argument(
        "--hash", choices=["sm3", "sha256"], help="default: sm3 for chainmaker, sha256 otherwise"
    )
    p.add_argument("file", metavar="FILE", help="leaves, one hex string per line; - for stdin")
    p.set_defaults(func=_cmd_merkle_root)
    _cli_keys.add_parsers(sub)
    add_audit_parser(sub)
    return parser


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(s) for s in text.split(",")]
    except ValueError:
        sizes = []
    if not sizes or min(sizes) < 1:
        raise CliError(f"--sizes: expected comma-separated positive integers, got {text!r}")
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (CliError, _cli_keys.KeyFileError, ValueError, TypeError, OSError, RuntimeError) as exc:
        # one line, whatever a library below put in its message
        lines = str(exc).strip().splitlines() or [type(exc).__name__]
        print(f"chaincrypto: error: {lines[0]}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
