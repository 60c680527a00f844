/* One curve: field and scalar arithmetic, Jacobian group law, variable-base double-scalar
 * multiplication (verification), constant-time fixed-base comb (signing, key generation), and
 * the per-item SM2/ECDSA operations. Instantiated once per curve by curve_<name>.c after
 * including tables_<name>.h and defining EC_CURVE_VAR. */
#include "ec_int.h"
#include "ec_internal.h"

/* field mod p */
#define MA fe_
#define MA_M EC_P
#define MA_MINV EC_PINV
#define MA_R1 EC_P_R1
#define MA_R2 EC_P_R2
#define MA_P256 EC_P_IS_P256
#define MA_K1 EC_P_IS_K1
#define MA_SM2 EC_P_IS_SM2
#include "modarith_impl.h"
/* scalars mod n */
#define MA sc_
#define MA_M EC_N
#define MA_MINV EC_NINV
#define MA_R1 EC_N_R1
#define MA_R2 EC_N_R2
#define MA_P256 0
#define MA_K1 0
#define MA_SM2 0
#include "modarith_impl.h"

static const u256 ec_p = {{EC_P}};
static const u256 ec_n = {{EC_N}};
static const u256 ec_n_half = {{EC_N_HALF}};
static const u256 ec_b = {{EC_B_MONT}};

typedef struct { u256 x, y; } ge;            /* affine, Montgomery form */
typedef struct { u256 x, y, z; int inf; } gej; /* Jacobian: (X/Z^2, Y/Z^3) */

static inline int fe_is_zero(const u256 *a) { return (int)(u256_is_zero_mask(a) & 1); }
static inline int fe_equal(const u256 *a, const u256 *b) { return (int)(u256_eq_mask(a, b) & 1); }

/* y^2 == x^3 + a x + b (Montgomery form). */
static int ge_on_curve(const ge *p)
{
    u256 lhs, rhs, t;
    fe_sqr(&lhs, &p->y);
    fe_sqr(&rhs, &p->x);
    fe_mul(&rhs, &rhs, &p->x);
#if EC_A_IS_M3
    fe_add(&t, &p->x, &p->x);
    fe_add(&t, &t, &p->x);
    fe_sub(&rhs, &rhs, &t);
#else
    (void)t;
#endif
    fe_add(&rhs, &rhs, &ec_b);
    return fe_equal(&lhs, &rhs);
}

/* Load X||Y, check coordinates < p and the curve equation. */
static int ge_load(ge *r, const uint8_t pub[64])
{
    u256 x, y;
    u256_load(&x, pub);
    u256_load(&y, pub + 32);
    if (!(u256_lt_mask(&x, &ec_p) & u256_lt_mask(&y, &ec_p) & 1))
        return 0;
    fe_to_mont(&r->x, &x);
    fe_to_mont(&r->y, &y);
    return ge_on_curve(r);
}

static void ge_store(uint8_t pub[64], const ge *p)
{
    u256 t;
    fe_from_mont(&t, &p->x);
    u256_store(pub, &t);
    fe_from_mont(&t, &p->y);
    u256_store(pub + 32, &t);
}

/* Decompression in two halves around the square root, so that a group's roots can be taken
 * together (fe_sqrt_group: key parsing, recovery): rhs = x^3 + a x + b for x plain (< p
 * checked here; xm gets x in Montgomery form), then, given y = rhs^((p+1)/4), r = (x, +-y) with
 * y's parity odd, or 0 where rhs is not a square. */
static int ge_xo_rhs(u256 *xm, u256 *rhs, const u256 *x)
{
    u256 t;
    if (!(u256_lt_mask(x, &ec_p) & 1))
        return 0;
    fe_to_mont(xm, x);
    fe_sqr(rhs, xm);
    fe_mul(rhs, rhs, xm);
#if EC_A_IS_M3
    fe_add(&t, xm, xm);
    fe_add(&t, &t, xm);
    fe_sub(rhs, rhs, &t);
#else
    (void)t;
#endif
    fe_add(rhs, rhs, &ec_b);
    return 1;
}

/* (p+1)/4, the square root's exponent: p = 3 mod 4 for all three curves (p + 1 < 2^256) */
static inline void sqrt_exponent(u256 *e)
{
    static const u256 one = {{1, 0, 0, 0}};
    u256_add(e, &ec_p, &one);
    for (int i = 0; i < 4; i++)
        e->d[i] = (e->d[i] >> 2) | (i < 3 ? e->d[i + 1] << 62 : 0);
}

#if EC_P_IS_K1
/* r = a^(2^n) */
static void fe_sqr_n(u256 *r, const u256 *a, int n)
{
    fe_sqr(r, a);
    while (--n > 0)
        fe_sqr(r, r);
}

/* r = a^((p+1)/4) on secp256k1 by an addition chain: the exponent is 223 ones, a zero, 22 ones,
 * four zeros, two ones and two zeros, built from x_k = a^(2^k - 1) (x_(j+k) = x_j^(2^k) x_k):
 * 253 squarings and 13 products, where fe_pow's 4-bit window takes 252 and 78. */
static void fe_sqrt_k1(u256 *r, const u256 *a)
{
    u256 x2, x3, x6, x11, x22, x44, t;
    fe_sqr(&x2, a);
    fe_mul(&x2, &x2, a);
    fe_sqr(&x3, &x2);
    fe_mul(&x3, &x3, a);
    fe_sqr_n(&x6, &x3, 3);
    fe_mul(&x6, &x6, &x3);
    fe_sqr_n(&x11, &x6, 3); /* x9 */
    fe_mul(&x11, &x11, &x3);
    fe_sqr_n(&x11, &x11, 2);
    fe_mul(&x11, &x11, &x2);
    fe_sqr_n(&x22, &x11, 11);
    fe_mul(&x22, &x22, &x11);
    fe_sqr_n(&x44, &x22, 22);
    fe_mul(&x44, &x44, &x22);
    fe_sqr_n(&t, &x44, 44); /* x88 */
    fe_mul(&t, &t, &x44);
    u256 x88 = t;
    fe_sqr_n(&t, &t, 88); /* x176 */
    fe_mul(&t, &t, &x88);
    fe_sqr_n(&t, &t, 44); /* x220 */
    fe_mul(&t, &t, &x44);
    fe_sqr_n(&t, &t, 3); /* x223 */
    fe_mul(&t, &t, &x3);
    fe_sqr_n(&t, &t, 23);
    fe_mul(&t, &t, &x22);
    fe_sqr_n(&t, &t, 6);
    fe_mul(&t, &t, &x2);
    fe_sqr_n(r, &t, 2);
}
#endif

