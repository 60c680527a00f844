/* RFC 6979 section 3.2 (with 3.6 additional data) for qlen = hlen = 256: HMAC-SHA256 for ECDSA,
 * HMAC-SM3 for SM2. Built on the cc_hash_* API. */
#include "common.h"
#include "ec_internal.h"

/* HMAC key schedule: the inner and outer hash states after absorbing the padded key, so that
 * each HMAC costs the message blocks plus one outer block. */
typedef struct {
    cc_hash_ctx in, out;
} hmac_key;

static void hmac_setkey(hmac_key *hk, int alg, const uint8_t key[32])
{
    uint8_t pad[64];
    for (int i = 0; i < 64; i++)
        pad[i] = (uint8_t)((i < 32 ? key[i] : 0) ^ 0x36);
    cc_hash_init(&hk->in, alg);
    cc_hash_update(&hk->in, pad, 64);
    for (int i = 0; i < 64; i++)
        pad[i] ^= 0x36 ^ 0x5c;
    cc_hash_init(&hk->out, alg);
    cc_hash_update(&hk->out, pad, 64);
    cc_wipe(pad, sizeof pad);
}

static void hmac(const hmac_key *hk, const uint8_t *p1, size_t l1, const uint8_t *p2, size_t l2,
                 uint8_t out[32])
{
    uint8_t inner[32];
    cc_hash_ctx c = hk->in;
    cc_hash_update(&c, p1, l1);
    if (l2)
        cc_hash_update(&c, p2, l2);
    cc_hash_final(&c, inner);
    c = hk->out;
    cc_hash_update(&c, inner, 32);
    cc_hash_final(&c, out);
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
    hmac_key hk;
    memcpy(buf, st->v, 32);
    buf[32] = 0x00;
    hmac_setkey(&hk, alg, st->k);
    hmac(&hk, buf, len, NULL, 0, st->k);        /* step d */
    hmac_setkey(&hk, alg, st->k);
    hmac(&hk, st->v, 32, NULL, 0, st->v);       /* step e */
    memcpy(buf, st->v, 32);
    buf[32] = 0x01;
    hmac(&hk, buf, len, NULL, 0, st->k);        /* step f */
    hmac_setkey(&hk, alg, st->k);
    hmac(&hk, st->v, 32, NULL, 0, st->v);       /* step g */
    st->hk_in = hk.in;
    st->hk_out = hk.out;
    cc_wipe(&hk, sizeof hk);
    cc_wipe(buf, sizeof buf);
}

void cc_rfc6979_next(cc_rfc6979 *st, uint8_t out[32], int retry)
{
    hmac_key hk = {st->hk_in, st->hk_out};
    if (retry) {
        const uint8_t zero = 0;
        hmac(&hk, st->v, 32, &zero, 1, st->k);
        hmac_setkey(&hk, st->alg, st->k);
        hmac(&hk, st->v, 32, NULL, 0, st->v);
        st->hk_in = hk.in;
        st->hk_out = hk.out;
    }
    hmac(&hk, st->v, 32, NULL, 0, st->v);
    cc_wipe(&hk, sizeof hk);
    memcpy(out, st->v, 32);
}

void cc_rfc6979_clear(cc_rfc6979 *st)
{
    cc_wipe(st, sizeof *st);
}
