/* libFuzzer target for the C entry points that take bytes from the network: strict DER
 * signatures, SEC1 / raw public keys, single and batch verification, public key recovery and
 * hashing. Beyond "no crash, no sanitizer report", each input is held to properties that need no
 * oracle: a DER signature that parses encodes back to the same bytes; a key that parses passes
 * the point check and parses again from its other encodings; a batch answers each item as a
 * call on it alone does; verification refuses every key the point check refuses; a key that
 * recovery returns verifies the signature it came from; every way of hashing agrees.
 *
 * .ci/fuzz builds it with clang (-fsanitize=fuzzer,address,undefined) beside the library's
 * sources and runs it for a while.
 *
 * The first input byte picks the curve (mod 3) and the check (div 3, mod 6). */
#include <string.h>

#include "chaincrypto.h"

#define REQUIRE(cond)                                                                          \
    do {                                                                                       \
        if (!(cond))                                                                           \
            __builtin_trap();                                                                  \
    } while (0)

static int all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= p[i];
    return acc == 0;
}

/* Whether data (one item) parses as a public key of curve; X || Y to xy. */
static int parse_one(int curve, const uint8_t *data, size_t size, uint8_t xy[64])
{
    uint64_t off[2] = {0, size};
    uint8_t ok = 2;
    REQUIRE(cc_ec_pubkey_parse_batch(curve, data, off, 1, xy, &ok) == CC_OK);
    REQUIRE(ok == 0 || ok == 1);
    REQUIRE(ok || all_zero(xy, 64));
    return ok;
}

static int point_ok(int curve, const uint8_t xy[64])
{
    uint8_t ok = 2;
    REQUIRE(cc_ec_pubkey_check_batch(curve, xy, 1, &ok) == CC_OK);
    return ok == 1;
}

static void check_der(int curve, const uint8_t *data, size_t size)
{
    (void)curve;
    uint64_t off[2] = {0, size};
    uint8_t r[32], s[32], ok = 2, enc[72], len = 0;
    REQUIRE(cc_der_sig_parse_batch(data, off, 1, r, s, &ok) == CC_OK);
    if (ok != 1) {
        REQUIRE(ok == 0 && all_zero(r, 32) && all_zero(s, 32));
        return;
    }
    REQUIRE(cc_der_sig_encode_batch(r, s, 1, enc, &len) == CC_OK);
    REQUIRE(len == size && memcmp(enc, data, size) == 0);
}

static void check_pubkey(int curve, const uint8_t *data, size_t size)
{
    uint8_t xy[64], again[64], sec1[65];
    if (!parse_one(curve, data, size, xy)) {
        if (size == 64)
            REQUIRE(!point_ok(curve, data));
        return;
    }
    REQUIRE(point_ok(curve, xy));
    sec1[0] = 4;
    memcpy(sec1 + 1, xy, 64);
    REQUIRE(parse_one(curve, sec1, 65, again) && memcmp(again, xy, 64) == 0);
    sec1[0] = (uint8_t)(2 | (xy[63] & 1)); /* compressed: the first 33 bytes */
    REQUIRE(parse_one(curve, sec1, 33, again) && memcmp(again, xy, 64) == 0);
    REQUIRE(parse_one(curve, xy, 64, again) && memcmp(again, xy, 64) == 0);
}

/* Up to 8 items cut from the input by its first bytes: each batch answers as single calls. */
static void check_batch(int curve, const uint8_t *data, size_t size)
{
    enum { MAX = 8 };
    if (size < 1)
        return;
    size_t n = (size_t)(data[0] % MAX) + 1, at = 1 + n;
    if (size < at)
        return;
    uint64_t off[MAX + 1];
    off[0] = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = data[1 + i] % 80;
        off[i + 1] = off[i] + (at + off[i] + len <= size ? len : 0);
    }
    const uint8_t *items = data + at;
    uint8_t xy[MAX][64], ok[MAX], r[MAX][32], s[MAX][32], dok[MAX];
    REQUIRE(cc_ec_pubkey_parse_batch(curve, items, off, n, xy[0], ok) == CC_OK);
    REQUIRE(cc_der_sig_parse_batch(items, off, n, r[0], s[0], dok) == CC_OK);
    for (size_t i = 0; i < n; i++) {
        uint8_t one[64], r1[32], s1[32], ok1 = 2;
        uint64_t o1[2] = {0, off[i + 1] - off[i]};
        REQUIRE(parse_one(curve, items + off[i], o1[1], one) == ok[i]);
        REQUIRE(memcmp(one, xy[i], 64) == 0);
        REQUIRE(cc_der_sig_parse_batch(items + off[i], o1, 1, r1, s1, &ok1) == CC_OK);
        REQUIRE(ok1 == dok[i] && memcmp(r1, r[i], 32) == 0 && memcmp(s1, s[i], 32) == 0);
    }
}