static int ge_xo_finish(ge *r, const u256 *xm, const u256 *rhs, const u256 *y, int odd)
{
    u256 t;
    fe_sqr(&t, y);
    if (!fe_equal(&t, rhs))
        return 0;
    r->x = *xm;
    r->y = *y;
    fe_from_mont(&t, y);
    if ((int)(t.d[0] & 1) != odd)
        fe_neg(&r->y, y);
    return 1;
}

static void gej_set_ge(gej *r, const ge *a)
{
    r->x = a->x;
    r->y = a->y;
    fe_set_one(&r->z);
    r->inf = 0;
}

/* r = 2a. The slope's numerator halved, L = M / 2 with M = 3 X^2 + a Z^4, gives the double
 * scaled by 1/2 (Jacobian coordinates are defined up to (u^2 X, u^3 Y, u Z)): X3 = L^2 - 2 T,
 * Y3 = L (T - X3) - Y^4, Z3 = Y Z with T = X Y^2. Six additions (a = 0) or eight (a = -3) where
 * the textbook formulas took eleven and thirteen; on a = 0 one product replaces a square. */
static void gej_double(gej *r, const gej *a)
{
    if (a->inf) {
        r->inf = 1;
        return;
    }
    u256 l, h, s, t, x3, y3;
#if EC_A_IS_M3
    fe_sqr(&t, &a->z); /* M = 3 (X - Z^2)(X + Z^2) */
    fe_sub(&h, &a->x, &t);
    fe_add(&t, &a->x, &t);
    fe_mul(&l, &h, &t);
#else
    fe_sqr(&l, &a->x); /* M = 3 X^2 */
#endif
    fe_half(&h, &l);
    fe_add(&l, &l, &h);
    fe_sqr(&s, &a->y);
    fe_mul(&t, &a->x, &s);
    fe_sqr(&x3, &l);
    fe_sub(&x3, &x3, &t);
    fe_sub(&x3, &x3, &t);
    fe_sub(&t, &t, &x3);
    fe_mul(&y3, &l, &t);
    fe_sqr(&s, &s);
    fe_sub(&y3, &y3, &s);
    fe_mul(&r->z, &a->y, &a->z);
    r->x = x3;
    r->y = y3;
    r->inf = 0;
}

/* r = a + b, variable time (public data only); r may alias a. b is affine, or with bzinv it
 * stands for the Jacobian (b.x, b.y, 1 / bzinv): a point of a table on a common Z (see
 * ecmult_table_globalz) added into an accumulator in that table's coordinates costs one product
 * more and no inversion. Where zr is given and the sum is a plain addition (a, b not equal, not
 * opposite, a not infinity), r.z = a.z zr. */
static void gej_add_ge_zinv_var(gej *r, const gej *a, const ge *b, const u256 *bzinv, u256 *zr)
{
    if (a->inf) {
        gej_set_ge(r, b);
        if (bzinv) { /* (b.x, b.y, 1 / bzinv) = (b.x bzinv^2, b.y bzinv^3, 1) */
            u256 i2, i3;
            fe_sqr(&i2, bzinv);
            fe_mul(&i3, &i2, bzinv);
            fe_mul(&r->x, &r->x, &i2);
            fe_mul(&r->y, &r->y, &i3);
        }
        return;
    }
    u256 az, z1z1, u2, s2, h, rr, h2, h3, v, t;
    const u256 *z = &a->z;
    if (bzinv) { /* a in the coordinates where b is affine */
        fe_mul(&az, &a->z, bzinv);
        z = &az;
    }
    fe_sqr(&z1z1, z);
    fe_mul(&u2, &b->x, &z1z1);
    fe_mul(&s2, &b->y, z);
    fe_mul(&s2, &s2, &z1z1);
    fe_sub(&h, &u2, &a->x);
    fe_sub(&rr, &s2, &a->y);
    if (fe_is_zero(&h)) {
        if (fe_is_zero(&rr))
            gej_double(r, a);
        else
            r->inf = 1;
        return;
    }
    fe_sqr(&h2, &h);
    fe_mul(&h3, &h, &h2);
    fe_mul(&v, &a->x, &h2);
    fe_mul(&r->z, &a->z, &h); /* back in a's coordinates */
    if (zr)
        *zr = h;
    fe_sqr(&t, &rr);
    fe_sub(&t, &t, &h3);
    fe_sub(&t, &t, &v);
    fe_sub(&t, &t, &v);
    fe_mul(&h3, &h3, &a->y);
    fe_sub(&v, &v, &t);
    fe_mul(&v, &v, &rr);
    fe_sub(&r->y, &v, &h3);
    r->x = t;
    r->inf = 0;
}

static inline void gej_add_ge_var(gej *r, const gej *a, const ge *b)
{
    gej_add_ge_zinv_var(r, a, b, NULL, NULL);
}

/* wNAF width of the variable point in verification and recovery: a table of its P_TAB odd
 * multiples P, 3P, ..., 15P. */
#define P_WINDOW 5
#define P_TAB (1 << (P_WINDOW - 2))
/* Affine a[i] of the Jacobian R[i] for i < n <= CC_EC_GROUP (none at infinity), with one
 * inversion for all (fe_inv_all; fe_inv_all_var with var, for public data). Constant time
 * unless var. */
static void ge_set_all_gej(ge *a, const gej *R, size_t n, int var)
{
    u256 z[CC_EC_GROUP], c[CC_EC_GROUP], zi2;
    for (size_t i = 0; i < n; i++)
        z[i] = R[i].z;
    if (var)
        fe_inv_all_var(z, n, c);
    else
        fe_inv_all(z, n, c);
    for (size_t i = 0; i < n; i++) {
        fe_sqr(&zi2, &z[i]);
        fe_mul(&a[i].x, &R[i].x, &zi2);
        fe_mul(&zi2, &zi2, &z[i]);
        fe_mul(&a[i].y, &R[i].y, &zi2);
    }
    cc_wipe(z, n * sizeof *z);
    cc_wipe(&zi2, sizeof zi2);
}

