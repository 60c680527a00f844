"""What ``chaincrypto bench`` times: one factory per operation, registered with its batch sizes.

A factory gets (batch size, backend, threads) and returns a :class:`Work`; the inputs are made
before timing starts, so only the operation itself is timed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..hashing import hash_many


@dataclass(frozen=True)
class Work:
    """One thing to time: ``run()`` processes ``items`` items of ``item_bytes`` bytes each."""

    run: Callable[[], object]
    items: int
    item_bytes: int


Factory = Callable[[int, str, int | None], Work]


@dataclass(frozen=True)
class Entry:
    """A benchmarked operation: how to make its work, its batch sizes, and the backend entry
    point it exercises (a backend without that entry point is skipped)."""

    factory: Factory
    quick: tuple[int, ...]
    full: tuple[int, ...]
    backend_op: str


REGISTRY: dict[str, Entry] = {}


def register(
    op: str, quick: tuple[int, ...], full: tuple[int, ...], backend_op: str
) -> Callable[[Factory], Factory]:
    """Declare a benchmarked operation, its batch sizes for ``--quick`` and full runs, and the
    backend entry point it times."""

    def wrap(factory: Factory) -> Factory:
        REGISTRY[op] = Entry(factory, quick, full, backend_op)
        return factory

    return wrap


def _rng() -> np.random.Generator:
    return np.random.default_rng(2026)


def _hash_factory(algorithm: str, length: int) -> Factory:
    def make(size: int, backend: str, threads: int | None) -> Work:
        msgs = _rng().integers(0, 256, (size, length), dtype=np.uint8)
        return Work(
            lambda: hash_many(msgs, algorithm, backend=backend, threads=threads), size, length
        )

    return make


for _alg in ("sm3", "sha256"):
    register(f"{_alg}-64B", (1 << 16,), (1 << 10, 1 << 14, 1 << 18), "hash_many")(
        _hash_factory(_alg, 64)
    )
    # batch 1 is the single-stream case (what OpenSSL's 16 KiB rate is compared with)
    register(f"{_alg}-1MiB", (1,), (1, 8, 64), "hash_many")(_hash_factory(_alg, 1 << 20))


def _merkle_factory(scheme: str, algorithm: str) -> Factory:
    def make(size: int, backend: str, threads: int | None) -> Work:
        from ..merkle import merkle_root

        leaves = _rng().integers(0, 256, (size, 32), dtype=np.uint8)
        return Work(
            lambda: merkle_root(
                leaves, hash=algorithm, scheme=scheme, backend=backend, threads=threads
            ),
            size,
            32,
        )

    return make


register("merkle-chainmaker-sm3", (1 << 16,), (1 << 10, 1 << 16, 1 << 20), "merkle_root")(
    _merkle_factory("chainmaker", "sm3")
)
register("merkle-bitcoin", (1 << 16,), (1 << 16, 1 << 20), "merkle_root")(
    _merkle_factory("bitcoin", "sha256")
)

#: Signature operations: one distinct key per item (as in a block of transactions), 32-byte
#: messages hashed by the operation itself (SM3 with Z_A for SM2, SHA-256 for ECDSA).
SIGNATURE_ALGORITHMS = ("sm2", "secp256k1", "p256")


def _signature_inputs(
    algorithm: str, size: int
) -> tuple[list[bytes], list[bytes], list[bytes], list[bytes]]:
    from .. import ecdsa, sm2

    rng = _rng()
    msgs = [bytes(m) for m in rng.integers(0, 256, (size, 32), dtype=np.uint8)]
    if algorithm == "sm2":
        keys = [sm2.PrivateKey.generate() for _ in range(size)]
        sigs = sm2.sign_batch([k.to_bytes() for k in keys], msgs)
    else:
        keys = [ecdsa.PrivateKey.generate(algorithm) for _ in range(size)]
        sigs = ecdsa.sign_batch(algorithm, [k.to_bytes() for k in keys], msgs)
    secrets = [k.to_bytes() for k in keys]
    pubs = [k.public_key.to_bytes() for k in keys]
    return secrets, pubs, msgs, list(sigs)


def _verify_factory(algorithm: str) -> Factory:
    def make(size: int, backend: str, threads: int | None) -> Work:
        from .. import ecdsa, sm2

        _, pubs, msgs, sigs = _signature_inputs(algorithm, size)
        if algorithm == "sm2":
            return Work(
                lambda: sm2.verify_batch(pubs, msgs, sigs, backend=backend, threads=threads),
                size,
                0,
            )
        return Work(
            lambda: ecdsa.verify_batch(
                algorithm, pubs, msgs, sigs, backend=backend, threads=threads
            ),
            size,
            0,
        )

    return make


def _sign_factory(algorithm: str) -> Factory:
    def make(size: int, backend: str, threads: int | None) -> Work:
        from .. import ecdsa, sm2

        secrets, _, msgs, _ = _signature_inputs(algorithm, size)
        # A node signs with key objects loaded once (they carry their public keys, which SM2's
        # Z_A needs); raw 32-byte secrets would add a public-key derivation per item.
        keys: list[object] = [
            sm2.PrivateKey.from_bytes(k)
            if algorithm == "sm2"
            else ecdsa.PrivateKey.from_bytes(k, curve=algorithm)
            for k in secrets
        ]
        if algorithm == "sm2":
            return Work(
                lambda: sm2.sign_batch(keys, msgs, backend=backend, threads=threads), size, 0
            )
        return Work(
            lambda: ecdsa.sign_batch(algorithm, keys, msgs, backend=backend, threads=threads),
            size,
            0,
        )

    return make


def _recover_factory(curve: str) -> Factory:
    def make(size: int, backend: str, threads: int | None) -> Work:
        from .. import ecdsa

        secrets, _, msgs, _ = _signature_inputs(curve, size)
        sigs = ecdsa.sign_batch(curve, secrets, msgs, recoverable=True)
        return Work(
            lambda: ecdsa.recover_batch(curve, msgs, sigs, backend=backend, threads=threads),
            size,
            0,
        )

    return make


_SIZES = (2048,), (256, 4096, 65536)
for _alg in SIGNATURE_ALGORITHMS:
    _verify_op = "sm2_verify" if _alg == "sm2" else "ecdsa_verify"
    _sign_op = "sm2_sign" if _alg == "sm2" else "ecdsa_sign"
    register(f"{_alg}-verify", *_SIZES, _verify_op)(_verify_factory(_alg))
    register(f"{_alg}-sign", *_SIZES, _sign_op)(_sign_factory(_alg))
#: Public-key recovery (Ethereum-style nodes recover every transaction's sender); SM2 has none.
for _alg in ("secp256k1", "p256"):
    register(f"{_alg}-recover", *_SIZES, "ecdsa_recover")(_recover_factory(_alg))
