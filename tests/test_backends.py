"""Backend selection (argument > use() > CHAINCRYPTO_BACKEND > auto), info() and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import chaincrypto as cc
from chaincrypto import backends


def test_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHAINCRYPTO_BACKEND", raising=False)
    assert backends.requested() == "auto"
    monkeypatch.setenv("CHAINCRYPTO_BACKEND", "cuda")
    assert backends.requested() == "cuda"
    with cc.use("cpu"):
        assert backends.requested() == "cpu"
        assert backends.requested("auto") == "auto"
        with cc.use("auto"):
            assert backends.requested() == "auto"
        assert backends.requested() == "cpu"
    assert backends.requested() == "cuda"


def test_bad_environment_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAINCRYPTO_BACKEND", "quantum")
    with pytest.raises(ValueError, match="CHAINCRYPTO_BACKEND"):
        cc.hash_many([b"a"], "sm3")


def test_use_rejects_unknown_names() -> None:
    with pytest.raises(ValueError, match="backend"), cc.use("gpu"):
        pass


def test_unavailable_backend_says_why() -> None:
    loaded, why = backends.load("cuda")
    if loaded is not None:
        pytest.skip("a CUDA backend is available here")
    with pytest.raises(cc.BackendUnavailableError, match="cuda.*not available"):
        cc.hash_many([b"a"], "sm3", backend="cuda")
    assert why


def test_auto_runs_on_an_available_backend() -> None:
    assert backends.select("hash_many", 10).name in backends.NAMES


def test_info_report() -> None:
    report = cc.info()
    json.dumps(report)  # serialisable
    assert report["backends"]["cpu"]["available"] is True
    assert "hash_many" in report["backends"]["cpu"]["operations"]
    assert "portable" in report["hash_paths"]["sm3"]
    for alg, paths in report["hash_paths"].items():
        assert report["hash_auto_64"][alg] in [*paths, "single-stream"]
        assert report["hash_auto_64"][alg] != "portable"
    assert report["ec_paths"][0] == "base"
    assert report["threads"] >= 1
    assert isinstance(report["gpu_status"], str) and report["gpu_status"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "chaincrypto", *args], capture_output=True, text=True, timeout=120
    )


def test_cli_info() -> None:
    out = _cli("info")
    assert out.returncode == 0, out.stderr
    assert "backend cpu: available" in out.stdout


def test_cli_bench_json(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "b.json"
    out = _cli("bench", "--quick", "--ops", "sm3-64B", "--sizes", "256", "--json", str(path))
    assert out.returncode == 0, out.stderr
    assert "sm3-64B" in out.stdout
    data = json.loads(path.read_text())
    assert data["results"][0]["op"] == "sm3-64B" and data["results"][0]["items_per_s"] > 0


def test_cli_bench_compare_prints_and_keeps_the_race(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """--compare after the table: the ratio and its range by round, in the output and the JSON."""
    path = tmp_path / "c.json"
    out = _cli(
        "bench",
        "--quick",
        "--compare",
        "--ops",
        "secp256k1-recover",
        "--sizes",
        "256",
        "--json",
        str(path),
    )
    assert out.returncode == 0, out.stderr
    assert "by round" in out.stdout and "libsecp256k1 (coincurve)" in out.stdout
    (row,) = json.loads(path.read_text())["comparisons"]
    assert row["op"] == "secp256k1-recover"
    assert row["low"] * (1 - 1e-9) <= row["ratio"] <= row["high"] * (1 + 1e-9)


def test_compare_times_every_installed_peer() -> None:
    """--compare puts each peer of the op beside our one-core rate: the openssl CLI (where it is
    on the PATH), OpenSSL through cryptography and hashlib, and coincurve."""
    import shutil

    from chaincrypto.bench import compare

    rows = compare(["sha256-64B", "secp256k1-verify", "secp256k1-recover"], quick=True)
    peers = {(r.op, r.peer) for r in rows}
    # only libsecp256k1 recovers keys from signatures
    assert {p for op, p in peers if op == "secp256k1-recover"} == {"libsecp256k1 (coincurve)"}
    assert ("sha256-64B", "hashlib.new('sha256') per message") in peers
    assert ("secp256k1-verify", "OpenSSL via cryptography") in peers
    assert ("secp256k1-verify", "libsecp256k1 (coincurve)") in peers
    if shutil.which("openssl"):
        assert ("sha256-64B", "openssl speed -evp sha256 -bytes 64") in peers
    assert all(r.ours > 0 and r.theirs > 0 and r.ratio > 0 for r in rows)
    # best against best lies in the range by round (up to rounding: often one round is both)
    assert all(r.low * (1 - 1e-9) <= r.ratio <= r.high * (1 + 1e-9) for r in rows)


def test_cli_errors_are_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = _cli("bench", "--ops", "nope")
    assert out.returncode == 2
    assert out.stderr.startswith("chaincrypto: error:") and "Traceback" not in out.stderr
    sizes = _cli("bench", "--sizes", "abc")
    assert sizes.returncode == 2 and sizes.stderr.count("\n") == 1 and "--sizes" in sizes.stderr
    garbage = tmp_path / "g.parquet"
    garbage.write_bytes(b"not parquet\n" * 10)
    audit = _cli("audit", str(garbage))
    assert audit.returncode == 2 and audit.stderr.count("\n") == 1, audit.stderr


def test_cli_hash_and_check(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from conftest import REFERENCE

    a, b = tmp_path / "a.bin", tmp_path / "b.bin"
    a.write_bytes(b"abc")
    b.write_bytes(b"x" * 3_000_000)
    out = _cli("hash", str(a), str(b))
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        f"{REFERENCE['sm3'](b'abc').hex()}  {a}",
        f"{REFERENCE['sm3'](b'x' * 3_000_000).hex()}  {b}",
    ]
    sums = tmp_path / "SUMS"
    sums.write_text(out.stdout)
    ok = _cli("hash", "--check", str(sums))
    assert ok.returncode == 0 and ok.stdout.count(": OK") == 2
    b.write_bytes(b"tampered")
    bad = _cli("hash", "-c", str(sums))
    assert bad.returncode == 1 and f"{b}: FAILED" in bad.stdout
    sha = _cli("hash", "-a", "sha256", str(a))
    assert sha.stdout.startswith(REFERENCE["sha256"](b"abc").hex())
    # sha256sum -c also takes binary-mode lines ("<digest> *<file>"), as written by sha256sum -b
    binary = tmp_path / "BINARY"
    binary.write_text(f"{REFERENCE['sha256'](b'abc').hex()} *{a}\n")
    ok = _cli("hash", "-a", "sha256", "--check", str(binary))
    assert ok.returncode == 0 and ok.stdout.strip() == f"{a}: OK", ok.stderr


def test_cli_hash_stdin_and_missing_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = subprocess.run(
        [sys.executable, "-m", "chaincrypto", "hash", "-"],
        input=b"abc",
        capture_output=True,
        timeout=60,
    )
    assert out.stdout.decode().startswith("66c7f0f462eeedd9")
    missing = _cli("hash", str(tmp_path / "nope"))
    assert missing.returncode == 2
    assert "nope" in missing.stderr and "Traceback" not in missing.stderr


def test_cli_merkle_root(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import hashlib

    leaves = [hashlib.sha256(bytes([i])).digest() for i in range(3)]
    f = tmp_path / "leaves.txt"
    f.write_text("\n".join(x.hex() for x in leaves) + "\n")

    def h(b: bytes) -> bytes:
        return hashlib.sha256(b).digest()

    expected = h(h(leaves[0] + leaves[1]) + h(leaves[2] + leaves[2]))
    out = _cli("merkle-root", "--hash", "sha256", str(f))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == expected.hex()
    f.write_text("zz\n")
    bad = _cli("merkle-root", str(f))
    assert bad.returncode == 2 and "not hex" in bad.stderr and "Traceback" not in bad.stderr


def test_device_failure_falls_back_to_cpu_with_one_warning() -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise MemoryError("CUDA_ERROR_OUT_OF_MEMORY")

    cpu, _ = backends.load("cpu")
    assert cpu is not None
    gpu = backends.Backend("cuda", {"hash_many": broken})
    items = cc._inputs.as_items([b"abc"], "messages")
    with pytest.warns(RuntimeWarning, match="ran on the CPU instead") as record:
        out = gpu.op("hash_many")("sm3", items)
    assert len(record) == 1
    assert out[0].tobytes() == cc.sm3(b"abc").digest()


def test_argument_errors_are_not_hidden_by_the_fallback() -> None:
    def picky(*args: object, **kwargs: object) -> object:
        raise ValueError("messages: bad")

    gpu = backends.Backend("cuda", {"hash_many": picky})
    with pytest.raises(ValueError, match="messages"):
        gpu.op("hash_many")("sm3", None)


def test_bench_plan_skips_operations_a_backend_lacks(monkeypatch: pytest.MonkeyPatch) -> None:
    from chaincrypto import bench

    fake = backends.Backend("cuda", {"hash_many": lambda *a, **k: None})
    monkeypatch.setitem(backends._cache, "cuda", (fake, "fake GPU"))
    steps = bench.plan(["sm2-verify", "sm3-64B"], quick=True)
    assert ("sm3-64B", "cuda", 1 << 16) in steps
    assert [s for s in steps if s[0] == "sm2-verify"] == [("sm2-verify", "cpu", 2048)]
