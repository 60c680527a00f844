"""chaincrypto.distributed on a real LocalCluster (2 worker processes): every result equals the
single-process library's, including when a worker is killed mid-run; the audit command."""

from __future__ import annotations

import hashlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

distributed = pytest.importorskip("distributed")
pytest.importorskip("dask.dataframe")
pytest.importorskip("pyarrow")

import dask  # noqa: E402
import dask.array as da  # noqa: E402
import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402
import pandas as pd  # noqa: E402
from conftest import REFERENCE  # noqa: E402

import chaincrypto as cc  # noqa: E402
from chaincrypto import distributed as ccd  # noqa: E402
from chaincrypto.cli import main  # noqa: E402
from chaincrypto.distributed import sizing  # noqa: E402

N_PER_ALGORITHM = 40


def _cluster(**kwargs: Any) -> Any:
    # Spawned workers must import this checkout's chaincrypto: pass its directory on.
    src = str(Path(cc.__file__).resolve().parents[1])
    path = os.environ.get("PYTHONPATH", "")
    if src not in path.split(os.pathsep):
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (src, path) if p)
    return distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=40,
        **kwargs,
    )


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        dask.config.set({"dataframe.convert-string": False}),
        _cluster() as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def _sign(algorithm: str, msgs: list[bytes]) -> tuple[bytes, list[bytes]]:
    key: Any = (
        cc.sm2.PrivateKey.generate()
        if algorithm == "sm2"
        else cc.ecdsa.PrivateKey.generate(algorithm)
    )
    return key.public_key.to_bytes(), [key.sign(m) for m in msgs]


@pytest.fixture(scope="module")
def records() -> tuple[pd.DataFrame, np.ndarray]:
    """Mixed-algorithm records (bytes columns) with a few bad ones, and the expected result."""
    rows: list[tuple[Any, ...]] = []
    for alg in ("sm2", "secp256k1", "p256"):
        msgs = [f"{alg} tx {i}".encode() for i in range(N_PER_ALGORITHM)]
        pub, sigs = _sign(alg, msgs)
        rows += [(alg, pub, m, s) for m, s in zip(msgs, sigs, strict=True)]
    rng = np.random.default_rng(7)
    order = rng.permutation(len(rows))
    rows = [rows[i] for i in order]
    expected = np.ones(len(rows), dtype=bool)
    bad = {
        3: lambda r: (r[0], r[1], r[2] + b"!", r[3]),  # wrong message
        10: lambda r: (r[0], r[1][:-1] + bytes([r[1][-1] ^ 1]), r[2], r[3]),  # other key
        17: lambda r: (r[0], b"\x04junk", r[2], r[3]),  # not a key
        25: lambda r: (r[0], r[1], r[2], b"\x30\x02"),  # truncated DER
        31: lambda r: ("ed25519", r[1], r[2], r[3]),  # unknown algorithm
        44: lambda r: (r[0], None, r[2], r[3]),  # missing field
        58: lambda r: (r[0], "zz-not-hex", r[2], r[3]),  # bad hex
    }
    for i, corrupt in bad.items():
        rows[i] = corrupt(rows[i])
        expected[i] = False
    frame = pd.DataFrame(rows, columns=["algorithm", "public_key", "message", "signature"])
    return frame, expected


def test_records_fixture_matches_the_library(records: tuple[pd.DataFrame, np.ndarray]) -> None:
    """The expected column is what the single-process API says for the well-formed rows."""
    frame, expected = records
    for alg, group in frame.groupby("algorithm"):
        if alg not in ("sm2", "secp256k1", "p256"):
            continue
        ok = group["public_key"].map(lambda v: isinstance(v, bytes)).to_numpy()
        g = group[ok]
        args = (list(g.public_key), list(g.message), list(g.signature))
        got = cc.sm2.verify_batch(*args) if alg == "sm2" else cc.ecdsa.verify_batch(str(alg), *args)
        np.testing.assert_array_equal(got, expected[g.index.to_numpy()])


