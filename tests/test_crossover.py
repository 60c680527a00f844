"""The measured CPU/GPU crossover: calibration against a fake GPU whose timing is known, the
cache, the shipped table, the environment override, and what info() and the CLI show.

The fake GPU runs the C backend's ops after a fixed sleep (a launch cost) and the fake CPU runs
them after a sleep per item, so the crossover is known analytically: LATENCY / PER_ITEM items.
Both sleeps are milliseconds, far above timer noise; the sizes tried are powers of 4, and the
expected one is a factor of 2 away from the analytic value on either side.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import chaincrypto as cc
from chaincrypto import backends, cli, hardware
from chaincrypto.backends import Backend, crossover
from chaincrypto.backends.crossover import measure, store, workloads

LATENCY = 0.02  # seconds per fake-GPU call
PER_ITEM = 10e-6  # seconds per item on the fake CPU: the analytic crossover is 2,000 items
EXPECTED = 4096  # the first power of 4 above 2,000 (at 1,024 the CPU is 2x faster)
FAKE_REPORT = hardware.GpuReport(
    (hardware.GpuInfo(0, "NVIDIA H100 80GB HBM3 (fake)", (9, 0), 80 << 30),), "", "12.4"
)


def _cpu() -> Backend:
    cpu, _ = backends.load("cpu")
    assert cpu is not None
    return cpu


def _rows(args: tuple[Any, ...]) -> int:
    items = args[1]
    return items.n if hasattr(items, "n") else len(items)


def _fake_pair() -> tuple[Backend, Backend]:
    """(CPU, GPU) backends doing the real hash_many, slowed as the module doc says."""
    real = _cpu().ops["hash_many"]

    def slow_cpu(*args: Any, **kwargs: Any) -> Any:
        time.sleep(PER_ITEM * _rows(args))
        return real(*args, **kwargs)

    def gpu(*args: Any, **kwargs: Any) -> Any:
        time.sleep(LATENCY)
        return real(*args, **kwargs)

    return Backend("cpu", {**_cpu().ops, "hash_many": slow_cpu}), Backend(
        "cuda", {"hash_many": gpu, "merkle_root": _cpu().ops["merkle_root"]}
    )


@pytest.fixture
def fake_gpu(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Backend]:
    """A machine with the fake GPU registered as the cuda backend, the fake CPU as cpu, an
    empty cache directory and nothing resolved yet."""
    for var in ("CHAINCRYPTO_GPU_MIN_ITEMS", "CHAINCRYPTO_BACKEND", "CHAINCRYPTO_THREADS"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("CHAINCRYPTO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(crossover, "_resolved", {})
    monkeypatch.setattr(hardware, "gpus", lambda: FAKE_REPORT)
    monkeypatch.setattr(store, "shipped_families", lambda: ())
    cpu, gpu = _fake_pair()
    monkeypatch.setitem(backends._cache, "cpu", (cpu, "fake CPU"))
    monkeypatch.setitem(backends._cache, "cuda", (gpu, "fake GPU"))
    yield gpu


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the ops calibrated from now on (still measuring them)."""
    calls: list[str] = []
    real = crossover.calibrate

    def counted(op: str, *args: Any, **kwargs: Any) -> measure.Calibration:
        calls.append(op)
        return real(op, *args, **kwargs)

    monkeypatch.setattr(crossover, "calibrate", counted)
    return calls


def _forbid_calibration(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any, **kwargs: Any) -> measure.Calibration:
        raise AssertionError("calibrated although it should not have")

    monkeypatch.setattr(crossover, "calibrate", boom)


def _machine(**changes: Any) -> store.Machine:
    base = {
        "gpus": ("Fake GPU sm_90",),
        "driver": "12.4",
        "numba_cuda": "0.30.4",
        "chaincrypto": cc.__version__,
        "cpu": "Fake CPU",
        "threads": 8,
    }
    return store.Machine(**{**base, **changes})


# --- measuring -----------------------------------------------------------------------------