/* ---- fixed-base comb, constant time: R = k*G for 1 <= k < n ----
 * k is recoded into EC_COMB_WINDOWS signed digits d_i in [-31, 32] (6-bit windows, carry into
 * the next window; the top window holds at most 4 bits + carry), so k = sum d_i 64^i and
 * ec_comb[i][|d|-1] = |d| * 64^i * G is selected by a full scan, then negated in constant time.
 * The accumulator holds sum_{j<i} d_j 64^j, of absolute value < 64^i / 2 while |d_i| 64^i >= 64^i,
 * so for k in [1, n-1] the addition is never a doubling and never yields infinity. */

/* |d_i| of window i (windows taken in order from 0, *carry = 0 before the first); *neg becomes
 * all ones where d_i < 0, else 0. Constant time. */
static uint64_t comb_digit(const u256 *k, int i, uint64_t *carry, uint64_t *neg)
{
    int pos = EC_COMB_W * i, limb = pos >> 6, off = pos & 63;
    uint64_t v = k->d[limb] >> off;
    if (off > 64 - EC_COMB_W && limb < 3)
        v |= k->d[limb + 1] << (64 - off);
    v = (v & ((1u << EC_COMB_W) - 1)) + *carry;           /* 0 .. 64 */
    *carry = ((uint64_t)(1u << (EC_COMB_W - 1)) - v) >> 63; /* v > 32 */
    *neg = (uint64_t)0 - *carry;
    return (v & ~*neg) | ((((uint64_t)1 << EC_COMB_W) - v) & *neg);
}

#if CC_EC_ADX && defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx2"))) /* the table scan; api.c picks this build only with AVX2 */
#endif
static void ecmult_gen(gej *r, const u256 *k)
{
    gej acc;
    uint64_t acc_inf = ~(uint64_t)0, carry = 0;
    fe_set_one(&acc.x);
    fe_set_one(&acc.y);
    fe_set_one(&acc.z);
    acc.inf = 0;
    u256 one;
    fe_set_one(&one);
    /* Everything derived from k lives here, wiped once at the end: the chosen table entry
     * alone would tell a later reader of the stack a digit of the key or nonce. */
    ge t;
    u256 ny, z1z1, u2, s2, h, rr, h2, h3, vv, x3, y3, z3;
    uint64_t neg, d, dz;
    for (int i = 0; i < EC_COMB_WINDOWS; i++) {
        d = comb_digit(k, i, &carry, &neg);
        memset(&t, 0, sizeof t);
        for (uint64_t j = 0; j < (1u << (EC_COMB_W - 1)); j++) {
            uint64_t m = (((d ^ (j + 1)) - 1) >> 63) * ~(uint64_t)0; /* d == j+1 */
            const uint64_t *e = ec_comb[i][j];
            for (int l = 0; l < 4; l++) {
                t.x.d[l] |= e[l] & m;
                t.y.d[l] |= e[4 + l] & m;
            }
        }
        fe_neg(&ny, &t.y);
        u256_cmov(&t.y, &ny, neg);
        /* generic mixed addition acc + t (no special cases) */
        fe_sqr(&z1z1, &acc.z);
        fe_mul(&u2, &t.x, &z1z1);
        fe_mul(&s2, &t.y, &acc.z);
        fe_mul(&s2, &s2, &z1z1);
        fe_sub(&h, &u2, &acc.x);
        fe_sub(&rr, &s2, &acc.y);
        fe_sqr(&h2, &h);
        fe_mul(&h3, &h, &h2);
        fe_mul(&vv, &acc.x, &h2);
        fe_mul(&z3, &acc.z, &h);
        fe_sqr(&x3, &rr);
        fe_sub(&x3, &x3, &h3);
        fe_sub(&x3, &x3, &vv);
        fe_sub(&x3, &x3, &vv);
        fe_mul(&h3, &h3, &acc.y);
        fe_sub(&vv, &vv, &x3);
        fe_mul(&vv, &vv, &rr);
        fe_sub(&y3, &vv, &h3);
        dz = ((d - 1) >> 63) * ~(uint64_t)0; /* d == 0 */
        /* acc was infinity: result is t */
        u256_cmov(&x3, &t.x, acc_inf);
        u256_cmov(&y3, &t.y, acc_inf);
        u256_cmov(&z3, &one, acc_inf);
        /* d == 0: keep acc */
        u256_cmov(&acc.x, &x3, ~dz);
        u256_cmov(&acc.y, &y3, ~dz);
        u256_cmov(&acc.z, &z3, ~dz);
        acc_inf &= dz;
    }
    *r = acc;
    r->inf = (int)(acc_inf & 1);
    cc_wipe(&acc, sizeof acc);
    cc_wipe(&t, sizeof t);
    u256 *const used[] = {&ny, &z1z1, &u2, &s2, &h, &rr, &h2, &h3, &vv, &x3, &y3, &z3};
    for (size_t j = 0; j < sizeof used / sizeof used[0]; j++)
        cc_wipe(used[j], sizeof *used[j]);
    uint64_t *const words[] = {&neg, &d, &dz, &carry};
    for (size_t j = 0; j < sizeof words / sizeof words[0]; j++)
        cc_wipe(words[j], sizeof *words[j]);
}

/* ---- variable-base: R = u1*G + u2*P (public data, variable time) ---- */
#define WNAF_LEN 257

/* Bits bit .. bit + 63 of s, zeros past bit 255. */
static inline uint64_t u256_bits64(const u256 *s, int bit)
{
    if (bit >= 256)
        return 0;
    const int q = bit >> 6, o = bit & 63;
    uint64_t x = s->d[q] >> o;
    if (o && q < 3)
        x |= s->d[q + 1] << (64 - o);
    return x;
}

/* The width-win NAF of s: w[i] odd in (-2^(win-1), 2^(win-1)) or 0, at least win - 1 zeros after
 * each nonzero digit, sum w[i] 2^i = s. Each run of digits 0 (bits equal to the carry) is
 * skipped at once, so that no branch of a digit depends on the bits (a branch the predictor
 * would lose about half the time). Public data: variable time. */
