"""Speed of the C hashing paths against OpenSSL's, measured in the same run on one core.

Plain script (not a test):  PYTHONPATH=src python benches/hash_c_speed.py [--quick]

Rows: batches of 64-byte messages through cc_hash_batch_fixed and cc_hash_batch (offsets),
every path this CPU has plus AUTO, in millions of hashes per second; a batch of mixed lengths
(0..255 bytes) through the offsets form; one 1 MiB message single-stream (cc_hash, AUTO, and
forced paths through a batch of one) in MB/s. OpenSSL's `openssl speed -evp ALG -bytes N` runs
in turns with them (chaincrypto.bench.Race) and the ratios are ours / OpenSSL's.
"""

from __future__ import annotations

import os
import random
import sys

from chaincrypto._cpu import ffi, lib

from chaincrypto.backends.cpu.hashing import ALGORITHMS, PATHS
from chaincrypto.bench import Contender, Race
from chaincrypto.bench.peers import ROUND_S, openssl_hash
from chaincrypto.bench.timing import timed

ALGS = ALGORITHMS
QUICK = "--quick" in sys.argv
MIN_TIME = 0.05 if QUICK else ROUND_S  # as long as an `openssl speed` round
ROUNDS = 1 if QUICK else 3


def pin_one_core() -> str:
    try:
        cpu = sorted(os.sched_getaffinity(0))[-1]
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):
        return "not pinned"


def main() -> None:
    note = pin_one_core()  # openssl inherits the affinity
    n, msg_len = 16384, 64
    data = os.urandom(n * msg_len)
    buf = ffi.from_buffer(data)
    offsets = ffi.new("uint64_t[]", [i * msg_len for i in range(n + 1)])
    out = ffi.new("uint8_t[]", 32 * n)
    big = os.urandom(1 << 20)
    bigbuf = ffi.from_buffer(big)
    big_off = ffi.new("uint64_t[]", [0, len(big)])
    out1 = ffi.new("uint8_t[32]")
    # Mixed lengths (0..255 bytes, like transactions) through the offsets form.
    rng = random.Random(7)
    mixed_lens = [rng.randrange(256) for _ in range(n)]
    mixed_offs = [0]
    for k in mixed_lens:
        mixed_offs.append(mixed_offs[-1] + k)
    mixed = os.urandom(mixed_offs[-1])
    mixed_buf = ffi.from_buffer(mixed)
    mixed_off = ffi.new("uint64_t[]", mixed_offs)
    print(f"chaincrypto C hashing vs OpenSSL ({note}); cpu features {lib.cc_cpu_features():#x}")

    for name, alg in ALGS.items():
        paths = lib.cc_hash_paths(alg)
        rows = {pn: p for pn, p in PATHS.items() if p == lib.CC_PATH_AUTO or (paths >> p) & 1}
        contenders = []
        for key, nbytes in (("64", 64), ("16k", 16384)):
            peer = openssl_hash(name, nbytes)
            if peer is not None:
                contenders.append(Contender(f"ossl {key}", peer.sample))
        for pname, path in rows.items():

            def fixed(alg=alg, path=path):
                assert lib.cc_hash_batch_fixed(alg, path, buf, n, msg_len, out) == 0

            def var(alg=alg, path=path):
                assert lib.cc_hash_batch(alg, path, buf, offsets, n, out) == 0

            def mix(alg=alg, path=path):
                assert lib.cc_hash_batch(alg, path, mixed_buf, mixed_off, n, out) == 0

            if path == lib.CC_PATH_AUTO:

                def one(alg=alg):
                    assert lib.cc_hash(alg, bigbuf, len(big), out1) == 0
            else:

                def one(alg=alg, path=path):
                    assert lib.cc_hash_batch(alg, path, bigbuf, big_off, 1, out1) == 0

            for kind, fn, units in (
                ("fixed", fixed, n),
                ("var", var, n),
                ("mixed", mix, n),
                ("1m", one, len(big)),
            ):
                contenders.append(Contender(f"{pname} {kind}", timed(fn, units, MIN_TIME)))
        # The machine is shared: OpenSSL and our rows take turns ROUNDS times, best of each kept.
        race = Race(contenders).run(0.0, ROUNDS)
        best = {tuple(c.split(" ")): race.best(c) for c in race.contenders}

        ossl64_h = best.get(("ossl", "64"))  # hashes/s
        ossl16k = best.get(("ossl", "16k"), 0.0) * 16384  # bytes/s
        print(
            f"\n{name}: OpenSSL {ossl64_h / 1e6 if ossl64_h else float('nan'):.2f} M hashes/s "
            f"(64 B), {ossl16k / 1e6 if ossl16k else float('nan'):.0f} MB/s (16 KiB)"
        )
        print(
            f"  {'path':9s} {'fixed M/s':>10s} {'x ossl':>7s} {'offsets M/s':>12s} {'x ossl':>7s}"
            f" {'1 MiB MB/s':>11s} {'x ossl':>7s} {'mixed M/s':>10s}"
        )

        def ratio(x, ref):
            return f"{x / ref:7.2f}" if ref else "    n/a"

        for pname in rows:
            rf, rv = best[(pname, "fixed")], best[(pname, "var")]
            rm, r1 = best[(pname, "mixed")], best[(pname, "1m")]
            print(
                f"  {pname:9s} {rf / 1e6:10.2f} {ratio(rf, ossl64_h)} {rv / 1e6:12.2f} "
                f"{ratio(rv, ossl64_h)} {r1 / 1e6:11.0f} {ratio(r1, ossl16k)} {rm / 1e6:10.2f}"
            )
    print("\nmixed: offsets form, 16384 messages of 0..255 random bytes (no OpenSSL peer)")
    print(
        "1 MiB: auto is cc_hash (single stream); a forced path runs its multi-buffer kernel "
        "on a batch of one, idle lanes included"
    )
    print(
        "targets: sm3 64 B batch >= 3x OpenSSL, sha256 64 B batch >= 1.5x OpenSSL, "
        "sm3 1 MiB single-stream >= 1x OpenSSL 16 KiB"
    )


if __name__ == "__main__":
    main()