def test_crossover_of_points() -> None:
    def pts(*wins: bool) -> tuple[measure.Point, ...]:
        return tuple(measure.Point(64 << 2 * i, 1.0, 0.5 if w else 2.0) for i, w in enumerate(wins))

    assert measure.crossover_of(pts(False, False, True, True)) == 1024
    assert measure.crossover_of(pts(True, False, True)) == 1024  # must stay faster
    assert measure.crossover_of(pts(True, True)) == 64
    assert measure.crossover_of(pts(True, False)) is None
    assert measure.crossover_of(()) is None


def test_calibrate_finds_the_analytic_crossover() -> None:
    cpu, gpu = _fake_pair()
    found = measure.calibrate("hash_many", gpu, cpu, budget_s=30, repeats=2)
    assert found.min_items == EXPECTED
    # it stops once the GPU has won twice in a row: at 4,096 and 16,384
    assert [p.batch for p in found.points] == [64, 256, 1024, 4096, 16384]
    assert found.measured_up_to == 16384


def test_calibrate_stops_within_its_budget_and_may_find_never() -> None:
    _, gpu = _fake_pair()
    t0 = time.perf_counter()
    found = measure.calibrate("hash_many", gpu, _cpu(), budget_s=0.5)  # the GPU never wins
    elapsed = time.perf_counter() - t0
    assert found.min_items is None
    assert 1 <= len(found.points) < len(measure.SIZES)
    assert not found.exhausted and not found.final  # "not yet", not "never"
    assert elapsed < 5  # budget 0.5 s plus warm-up; generous against a loaded machine


def test_a_sweep_cut_short_is_neither_cached_nor_final(
    fake_gpu: Backend, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The GPU lost at every size the budget allowed: that is not "never faster", so the first
    large batch stays provisional for this process and nothing is written to the cache; the
    same holds for ``chaincrypto calibrate``."""
    monkeypatch.setattr(crossover, "BUDGET_S", 0.3)
    monkeypatch.setitem(backends._cache, "cpu", (_cpu(), "real CPU"))  # the GPU never wins
    real = measure.calibrate
    monkeypatch.setattr(crossover, "calibrate", lambda *a, **k: real(*a, **{**k, "budget_s": 0.3}))
    with caplog.at_level(logging.WARNING, logger="chaincrypto"):
        assert backends.select("hash_many", 1 << 14).name == "cpu"
    assert any("not cached, provisional" in r.message for r in caplog.records)
    assert crossover.resolve("hash_many", fake_gpu) == crossover.Crossover(
        "hash_many", crossover.PROVISIONAL_MIN_ITEMS, "provisional"
    )
    assert store.load_cached(store.this_machine()) in (None, {})
    results, _ = crossover.calibrate_and_store(["hash_many"], budget_s=0.3)
    assert not results[0].final
    assert store.load_cached(store.this_machine()) in (None, {})


def test_calibrate_rejects_what_it_cannot_measure() -> None:
    cpu, gpu = _fake_pair()
    with pytest.raises(ValueError, match="no calibration workload"):
        measure.calibrate("der_sig_parse", gpu, cpu)
    with pytest.raises(cc.BackendUnavailableError, match="does not implement 'sm2_verify'"):
        measure.calibrate("sm2_verify", gpu, cpu)


@pytest.mark.parametrize("op", sorted(workloads.WORKLOADS))
def test_workloads_are_valid_inputs(op: str) -> None:
    """Every workload runs on the C backend, and every signature, key and recovery succeeds."""
    cpu = _cpu()
    args = workloads.WORKLOADS[op](1500, cpu)  # more than the pool: rows repeat
    out = cpu.ops[op](*args)
    first = out[0] if isinstance(out, tuple) else out
    if op.startswith("merkle"):
        return
    assert len(first) == 1500
    ok = out[-1] if isinstance(out, tuple) else out
    if ok.dtype == bool:
        assert ok.all(), f"{op}: some synthetic inputs are invalid"


# --- the cache and the shipped table -------------------------------------------------------


def test_cache_round_trip_and_atomic_write(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CHAINCRYPTO_CACHE_DIR", str(tmp_path))
    m = _machine()
    assert store.load_cached(m) == {}
    path = store.save(m, {"hash_many": 4096, "sm2_verify": None})
    assert path == tmp_path / "crossover.json"
    store.save(m, {"merkle_root": 65536})  # merged, not replaced
    assert store.load_cached(m) == {"hash_many": 4096, "sm2_verify": None, "merkle_root": 65536}
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names in (["crossover.json"], [".crossover.lock", "crossover.json"])  # no temp left
    assert json.loads(path.read_text())["machines"][m.key()]["machine"]["threads"] == 8


_SLOW_SAVE = """
import sys, time
from chaincrypto.backends.crossover import store
read = store._read_machines
def slow(path):
    found = read(path)
    time.sleep(0.3)  # a reader that merges slowly: without the lock, a later writer's op is lost
    return found
store._read_machines = slow
m = store.Machine(("Fake GPU sm_90",), "12.4", "0.30.4", "0", "Fake CPU", 8)
store.save(m, {sys.argv[1]: int(sys.argv[2])})
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX flock")
def test_concurrent_saves_keep_every_op(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CHAINCRYPTO_CACHE_DIR", str(tmp_path))
    ops = [f"op{i}" for i in range(4)]
    procs = [
        subprocess.Popen([sys.executable, "-c", _SLOW_SAVE, op, str(i)]) for i, op in enumerate(ops)
    ]
    assert [p.wait(timeout=60) for p in procs] == [0] * len(ops)
    m = store.Machine(("Fake GPU sm_90",), "12.4", "0.30.4", "0", "Fake CPU", 8)
    assert store.load_cached(m) == {op: i for i, op in enumerate(ops)}


@pytest.mark.parametrize(
    "change",
    [
        {"gpus": ("Other GPU sm_80",)},
        {"gpus": ("Fake GPU sm_90", "Fake GPU sm_90")},
        {"driver": "12.8"},
        {"numba_cuda": "0.31.0"},
        {"chaincrypto": "9.9.9"},
        {"cpu": "Other CPU"},
        {"threads": 16},
    ],
)
def test_cache_is_per_machine(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, change: dict[str, Any]
) -> None:
    monkeypatch.setenv("CHAINCRYPTO_CACHE_DIR", str(tmp_path))
    store.save(_machine(), {"hash_many": 4096})
    assert store.load_cached(_machine(**change)) == {}
    store.save(_machine(**change), {"hash_many": 256})  # both kept (a shared home directory)
    assert store.load_cached(_machine()) == {"hash_many": 4096}


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe\x00",
        b"[]",
        b'{"format": 99, "machines": {}}',
        b'{"format": 1, "machines": []}',
    ],
)
def test_corrupt_cache_is_ignored_and_rewritten(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, content: bytes
) -> None:
    monkeypatch.setenv("CHAINCRYPTO_CACHE_DIR", str(tmp_path))
    (tmp_path / "crossover.json").write_bytes(content)
    assert store.load_cached(_machine()) == {}
    store.save(_machine(), {"hash_many": 1024})
    assert store.load_cached(_machine()) == {"hash_many": 1024}


