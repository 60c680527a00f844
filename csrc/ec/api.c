/* Batch entry points of cc_ec.h: argument checks and the loop over items. Reentrant. */
#include "common.h"
#include "ec_int.h"
#include "ec_internal.h"

#include "include/cc_cpu.h"

/* The curve's operations; the BMI2/ADX (+ AVX2 comb scan) instantiation where the CPU has all
 * three (cc_cpu_features caches cpuid). -DCC_EC_NO_ADX forces the baseline, to test it on ADX
 * CPUs. */
static const ec_curve *curve_get(int curve)
{
    int adx = 0;
#if defined(__x86_64__) && !defined(CC_EC_NO_ADX)
    const uint32_t want = CC_CPU_BMI2 | CC_CPU_ADX | CC_CPU_AVX2;
    adx = (cc_cpu_features() & want) == want;
#endif
    switch (curve) {
    case CC_CURVE_SM2: return adx ? &cc_ec_curve_sm2_adx : &cc_ec_curve_sm2;
    case CC_CURVE_SECP256K1: return adx ? &cc_ec_curve_secp256k1_adx : &cc_ec_curve_secp256k1;
    case CC_CURVE_P256: return adx ? &cc_ec_curve_p256_adx : &cc_ec_curve_p256;
    default: return NULL;
    }
}

int cc_ec_seckey_check(int curve, const uint8_t sk[32])
{
    const ec_curve *c = curve_get(curve);
    if (!c || !sk)
        return CC_ERR_ARG;
    int v = c->seckey_check(sk, curve == CC_CURVE_SM2);
    CC_DECLASSIFY(&v, sizeof v);
    return v ? CC_OK : CC_ERR_INVALID;
}

int cc_ec_pubkey_create_batch(int curve, const uint8_t *sk, size_t n, uint8_t *pub, uint8_t *ok)
{
    const ec_curve *c = curve_get(curve);
    if (!c || (n && (!sk || !pub || !ok)))
        return CC_ERR_ARG;
    c->pubkey_create(sk, n, pub, ok);
    for (size_t i = 0; i < n; i++) {
        int v = c->seckey_check(sk + 32 * i, curve == CC_CURVE_SM2) & ok[i];
        CC_DECLASSIFY(&v, sizeof v);
        if (!v)
            memset(pub + 64 * i, 0, 64);
        ok[i] = (uint8_t)v;
    }
    return CC_OK;
}

int cc_ec_pubkey_parse_batch(int curve, const uint8_t *data, const uint64_t *offsets, size_t n,
                             uint8_t *pub, uint8_t *ok)
{
    const ec_curve *c = curve_get(curve);
    if (!c || (n && (!offsets || !pub || !ok)))
        return CC_ERR_ARG;
    for (size_t i = 0; i < n; i++)
        if (offsets[i + 1] < offsets[i])
            return CC_ERR_ARG;
    if (n && !data && offsets[n] != offsets[0])
        return CC_ERR_ARG;
    for (size_t i = 0; i < n; i++)
        ok[i] = (uint8_t)c->pubkey_parse(data + offsets[i], (size_t)(offsets[i + 1] - offsets[i]),
                                         pub + 64 * i);
    return CC_OK;
}

int cc_ec_pubkey_check_batch(int curve, const uint8_t *pub, size_t n, uint8_t *ok)
{
    const ec_curve *c = curve_get(curve);
    if (!c || (n && (!pub || !ok)))
        return CC_ERR_ARG;
    for (size_t i = 0; i < n; i++)
        ok[i] = (uint8_t)c->pubkey_check(pub + 64 * i);
    return CC_OK;
}