def test_verify_dataframe(client: Any, records: tuple[pd.DataFrame, np.ndarray]) -> None:
    frame, expected = records
    ddf = dd.from_pandas(frame, npartitions=2)
    result = ccd.verify_batch(ddf, partition_size=25)
    assert result.npartitions == 5  # re-split to the requested size
    got = result.compute()
    np.testing.assert_array_equal(got.to_numpy(), expected)
    assert got.index.equals(frame.index)


def test_verify_dataframe_hex_and_auto_size(
    client: Any, records: tuple[pd.DataFrame, np.ndarray]
) -> None:
    frame, expected = records
    as_hex = frame.map(lambda v: v.hex() if isinstance(v, bytes) else v)
    got = ccd.verify_batch(dd.from_pandas(as_hex, npartitions=3)).compute()
    np.testing.assert_array_equal(got.to_numpy(), expected)


def test_verify_bag(client: Any, records: tuple[pd.DataFrame, np.ndarray]) -> None:
    frame, expected = records
    tuples = list(frame.itertuples(index=False, name=None))
    dicts = frame.to_dict("records")
    for items in (tuples, dicts):
        bag = db.from_sequence(items, npartitions=4)
        got = ccd.verify_batch(bag, partition_size=None).compute()
        assert got == expected.tolist()
    junk = db.from_sequence([42, ("sm2",), *tuples[:2]], npartitions=2)
    assert ccd.verify_batch(junk).compute() == [False, False, *expected[:2].tolist()]


def test_verify_arrays_raw(client: Any) -> None:
    sk = cc.sm2.PrivateKey.generate()
    msgs = np.random.default_rng(3).integers(0, 256, (300, 32), dtype=np.uint8)
    sigs = np.array([list(sk.sign(m.tobytes(), encoding="raw")) for m in msgs], dtype=np.uint8)
    sigs[[5, 99]] ^= 1
    pubs = np.tile(np.frombuffer(sk.public_key.to_bytes(), np.uint8), (300, 1))
    want = cc.sm2.verify_batch(pubs, msgs, sigs, encoding="raw")
    assert (~want).sum() == 2
    got = ccd.verify_batch(
        da.from_array(pubs, chunks=128),
        da.from_array(msgs, chunks=50),
        da.from_array(sigs, chunks=300),
        algorithm="sm2",
        partition_size=70,
    )
    assert got.chunks == ((70, 70, 70, 70, 20),)
    np.testing.assert_array_equal(got.compute(), want)


def test_hash_many_collections(client: Any, algorithm: str) -> None:
    rng = np.random.default_rng(5)
    fixed = rng.integers(0, 256, (5000, 80), dtype=np.uint8)
    got = ccd.hash_many(da.from_array(fixed, chunks=700), algorithm, partition_size=1500)
    assert got.chunks == ((1500, 1500, 1500, 500), (32,))
    np.testing.assert_array_equal(got.compute(), cc.hash_many(fixed, algorithm))
    msgs = [bytes(rng.integers(0, 256, int(k), dtype=np.uint8)) for k in rng.integers(0, 300, 500)]
    want = [REFERENCE[algorithm](m) for m in msgs]  # hashlib / OpenSSL, not the library
    assert ccd.hash_many(db.from_sequence(msgs, npartitions=3), algorithm).compute() == want
    series = dd.from_pandas(pd.Series(msgs, name="tx", dtype=object), npartitions=4)
    out = ccd.hash_many(series, algorithm, partition_size=None).compute()
    assert out.tolist() == want and out.name == "tx"


def test_merkle_roots(client: Any) -> None:
    rng = np.random.default_rng(11)
    sizes = rng.integers(1, 60, 40)
    blocks = [cc.hash_many(rng.integers(0, 256, (int(k), 40), dtype=np.uint8)) for k in sizes]
    want = [cc.merkle_root(b) for b in blocks]
    got = ccd.merkle_roots(db.from_sequence(blocks, npartitions=5)).compute()
    assert got == want
    bad = [b"short", *[row.tobytes() for row in blocks[0]]]
    assert ccd.merkle_roots(db.from_sequence([bad, blocks[1]])).compute() == [None, want[1]]

    leaves = pd.DataFrame(
        {
            "block": np.repeat(np.arange(len(blocks)), sizes),
            "pos": np.concatenate([np.arange(k) for k in sizes]),
            "leaf": [row.tobytes() for b in blocks for row in b],
        }
    )
    by_index = dd.from_pandas(leaves.set_index("block"), npartitions=4, sort=True)
    assert by_index.known_divisions
    assert ccd.merkle_roots(by_index).compute().tolist() == want
    shuffled = dd.from_pandas(leaves.sample(frac=1, random_state=1), npartitions=3)
    out = ccd.merkle_roots(shuffled, order="pos").compute().sort_index()
    assert out.tolist() == want
    with pytest.raises(ValueError, match="order"):
        ccd.merkle_roots(shuffled)