def test_malformed_entries_are_dropped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CHAINCRYPTO_CACHE_DIR", str(tmp_path))
    ops = {"hash_many": "big", "merkle_root": 512, "sm2_verify": -1, "sm2_sign": True}
    data = {"format": 1, "machines": {_machine().key(): {"ops": ops}}}
    (tmp_path / "crossover.json").write_text(json.dumps(data))
    assert store.load_cached(_machine()) == {"merkle_root": 512}


def test_unreadable_cache_is_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CHAINCRYPTO_CACHE_DIR", str(tmp_path))
    (tmp_path / "crossover.json").mkdir()  # a directory where the file should be
    assert store.load_cached(_machine()) == {}


def test_default_cache_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CHAINCRYPTO_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    if sys.platform.startswith("linux"):
        assert store.cache_dir() == tmp_path / "chaincrypto"


def test_shipped_table_is_valid_and_matches_by_family(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # the real file: its structure, and what the parser makes of it (no families yet, so the
    # parsing itself is checked on a synthetic document below)
    real = json.loads((Path(store.__file__).parent / "shipped.json").read_text(encoding="utf-8"))
    assert real["format"] == store.FORMAT and isinstance(real["families"], list)
    for f in real["families"]:
        assert isinstance(f["match"], str) and f["match"]
        assert isinstance(f["ops"], dict) and set(f["ops"]) <= set(workloads.WORKLOADS)
    families = store.shipped_families()
    assert isinstance(families, tuple) and len(families) == len(real["families"])
    # a non-empty document in the package's place: families in order, malformed ops dropped
    doc = {
        "format": store.FORMAT,
        "families": [
            {"match": "H200", "ops": {"hash_many": 2048}},
            {"match": "H100", "ops": {"hash_many": 4096, "sm2_verify": None, "merkle_root": "x"}},
        ],
    }
    (tmp_path / "shipped.json").write_text(json.dumps(doc), encoding="utf-8")
    monkeypatch.setattr(store, "resources", SimpleNamespace(files=lambda _package: tmp_path))
    store.shipped_families.cache_clear()
    try:
        table = store.shipped_families()
        assert table == (
            ("H200", {"hash_many": 2048}),
            ("H100", {"hash_many": 4096, "sm2_verify": None}),
        )
        assert store.shipped_for("NVIDIA H100 80GB HBM3", table) == table[1][1]
        assert store.shipped_for("nvidia h200", table) == {"hash_many": 2048}
        assert store.shipped_for("Tesla T4", table) == {}
        (tmp_path / "shipped.json").write_text(json.dumps({**doc, "format": 99}))
        store.shipped_families.cache_clear()
        with pytest.raises(ValueError, match="format"):
            store.shipped_families()
    finally:
        store.shipped_families.cache_clear()  # the next caller reads the real file again


# --- resolution and auto -------------------------------------------------------------------


def test_first_use_calibrates_once_announces_and_caches(
    fake_gpu: Backend, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    calls = _counting(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="chaincrypto"):
        assert backends.select("hash_many", 1 << 14) is fake_gpu
    assert calls == ["hash_many"]
    assert any("measuring where the GPU overtakes the CPU" in r.message for r in caplog.records)
    assert crossover.resolve("hash_many", fake_gpu) == crossover.Crossover(
        "hash_many", EXPECTED, "calibrated"
    )
    assert store.load_cached(store.this_machine()) == {"hash_many": EXPECTED}
    assert backends.select("hash_many", EXPECTED).name == "cuda"
    assert backends.select("hash_many", EXPECTED - 1).name == "cpu"
    assert calls == ["hash_many"]  # resolved once per process
    monkeypatch.setattr(crossover, "_resolved", {})  # a new process: the cache answers
    _forbid_calibration(monkeypatch)
    assert crossover.resolve("hash_many", fake_gpu).source == "cached"


def test_small_batches_decide_without_looking_at_the_gpu(
    fake_gpu: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    _forbid_calibration(monkeypatch)
    monkeypatch.delitem(backends._cache, "cuda")
    monkeypatch.setattr(backends, "_load", lambda name: pytest.fail(f"loaded {name}"))
    assert backends.select("hash_many", measure.SIZES[0] - 1).name == "cpu"


def test_import_and_small_batches_never_import_numba() -> None:
    code = (
        "import sys, chaincrypto as cc\n"
        "assert 'numba' not in sys.modules\n"
        "cc.hash_many([b'x'] * 63, 'sm3')\n"
        "cc.merkle_root([bytes(32)] * 63)\n"
        "print('numba' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip() == "False"


def test_a_cached_crossover_is_used_without_measuring(
    fake_gpu: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(store.this_machine(), {"hash_many": 100, "merkle_root": None})
    _forbid_calibration(monkeypatch)
    assert backends.select("hash_many", 100).name == "cuda"
    assert backends.select("hash_many", 99).name == "cpu"
    assert backends.select("merkle_root", 1 << 30).name == "cpu"  # never
    assert crossover.resolve("merkle_root", fake_gpu).source == "cached"


def test_another_machine_in_the_cache_means_measuring_again(
    fake_gpu: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = store.this_machine()
    elsewhere = store.Machine(**{**here.__dict__, "threads": here.threads + 1})
    store.save(elsewhere, {"hash_many": 100})
    calls = _counting(monkeypatch)
    assert crossover.resolve("hash_many", fake_gpu).min_items == EXPECTED
    assert calls == ["hash_many"]


def test_a_corrupt_cache_means_measuring_again_and_rewriting(
    fake_gpu: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.cache_dir().mkdir(parents=True)
    store.cache_file().write_text("{truncated")
    calls = _counting(monkeypatch)
    assert crossover.resolve("hash_many", fake_gpu).source == "calibrated"
    assert calls == ["hash_many"]
    assert store.load_cached(store.this_machine()) == {"hash_many": EXPECTED}


def test_shipped_table_below_cache(fake_gpu: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    _forbid_calibration(monkeypatch)
    monkeypatch.setattr(store, "shipped_families", lambda: (("H100", {"hash_many": 512}),))
    assert crossover.resolve("hash_many", fake_gpu) == crossover.Crossover(
        "hash_many", 512, "shipped"
    )
    monkeypatch.setattr(crossover, "_resolved", {})
    store.save(store.this_machine(), {"hash_many": 2048})
    assert crossover.resolve("hash_many", fake_gpu).source == "cached"


def test_a_failed_calibration_falls_back_to_provisional_once(
    fake_gpu: Backend, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[str] = []

    def broken(op: str, *args: Any, **kwargs: Any) -> measure.Calibration:
        calls.append(op)
        raise RuntimeError("CUDA_ERROR_LAUNCH_FAILED")

    monkeypatch.setattr(crossover, "calibrate", broken)
    with caplog.at_level(logging.WARNING, logger="chaincrypto"):
        found = crossover.resolve("hash_many", fake_gpu)
        crossover.resolve("hash_many", fake_gpu)
    assert found == crossover.Crossover("hash_many", crossover.PROVISIONAL_MIN_ITEMS, "provisional")
    assert calls == ["hash_many"]
    assert any("CUDA_ERROR_LAUNCH_FAILED" in r.message for r in caplog.records)


def test_an_op_without_workload_stays_provisional(
    fake_gpu: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    _forbid_calibration(monkeypatch)
    found = crossover.resolve("der_sig_parse", fake_gpu)
    assert found.source == "provisional"


def test_the_simulator_is_never_calibrated(
    fake_gpu: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    _forbid_calibration(monkeypatch)
    simulated = Backend("cuda", fake_gpu.ops, auto=False)
    monkeypatch.setitem(backends._cache, "cuda", (simulated, "CUDA simulator"))
    assert backends.select("hash_many", 1 << 20).name == "cpu"
    assert crossover.resolve("hash_many", simulated).source == "provisional"
    assert not store.cache_file().exists()
    with pytest.raises(cc.BackendUnavailableError, match="needs a real GPU"):
        crossover.calibrate_and_store(["hash_many"])


# --- the environment override --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("4096", {"*": 4096}),
        ("hash_many=100, sm2_verify = 7", {"hash_many": 100, "sm2_verify": 7}),
        ("8192,sm2_verify=256", {"*": 8192, "sm2_verify": 256}),
        ("0", {"*": 0}),
        ("", {}),
    ],
)
def test_env_override_parsing(monkeypatch: pytest.MonkeyPatch, value: str, parsed: dict) -> None:
    monkeypatch.setenv("CHAINCRYPTO_GPU_MIN_ITEMS", value)
    assert crossover.env_overrides() == parsed


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("many", "'many' is not a non-negative integer"),
        ("hash_many=-1", "'-1' is not"),
        ("hash_many=", "'' is not"),
        ("hash_many=1e6", "'1e6' is not"),
        ("nosuchop=5", "unknown operation 'nosuchop'"),
    ],
)
def test_env_override_errors_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str, why: str
) -> None:
    monkeypatch.setenv("CHAINCRYPTO_GPU_MIN_ITEMS", value)
    with pytest.raises(ValueError, match="CHAINCRYPTO_GPU_MIN_ITEMS") as err:
        cc.hash_many([b"a"] * 100, "sm3")
    assert why in str(err.value)


def test_env_override_wins_and_is_never_measured(
    fake_gpu: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    _forbid_calibration(monkeypatch)
    store.save(store.this_machine(), {"hash_many": 100})
    monkeypatch.setenv("CHAINCRYPTO_GPU_MIN_ITEMS", "1000000,hash_many=10")
    assert crossover.resolve("hash_many", fake_gpu) == crossover.Crossover("hash_many", 10, "env")
    assert crossover.floor("hash_many") == 10
    assert backends.select("hash_many", 10).name == "cuda"
    assert backends.select("hash_many", 9).name == "cpu"
    assert backends.select("merkle_root", 999_999).name == "cpu"
    # the precedence above auto is unchanged: an explicit backend wins
    assert backends.select("hash_many", 10, "cpu").name == "cpu"


def test_secret_ops_stay_on_the_cpu_unless_the_gpu_is_named(
    fake_gpu: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Signing and key derivation take private keys: "auto" never copies them to the GPU, nor
    calibrates them, however large the batch; naming the backend still runs them there."""
    from chaincrypto.backends.cuda import SECRET_OPS

    _forbid_calibration(monkeypatch)
    monkeypatch.setenv("CHAINCRYPTO_GPU_MIN_ITEMS", "1")
    gpu_ops = {**fake_gpu.ops, **{op: fake_gpu.ops["hash_many"] for op in SECRET_OPS}}
    monkeypatch.setitem(backends._cache, "cuda", (Backend("cuda", gpu_ops), "fake GPU"))
    cpu = backends.load("cpu")[0]
    cpu_ops = {**cpu.ops, **{op: cpu.ops["hash_many"] for op in SECRET_OPS}}  # type: ignore[union-attr]
    monkeypatch.setitem(backends._cache, "cpu", (Backend("cpu", cpu_ops), "fake CPU"))
    assert backends.select("hash_many", 10**6).name == "cuda"
    for op in SECRET_OPS:
        assert backends.select(op, 10**6).name == "cpu"
        assert backends.select(op, 10**6, "cuda").name == "cuda"
        with cc.use("cuda"):
            assert backends.select(op, 10**6).name == "cuda"
    assert not set(SECRET_OPS) & set(crossover.report(backends.load("cuda")[0]))


# --- info and the command line -------------------------------------------------------------


def test_info_shows_each_crossover_and_its_source(
    fake_gpu: Backend, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _forbid_calibration(monkeypatch)  # info measures nothing
    store.save(store.this_machine(), {"hash_many": 4096})
    monkeypatch.setenv("CHAINCRYPTO_GPU_MIN_ITEMS", "merkle_root=77")
    ops = cc.info()["crossovers"]["ops"]
    assert ops["hash_many"] == {"min_items": 4096, "source": "cached"}
    assert ops["merkle_root"] == {"min_items": 77, "source": "env"}
    assert cli.main(["info"]) == 0
    out = capsys.readouterr().out
    assert "4,096 (cached): hash_many" in out and "77 (env): merkle_root" in out
    monkeypatch.delenv("CHAINCRYPTO_GPU_MIN_ITEMS")
    ops = cc.info()["crossovers"]["ops"]
    assert ops["merkle_root"]["source"] == "provisional"


def test_info_without_a_gpu_says_so() -> None:
    report = cc.info()
    if report["backends"]["cuda"]["available"]:
        pytest.skip("a CUDA backend is available here")
    cross = report["crossovers"]
    assert "no usable GPU" in cross["note"]
    assert all(c["source"] in ("env", "provisional") for c in cross["ops"].values())


def test_cli_calibrate_prints_and_caches(
    fake_gpu: Backend, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["calibrate", "--ops", "hash_many,sm2_verify", "--budget", "30"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("hash_many"))
    assert row.split()[:3] == ["hash_many", f"{EXPECTED:,}", "16,384"]
    assert "sm2_verify" not in out  # the fake GPU lacks it: skipped
    assert str(store.cache_file()) in out
    assert store.load_cached(store.this_machine()) == {"hash_many": EXPECTED}
    assert crossover.resolve("hash_many", fake_gpu).source == "calibrated"


def test_cli_calibrate_errors(fake_gpu: Backend, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["calibrate", "--ops", "hash_manyy"]) == 2
    assert "unknown operation(s) hash_manyy" in capsys.readouterr().err


def test_cli_calibrate_without_a_gpu() -> None:
    loaded, _ = backends.load("cuda")
    if loaded is not None:
        pytest.skip("a CUDA backend is available here")
    out = subprocess.run(
        [sys.executable, "-m", "chaincrypto", "calibrate"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2
    assert "calibration needs a real GPU" in out.stderr and "Traceback" not in out.stderr
