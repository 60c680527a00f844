"""Where crossovers are kept: a JSON cache of measurements in the user's cache directory, keyed
by the machine they were measured on, and a table shipped in the package per GPU family.

Cache file (``crossover.json``; a corrupt or unreadable one is ignored and rewritten; writers
take ``.crossover.lock`` beside it)::

    {"format": 1, "machines": {"<key>": {"machine": {...}, "date": "...",
                                         "ops": {"hash_many": 16384, "sm2_verify": null}}}}

``null`` means the GPU was never faster in the measured range. Shipped table
(``shipped.json``): ``{"format": 1, "families": [{"match": "H100", "ops": {...}}]}``, the first
family whose ``match`` occurs in the GPU's name applies.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ... import __version__, hardware
from ..._threads import thread_count

FORMAT = 1
CACHE_ENV = "CHAINCRYPTO_CACHE_DIR"
CACHE_FILE = "crossover.json"
#: Beside the cache: the lock that serialises read-merge-write across processes.
LOCK_FILE = ".crossover.lock"

Found = dict[str, int | None]


@dataclass(frozen=True)
class Machine:
    """What a measured crossover depends on; a change in any field means measuring again."""

    gpus: tuple[str, ...]
    driver: str
    numba_cuda: str
    chaincrypto: str
    cpu: str
    threads: int

    def key(self) -> str:
        canonical = json.dumps(asdict(self), sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def this_machine() -> Machine:
    """This host as the cache keys it (detects the GPUs, so call it only once one is in use)."""
    report = hardware.gpus()
    try:
        numba_cuda = importlib.metadata.version("numba-cuda")
    except importlib.metadata.PackageNotFoundError:
        numba_cuda = ""
    return Machine(
        gpus=tuple(
            f"{g.name} sm_{g.compute_capability[0]}{g.compute_capability[1]}"
            for g in report.devices
        ),
        driver=report.driver,
        numba_cuda=numba_cuda,
        chaincrypto=__version__,
        cpu=hardware.cpu_model(),
        threads=thread_count(),
    )


def cache_dir() -> Path:
    """``CHAINCRYPTO_CACHE_DIR`` if set, else the platform's user cache directory for
    chaincrypto (``$XDG_CACHE_HOME/chaincrypto``, ``~/.cache/chaincrypto`` on Linux)."""
    override = os.environ.get(CACHE_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "chaincrypto" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "chaincrypto"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "chaincrypto"


def cache_file() -> Path:
    return cache_dir() / CACHE_FILE


def _valid_ops(ops: object) -> Found:
    """The well-formed ``op: min_items`` pairs of ``ops`` (anything else is dropped)."""
    if not isinstance(ops, dict):
        return {}
    return {
        op: n
        for op, n in ops.items()
        if isinstance(op, str)
        and (n is None or (isinstance(n, int) and not isinstance(n, bool) and n >= 0))
    }


def _read_machines(path: Path) -> dict[str, Any]:
    """The cache's machines, or {} when the file is missing, unreadable or not ours."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    machines = data.get("machines")
    return machines if isinstance(machines, dict) else {}


def load_cached(machine: Machine) -> Found:
    """The crossovers cached for ``machine`` ({} if none)."""
    entry = _read_machines(cache_file()).get(machine.key())
    return _valid_ops(entry.get("ops")) if isinstance(entry, dict) else {}


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder``'s lock file (POSIX ``flock``, across processes);
    where the platform has none, writes stay atomic but a concurrent merge may drop an op,
    which is then measured again."""
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    with open(folder / LOCK_FILE, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def save(machine: Machine, found: Mapping[str, int | None]) -> Path:
    """Merge ``found`` into ``machine``'s cache entry and write the file atomically (a temporary
    file renamed over it, so a reader never sees half a file), under a lock so that processes
    calibrating at once all keep their ops; returns its path. Entries of other machines are
    kept (a home directory may be shared by hosts)."""
    path = cache_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path.parent):
        _merge(path, machine, found)
    return path


def _merge(path: Path, machine: Machine, found: Mapping[str, int | None]) -> None:
    machines = _read_machines(path)
    key = machine.key()
    old = machines.get(key)
    ops = _valid_ops(old.get("ops")) if isinstance(old, dict) else {}
    ops.update(found)
    machines[key] = {
        "machine": asdict(machine),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "ops": ops,
    }
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".crossover-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"format": FORMAT, "machines": machines}, fh, indent=1, sort_keys=True)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@functools.lru_cache(maxsize=1)
def shipped_families() -> tuple[tuple[str, Found], ...]:
    """The shipped table's ``(match, ops)`` families, in order."""
    text = resources.files(__package__).joinpath("shipped.json").read_text(encoding="utf-8")
    data = json.loads(text)
    if data.get("format") != FORMAT:
        raise ValueError(f"shipped.json: expected format {FORMAT}, got {data.get('format')!r}")
    return tuple((f["match"], _valid_ops(f["ops"])) for f in data["families"])


def shipped_for(gpu_name: str, families: tuple[tuple[str, Found], ...]) -> Found:
    """The crossovers of the first family whose ``match`` occurs in ``gpu_name`` (any case)."""
    for match, ops in families:
        if match.lower() in gpu_name.lower():
            return ops
    return {}
