/* Batch entry points of cc_ec.h: argument checks and the loop over items. Reentrant. */
#include "common.h"
#include "ec_int.h"
#include "ec_internal.h"

#include "include/cc_cpu.h"

/* Bit (1 << CC_EC_PATH_*) for each build of the curve code this CPU can run: the baseline
 * always; the BMI2/ADX (+ AVX2 comb scan) one with all three; the IFMA one (verification and
 * recovery in AVX-512 lanes) with AVX-512 and IFMA too. cc_cpu_features caches cpuid.
 * -DCC_EC_NO_ADX leaves the baseline only, to test it on CPUs that have more. */
uint32_t cc_ec_paths(void)
{
    uint32_t paths = 1u << CC_EC_PATH_BASE;
#if defined(__x86_64__) && !defined(CC_EC_NO_ADX)
    const uint32_t f = cc_cpu_features(), adx = CC_CPU_BMI2 | CC_CPU_ADX | CC_CPU_AVX2;
    if ((f & adx) == adx) {
        paths |= 1u << CC_EC_PATH_ADX;
        if ((f & (CC_CPU_AVX512 | CC_CPU_IFMA)) == (CC_CPU_AVX512 | CC_CPU_IFMA))
            paths |= 1u << CC_EC_PATH_IFMA;
    }
#endif
    return paths;
}

/* The curve's operations on a path (CC_EC_PATH_AUTO: the most capable one this CPU runs);
 * NULL for an unknown curve or a path this CPU cannot run. */
static const ec_curve *curve_path(int curve, int path)
{
    static const ec_curve *const builds[3][3] = {
        {&cc_ec_curve_sm2, &cc_ec_curve_sm2_adx, &cc_ec_curve_sm2_ifma},
        {&cc_ec_curve_secp256k1, &cc_ec_curve_secp256k1_adx, &cc_ec_curve_secp256k1_ifma},
        {&cc_ec_curve_p256, &cc_ec_curve_p256_adx, &cc_ec_curve_p256_ifma},
    };
    const uint32_t paths = cc_ec_paths();
    if (curve < CC_CURVE_SM2 || curve > CC_CURVE_P256)
        return NULL;
    if (path == CC_EC_PATH_AUTO)
        path = (paths >> CC_EC_PATH_IFMA) & 1 ? CC_EC_PATH_IFMA
             : (paths >> CC_EC_PATH_ADX) & 1  ? CC_EC_PATH_ADX
                                              : CC_EC_PATH_BASE;
    if (path < CC_EC_PATH_BASE || path > CC_EC_PATH_IFMA || !((paths >> path) & 1))
        return NULL;
    return builds[curve][path - CC_EC_PATH_BASE];
}