static void wnaf(int16_t *w, const u256 *s, int win)
{
    int carry = 0, bit = 0;
    memset(w, 0, WNAF_LEN * sizeof *w);
    for (;;) {
        uint64_t run = u256_bits64(s, bit) ^ ((uint64_t)0 - (uint64_t)carry);
        while (!run && bit < WNAF_LEN) { /* 64 digits 0: rare but for the top */
            bit += 64;
            run = u256_bits64(s, bit) ^ ((uint64_t)0 - (uint64_t)carry);
        }
        bit += run ? __builtin_ctzll(run) : 0;
        if (bit >= WNAF_LEN)
            break;
        const int now = win < WNAF_LEN - bit ? win : WNAF_LEN - bit;
        int word = (int)(u256_bits64(s, bit) & ((1u << now) - 1)) + carry;
        carry = (word >> (win - 1)) & 1;
        word -= carry << win;
        w[bit] = (int16_t)word;
        bit += now;
    }
}

#if EC_GLV
static void wnaf_neg(int16_t *w, int neg)
{
    if (neg)
        for (int i = 0; i < WNAF_LEN; i++)
            w[i] = (int16_t)-w[i];
}

static const u256 glv_beta = {{EC_BETA_MONT}};
static const u256 glv_lambda = {{EC_GLV_LAMBDA}}, glv_g1 = {{EC_GLV_G1}}, glv_g2 = {{EC_GLV_G2}};
static const u256 glv_mb1 = {{EC_GLV_MINUS_B1}}, glv_mb2 = {{EC_GLV_MINUS_B2}};

/* round(a * b / 2^384), a, b < 2^256 (public data) */
static void mul_shift_384(u256 *r, const u256 *a, const u256 *b)
{
    uint64_t t[8] = {0};
    for (int i = 0; i < 4; i++) {
        uint64_t c = 0;
        for (int j = 0; j < 4; j++) {
            u128 p = (u128)a->d[i] * b->d[j] + t[i + j] + c;
            t[i + j] = (uint64_t)p;
            c = (uint64_t)(p >> 64);
        }
        t[i + 4] = c;
    }
    const u256 rnd = {{t[5] >> 63, 0, 0, 0}};
    r->d[0] = t[6];
    r->d[1] = t[7];
    r->d[2] = r->d[3] = 0;
    (void)u256_add(r, r, &rnd);
}

/* a * b mod n, plain in and out (a < 2^256, b < n) */
static void sc_mul_plain(u256 *r, const u256 *a, const u256 *b)
{
    u256 bm;
    sc_to_mont(&bm, b);
    sc_mul(r, a, &bm);
}

/* k = r1 + r2 * lambda mod n with |r1|, |r2| < 2^128 as sign and magnitude (public data). */
static void glv_split(u256 *r1, int *neg1, u256 *r2, int *neg2, const u256 *k)
{
    u256 c1, c2, t;
    mul_shift_384(&c1, k, &glv_g1);
    mul_shift_384(&c2, k, &glv_g2);
    sc_mul_plain(&c1, &c1, &glv_mb1);
    sc_mul_plain(&c2, &c2, &glv_mb2);
    sc_add(r2, &c1, &c2);
    sc_mul_plain(&t, r2, &glv_lambda);
    sc_sub(r1, k, &t);
    *neg1 = (int)(u256_lt_mask(&ec_n_half, r1) & 1);
    if (*neg1)
        sc_neg(r1, r1);
    *neg2 = (int)(u256_lt_mask(&ec_n_half, r2) & 1);
    if (*neg2)
        sc_neg(r2, r2);
}
#endif

/* a = -a where neg: without a branch, since a digit's sign is a coin toss the predictor loses
 * about half the time (public data all the same). */
static inline void fe_cneg(u256 *a, int neg)
{
    u256 t;
    fe_neg(&t, a);
    u256_cmov(a, &t, (uint64_t)0 - (uint64_t)neg);
}

static inline void ecmult_add_g(gej *acc, int d, int endo, const u256 *zg)
{
    ge t;
    const uint64_t *e = ec_gtab[(d < 0 ? -d : d) >> 1];
    memcpy(t.x.d, e, 32);
    memcpy(t.y.d, e + 4, 32);
#if EC_GLV
    if (endo)
        fe_mul(&t.x, &t.x, &glv_beta);
#else
    (void)endo;
#endif
    fe_cneg(&t.y, d < 0);
    gej_add_ge_zinv_var(acc, acc, &t, zg, NULL);
}

static inline void ecmult_add_p(gej *acc, const ge *pt, int d)
{
    ge q = pt[(d < 0 ? -d : d) >> 1];
    fe_cneg(&q.y, d < 0);
    gej_add_ge_var(acc, acc, &q);
}

/* The odd multiples (2i + 1) P, i < P_TAB, of an affine P on one Z and without an inversion:
 * (pt[i].x, pt[i].y, *zg) in Jacobian coordinates. D = 2P = (X, Y, Z) is the affine (X, Y) on the
 * curve scaled by Z (x -> x Z^2, y -> y Z^3, where P is (x Z^2, y Z^3)), so that the multiples
 * there take mixed additions; each one's Z ratio to the one before brings them all onto the
 * last one's Z, which times D's Z is *zg. P must be valid: of prime order n, so no multiple below
 * 2 P_TAB is infinity and no two are equal or opposite. Public data: variable time. */
static void ecmult_table_globalz(ge *pt, u256 *zg, const ge *P)
{
    gej d, a[P_TAB];
    ge d1;
    u256 zr[P_TAB], z2, z3, s2, s3;
    gej_set_ge(&d, P);
    gej_double(&d, &d);
    d1.x = d.x;
    d1.y = d.y;
    fe_sqr(&z2, &d.z);
    fe_mul(&z3, &z2, &d.z);
    gej_set_ge(&a[0], P);
    fe_mul(&a[0].x, &a[0].x, &z2);
    fe_mul(&a[0].y, &a[0].y, &z3);
    for (int i = 1; i < P_TAB; i++)
        gej_add_ge_zinv_var(&a[i], &a[i - 1], &d1, NULL, &zr[i]);
    pt[P_TAB - 1].x = a[P_TAB - 1].x;
    pt[P_TAB - 1].y = a[P_TAB - 1].y;
    u256 s = zr[P_TAB - 1]; /* a[i].z s = a[P_TAB - 1].z */
    for (int i = P_TAB - 2; i >= 0; i--) {
        fe_sqr(&s2, &s);
        fe_mul(&s3, &s2, &s);
        fe_mul(&pt[i].x, &a[i].x, &s2);
        fe_mul(&pt[i].y, &a[i].y, &s3);
        if (i > 0)
            fe_mul(&s, &s, &zr[i]);
    }
    fe_mul(zg, &a[P_TAB - 1].z, &d.z);
}

