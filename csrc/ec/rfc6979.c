/* RFC 6979 section 3.2 (with 3.6 additional data) for qlen = hlen = 256: HMAC-SHA256 for ECDSA,
 * HMAC-SM3 for SM2, for up to CC_EC_GROUP rows at once. Every step hashes messages of the same
 * length in every row, so the rows' compressions share the lanes of the multi-buffer hash kernels
 * (cc_hash_compress_many); one row is the same code with n = 1. */
#include "common.h"
#include "ec_internal.h"

/* The arrays of row pointers below start zeroed: gcc (-Wmaybe-uninitialized) cannot see that
 * the loops over the n rows fill what the callee reads. */

/* The longest HMAC message: V || 0x00 or 0x01 || x || h1 || extra */
#define MSG_MAX (32 + 1 + 32 + 32 + 32)

/* The HMAC keys: each row's hin / hout, the chaining values after its key k xor ipad / opad.
 * Every function here returns the hash layer's status (CC_OK for the callers' valid rows). */
static int hmac_setkey(cc_rfc6979 *const *st, size_t n)
{
    uint8_t pad[CC_EC_GROUP][64];
    const uint8_t *blk[CC_EC_GROUP] = {0};
    uint32_t *h[CC_EC_GROUP] = {0};
    cc_hash_ctx iv;
    int rc = cc_hash_init(&iv, st[0]->alg);
    for (int outer = 0; outer < 2 && rc == CC_OK; outer++) {
        const uint8_t c = outer ? 0x5c : 0x36;
        for (size_t i = 0; i < n; i++) {
            for (int j = 0; j < 64; j++)
                pad[i][j] = (uint8_t)((j < 32 ? st[i]->k[j] : 0) ^ c);
            h[i] = outer ? st[i]->hout : st[i]->hin;
            memcpy(h[i], iv.h, sizeof iv.h);
            blk[i] = pad[i];
        }
        rc = cc_hash_compress_many(st[0]->alg, h, blk, n, 1);
    }
    cc_wipe(pad, n * sizeof pad[0]); /* the rows used: one row is a few compressions */
    return rc;
}

/* out[i] = HMAC(st[i]'s key, msg[i]) for messages of len <= MSG_MAX bytes; out may be msg (the
 * inner hash has read it before the outer one writes out). */
static int hmac(cc_rfc6979 *const *st, size_t n, const uint8_t *const *msg, size_t len,
                uint8_t *const *out)
{
    uint8_t inner[CC_EC_GROUP][32];
    const uint32_t *hin[CC_EC_GROUP] = {0}, *hout[CC_EC_GROUP] = {0};
    const uint8_t *ip[CC_EC_GROUP] = {0};
    uint8_t *iout[CC_EC_GROUP] = {0};
    for (size_t i = 0; i < n; i++) {
        hin[i] = st[i]->hin;
        hout[i] = st[i]->hout;
        ip[i] = iout[i] = inner[i];
    }
    int rc = cc_hash_final_many(st[0]->alg, hin, 64, msg, len, n, iout);
    if (rc == CC_OK)
        rc = cc_hash_final_many(st[0]->alg, hout, 64, ip, 32, n, out);
    cc_wipe(inner, n * sizeof inner[0]);
    return rc;
}

/* V = HMAC_K(V) in every row */
static int hmac_v(cc_rfc6979 *const *st, size_t n)
{
    const uint8_t *vin[CC_EC_GROUP] = {0};
    uint8_t *vout[CC_EC_GROUP] = {0};
    for (size_t i = 0; i < n; i++)
        vin[i] = vout[i] = st[i]->v;
    return hmac(st, n, vin, 32, vout);
}

/* K = HMAC_K(V || sep || tail[i]) (tail: len - 33 bytes), then the new key, then V = HMAC_K(V) */
static int rekey(cc_rfc6979 *const *st, size_t n, uint8_t (*buf)[MSG_MAX], uint8_t sep,
                 size_t len)
{
    const uint8_t *msg[CC_EC_GROUP] = {0};
    uint8_t *kout[CC_EC_GROUP] = {0};
    for (size_t i = 0; i < n; i++) {
        memcpy(buf[i], st[i]->v, 32);
        buf[i][32] = sep;
        msg[i] = buf[i];
        kout[i] = st[i]->k;
    }
    int rc = hmac(st, n, msg, len, kout);
    if (rc == CC_OK)
        rc = hmac_setkey(st, n);
    return rc == CC_OK ? hmac_v(st, n) : rc;
}

int cc_rfc6979_init_batch(cc_rfc6979 *const *st, size_t n, int alg, const uint8_t *const *x,
                          const uint8_t *const *h1, const uint8_t *const *extra)
{
    uint8_t buf[CC_EC_GROUP][MSG_MAX];
    const size_t len = extra ? MSG_MAX : MSG_MAX - 32;
    if (n == 0)
        return CC_OK;
    if (n > CC_EC_GROUP || (alg != CC_HASH_SM3 && alg != CC_HASH_SHA256))
        return CC_ERR_ARG;
    for (size_t i = 0; i < n; i++) {
        st[i]->alg = alg;
        memset(st[i]->v, 0x01, 32);
        memset(st[i]->k, 0x00, 32);
        memcpy(buf[i] + 33, x[i], 32);
        memcpy(buf[i] + 65, h1[i], 32);
        if (extra)
            memcpy(buf[i] + 97, extra[i], 32);
    }
    int rc = hmac_setkey(st, n);
    if (rc == CC_OK)
        rc = rekey(st, n, buf, 0x00, len); /* steps d, e */
    if (rc == CC_OK)
        rc = rekey(st, n, buf, 0x01, len); /* steps f, g */
    cc_wipe(buf, n * sizeof buf[0]);
    return rc;
}

int cc_rfc6979_next_batch(cc_rfc6979 *const *st, size_t n, uint8_t *const *out, int retry)
{
    if (n == 0)
        return CC_OK;
    if (n > CC_EC_GROUP)
        return CC_ERR_ARG;
    int rc = CC_OK;
    if (retry) {
        uint8_t buf[CC_EC_GROUP][MSG_MAX];
        rc = rekey(st, n, buf, 0x00, 33); /* step h.3: K = HMAC_K(V || 0x00), V = HMAC_K(V) */
        cc_wipe(buf, n * sizeof buf[0]);
    }
    if (rc == CC_OK)
        rc = hmac_v(st, n);
    for (size_t i = 0; i < n && rc == CC_OK; i++)
        memcpy(out[i], st[i]->v, 32);
    return rc;
}

void cc_rfc6979_clear(cc_rfc6979 *st)
{
    cc_wipe(st, sizeof *st);
}