/* pub (64) || e (32) || flags (1) || signature: OK or INVALID, INVALID for a refused key, and
 * the batch entry agrees on r || s signatures. */
static void check_verify(int curve, const uint8_t *data, size_t size)
{
    if (size < 97)
        return;
    const uint8_t *pub = data, *e = data + 64, *sig = data + 97;
    const int flags = data[96] & (CC_VERIFY_LOW_S | CC_VERIFY_DER);
    const size_t sig_len = size - 97;
    const int rc = cc_ec_verify(curve, pub, e, sig, sig_len, flags);
    REQUIRE(rc == CC_OK || rc == CC_ERR_INVALID);
    if (!point_ok(curve, pub))
        REQUIRE(rc == CC_ERR_INVALID);
    if (!(flags & CC_VERIFY_DER) && sig_len == 64) {
        uint8_t ok = 2;
        REQUIRE(cc_ec_verify_path_batch(curve, CC_EC_PATH_AUTO, pub, e, sig, sig + 32, 1,
                                        flags, &ok) == CC_OK);
        REQUIRE(ok == (rc == CC_OK));
    }
}

/* e (32) || r || s || recid (65) on the ECDSA curves: a recovered key is a valid point that
 * verifies the signature, the batch entry agrees, and SM2 has no recovery. */
static void check_recover(int curve, const uint8_t *data, size_t size)
{
    if (size < 97)
        return;
    const uint8_t *e = data, *sig = data + 32;
    uint8_t pub[64], bpub[64], ok = 2;
    const int rc = cc_ec_recover(curve, e, sig, pub);
    if (curve == CC_CURVE_SM2) {
        REQUIRE(rc == CC_ERR_ARG);
        return;
    }
    REQUIRE(rc == CC_OK || rc == CC_ERR_INVALID);
    REQUIRE(cc_ecdsa_recover_batch(curve, e, sig, sig + 32, sig + 64, 1, bpub, &ok) == CC_OK);
    REQUIRE(ok == (rc == CC_OK));
    if (rc != CC_OK)
        return;
    REQUIRE(memcmp(pub, bpub, 64) == 0);
    REQUIRE(point_ok(curve, pub));
    REQUIRE(cc_ec_verify(curve, pub, e, sig, 64, 0) == CC_OK);
}

/* One shot, in two pieces split by the first byte, and as a batch of one on each path. */
static void check_hash(int curve, const uint8_t *data, size_t size)
{
    const int alg = curve == CC_CURVE_SM2 ? CC_HASH_SM3 : CC_HASH_SHA256;
    uint8_t one[32], inc[32], batch[32];
    REQUIRE(cc_hash(alg, data, size, one) == CC_OK);
    cc_hash_ctx ctx;
    const size_t cut = size ? data[0] % (size + 1) : 0;
    REQUIRE(cc_hash_init(&ctx, alg) == CC_OK);
    REQUIRE(cc_hash_update(&ctx, data, cut) == CC_OK);
    REQUIRE(cc_hash_update(&ctx, data + cut, size - cut) == CC_OK);
    REQUIRE(cc_hash_final(&ctx, inc) == CC_OK && memcmp(one, inc, 32) == 0);
    const uint64_t off[2] = {0, size};
    const uint32_t paths = cc_hash_paths(alg);
    for (int path = CC_PATH_AUTO; path <= CC_PATH_SHANI; path++) {
        if (path != CC_PATH_AUTO && !(paths >> path & 1))
            continue;
        REQUIRE(cc_hash_batch(alg, path, data, off, 1, batch) == CC_OK);
        REQUIRE(memcmp(one, batch, 32) == 0);
    }
}

typedef void check_fn(int curve, const uint8_t *data, size_t size);
static check_fn *const checks[] = {check_der,    check_pubkey,  check_batch,
                                   check_verify, check_recover, check_hash};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 1)
        checks[data[0] / 3 % 6](data[0] % 3, data + 1, size - 1);
    return 0;
}
