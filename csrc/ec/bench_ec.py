#!/usr/bin/env python3
"""Single-thread throughput of the EC batch entry points next to peers, same run.
Usage: PYTHONPATH=src python csrc/ec/bench_ec.py [n]"""
import os
import subprocess
import sys
import time

from chaincrypto._cpu import ffi, lib

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000


def rate(fn, items):
    best = 0.0
    for _ in range(3):
        t = time.perf_counter()
        fn()
        best = max(best, items / (time.perf_counter() - t))
    return best


def ours(curve):
    sks = b"".join(os.urandom(31).rjust(32, b"\0") for _ in range(n))
    es = os.urandom(32 * n)
    pub, ok = ffi.new("uint8_t[]", 64 * n), ffi.new("uint8_t[]", n)
    r, s, rid = ffi.new("uint8_t[]", 32 * n), ffi.new("uint8_t[]", 32 * n), ffi.new("uint8_t[]", n)
    lib.cc_ec_pubkey_create_batch(curve, sks, n, pub, ok)
    if curve == lib.CC_CURVE_SM2:
        sign = lambda: lib.cc_sm2_sign_batch(sks, es, ffi.NULL, n, r, s, ok)
        verify = lambda: lib.cc_sm2_verify_batch(pub, es, r, s, n, ok)
    else:
        sign = lambda: lib.cc_ecdsa_sign_batch(curve, sks, es, ffi.NULL, n, r, s, rid, ok)
        verify = lambda: lib.cc_ecdsa_verify_batch(curve, pub, es, r, s, n, 0, ok)
    kg = rate(lambda: lib.cc_ec_pubkey_create_batch(curve, sks, n, pub, ok), n)
    sg = rate(sign, n)
    vf = rate(verify, n)
    assert all(ok[i] for i in range(n))
    # each build of the curve code this CPU runs (the calls above take the last); signing into
    # scratch outputs, so that verification keeps checking the signatures made above
    r2, s2 = ffi.new("uint8_t[]", 32 * n), ffi.new("uint8_t[]", 32 * n)
    pub2 = ffi.new("uint8_t[]", 64 * n)
    paths = {}
    for name in ("base", "adx", "ifma"):
        path = getattr(lib, "CC_EC_PATH_" + name.upper())
        if not (lib.cc_ec_paths() >> path) & 1:
            continue
        ops = {
            "keygen": lambda: lib.cc_ec_pubkey_create_path_batch(curve, path, sks, n, pub2, ok),
            "sign": lambda: lib.cc_ec_sign_path_batch(
                curve, path, sks, es, ffi.NULL, n, r2, s2, rid, ok
            ),
            "verify": lambda: lib.cc_ec_verify_path_batch(curve, path, pub, es, r, s, n, 0, ok),
        }
        paths[name] = {}
        for op, fn in ops.items():
            paths[name][op] = rate(fn, n)
            assert all(ok[i] for i in range(n))
    return kg, sg, vf, paths


names = {lib.CC_CURVE_SM2: "sm2", lib.CC_CURVE_SECP256K1: "secp256k1", lib.CC_CURVE_P256: "p256"}
for c in (lib.CC_CURVE_SM2, lib.CC_CURVE_SECP256K1, lib.CC_CURVE_P256):
    kg, sg, vf, paths = ours(c)
    print(f"chaincrypto {names[c]:10s} keygen {kg:9.0f}/s  sign {sg:9.0f}/s  verify {vf:9.0f}/s")
    for name, rates in paths.items():
        by_op = "  ".join(f"{op} {v:9.0f}/s" for op, v in rates.items())
        print(f"  build {name:5s}  {by_op}")

try:
    import coincurve
    m = min(n, 2000)
    keys = [coincurve.PrivateKey() for _ in range(m)]
    msgs = [os.urandom(32) for _ in range(m)]
    sigs = [k.sign(e, hasher=None) for k, e in zip(keys, msgs)]
    pubs = [k.public_key for k in keys]
    sg = rate(lambda: [k.sign(e, hasher=None) for k, e in zip(keys, msgs)], m)
    vf = rate(lambda: [p.verify(sg_, e, hasher=None) for p, sg_, e in zip(pubs, sigs, msgs)], m)
    print(f"coincurve   secp256k1  sign {sg:9.0f}/s  verify {vf:9.0f}/s  (incl. Python per-call overhead)")
except ImportError:
    pass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils
m = min(n, 2000)
alg = ec.ECDSA(utils.Prehashed(hashes.SHA256()))
key = ec.generate_private_key(ec.SECP256R1())
pk = key.public_key()
msgs = [os.urandom(32) for _ in range(m)]
sigs = [key.sign(e, alg) for e in msgs]
sg = rate(lambda: [key.sign(e, alg) for e in msgs], m)
vf = rate(lambda: [pk.verify(s_, e, alg) for s_, e in zip(sigs, msgs)], m)
print(f"cryptography p256      sign {sg:9.0f}/s  verify {vf:9.0f}/s  (incl. Python per-call overhead)")
if "--openssl" in sys.argv:
    out = subprocess.run(["openssl", "speed", "-seconds", "2", "-elapsed", "ecdsap256", "sm2"],
                         capture_output=True, text=True).stdout
    print("\n".join(l for l in out.splitlines() if "sign" in l or "256" in l or "SM2" in l or "sm2" in l))
