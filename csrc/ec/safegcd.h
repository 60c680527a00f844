/* Constant-time modular inversion by Bernstein and Yang's divsteps ("Fast constant-time gcd
 * computation and modular inversion", 2019), for an odd modulus M < 2^256.
 *
 * Why: the Fermat inversion (a^(M-2), 252 squarings and 64 products) was about 4.5 us, a
 * quarter of a single signature, which takes two (the x of kG, and 1/k). Divsteps need no
 * products mod M: 12 rounds of 62 steps on two machine words, each round applied to the full
 * numbers as a 2x2 matrix of integers below 2^62.
 *
 * The classic divstep from delta = 1: if delta > 0 and g is odd, (delta, f, g) becomes
 * (1 - delta, g, (g - f) / 2), else (1 + delta, f, (g + (g mod 2) f) / 2). From f = M, g = a,
 * after Theorem 11.2 of the paper's bound (floor((49 * 256 + 57) / 17) = 741 steps for
 * numbers below 2^256) g is 0 and f is +-gcd(M, a) = +-1; 12 * 62 = 744 steps are run.
 * Alongside, d and e with f = d a and g = e a (mod M) go through the same matrices, divided by
 * 2^62 each round by adding the multiple of M that makes them divisible (as in Montgomery
 * reduction) and brought back into [0, M); at the end a^-1 = d f.
 *
 * Every loop has a fixed count and every choice is a mask: nothing branches on or indexes by
 * the data. Numbers are five signed 62-bit limbs, value sum v[i] 2^(62 i), v[0..3] in
 * [0, 2^62) and v[4] signed. The divsteps work on uint64_t (two's complement) so that no step
 * overflows a signed type; the matrix entries stay within [-2^62, 2^62] (each row's absolute
 * values sum to at most 2^62), and the products with limbs fit __int128. */
#ifndef CC_EC_SAFEGCD_H
#define CC_EC_SAFEGCD_H

#include "ec_int.h"

typedef __int128 cc_i128;

#define CC_S62_MASK ((((uint64_t)1) << 62) - 1)

typedef struct {
    int64_t v[5];
} cc_s62;

typedef struct {
    int64_t u, v, q, r; /* 2^62 f' = u f + v g, 2^62 g' = q f + r g */
} cc_divmat;

/* 62 divsteps on the low 64 bits of f and g (f odd): their matrix to *t; returns the new
 * delta. After i steps only the low 64 - i bits of f and g are right, and step i reads only
 * bit 0 of g. */
static inline int64_t cc_divsteps_62(int64_t delta, uint64_t f, uint64_t g, cc_divmat *t)
{
    uint64_t u = 1, v = 0, q = 0, r = 1, d = (uint64_t)delta, x;
    for (int i = 0; i < 62; i++) {
        /* all ones when delta > 0 (-delta negative) and g is odd: swap, negating the new g */
        const uint64_t m = ((uint64_t)0 - ((0 - d) >> 63)) & ((uint64_t)0 - (g & 1));
        x = (f ^ g) & m;
        f ^= x;
        g ^= x;
        g = (g ^ m) - m;
        x = (u ^ q) & m;
        u ^= x;
        q ^= x;
        q = (q ^ m) - m;
        x = (v ^ r) & m;
        v ^= x;
        r ^= x;
        r = (r ^ m) - m;
        d = (d ^ m) - m;
        /* g += f when g is odd, then halve; f's row doubles to keep the matrix integral */
        const uint64_t odd = (uint64_t)0 - (g & 1);
        g = (g + (f & odd)) >> 1;
        q += u & odd;
        r += v & odd;
        u <<= 1;
        v <<= 1;
        d += 1;
    }
    t->u = (int64_t)u;
    t->v = (int64_t)v;
    t->q = (int64_t)q;
    t->r = (int64_t)r;
    return (int64_t)d;
}

/* cc_divsteps_62 in variable time, for public data: the same steps, so the same matrix and
 * delta, taken in runs. Where g is even, its run of zero bits at once (each step: g / 2, f's row
 * doubling). Where g is odd and delta <= 0, the next k = min(1 - delta, steps left, 6) steps
 * cannot swap (delta stays <= 0 while g is odd), and each adds f when g is odd: together they
 * add w f, w = -g / f mod 2^k, which zeroes g's k low bits; the zero run then halves. Those low
 * bits are right: after i steps the low 64 - i bits are, and k <= 62 - i. The entries are
 * computed mod 2^64, exact since the results lie in [-2^62, 2^62]. */