/* r = u1 G + u2 P given pt, P's odd multiples: affine, or with zg the Jacobian (pt[i].x,
 * pt[i].y, *zg) of ecmult_table_globalz, the sum then formed in pt's coordinates (on a = 0 curves
 * only: the doubling formula for a = -3 reads Z). */
static void ecmult_tabled(gej *r, const u256 *u1, const ge *pt, const u256 *u2, const u256 *zg)
{
#if EC_GLV
    /* u1 G + u2 P = a1 G + a2 (lambda G) + b1 P + b2 (lambda P), halves of ~128 bits:
     * 4-way Straus with half the doublings; lambda (X, Y, Z) = (beta X, Y, Z). */
    enum { NW = 4 };
    int16_t w[NW][WNAF_LEN];
    u256 s[NW];
    int neg[NW];
    ge ptl[P_TAB];
    glv_split(&s[0], &neg[0], &s[1], &neg[1], u1);
    glv_split(&s[2], &neg[2], &s[3], &neg[3], u2);
    for (int j = 0; j < NW; j++) {
        wnaf(w[j], &s[j], j < 2 ? EC_GTAB_W : P_WINDOW);
        wnaf_neg(w[j], neg[j]);
    }
#else
    enum { NW = 2 };
    int16_t w[NW][WNAF_LEN];
    wnaf(w[0], u1, EC_GTAB_W);
    wnaf(w[1], u2, P_WINDOW);
#endif
    gej acc;
    int top = -1;

#if EC_GLV
    for (int i = 0; i < P_TAB; i++) {
        ptl[i] = pt[i];
        fe_mul(&ptl[i].x, &ptl[i].x, &glv_beta);
    }
#endif
    for (int i = WNAF_LEN - 1; i >= 0 && top < 0; i--)
        for (int j = 0; j < NW; j++)
            if (w[j][i])
                top = i;
    acc.inf = 1;
    for (int i = top; i >= 0; i--) {
        gej_double(&acc, &acc);
#if EC_GLV
        if (w[2][i])
            ecmult_add_p(&acc, pt, w[2][i]);
        if (w[3][i])
            ecmult_add_p(&acc, ptl, w[3][i]);
        if (w[0][i])
            ecmult_add_g(&acc, w[0][i], 0, zg);
        if (w[1][i])
            ecmult_add_g(&acc, w[1][i], 1, zg);
#else
        if (w[1][i])
            ecmult_add_p(&acc, pt, w[1][i]);
        if (w[0][i])
            ecmult_add_g(&acc, w[0][i], 0, zg);
#endif
    }
    if (zg && !acc.inf)
        fe_mul(&acc.z, &acc.z, zg); /* back in the curve's coordinates */
    *r = acc;
}

#if CC_EC_IFMA
#include "fe52_ifma.h"
#include "ecmult_ifma.h"
#include "ecmult_gen_ifma.h"
#endif

/* R[j] = k[j] G for j < m <= CC_EC_GROUP, 1 <= k[j] < n: in the AVX-512 lanes where there are
 * enough rows, else the comb a row at a time. Constant time in the k. */
static void ecmult_gen_group(gej *R, const u256 *k, size_t m)
{
#if CC_EC_IFMA
    if (m >= G_MIN_ROWS) {
        ecmult_gen_lanes(R, k, m);
        return;
    }
#endif
    for (size_t j = 0; j < m; j++)
        ecmult_gen(&R[j], &k[j]);
}

/* X[j] = u1[j] G + u2[j] P[j] for j < m <= CC_EC_GROUP (P[j] affine, valid). Each P's table of
 * odd multiples is built here on its own Z; on a = 0 curves it stays there, else the m tables
 * are made affine together, with one variable-time inversion. Public data. */
static void ecmult_group(gej *X, const u256 *u1, const ge *P, const u256 *u2, size_t m)
{
    ge pt[CC_EC_GROUP * P_TAB];
#if CC_EC_IFMA
    /* the rows in AVX-512 lanes, tables included; a row flagged there is done here */
    _Static_assert(CC_EC_GROUP <= FE52_LANES, "a group fits the lanes");
    if (m >= V_MIN_ROWS) {
        fe52_lanes redo = ecmult_lanes(X, u1, P, u2, m, pt);
        for (size_t j = 0; j < m; j++)
            if ((redo >> j) & 1)
                ecmult_tabled(&X[j], &u1[j], &pt[P_TAB * j], &u2[j], NULL);
        return;
    }
#endif
    u256 zg[CC_EC_GROUP];
    for (size_t j = 0; j < m; j++)
        ecmult_table_globalz(&pt[P_TAB * j], &zg[j], &P[j]);
#if EC_A_IS_M3
    /* the tables made affine, one inversion for the group */
    u256 c[CC_EC_GROUP], zi2, zi3;
    fe_inv_all_var(zg, m, c);
    for (size_t j = 0; j < m; j++) {
        fe_sqr(&zi2, &zg[j]);
        fe_mul(&zi3, &zi2, &zg[j]);
        for (size_t i = P_TAB * j; i < P_TAB * (j + 1); i++) {
            fe_mul(&pt[i].x, &pt[i].x, &zi2);
            fe_mul(&pt[i].y, &pt[i].y, &zi3);
        }
        ecmult_tabled(&X[j], &u1[j], &pt[P_TAB * j], &u2[j], NULL);
    }
#else
    for (size_t j = 0; j < m; j++)
        ecmult_tabled(&X[j], &u1[j], &pt[P_TAB * j], &u2[j], &zg[j]);
#endif
}

/* y[j] = rhs[j]^((p+1)/4) for j < m <= CC_EC_GROUP (Montgomery form): in the AVX-512 lanes
 * where there are enough rows, else one exponentiation a row. Public data. */
static void fe_sqrt_group(u256 *y, const u256 *rhs, size_t m)
{
#if CC_EC_IFMA
    if (m >= V_MIN_ROWS) {
        sqrt_lanes(y, rhs, m);
        return;
    }
#endif
#if EC_P_IS_K1
    for (size_t j = 0; j < m; j++)
        fe_sqrt_k1(&y[j], &rhs[j]);
#else
    u256 e;
    sqrt_exponent(&e);
    for (size_t j = 0; j < m; j++)
        fe_pow(&y[j], &rhs[j], &e);
#endif
}