int cc_sm2_za(const uint8_t pub[64], const uint8_t *uid, size_t uid_len, uint8_t out[32])
{
    const ec_curve *c = &cc_ec_curve_sm2; /* constants only */
    if (!pub || !out || uid_len > 8191 || (uid_len && !uid))
        return CC_ERR_ARG;
    uint8_t entl[2] = {(uint8_t)((uid_len * 8) >> 8), (uint8_t)(uid_len * 8)};
    cc_hash_ctx h;
    cc_hash_init(&h, CC_HASH_SM3);
    cc_hash_update(&h, entl, 2);
    if (uid_len)
        cc_hash_update(&h, uid, uid_len);
    cc_hash_update(&h, c->a, 32);
    cc_hash_update(&h, c->b, 32);
    cc_hash_update(&h, c->gx, 32);
    cc_hash_update(&h, c->gy, 32);
    cc_hash_update(&h, pub, 64);
    return cc_hash_final(&h, out);
}

int cc_sm2_za_batch(const uint8_t *pub, size_t n, const uint8_t *uid, size_t uid_len,
                    uint8_t *out)
{
    if ((n && (!pub || !out)) || uid_len > 8191 || (uid_len && !uid))
        return CC_ERR_ARG;
    for (size_t i = 0; i < n; i++) {
        int rc = cc_sm2_za(pub + 64 * i, uid, uid_len, out + 32 * i);
        if (rc != CC_OK)
            return rc;
    }
    return CC_OK;
}

int cc_sm2_verify_batch(const uint8_t *pub, const uint8_t *e, const uint8_t *r, const uint8_t *s,
                        size_t n, uint8_t *ok)
{
    const ec_curve *c = curve_get(CC_CURVE_SM2);
    if (n && (!pub || !e || !r || !s || !ok))
        return CC_ERR_ARG;
    c->verify(1, 0, n, pub, e, r, s, ok);
    return CC_OK;
}

int cc_ecdsa_verify_batch(int curve, const uint8_t *pub, const uint8_t *e, const uint8_t *r,
                          const uint8_t *s, size_t n, int flags, uint8_t *ok)
{
    const ec_curve *c = curve_get(curve);
    if (!c || curve == CC_CURVE_SM2 || (n && (!pub || !e || !r || !s || !ok)))
        return CC_ERR_ARG;
    c->verify(0, flags, n, pub, e, r, s, ok);
    return CC_OK;
}

/* RFC 6979 state for (sk, e): HMAC-SM3 for SM2, HMAC-SHA256 for ECDSA; h1 is scratch. */
static void nonce_init(const ec_curve *c, int sm2, const uint8_t sk[32], const uint8_t e[32],
                       const uint8_t *extra, cc_rfc6979 *st, uint8_t h1[32])
{
    c->reduce_n(e, h1);
    cc_rfc6979_init(st, sm2 ? CC_HASH_SM3 : CC_HASH_SHA256, sk, h1, extra);
}

/* Deterministic / hedged signing of n rows, SM2 or ECDSA, CC_EC_GROUP at a time: each row's
 * first RFC 6979 candidate is signed in a group (c->sign_k: the rows' inversions shared); a row
 * whose candidate is refused (probability about 2^-32 on SM2 and P-256, whose orders sit that far
 * below 2^256) draws the next ones alone, up to 64 in all. Invalid keys give ok = 0 and zeros. */
static void sign_rows(const ec_curve *c, int sm2, int low_s, const uint8_t *sk, const uint8_t *e,
                      const uint8_t *extra, size_t n, uint8_t *r, uint8_t *s, uint8_t *recid,
                      uint8_t *ok)
{
    cc_rfc6979 st[CC_EC_GROUP];
    uint8_t h1[32], k[32 * CC_EC_GROUP];
    int valid[CC_EC_GROUP];
    for (size_t at = 0; at < n; at += CC_EC_GROUP) {
        size_t m = n - at < CC_EC_GROUP ? n - at : CC_EC_GROUP;
        for (size_t i = 0; i < m; i++) {
            const uint8_t *ski = sk + 32 * (at + i), *ei = e + 32 * (at + i);
            valid[i] = c->seckey_check(ski, sm2);
            CC_DECLASSIFY(&valid[i], sizeof valid[i]);
            memset(k + 32 * i, 0, 32); /* an invalid key's row: refused by sign_k */
            if (!valid[i])
                continue;
            nonce_init(c, sm2, ski, ei, extra ? extra + 32 * (at + i) : NULL, &st[i], h1);
            cc_rfc6979_next(&st[i], k + 32 * i, 0);
        }
        c->sign_k(sm2, low_s, m, sk + 32 * at, e + 32 * at, k, r + 32 * at, s + 32 * at,
                  recid ? recid + at : NULL, ok + at);
        for (size_t i = 0; i < m; i++) {
            if (!valid[i])
                continue;
            size_t row = at + i;
            for (int tries = 1; tries < 64 && !ok[row]; tries++) {
                cc_rfc6979_next(&st[i], k + 32 * i, 1);
                c->sign_k(sm2, low_s, 1, sk + 32 * row, e + 32 * row, k + 32 * i, r + 32 * row,
                          s + 32 * row, recid ? recid + row : NULL, ok + row);
            }
            cc_rfc6979_clear(&st[i]);
        }
    }
    cc_wipe(k, sizeof k);
    cc_wipe(h1, sizeof h1);
}