def test_partition_size(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # count the calibration tasks sent to the workers (one per worker on a cold cache, none
    # once cached): a timing bound could not tell a second calibration (~0.2 s) from none
    calibrations: list[Any] = []
    submit = client.submit

    def counting_submit(fn: Any, *args: Any, **kwargs: Any) -> Any:
        if fn is sizing._measure_on_worker:
            calibrations.append(kwargs.get("workers"))
        return submit(fn, *args, **kwargs)

    monkeypatch.setattr(client, "submit", counting_submit)
    monkeypatch.setattr(sizing, "_CLIENT_CACHE", {})  # cold, whatever ran before
    size = ccd.partition_size("verify:sm2")
    assert sizing.MIN_PARTITION <= size <= sizing.MAX_PARTITION
    assert len(calibrations) == len(client.scheduler_info()["workers"]) == 2
    assert ccd.partition_size("verify:sm2", target_seconds=2.0) in range(2 * size - 2, 2 * size + 3)
    assert len(calibrations) == 2  # cached: no second calibration
    rates = sizing.worker_rates("verify:sm2", client)
    assert set(rates) == set(client.scheduler_info()["workers"])
    small = ccd.partition_size("hash:sm3", item_bytes=55)
    assert ccd.partition_size("hash:sm3", item_bytes=1000) < small
    with pytest.raises(ValueError, match="op"):
        ccd.partition_size("sign")
    x = da.zeros((50_000, 64), dtype=np.uint8, chunks=1000)
    chunk = ccd.hash_many(x, "sm3").chunks[0][0]
    # the measured size, or less so that each of the 2 worker threads gets 4 partitions
    assert chunk == min(ccd.partition_size("hash:sm3", item_bytes=64), 50_000 // 8)


def test_not_a_dask_collection(client: Any) -> None:
    with pytest.raises(TypeError, match="dask"):
        ccd.verify_batch([1, 2, 3])
    with pytest.raises(ValueError, match="algorithm"):
        ccd.verify_batch(da.zeros((2, 65), dtype=np.uint8), da.zeros((2, 1), dtype=np.uint8),
                         da.zeros((2, 64), dtype=np.uint8))  # fmt: skip
    with pytest.raises(ValueError, match="missing column"):
        ccd.verify_batch(dd.from_pandas(pd.DataFrame({"public_key": [b""]}), npartitions=1))


def test_a_worker_killed_mid_run_loses_nothing() -> None:
    """Kill one of two worker processes while partitions are running; Dask recomputes its
    tasks elsewhere and the result equals the single-process one."""
    unique = 400
    sk = cc.sm2.PrivateKey.generate()
    msgs = np.random.default_rng(9).integers(0, 256, (unique, 32), dtype=np.uint8)
    sigs = np.array([list(sk.sign(m.tobytes(), encoding="raw")) for m in msgs], np.uint8)
    sigs[::37] ^= 0x55
    pubs = np.tile(np.frombuffer(sk.public_key.to_bytes(), np.uint8), (unique, 1))
    want = cc.sm2.verify_batch(pubs, msgs, sigs, encoding="raw")
    reps, rows = 10, 500  # 8 partitions: more than the 2 worker threads
    arrays = [da.from_array(np.tile(a, (reps, 1)), chunks=(rows, -1)) for a in (pubs, msgs, sigs)]
    # Every partition's signatures pass a gate that first says on which worker it runs, then
    # waits for an event set only after the kill: the run cannot finish before the kill (no
    # sleep to guess how long it lasts), and the victim is one that is running a partition.
    tag = os.urandom(8).hex()
    gate, started = f"kill-gate-{tag}", f"kill-started-{tag}"

    def gated(block: np.ndarray) -> np.ndarray:  # nested: pickled by value for the workers
        from distributed import Event, Queue, get_worker

        Queue(started).put(get_worker().address)
        Event(gate).wait()
        return block

    arrays[2] = arrays[2].map_blocks(gated, dtype=np.uint8)
    with _cluster() as cluster, distributed.Client(cluster) as c:
        result = ccd.verify_batch(*arrays, algorithm="sm2", partition_size=rows, client=c)
        before = set(c.scheduler_info()["workers"])
        future = c.compute(result)
        victim = distributed.Queue(started, client=c).get(timeout=60)
        assert victim in before and not future.done()
        pid = c.run(os.getpid, workers=[victim])[victim]
        os.kill(pid, signal.SIGKILL)  # a crash: no goodbye to the scheduler
        distributed.Event(gate, client=c).set()
        got = future.result(timeout=120)
        # the victim's running partition could only finish elsewhere once it was declared dead
        assert victim not in c.scheduler_info()["workers"]
        assert before != set(c.scheduler_info()["workers"])
    np.testing.assert_array_equal(got, np.tile(want, reps))


# -- the audit command ---------------------------------------------------------------------


def _write(frame: pd.DataFrame, path: Path) -> Path:
    if path.suffix == ".csv":
        frame.map(lambda v: v.hex() if isinstance(v, bytes) else v).to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_audit_lists_failures(
    client: Any, records: tuple[pd.DataFrame, np.ndarray], tmp_path: Path, suffix: str
) -> None:
    frame, expected = records
    frame = frame.assign(public_key=frame.public_key.map(lambda v: v if v is not None else ""))
    src = _write(frame, tmp_path / f"records{suffix}")
    out = tmp_path / "failures.txt"
    status = main(
        ["audit", str(src), "--scheduler", client.scheduler.address, "-o", str(out),
         "--no-progress"]
    )  # fmt: skip
    assert status == 1
    assert [int(x) for x in out.read_text().split()] == np.flatnonzero(~expected).tolist()

    good = _write(frame[expected], tmp_path / f"good{suffix}")
    assert main(["audit", str(good), "--scheduler", client.scheduler.address,
                 "-o", str(out), "--no-progress"]) == 0  # fmt: skip
    assert out.read_text() == ""


def test_audit_digest_column_on_a_local_cluster(tmp_path: Path, capsys: Any) -> None:
    """``digest`` instead of ``message`` (prehashed); no --scheduler: its own local cluster."""
    key = cc.ecdsa.PrivateKey.generate("p256")
    digests = [hashlib.sha256(b"%d" % i).digest() for i in range(30)]
    frame = pd.DataFrame(
        {
            "public_key": [key.public_key.to_bytes()] * 30,
            "digest": digests,
            "signature": [key.sign(d, prehashed=True) for d in digests],
        }
    )
    frame.loc[4, "digest"] = b"\x00" * 32
    src = _write(frame, tmp_path / "digests.parquet")
    status = main(["audit", str(src), "--algorithm", "p256", "--workers", "1", "--no-progress"])
    captured = capsys.readouterr()
    assert status == 1
    assert captured.out.split() == ["4"]
    assert "30 records, 1 failed" in captured.err


def test_audit_usage_errors(
    client: Any, tmp_path: Path, capsys: Any, records: tuple[pd.DataFrame, np.ndarray]
) -> None:
    address = client.scheduler.address
    bad_name = tmp_path / "records.json"
    bad_name.write_text("{}")
    no_cols = _write(records[0].drop(columns=["signature"]), tmp_path / "nosig.csv")
    for argv in (
        ["audit", str(tmp_path / "missing.csv"), "--scheduler", address],
        ["audit", str(bad_name), "--scheduler", address],
        ["audit", str(no_cols), "--scheduler", address],
        ["audit", str(no_cols), "--workers", "0"],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith("chaincrypto: error:") and err.count("\n") == 1, err