static const ec_curve *curve_get(int curve)
{
    return curve_path(curve, CC_EC_PATH_AUTO);
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

int cc_ec_pubkey_create_path_batch(int curve, int path, const uint8_t *sk, size_t n,
                                   uint8_t *pub, uint8_t *ok)
{
    if (curve < CC_CURVE_SM2 || curve > CC_CURVE_P256 || (n && (!sk || !pub || !ok)))
        return CC_ERR_ARG;
    const ec_curve *c = curve_path(curve, path);
    if (!c)
        return CC_ERR_PATH;
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

int cc_ec_pubkey_create_batch(int curve, const uint8_t *sk, size_t n, uint8_t *pub, uint8_t *ok)
{
    return cc_ec_pubkey_create_path_batch(curve, CC_EC_PATH_AUTO, sk, n, pub, ok);
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
    c->pubkey_parse(data, offsets, n, pub, ok);
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

/* ENTL || ID || a || b || xG || yG, the part of Z_A's message that every key shares: its whole
 * blocks absorbed into h, the rest (< 64 bytes) to rest, its length to *rlen. Returns the hash
 * layer's status. */
static int za_prefix(const uint8_t *uid, size_t uid_len, cc_hash_ctx *h, uint8_t rest[64],
                     size_t *rlen)
{
    const ec_curve *c = &cc_ec_curve_sm2; /* constants only */
    uint8_t pre[2 + 8191 + 4 * 32];
    pre[0] = (uint8_t)((uid_len * 8) >> 8);
    pre[1] = (uint8_t)(uid_len * 8);
    if (uid_len)
        memcpy(pre + 2, uid, uid_len);
    const uint8_t *curve[4] = {c->a, c->b, c->gx, c->gy};
    for (int i = 0; i < 4; i++)
        memcpy(pre + 2 + uid_len + 32 * i, curve[i], 32);
    const size_t len = 2 + uid_len + 4 * 32, whole = len & ~(size_t)63;
    int rc = cc_hash_init(h, CC_HASH_SM3);
    if (rc == CC_OK)
        rc = cc_hash_update(h, pre, whole);
    memcpy(rest, pre + whole, len - whole);
    *rlen = len - whole;
    return rc;
}

int cc_sm2_za(const uint8_t pub[64], const uint8_t *uid, size_t uid_len, uint8_t out[32])
{
    return cc_sm2_za_batch(pub, 1, uid, uid_len, out);
}

/* The keys' tails (the prefix's last bytes || xA || yA) are hashed 16 at a time in the
 * multi-buffer kernels' lanes (cc_hash_final_many), from the prefix's chaining value. */
int cc_sm2_za_batch(const uint8_t *pub, size_t n, const uint8_t *uid, size_t uid_len,
                    uint8_t *out)
{
    if ((n && (!pub || !out)) || uid_len > 8191 || (uid_len && !uid))
        return CC_ERR_ARG;
    cc_hash_ctx h;
    uint8_t tail[CC_EC_GROUP][64 + 64];
    size_t r;
    int rc = za_prefix(uid, uid_len, &h, tail[0], &r);
    if (rc != CC_OK)
        return rc;
    const uint32_t *hp[CC_EC_GROUP];
    const uint8_t *tp[CC_EC_GROUP];
    uint8_t *op[CC_EC_GROUP];
    for (size_t i = 0; i < CC_EC_GROUP; i++) {
        memcpy(tail[i], tail[0], r);
        hp[i] = h.h;
        tp[i] = tail[i];
    }
    for (size_t at = 0; at < n; at += CC_EC_GROUP) {
        size_t m = n - at < CC_EC_GROUP ? n - at : CC_EC_GROUP;
        for (size_t i = 0; i < m; i++) {
            memcpy(tail[i] + r, pub + 64 * (at + i), 64);
            op[i] = out + 32 * (at + i);
        }
        rc = cc_hash_final_many(CC_HASH_SM3, hp, h.nbytes, tp, r + 64, m, op);
        if (rc != CC_OK)
            return rc;
    }
    return CC_OK;
}

int cc_ec_verify_path_batch(int curve, int path, const uint8_t *pub, const uint8_t *e,
                            const uint8_t *r, const uint8_t *s, size_t n, int flags, uint8_t *ok)
{
    if (curve < CC_CURVE_SM2 || curve > CC_CURVE_P256 || (n && (!pub || !e || !r || !s || !ok)))
        return CC_ERR_ARG;
    const ec_curve *c = curve_path(curve, path);
    if (!c)
        return CC_ERR_PATH;
    c->verify(curve == CC_CURVE_SM2, curve == CC_CURVE_SM2 ? 0 : flags, n, pub, e, r, s, ok);
    return CC_OK;
}

int cc_sm2_verify_batch(const uint8_t *pub, const uint8_t *e, const uint8_t *r, const uint8_t *s,
                        size_t n, uint8_t *ok)
{
    return cc_ec_verify_path_batch(CC_CURVE_SM2, CC_EC_PATH_AUTO, pub, e, r, s, n, 0, ok);
}

int cc_ecdsa_verify_batch(int curve, const uint8_t *pub, const uint8_t *e, const uint8_t *r,
                          const uint8_t *s, size_t n, int flags, uint8_t *ok)
{
    if (curve == CC_CURVE_SM2)
        return CC_ERR_ARG;
    return cc_ec_verify_path_batch(curve, CC_EC_PATH_AUTO, pub, e, r, s, n, flags, ok);
}

int cc_ec_verify(int curve, const uint8_t pub[64], const uint8_t e[32], const uint8_t *sig,
                 size_t sig_len, int flags)
{
    if (curve < CC_CURVE_SM2 || curve > CC_CURVE_P256 || !pub || !e || (sig_len && !sig) ||
        (flags & ~(CC_VERIFY_LOW_S | CC_VERIFY_DER)))
        return CC_ERR_ARG;
    uint8_t r[32], s[32], ok = 0;
    if (flags & CC_VERIFY_DER) {
        if (!cc_der_sig(sig, sig_len, r, s))
            return CC_ERR_INVALID;
    } else {
        if (sig_len != 64)
            return CC_ERR_INVALID;
        memcpy(r, sig, 32);
        memcpy(s, sig + 32, 32);
    }
    const int sm2 = curve == CC_CURVE_SM2;
    const ec_curve *c = curve_path(curve, CC_EC_PATH_AUTO);
    if (!c)
        return CC_ERR_PATH;
    c->verify(sm2, sm2 ? 0 : flags & CC_VERIFY_LOW_S, 1, pub, e, r, s, &ok);
    return ok ? CC_OK : CC_ERR_INVALID;
}

/* RFC 6979 states for the rows (sk, e) of a group, rows[j] < CC_EC_GROUP: HMAC-SM3 for SM2,
 * HMAC-SHA256 for ECDSA; the first candidates to k[32 rows[j]]. Returns the DRBG's status. */
static int nonce_first(const ec_curve *c, int sm2, const uint8_t *sk, const uint8_t *e,
                        const uint8_t *extra, const size_t *rows, size_t m,
                        cc_rfc6979 st[CC_EC_GROUP], uint8_t *k)
{
    uint8_t h1[CC_EC_GROUP][32];
    const uint8_t *x[CC_EC_GROUP], *h1p[CC_EC_GROUP], *ex[CC_EC_GROUP];
    cc_rfc6979 *sp[CC_EC_GROUP];
    uint8_t *kp[CC_EC_GROUP];
    for (size_t j = 0; j < m; j++) {
        size_t i = rows[j];
        c->reduce_n(e + 32 * i, h1[j]);
        x[j] = sk + 32 * i;
        h1p[j] = h1[j];
        ex[j] = extra ? extra + 32 * i : NULL;
        sp[j] = &st[i];
        kp[j] = k + 32 * i;
    }
    int rc = cc_rfc6979_init_batch(sp, m, sm2 ? CC_HASH_SM3 : CC_HASH_SHA256, x, h1p,
                                   extra ? ex : NULL);
    if (rc == CC_OK)
        rc = cc_rfc6979_next_batch(sp, m, kp, 0);
    cc_wipe(h1, m * sizeof h1[0]);
    return rc;
}

/* The rows of sk[0 .. 32 m) that are valid signing keys (the answer is public: the row is
 * refused), to rows[]; returns their count. */
static size_t valid_rows(const ec_curve *c, int sm2, const uint8_t *sk, size_t m, size_t *rows,
                         int *valid)
{
    size_t nv = 0;
    for (size_t i = 0; i < m; i++) {
        valid[i] = c->seckey_check(sk + 32 * i, sm2);
        CC_DECLASSIFY(&valid[i], sizeof valid[i]);
        if (valid[i])
            rows[nv++] = i;
    }
    return nv;
}

/* Deterministic / hedged signing of n rows, SM2 or ECDSA, CC_EC_GROUP at a time: each row's
 * first RFC 6979 candidate (the group's nonces drawn together) is signed in a group (c->sign_k:
 * the rows' inversions shared); a row whose candidate is refused (probability about 2^-32 on
 * SM2 and P-256, whose orders sit that far below 2^256) draws the next ones alone, up to 64 in
 * all. Invalid keys give ok = 0 and zeros. Returns the DRBG's status. */
static int sign_rows(const ec_curve *c, int sm2, int low_s, const uint8_t *sk, const uint8_t *e,
                      const uint8_t *extra, size_t n, uint8_t *r, uint8_t *s, uint8_t *recid,
                      uint8_t *ok)
{
    cc_rfc6979 st[CC_EC_GROUP];
    uint8_t k[32 * CC_EC_GROUP];
    int valid[CC_EC_GROUP];
    size_t rows[CC_EC_GROUP];
    int rc = CC_OK;
    for (size_t at = 0; at < n && rc == CC_OK; at += CC_EC_GROUP) {
        size_t m = n - at < CC_EC_GROUP ? n - at : CC_EC_GROUP;
        size_t nv = valid_rows(c, sm2, sk + 32 * at, m, rows, valid);
        memset(k, 0, 32 * m); /* an invalid key's row: refused by sign_k */
        rc = nonce_first(c, sm2, sk + 32 * at, e + 32 * at, extra ? extra + 32 * at : NULL, rows,
                         nv, st, k);
        if (rc != CC_OK)
            break;
        c->sign_k(sm2, low_s, m, sk + 32 * at, e + 32 * at, k, r + 32 * at, s + 32 * at,
                  recid ? recid + at : NULL, ok + at);
        for (size_t j = 0; j < nv; j++) {
            size_t i = rows[j], row = at + i;
            cc_rfc6979 *sp = &st[i];
            uint8_t *kp = k + 32 * i;
            for (int tries = 1; tries < 64 && !ok[row] && rc == CC_OK; tries++) {
                rc = cc_rfc6979_next_batch(&sp, 1, &kp, 1);
                if (rc == CC_OK)
                    c->sign_k(sm2, low_s, 1, sk + 32 * row, e + 32 * row, kp, r + 32 * row,
                              s + 32 * row, recid ? recid + row : NULL, ok + row);
            }
            cc_rfc6979_clear(sp);
        }
    }
    const size_t used = n < CC_EC_GROUP ? n : CC_EC_GROUP; /* the rows any group used */
    cc_wipe(k, 32 * used);
    cc_wipe(st, used * sizeof st[0]); /* the states of a group cut short too */
    return rc;
}

int cc_ec_nonce_batch(int curve, const uint8_t *sk, const uint8_t *e, const uint8_t *extra,
                      size_t n, uint8_t *k, uint8_t *ok)
{
    const ec_curve *c = curve_get(curve);
    if (!c || (n && (!sk || !e || !k || !ok)))
        return CC_ERR_ARG;
    const int sm2 = curve == CC_CURVE_SM2;
    cc_rfc6979 st[CC_EC_GROUP];
    int valid[CC_EC_GROUP];
    size_t rows[CC_EC_GROUP];
    for (size_t at = 0; at < n; at += CC_EC_GROUP) {
        size_t m = n - at < CC_EC_GROUP ? n - at : CC_EC_GROUP;
        (void)valid_rows(c, sm2, sk + 32 * at, m, rows, valid);
        for (size_t i = 0; i < m; i++) {
            ok[at + i] = (uint8_t)valid[i];
            rows[i] = i; /* every row's candidate, an invalid key's too (as the GPU draws it) */
        }
        int rc = nonce_first(c, sm2, sk + 32 * at, e + 32 * at, extra ? extra + 32 * at : NULL,
                             rows, m, st, k + 32 * at);
        for (size_t i = 0; i < m; i++)
            cc_rfc6979_clear(&st[i]);
        if (rc != CC_OK)
            return rc;
    }
    return CC_OK;
}

int cc_ec_sign_path_batch(int curve, int path, const uint8_t *sk, const uint8_t *e,
                          const uint8_t *extra, size_t n, uint8_t *r, uint8_t *s, uint8_t *recid,
                          uint8_t *ok)
{
    if (curve < CC_CURVE_SM2 || curve > CC_CURVE_P256 || (n && (!sk || !e || !r || !s || !ok)))
        return CC_ERR_ARG;
    const ec_curve *c = curve_path(curve, path);
    if (!c)
        return CC_ERR_PATH;
    const int sm2 = curve == CC_CURVE_SM2;
    return sign_rows(c, sm2, curve == CC_CURVE_SECP256K1, sk, e, extra, n, r, s,
                     sm2 ? NULL : recid, ok);
}

int cc_sm2_sign_batch(const uint8_t *sk, const uint8_t *e, const uint8_t *extra, size_t n,
                      uint8_t *r, uint8_t *s, uint8_t *ok)
{
    return cc_ec_sign_path_batch(CC_CURVE_SM2, CC_EC_PATH_AUTO, sk, e, extra, n, r, s, NULL, ok);
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
    if (curve == CC_CURVE_SM2)
        return CC_ERR_ARG;
    return cc_ec_sign_path_batch(curve, CC_EC_PATH_AUTO, sk, e, extra, n, r, s, recid, ok);
}

int cc_ec_sign(int curve, const uint8_t sk[32], const uint8_t e[32], const uint8_t *extra,
               int flags, uint8_t out[72])
{
    const int sm2 = curve == CC_CURVE_SM2;
    if (curve < CC_CURVE_SM2 || curve > CC_CURVE_P256 || !sk || !e || !out ||
        (flags & ~(CC_SIGN_DER | CC_SIGN_RECID)) ||
        (flags == (CC_SIGN_DER | CC_SIGN_RECID)) || (sm2 && (flags & CC_SIGN_RECID)))
        return CC_ERR_ARG;
    uint8_t r[32], s[32], recid = 0, ok = 0;
    const int rc =
        cc_ec_sign_path_batch(curve, CC_EC_PATH_AUTO, sk, e, extra, 1, r, s, &recid, &ok);
    if (rc != CC_OK)
        return rc;
    if (!ok)
        return CC_ERR_INVALID;
    if (flags & CC_SIGN_DER) {
        cc_der_sig_put(out, r, s);
    } else {
        memcpy(out, r, 32);
        memcpy(out + 32, s, 32);
        if (flags & CC_SIGN_RECID)
            out[64] = recid;
    }
    return CC_OK;
}

int cc_ec_recover(int curve, const uint8_t e[32], const uint8_t sig[65], uint8_t pub[64])
{
    if (!sig)
        return CC_ERR_ARG;
    uint8_t ok = 0;
    const int rc = cc_ecdsa_recover_path_batch(curve, CC_EC_PATH_AUTO, e, sig, sig + 32, sig + 64,
                                               1, pub, &ok);
    return rc != CC_OK ? rc : ok ? CC_OK : CC_ERR_INVALID;
}

int cc_ecdsa_recover_path_batch(int curve, int path, const uint8_t *e, const uint8_t *r,
                                const uint8_t *s, const uint8_t *recid, size_t n, uint8_t *pub,
                                uint8_t *ok)
{
    if (curve != CC_CURVE_SECP256K1 && curve != CC_CURVE_P256)
        return CC_ERR_ARG;
    if (n && (!e || !r || !s || !recid || !pub || !ok))
        return CC_ERR_ARG;
    const ec_curve *c = curve_path(curve, path);
    if (!c)
        return CC_ERR_PATH;
    c->ecdsa_recover(n, e, r, s, recid, pub, ok);
    return CC_OK;
}

int cc_ecdsa_recover_batch(int curve, const uint8_t *e, const uint8_t *r, const uint8_t *s,
                           const uint8_t *recid, size_t n, uint8_t *pub, uint8_t *ok)
{
    return cc_ecdsa_recover_path_batch(curve, CC_EC_PATH_AUTO, e, r, s, recid, n, pub, ok);
}
