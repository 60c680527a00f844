/* RFC 6979 section 3.2 (with 3.6 additional data) for qlen = hlen = 256: HMAC-SHA256 for ECDSA,
 * HMAC-SM3 for SM2. Built on the cc_hash_* API. */
#include "common.h"
#include "ec_internal.h"

static void hmac(int alg, const uint8_t key[32], const uint8_t *p1, size_t l1, const uint8_t *p2,
                 size_t l2, const uint8_t *p3, size_t l3, const uint8_t *p4, size_t l4,
                 uint8_t out[32])
{
    uint8_t pad[64], inner[32];
    cc_hash_ctx c;
    for (int i = 0; i < 64; i++)
        pad[i] = (uint8_t)((i < 32 ? key[i] : 0) ^ 0x36);
    cc_hash_init(&c, alg);
    cc_hash_update(&c, pad, 64);
    if (l1) cc_hash_update(&c, p1, l1);
    if (l2) cc_hash_update(&c, p2, l2);
    if (l3) cc_hash_update(&c, p3, l3);
    if (l4) cc_hash_update(&c, p4, l4);
    cc_hash_final(&c, inner);
    for (int i = 0; i < 64; i++)
        pad[i] ^= 0x36 ^ 0x5c;
    cc_hash_init(&c, alg);
    cc_hash_update(&c, pad, 64);
    cc_hash_update(&c, inner, 32);
    cc_hash_final(&c, out);
    cc_wipe(pad, sizeof pad);
    cc_wipe(inner, sizeof inner);
    cc_wipe(&c, sizeof c);
}

void cc_rfc6979_init(cc_rfc6979 *st, int alg, const uint8_t x[32], const uint8_t h1oct[32],
                     const uint8_t *extra)
{
    uint8_t buf[32 + 1 + 32 + 32 + 32];
    size_t len = 32 + 1 + 64;
    st->alg = alg;
    memset(st->v, 0x01, 32);
    memset(st->k, 0x00, 32);
    memcpy(buf + 33, x, 32);
    memcpy(buf + 65, h1oct, 32);
    if (extra) {
        memcpy(buf + 97, extra, 32);
        len += 32;
    }
    memcpy(buf, st->v, 32);
    buf[32] = 0x00;
    hmac(alg, st->k, buf, len, NULL, 0, NULL, 0, NULL, 0, st->k);      /* step d */
    hmac(alg, st->k, st->v, 32, NULL, 0, NULL, 0, NULL, 0, st->v);     /* step e */
    memcpy(buf, st->v, 32);
    buf[32] = 0x01;
    hmac(alg, st->k, buf, len, NULL, 0, NULL, 0, NULL, 0, st->k);      /* step f */
    hmac(alg, st->k, st->v, 32, NULL, 0, NULL, 0, NULL, 0, st->v);     /* step g */
    cc_wipe(buf, sizeof buf);
}

void cc_rfc6979_next(cc_rfc6979 *st, uint8_t out[32], int retry)
{
    if (retry) {
        const uint8_t zero = 0;
        hmac(st->alg, st->k, st->v, 32, &zero, 1, NULL, 0, NULL, 0, st->k);
        hmac(st->alg, st->k, st->v, 32, NULL, 0, NULL, 0, NULL, 0, st->v);
    }
    hmac(st->alg, st->k, st->v, 32, NULL, 0, NULL, 0, NULL, 0, st->v);
    memcpy(out, st->v, 32);
}

void cc_rfc6979_clear(cc_rfc6979 *st)
{
    cc_wipe(st, sizeof *st);
}