static inline int64_t cc_divsteps_62_var(int64_t delta, uint64_t f, uint64_t g, cc_divmat *t)
{
    uint64_t u = 1, v = 0, q = 0, r = 1, x;
    int left = 62;
    for (;;) {
        const int z = __builtin_ctzll(g | ((uint64_t)1 << left));
        g >>= z;
        u <<= z;
        v <<= z;
        delta += z;
        left -= z;
        if (left == 0)
            break;
        if (delta > 0) { /* g odd: swap, negating the new g */
            delta = -delta;
            x = f;
            f = g;
            g = 0 - x;
            x = u;
            u = q;
            q = 0 - x;
            x = v;
            v = r;
            r = 0 - x;
        }
        int k = 1 - (int)delta;
        k = k < left ? k : left;
        k = k < 6 ? k : 6;
        const uint64_t finv = f * (2 - f * f); /* f^-1 mod 64: f f = 1 mod 8, one Newton step */
        const uint64_t w = (0 - g * finv) & ((((uint64_t)1) << k) - 1);
        g += w * f;
        q += w * u;
        r += w * v;
    }
    t->u = (int64_t)u;
    t->v = (int64_t)v;
    t->q = (int64_t)q;
    t->r = (int64_t)r;
    return delta;
}

/* (f, g) = (u f + v g, q f + r g) / 2^62, exact. */
static inline void cc_s62_update_fg(cc_s62 *f, cc_s62 *g, const cc_divmat *t)
{
    cc_i128 cf = (cc_i128)t->u * f->v[0] + (cc_i128)t->v * g->v[0];
    cc_i128 cg = (cc_i128)t->q * f->v[0] + (cc_i128)t->r * g->v[0];
    cf >>= 62;
    cg >>= 62;
    for (int i = 1; i < 5; i++) {
        cf += (cc_i128)t->u * f->v[i] + (cc_i128)t->v * g->v[i];
        cg += (cc_i128)t->q * f->v[i] + (cc_i128)t->r * g->v[i];
        f->v[i - 1] = (int64_t)((uint64_t)cf & CC_S62_MASK);
        g->v[i - 1] = (int64_t)((uint64_t)cg & CC_S62_MASK);
        cf >>= 62;
        cg >>= 62;
    }
    f->v[4] = (int64_t)cf;
    g->v[4] = (int64_t)cg;
}

/* Limbs in (-2^62, 2^63) back to canonical form (v[0..3] in [0, 2^62)), carrying upward. */
static inline void cc_s62_carry(cc_s62 *x)
{
    int64_t c = 0;
    for (int i = 0; i < 4; i++) {
        c += x->v[i];
        x->v[i] = (int64_t)((uint64_t)c & CC_S62_MASK);
        c >>= 62;
    }
    x->v[4] += c;
}

/* x in (-M, 2M) to [0, M): add M if negative, then subtract M unless that goes negative. */
static inline void cc_s62_normalize(cc_s62 *x, const cc_s62 *m)
{
    const int64_t neg = x->v[4] >> 63;
    cc_s62 t;
    for (int i = 0; i < 5; i++)
        x->v[i] += m->v[i] & neg;
    cc_s62_carry(x);
    for (int i = 0; i < 5; i++)
        t.v[i] = x->v[i] - m->v[i];
    cc_s62_carry(&t);
    const int64_t keep = t.v[4] >> 63; /* x < M: keep x */
    for (int i = 0; i < 5; i++)
        x->v[i] = (x->v[i] & keep) | (t.v[i] & ~keep);
}

/* (d, e) = (u d + v e, q d + r e) / 2^62 mod M, for d, e in [0, M); results in [0, M).
 * minv62 = M^-1 mod 2^62. */
