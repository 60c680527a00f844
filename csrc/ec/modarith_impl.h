/* Montgomery arithmetic modulo a 256-bit odd modulus M with 2^255 < M < 2^256, 4x64-bit limbs.
 * Instantiate by defining MA (function prefix), MA_M (limb list, little-endian), MA_MINV
 * (-M^-1 mod 2^64), MA_R1 (2^256 mod M), MA_R2 (2^512 mod M), then including this file.
 * Values are kept fully reduced in [0, M). Every function is constant time in its data
 * (the exponent of MA_pow is public). */
#include "ec_int.h"

#define MAF(name) CC_EC_CAT(MA, name)

static const u256 MAF(_m) = {{MA_M}};
static const u256 MAF(_r1) = {{MA_R1}};
static const u256 MAF(_r2) = {{MA_R2}};

/* r = (c:a) mod M given (c:a) < 2M, c in {0,1}. */
static inline void MAF(_reduce_once)(u256 *r, const uint64_t a[4], uint64_t c)
{
    static const uint64_t m[4] = {MA_M};
    uint64_t t[4], b = 0;
    for (int i = 0; i < 4; i++) {
        u128 d = (u128)a[i] - m[i] - b;
        t[i] = (uint64_t)d;
        b = (uint64_t)(d >> 64) & 1;
    }
    /* keep a iff no carry-in and the subtraction borrowed */
    uint64_t keep = (uint64_t)0 - (b & (c ^ 1));
    for (int i = 0; i < 4; i++)
        r->d[i] = (a[i] & keep) | (t[i] & ~keep);
}

static inline void MAF(mul)(u256 *r, const u256 *a, const u256 *b)
{
    static const uint64_t m[4] = {MA_M};
    uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5;
    for (int i = 0; i < 4; i++) {
        uint64_t bi = b->d[i];
        u128 x;
        x = (u128)a->d[0] * bi + t0; t0 = (uint64_t)x;
        x = (u128)a->d[1] * bi + t1 + (uint64_t)(x >> 64); t1 = (uint64_t)x;
        x = (u128)a->d[2] * bi + t2 + (uint64_t)(x >> 64); t2 = (uint64_t)x;
        x = (u128)a->d[3] * bi + t3 + (uint64_t)(x >> 64); t3 = (uint64_t)x;
        x = (u128)t4 + (uint64_t)(x >> 64); t4 = (uint64_t)x; t5 = (uint64_t)(x >> 64);
        uint64_t q = t0 * (uint64_t)MA_MINV;
        x = (u128)q * m[0] + t0;
        x = (u128)q * m[1] + t1 + (uint64_t)(x >> 64); t0 = (uint64_t)x;
        x = (u128)q * m[2] + t2 + (uint64_t)(x >> 64); t1 = (uint64_t)x;
        x = (u128)q * m[3] + t3 + (uint64_t)(x >> 64); t2 = (uint64_t)x;
        x = (u128)t4 + (uint64_t)(x >> 64); t3 = (uint64_t)x;
        t4 = t5 + (uint64_t)(x >> 64);
    }
    uint64_t t[4] = {t0, t1, t2, t3};
    MAF(_reduce_once)(r, t, t4);
}

static inline void MAF(sqr)(u256 *r, const u256 *a)
{
    MAF(mul)(r, a, a);
}

static inline void MAF(add)(u256 *r, const u256 *a, const u256 *b)
{
    uint64_t t[4], c = 0;
    for (int i = 0; i < 4; i++) {
        u128 s = (u128)a->d[i] + b->d[i] + c;
        t[i] = (uint64_t)s;
        c = (uint64_t)(s >> 64);
    }
    MAF(_reduce_once)(r, t, c);
}

static inline void MAF(sub)(u256 *r, const u256 *a, const u256 *b)
{
    static const uint64_t m[4] = {MA_M};
    uint64_t t[4], bw = 0;
    for (int i = 0; i < 4; i++) {
        u128 d = (u128)a->d[i] - b->d[i] - bw;
        t[i] = (uint64_t)d;
        bw = (uint64_t)(d >> 64) & 1;
    }
    uint64_t mask = (uint64_t)0 - bw, c = 0;
    for (int i = 0; i < 4; i++) {
        u128 s = (u128)t[i] + (m[i] & mask) + c;
        r->d[i] = (uint64_t)s;
        c = (uint64_t)(s >> 64);
    }
}

static inline void MAF(neg)(u256 *r, const u256 *a)
{
    u256 z = {{0, 0, 0, 0}};
    MAF(sub)(r, &z, a);
}

static inline void MAF(dbl)(u256 *r, const u256 *a) { MAF(add)(r, a, a); }

static inline void MAF(to_mont)(u256 *r, const u256 *a) { MAF(mul)(r, a, &MAF(_r2)); }

static inline void MAF(from_mont)(u256 *r, const u256 *a)
{
    const u256 one = {{1, 0, 0, 0}};
    MAF(mul)(r, a, &one);
}

static inline void MAF(set_one)(u256 *r) { *r = MAF(_r1); }

/* r = a^e (Montgomery form in and out); fixed 4-bit window, e public. */
static void MAF(pow)(u256 *r, const u256 *a, const u256 *e)
{
    u256 tab[16], acc;
    tab[0] = MAF(_r1);
    tab[1] = *a;
    for (int i = 2; i < 16; i++)
        MAF(mul)(&tab[i], &tab[i - 1], a);
    acc = MAF(_r1);
    for (int i = 63; i >= 0; i--) {
        if (i != 63) {
            MAF(sqr)(&acc, &acc);
            MAF(sqr)(&acc, &acc);
            MAF(sqr)(&acc, &acc);
            MAF(sqr)(&acc, &acc);
        }
        unsigned nib = (unsigned)(e->d[i / 16] >> (4 * (i % 16))) & 15;
        MAF(mul)(&acc, &acc, &tab[nib]);
    }
    *r = acc;
    cc_wipe(tab, sizeof tab);
}

/* r = a^-1 (Montgomery form); 0 maps to 0. Constant time. */
static void MAF(inv)(u256 *r, const u256 *a)
{
    u256 e = MAF(_m);
    e.d[0] -= 2; /* M is odd and > 2: no borrow */
    MAF(pow)(r, a, &e);
}

#undef MAF
#undef MA
#undef MA_M
#undef MA_MINV
#undef MA_R1
#undef MA_R2