/* Is (X/Z^2) mod n == c, for c < n (plain)? */
static int gej_x_eq_mod_n(const gej *a, const u256 *c)
{
    u256 z2, cm, t, c2;
    fe_sqr(&z2, &a->z);
    fe_to_mont(&cm, c);
    fe_mul(&t, &cm, &z2);
    if (fe_equal(&t, &a->x))
        return 1;
    if (u256_add(&c2, c, &ec_n))
        return 0;
    if (!(u256_lt_mask(&c2, &ec_p) & 1))
        return 0;
    fe_to_mont(&cm, &c2);
    fe_mul(&t, &cm, &z2);
    return fe_equal(&t, &a->x);
}

/* r = a mod n for a < 2^256 (constant time) */
static void sc_reduce(u256 *r, const u256 *a)
{
    sc__reduce_once(r, a->d, 0);
}

/* 1 <= a < n, as a constant-time mask */
static uint64_t sc_range_mask(const u256 *a)
{
    return ~u256_is_zero_mask(a) & u256_lt_mask(a, &ec_n);
}

static int sc_load_range(u256 *r, const uint8_t b[32])
{
    u256_load(r, b);
    return (int)(sc_range_mask(r) & 1);
}

/* ---- per-item operations ---- */

static int op_seckey_check(const uint8_t sk[32], int sm2)
{
    u256 d, lim = ec_n;
    u256_load(&d, sk);
    lim.d[0] -= (uint64_t)(sm2 != 0); /* n is odd: no borrow */
    uint64_t ok = ~u256_is_zero_mask(&d) & u256_lt_mask(&d, &lim);
    cc_wipe(&d, sizeof d);
    return (int)(ok & 1);
}

/* pub[i] = sk[i]*G for i < n, CC_EC_GROUP at a time sharing their inversions; ok[i] = 1 where
 * 1 <= sk[i] < n, else 0 and zeros. */
static void op_pubkey_create(const uint8_t *sk, size_t n, uint8_t *pub, uint8_t *ok)
{
    const u256 one = {{1, 0, 0, 0}};
    u256 d[CC_EC_GROUP];
    gej R[CC_EC_GROUP];
    ge a[CC_EC_GROUP];
    for (size_t at = 0; at < n; at += CC_EC_GROUP) {
        size_t m = n - at < CC_EC_GROUP ? n - at : CC_EC_GROUP;
        for (size_t i = 0; i < m; i++) {
            int v = sc_load_range(&d[i], sk + 32 * (at + i));
            CC_DECLASSIFY(&v, sizeof v);
            ok[at + i] = (uint8_t)v;
            if (!v)
                d[i] = one; /* a stand-in, so that the group's inversion stays defined */
        }
        ecmult_gen_group(R, d, m);
        ge_set_all_gej(a, R, m, 0);
        for (size_t i = 0; i < m; i++) {
            if (ok[at + i])
                ge_store(pub + 64 * (at + i), &a[i]);
            else
                memset(pub + 64 * (at + i), 0, 64);
        }
    }
    cc_wipe(d, sizeof d);
    cc_wipe(R, sizeof R);
}

static int op_pubkey_check(const uint8_t pub[64])
{
    ge a;
    return ge_load(&a, pub);
}

/* Item i is data[offsets[i] .. offsets[i+1]): 04||X||Y, X||Y, or 02/03||X, CC_EC_GROUP items at
 * a time so that the compressed ones' square roots are taken together (fe_sqrt_group). */
static void op_pubkey_parse(const uint8_t *data, const uint64_t *offsets, size_t n, uint8_t *pub,
                            uint8_t *ok)
{
    u256 xm[CC_EC_GROUP], rhs[CC_EC_GROUP], y[CC_EC_GROUP], x;
    size_t cand[CC_EC_GROUP];
    ge a;
    for (size_t at = 0; at < n; at += CC_EC_GROUP) {
        size_t m = n - at < CC_EC_GROUP ? n - at : CC_EC_GROUP, nc = 0;
        for (size_t i = at; i < at + m; i++) {
            size_t len = (size_t)(offsets[i + 1] - offsets[i]);
            const uint8_t *item = len ? data + offsets[i] : NULL;
            int v = 0;
            memset(pub + 64 * i, 0, 64);
            if (len == 65 && item[0] == 0x04)
                v = ge_load(&a, item + 1);
            else if (len == 64)
                v = ge_load(&a, item);
            else if (len == 33 && (item[0] == 0x02 || item[0] == 0x03)) {
                u256_load(&x, item + 1);
                if (ge_xo_rhs(&xm[nc], &rhs[nc], &x))
                    cand[nc++] = i;
            }
            if (v)
                ge_store(pub + 64 * i, &a);
            ok[i] = (uint8_t)v;
        }
        fe_sqrt_group(y, rhs, nc);
        for (size_t j = 0; j < nc; j++) {
            size_t i = cand[j];
            if (ge_xo_finish(&a, &xm[j], &rhs[j], &y[j], data[offsets[i]] & 1)) {
                ge_store(pub + 64 * i, &a);
                ok[i] = 1;
            }
        }
    }
}

/* Verification of n <= CC_EC_GROUP rows, SM2 (GB/T 32918.2: t = r + s, accept iff
 * (e + x(s G + t P)) mod n == r) or ECDSA (SEC 1 / FIPS 186-5: w = 1/s, accept iff
 * x((e w) G + (r w) P) mod n == r; with CC_VERIFY_LOW_S, s > n/2 is refused), x compared in
 * Jacobian form. The rows' inversions, 1/s and each P's table of odd multiples to affine, share
 * one variable-time inversion each. Public data: variable time. */
