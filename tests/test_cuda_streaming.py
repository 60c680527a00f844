"""Chunked, two-stream batches (chaincrypto.cuda.streaming) under the CUDA simulator: every row
is staged, processed and stored once, in its place, for batch sizes around the chunk size; and
the SM2/ECDSA ops give the C backend's results when their batches are streamed in chunks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

pytest.importorskip("numba")
pytest.importorskip("numba.cuda")

from cuda_support import run_simulated, simulated

from chaincrypto import backends
from chaincrypto._inputs import as_items


def test_simulator_run() -> None:
    run_simulated(__file__)


@simulated
@pytest.mark.parametrize("n", [0, 1, 4, 5, 11, 12, 13])
def test_every_row_once_in_its_place(n: int) -> None:
    from chaincrypto.cuda import streaming as st

    rng = np.random.default_rng(n)
    rows = rng.integers(0, 256, (n, 32), dtype=np.uint8)
    flags = rng.integers(0, 256, n, dtype=np.uint8)
    got_rows, got_flags = np.zeros_like(rows), np.zeros_like(flags)
    seen: list[int] = []

    def launch(d_in: Any, d_out: Any, m: int, stream: Any) -> None:
        # the "kernel": limbs through unchanged, each flag plus one (first m rows only)
        seen.append(m)
        limbs, byte = d_in[0].copy_to_host(), d_in[1].copy_to_host()
        out = d_out[0].copy_to_host()
        out[:, :m] = limbs[:, :m]
        d_out[0].copy_to_device(out)
        d_out[1][:m].copy_to_device((byte[:m] + 1).astype(np.uint8))

    st.run(
        n,
        [st.limbs_in(rows), st.rows_in(flags)],
        [st.limbs_out(got_rows), st.rows_out(got_flags)],
        launch,
        chunk_rows=4,
    )
    assert np.array_equal(got_rows, rows)
    assert np.array_equal(got_flags, (flags + 1).astype(np.uint8))
    assert seen == [min(4, n - a) for a in range(0, n, 4)]


@simulated
def test_a_failing_chunk_wipes_the_secrets_and_raises() -> None:
    from chaincrypto.cuda import streaming as st

    keys = np.random.default_rng(1).integers(1, 256, (10, 32), dtype=np.uint8)
    out = np.zeros(10, np.uint8)
    seen: list[Any] = []

    def launch(d_in: Any, d_out: Any, m: int, stream: Any) -> None:
        seen.append(d_in[0])
        if len(seen) == 2:
            raise RuntimeError("launch failed")

    with pytest.raises(RuntimeError, match="launch failed"):
        st.run(10, [st.limbs_in(keys, secret=True)], [st.rows_out(out)], launch, chunk_rows=4)
    assert len(seen) == 2 and seen[0] is not seen[1]  # both slots' device buffers
    for dev in seen:
        assert not dev.copy_to_host().any()


def _cpu(op: str) -> Any:
    return backends.load("cpu")[0].op(op)  # type: ignore[union-attr]


@simulated
@pytest.mark.parametrize("hedged", [False, True])
@pytest.mark.parametrize("curve", [0, 1])
def test_streamed_signature_ops_equal_c(
    curve: int, hedged: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five rows in chunks of two (two streams, a short last chunk), an invalid key included,
    with and without RFC 6979 extra data."""
    from chaincrypto.cuda import ec_ops, streaming

    monkeypatch.setattr(streaming, "CHUNK_ROWS", 2)
    rng = np.random.default_rng(40 + curve)
    sk = rng.integers(0, 256, (5, 32), dtype=np.uint8)
    sk[:, 0] &= 0x7F
    sk[3] = 0  # an invalid key in its slot
    e = rng.integers(0, 256, (5, 32), dtype=np.uint8)
    extra = rng.integers(0, 256, (5, 32), dtype=np.uint8) if hedged else None
    pub, ok = ec_ops.pubkey_create(curve, sk)
    want_pub, want_ok = _cpu("ec_pubkey_create")(curve, sk)
    assert np.array_equal(pub, want_pub) and np.array_equal(ok, want_ok)
    if curve == 0:
        got, want = ec_ops.sm2_sign(sk, e, extra), _cpu("sm2_sign")(sk, e, extra)
    else:
        got = ec_ops.ecdsa_sign(curve, sk, e, extra)
        want = _cpu("ecdsa_sign")(curve, sk, e, extra)
    for a, b in zip(got, want, strict=True):
        assert np.array_equal(a, b)
    r, s = want[0].copy(), want[1].copy()
    s[1, 31] ^= 1
    if curve == 0:
        verified = ec_ops.sm2_verify(want_pub, e, r, s)
    else:
        verified = ec_ops.ecdsa_verify(curve, want_pub, e, r, s, 0)
        keys, rec_ok = ec_ops.ecdsa_recover(curve, e, want[0], want[1], want[2])
        want_keys, want_rec_ok = _cpu("ecdsa_recover")(curve, e, want[0], want[1], want[2])
        assert np.array_equal(keys, want_keys) and np.array_equal(rec_ok, want_rec_ok)
    assert verified.tolist() == [True, False, True, False, True]


@simulated
@pytest.mark.parametrize("algorithm", ["sm3", "sha256"])
def test_streamed_hashing_equals_c(algorithm: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from chaincrypto.cuda import hashing, streaming

    monkeypatch.setattr(streaming, "CHUNK_ROWS", 3)
    msgs = np.random.default_rng(7).integers(0, 256, (10, 64), dtype=np.uint8)
    want = _cpu("hash_many")(algorithm, as_items(msgs, "messages"))
    assert np.array_equal(hashing.hash_items(algorithm, msgs), want)