int cc_ec_nonce_batch(int curve, const uint8_t *sk, const uint8_t *e, const uint8_t *extra,
                      size_t n, uint8_t *k, uint8_t *ok)
{
    const ec_curve *c = curve_get(curve);
    if (!c || (n && (!sk || !e || !k || !ok)))
        return CC_ERR_ARG;
    for (size_t i = 0; i < n; i++) {
        cc_rfc6979 st;
        uint8_t h1[32];
        int sm2 = curve == CC_CURVE_SM2, valid = c->seckey_check(sk + 32 * i, sm2);
        CC_DECLASSIFY(&valid, sizeof valid);
        ok[i] = (uint8_t)valid;
        nonce_init(c, sm2, sk + 32 * i, e + 32 * i, extra ? extra + 32 * i : NULL, &st, h1);
        cc_rfc6979_next(&st, k + 32 * i, 0);
        cc_rfc6979_clear(&st);
        cc_wipe(h1, sizeof h1);
    }
    return CC_OK;
}

int cc_sm2_sign_batch(const uint8_t *sk, const uint8_t *e, const uint8_t *extra, size_t n,
                      uint8_t *r, uint8_t *s, uint8_t *ok)
{
    const ec_curve *c = curve_get(CC_CURVE_SM2);
    if (n && (!sk || !e || !r || !s || !ok))
        return CC_ERR_ARG;
    sign_rows(c, 1, 0, sk, e, extra, n, r, s, NULL, ok);
    return CC_OK;
}

int cc_sm2_sign_with_k(const uint8_t sk[32], const uint8_t e[32], const uint8_t k[32],
                       uint8_t r[32], uint8_t s[32])
{
    if (!sk || !e || !k || !r || !s)
        return CC_ERR_ARG;
    uint8_t ok;
    curve_get(CC_CURVE_SM2)->sign_k(1, 0, 1, sk, e, k, r, s, NULL, &ok);
    return ok ? CC_OK : CC_ERR_INVALID;
}

int cc_ecdsa_sign_batch(int curve, const uint8_t *sk, const uint8_t *e, const uint8_t *extra,
                        size_t n, uint8_t *r, uint8_t *s, uint8_t *recid, uint8_t *ok)
{
    const ec_curve *c = curve_get(curve);
    if (!c || curve == CC_CURVE_SM2 || (n && (!sk || !e || !r || !s || !ok)))
        return CC_ERR_ARG;
    sign_rows(c, 0, curve == CC_CURVE_SECP256K1, sk, e, extra, n, r, s, recid, ok);
    return CC_OK;
}

int cc_ecdsa_recover_batch(int curve, const uint8_t *e, const uint8_t *r, const uint8_t *s,
                           const uint8_t *recid, size_t n, uint8_t *pub, uint8_t *ok)
{
    const ec_curve *c = curve_get(curve);
    if (!c || curve == CC_CURVE_SM2 || (n && (!e || !r || !s || !recid || !pub || !ok)))
        return CC_ERR_ARG;
    c->ecdsa_recover(n, e, r, s, recid, pub, ok);
    return CC_OK;
}