static void verify_group(int sm2, int flags, size_t n, const uint8_t *pub, const uint8_t *e32,
                         const uint8_t *r32, const uint8_t *s32, uint8_t *ok)
{
    u256 u1[CC_EC_GROUP], u2[CC_EC_GROUP], want[CC_EC_GROUP], w[CC_EC_GROUP], c[CC_EC_GROUP];
    u256 r, s, e;
    gej X[CC_EC_GROUP];
    ge P[CC_EC_GROUP];
    size_t row[CC_EC_GROUP], m = 0;
    for (size_t i = 0; i < n; i++) {
        ok[i] = 0;
        if (!sc_load_range(&r, r32 + 32 * i) || !sc_load_range(&s, s32 + 32 * i))
            continue;
        if (!sm2 && (flags & CC_VERIFY_LOW_S) && (u256_lt_mask(&ec_n_half, &s) & 1))
            continue;
        if (!ge_load(&P[m], pub + 64 * i))
            continue;
        u256_load(&e, e32 + 32 * i);
        sc_reduce(&e, &e);
        if (sm2) {
            sc_add(&u2[m], &r, &s); /* t */
            if (fe_is_zero(&u2[m]))
                continue;
            u1[m] = s;
            sc_sub(&want[m], &r, &e); /* x1 must be r - e mod n */
        } else {
            u1[m] = e;
            u2[m] = r;
            want[m] = r;
            sc_to_mont(&w[m], &s);
        }
        row[m++] = i;
    }
    if (!sm2) {
        sc_inv_all_var(w, m, c); /* 1/s, Montgomery form */
        for (size_t j = 0; j < m; j++) {
            sc_mul(&u1[j], &u1[j], &w[j]);
            sc_mul(&u2[j], &u2[j], &w[j]);
        }
    }
    ecmult_group(X, u1, P, u2, m);
    for (size_t j = 0; j < m; j++)
        ok[row[j]] = (uint8_t)(!X[j].inf && gej_x_eq_mod_n(&X[j], &want[j]));
}

/* verify_group over any n, CC_EC_GROUP rows at a time. */
static void op_verify(int sm2, int flags, size_t n, const uint8_t *pub, const uint8_t *e,
                      const uint8_t *r, const uint8_t *s, uint8_t *ok)
{
    for (size_t at = 0; at < n; at += CC_EC_GROUP)
        verify_group(sm2, flags, n - at < CC_EC_GROUP ? n - at : CC_EC_GROUP, pub + 64 * at,
                     e + 32 * at, r + 32 * at, s + 32 * at, ok + at);
}

/* x (plain, < p) mod n, and whether x >= n; constant time */
static uint64_t x_mod_n(u256 *r, const u256 *x)
{
    uint64_t lt = u256_lt_mask(x, &ec_n);
    sc_reduce(r, x);
    return ~lt & 1;
}

/* d loaded and checked as a signing key of the algorithm (SM2 keys stop at n - 2), k as a nonce
 * in [1, n - 1]; returns 0 when either is out of range (public: the caller refuses the row). */
static int sign_inputs(const uint8_t sk[32], int sm2, const uint8_t k32[32], u256 *d, u256 *k)
{
    uint64_t vd = (uint64_t)op_seckey_check(sk, sm2), vk = (uint64_t)sc_load_range(k, k32);
    u256_load(d, sk);
    CC_DECLASSIFY(&vd, sizeof vd);
    CC_DECLASSIFY(&vk, sizeof vk);
    return (int)(vd & vk & 1);
}

/* Signatures of n <= CC_EC_GROUP rows with the nonces k given, SM2 (GB/T 32918.2: r = e + x1,
 * s = (1 + d)^-1 (k - r d)) or ECDSA (SEC 1: r = x mod n, s = (e + r d) / k, low-S and recovery
 * id when asked). The rows' inversions, k*G to affine mod p and 1/(1 + d) or 1/k mod n, share
 * one exponentiation each. ok[i] = 0 (and zeros) for a key or nonce out of range or a rejected
 * nonce (r = 0, r + k = n, s = 0): the caller draws the next one. Constant time in the keys and
 * nonces but for the rejections (probability about 2^-256). */
static void sign_group(int sm2, int low_s, size_t n, const uint8_t *sk, const uint8_t *e32,
                       const uint8_t *k32, uint8_t *r32, uint8_t *s32, uint8_t *recid,
                       uint8_t *ok)
{
    u256 d[CC_EC_GROUP], k[CC_EC_GROUP], r[CC_EC_GROUP], v[CC_EC_GROUP], c[CC_EC_GROUP];
    u256 x, y, e, t, s;
    const u256 one = {{1, 0, 0, 0}};
    gej R[CC_EC_GROUP];
    ge a[CC_EC_GROUP];
    uint64_t rid[CC_EC_GROUP] = {0};
    int live[CC_EC_GROUP];
    /* gcc -O1 cannot see that the loop fills what ecmult_gen_group and ge_set_all_gej read */
    memset(k, 0, sizeof k);
    memset(R, 0, sizeof R);
    for (size_t i = 0; i < n; i++) {
        live[i] = sign_inputs(sk + 32 * i, sm2, k32 + 32 * i, &d[i], &k[i]);
        if (!live[i])
            k[i] = one; /* a stand-in, so that the group's inversion stays defined */
    }
    ecmult_gen_group(R, k, n);
    ge_set_all_gej(a, R, n, 0);
    for (size_t i = 0; i < n; i++) {
        sc_set_one(&v[i]); /* what a refused row inverts */
        if (!live[i])
            continue;
        fe_from_mont(&x, &a[i].x);
        if (sm2) {
            x_mod_n(&x, &x);
            u256_load(&e, e32 + 32 * i);
            sc_reduce(&e, &e);
            sc_add(&r[i], &e, &x);
            sc_add(&t, &r[i], &k[i]);
            uint64_t bad = (u256_is_zero_mask(&r[i]) | u256_is_zero_mask(&t)) & 1;
            CC_DECLASSIFY(&bad, sizeof bad); /* a rejected nonce is retried: reveals nothing */
            CC_DECLASSIFY(&r[i], sizeof r[i]);
            if (bad) {
                live[i] = 0;
                continue;
            }
            sc_add(&t, &d[i], &one);
            sc_to_mont(&v[i], &t); /* 1 + d */
        } else {
            fe_from_mont(&y, &a[i].y);
            uint64_t over = x_mod_n(&r[i], &x);
            CC_DECLASSIFY(&r[i], sizeof r[i]); /* r is public output */
            if (fe_is_zero(&r[i])) {
                live[i] = 0;
                continue;
            }
            rid[i] = (y.d[0] & 1) | (over << 1);
            sc_to_mont(&v[i], &k[i]);
        }
    }
    sc_inv_all(v, n, c); /* (1 + d)^-1 or k^-1, Montgomery form */
    for (size_t i = 0; i < n; i++) {
        if (live[i]) {
            sc_to_mont(&t, &d[i]);
            sc_mul(&t, &r[i], &t); /* r d */
            if (sm2) {
                sc_sub(&t, &k[i], &t); /* k - r d */
            } else {
                u256_load(&e, e32 + 32 * i);
                sc_reduce(&e, &e);
                sc_add(&t, &t, &e); /* e + r d */
            }
            sc_mul(&s, &t, &v[i]);
            CC_DECLASSIFY(&s, sizeof s); /* s is public output */
            live[i] = !fe_is_zero(&s);
        }
        if (live[i] && !sm2 && low_s) {
            uint64_t high = u256_lt_mask(&ec_n_half, &s);
            u256 ns;
            sc_neg(&ns, &s);
            u256_cmov(&s, &ns, high);
            rid[i] ^= high & 1;
        }
        if (live[i]) {
            u256_store(r32 + 32 * i, &r[i]);
            u256_store(s32 + 32 * i, &s);
        } else {
            memset(r32 + 32 * i, 0, 32);
            memset(s32 + 32 * i, 0, 32);
        }
        if (recid)
            recid[i] = live[i] ? (uint8_t)rid[i] : 0;
        ok[i] = (uint8_t)live[i];
    }
    cc_wipe(d, sizeof d);
    cc_wipe(k, sizeof k);
    cc_wipe(v, sizeof v);
    cc_wipe(&t, sizeof t);
    cc_wipe(R, sizeof R);
    cc_wipe(a, sizeof a);
    cc_wipe(&y, sizeof y);
    cc_wipe(rid, sizeof rid);
}