static inline void cc_s62_update_de(cc_s62 *d, cc_s62 *e, const cc_divmat *t, const cc_s62 *m,
                                    uint64_t minv62)
{
    cc_i128 cd = (cc_i128)t->u * d->v[0] + (cc_i128)t->v * e->v[0];
    cc_i128 ce = (cc_i128)t->q * d->v[0] + (cc_i128)t->r * e->v[0];
    /* the multiples of M, in [0, 2^62), that zero the low 62 bits */
    const int64_t md = (int64_t)((0 - (uint64_t)cd * minv62) & CC_S62_MASK);
    const int64_t me = (int64_t)((0 - (uint64_t)ce * minv62) & CC_S62_MASK);
    cd += (cc_i128)md * m->v[0];
    ce += (cc_i128)me * m->v[0];
    cd >>= 62;
    ce >>= 62;
    for (int i = 1; i < 5; i++) {
        cd += (cc_i128)t->u * d->v[i] + (cc_i128)t->v * e->v[i] + (cc_i128)md * m->v[i];
        ce += (cc_i128)t->q * d->v[i] + (cc_i128)t->r * e->v[i] + (cc_i128)me * m->v[i];
        d->v[i - 1] = (int64_t)((uint64_t)cd & CC_S62_MASK);
        e->v[i - 1] = (int64_t)((uint64_t)ce & CC_S62_MASK);
        cd >>= 62;
        ce >>= 62;
    }
    d->v[4] = (int64_t)cd;
    e->v[4] = (int64_t)ce;
    /* |u d + v e| < 2^62 M, and md M < 2^62 M: now in (-M, 2M) */
    cc_s62_normalize(d, m);
    cc_s62_normalize(e, m);
}

static inline void cc_s62_from_u256(cc_s62 *r, const u256 *a)
{
    r->v[0] = (int64_t)(a->d[0] & CC_S62_MASK);
    r->v[1] = (int64_t)(((a->d[0] >> 62) | (a->d[1] << 2)) & CC_S62_MASK);
    r->v[2] = (int64_t)(((a->d[1] >> 60) | (a->d[2] << 4)) & CC_S62_MASK);
    r->v[3] = (int64_t)(((a->d[2] >> 58) | (a->d[3] << 6)) & CC_S62_MASK);
    r->v[4] = (int64_t)(a->d[3] >> 56);
}

/* For a in [0, 2^256) in canonical limbs. */
static inline void cc_s62_to_u256(u256 *r, const cc_s62 *a)
{
    const uint64_t v0 = (uint64_t)a->v[0], v1 = (uint64_t)a->v[1], v2 = (uint64_t)a->v[2];
    const uint64_t v3 = (uint64_t)a->v[3], v4 = (uint64_t)a->v[4];
    r->d[0] = v0 | (v1 << 62);
    r->d[1] = (v1 >> 2) | (v2 << 60);
    r->d[2] = (v2 >> 4) | (v3 << 58);
    r->d[3] = (v3 >> 6) | (v4 << 56);
}

/* r = a^-1 mod M for a in [0, M) (0 gives 0); minv62 = M^-1 mod 2^62. Constant time, or with
 * var (public data only; a constant at each call, so each gets its own code) the rounds' steps
 * in runs (cc_divsteps_62_var) and no more rounds once g is 0. */
static inline void cc_modinv(u256 *r, const u256 *a, const u256 *mod, uint64_t minv62, int var)
{
    cc_s62 m, f, g, d = {{0, 0, 0, 0, 0}}, e = {{1, 0, 0, 0, 0}};
    cc_divmat t;
    int64_t delta = 1;
    cc_s62_from_u256(&m, mod);
    f = m;
    cc_s62_from_u256(&g, a);
    for (int round = 0; round < 12; round++) {
        if (var && !(g.v[0] | g.v[1] | g.v[2] | g.v[3] | g.v[4]))
            break;
        const uint64_t f0 = (uint64_t)f.v[0] | ((uint64_t)f.v[1] << 62);
        const uint64_t g0 = (uint64_t)g.v[0] | ((uint64_t)g.v[1] << 62);
        delta = var ? cc_divsteps_62_var(delta, f0, g0, &t) : cc_divsteps_62(delta, f0, g0, &t);
        cc_s62_update_fg(&f, &g, &t);
        cc_s62_update_de(&d, &e, &t, &m, minv62);
    }
    /* f = +-1 (or M when a = 0, with d = 0): a^-1 = d f */
    const int64_t neg = f.v[4] >> 63;
    for (int i = 0; i < 5; i++)
        d.v[i] = (d.v[i] ^ neg) - neg;
    cc_s62_carry(&d);
    cc_s62_normalize(&d, &m);
    cc_s62_to_u256(r, &d);
    cc_wipe(&d, sizeof d);
    cc_wipe(&e, sizeof e);
    cc_wipe(&f, sizeof f);
    cc_wipe(&g, sizeof g);
    cc_wipe(&t, sizeof t);
}

#endif