/* sign_group over any n, CC_EC_GROUP rows at a time. */
static void op_sign_k(int sm2, int low_s, size_t n, const uint8_t *sk, const uint8_t *e,
                      const uint8_t *k, uint8_t *r, uint8_t *s, uint8_t *recid, uint8_t *ok)
{
    for (size_t at = 0; at < n; at += CC_EC_GROUP)
        sign_group(sm2, low_s, n - at < CC_EC_GROUP ? n - at : CC_EC_GROUP, sk + 32 * at,
                   e + 32 * at, k + 32 * at, r + 32 * at, s + 32 * at, recid ? recid + at : NULL,
                   ok + at);
}

/* SEC 1 public key recovery of n <= CC_EC_GROUP rows: R from x = r (+ n when recid & 2) and
 * the parity recid & 1, Q = (-e/r) G + (s/r) R; ok[i] = 0 and zeros where there is none. The
 * rows' inversions (1/r, the tables, Q to affine) share one variable-time inversion each.
 * Public data: variable time. */
static void recover_group(size_t n, const uint8_t *e32, const uint8_t *r32, const uint8_t *s32,
                          const uint8_t *recid, uint8_t *pub, uint8_t *ok)
{
    u256 u1[CC_EC_GROUP], u2[CC_EC_GROUP], ri[CC_EC_GROUP], c[CC_EC_GROUP], r, s, e, x;
    u256 xm[CC_EC_GROUP], rhs[CC_EC_GROUP], y[CC_EC_GROUP];
    ge Rp[CC_EC_GROUP], Q[CC_EC_GROUP];
    gej X[CC_EC_GROUP];
    size_t row[CC_EC_GROUP], cand[CC_EC_GROUP], nc = 0, m = 0, k = 0;
    memset(rhs, 0, sizeof rhs); /* gcc -O1 cannot see that the loop fills what is read */
    /* the rows' R.x and the right-hand sides whose roots are taken together */
    for (size_t i = 0; i < n; i++) {
        ok[i] = 0;
        memset(pub + 64 * i, 0, 64);
        if (recid[i] > 3)
            continue;
        if (!sc_load_range(&r, r32 + 32 * i) || !sc_load_range(&s, s32 + 32 * i))
            continue;
        x = r;
        if ((recid[i] & 2) && u256_add(&x, &r, &ec_n))
            continue;
        if (ge_xo_rhs(&xm[nc], &rhs[nc], &x))
            cand[nc++] = i;
    }
    fe_sqrt_group(y, rhs, nc);
    for (size_t j = 0; j < nc; j++) {
        size_t i = cand[j];
        if (!ge_xo_finish(&Rp[m], &xm[j], &rhs[j], &y[j], recid[i] & 1))
            continue;
        sc_load_range(&r, r32 + 32 * i);
        sc_load_range(&s, s32 + 32 * i);
        u256_load(&e, e32 + 32 * i);
        sc_reduce(&e, &e);
        sc_neg(&u1[m], &e);
        u2[m] = s;
        sc_to_mont(&ri[m], &r);
        row[m++] = i;
    }
    sc_inv_all_var(ri, m, c); /* 1/r, Montgomery form */
    for (size_t j = 0; j < m; j++) {
        sc_mul(&u1[j], &u1[j], &ri[j]); /* -e / r */
        sc_mul(&u2[j], &u2[j], &ri[j]); /* s / r */
    }
    ecmult_group(X, u1, Rp, u2, m);
    for (size_t j = 0; j < m; j++)
        if (!X[j].inf) {
            X[k] = X[j];
            row[k++] = row[j];
        }
    ge_set_all_gej(Q, X, k, 1);
    for (size_t j = 0; j < k; j++) {
        ge_store(pub + 64 * row[j], &Q[j]);
        ok[row[j]] = 1;
    }
}

/* recover_group over any n, CC_EC_GROUP rows at a time. */
static void op_ecdsa_recover(size_t n, const uint8_t *e, const uint8_t *r, const uint8_t *s,
                             const uint8_t *recid, uint8_t *pub, uint8_t *ok)
{
    for (size_t at = 0; at < n; at += CC_EC_GROUP)
        recover_group(n - at < CC_EC_GROUP ? n - at : CC_EC_GROUP, e + 32 * at, r + 32 * at,
                      s + 32 * at, recid + at, pub + 64 * at, ok + at);
}

static void op_reduce_n(const uint8_t in[32], uint8_t out[32])
{
    u256 a;
    u256_load(&a, in);
    sc_reduce(&a, &a);
    u256_store(out, &a);
    cc_wipe(&a, sizeof a);
}

const ec_curve EC_CURVE_VAR = {
    op_seckey_check, op_pubkey_create, op_pubkey_parse, op_pubkey_check, op_verify,
    op_sign_k, op_ecdsa_recover, op_reduce_n,
    ec_a_bytes, ec_b_bytes, ec_gx_bytes, ec_gy_bytes, ec_n_bytes,
};
