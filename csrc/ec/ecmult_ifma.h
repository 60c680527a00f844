/* u1 G + u2 P for eight rows at once, one per AVX-512 lane (fe52_ifma.h), for verification and
 * recovery: part of curve_impl.h's IFMA instantiation, included after its scalar group law.
 *
 * Eight lanes must run the same additions in the same order, so the scalars are recoded into
 * regular signed windows (every digit odd, none zero) rather than wNAF: u = sum d_i 2^(w i)
 * with d_i odd in [-(2^w - 1), 2^w - 1], which needs u odd; an even u is replaced by n - u, and
 * its digits negated. P's table of odd multiples P .. 15P gives w = 4 (64 digits), G's table
 * (ec_gtab, 1G .. 511G) w = 9 (29 digits); both top digits sit at bit 252, so 252 doublings and
 * 92 mixed additions in all. The lanes read their table entries with gathers, straight from
 * the scalar code's affine tables.
 *
 * The accumulator starts at a nonzero multiple of P and is never at infinity unless an
 * addition meets its one exception: accumulator = +-(table entry), seen as H = 0. Such a lane is
 * flagged and the caller redoes its row with the scalar code (ecmult_tabled); honest inputs meet
 * it with probability about 2^-250, crafted ones (u1 = 0, P = G) can, and are then exactly as
 * right as the scalar code. Public data: variable time. */

#define V_PW 4                                /* P's window */
#define V_PD 64                               /* P's digits: 63 w-bit steps, then the top one */
#define V_GW (EC_GTAB_W - 1)                  /* G's window: ec_gtab holds up to (2^V_GW - 1) G */
#define V_GD ((252 + V_GW - 1) / V_GW + 1)    /* G's digits */
_Static_assert((V_PD - 1) * V_PW == 252 && (V_GD - 1) * V_GW == 252,
               "both top digits at bit 252");

typedef struct { fe52 x, y, z; } gej52;

/* Regular signed-window digits of u (< n) in base 2^w, d[nd-1] first to be used; sets the
 * whole recoding's sign so that the odd scalar recoded is u or n - u. */
static void v_recode(int16_t *d, int nd, int w, const u256 *u)
{
    u256 k = *u, small;
    int neg = !(k.d[0] & 1);
    if (neg)
        u256_sub(&k, &ec_n, &k);
    for (int i = 0; i < nd - 1; i++) {
        int v = (int)(k.d[0] & ((2u << w) - 1)) - (1 << w); /* odd, |v| < 2^w */
        small = (u256){{(uint64_t)(v < 0 ? -v : v), 0, 0, 0}};
        if (v < 0)
            u256_add(&k, &k, &small); /* n < 2^256 - 2^128: no carry out */
        else
            u256_sub(&k, &k, &small);
        for (int l = 0; l < 4; l++) /* k >>= w */
            k.d[l] = (k.d[l] >> w) | (l < 3 ? k.d[l + 1] << (64 - w) : 0);
        d[i] = (int16_t)(neg ? -v : v);
    }
    d[nd - 1] = (int16_t)(neg ? -(int)k.d[0] : (int)k.d[0]); /* odd, < 2^w */
}

/* r = 2a (a not at infinity: the group has no point of order 2) */
FE52_TARGET static void gej52_double(gej52 *r, const gej52 *a, const fe52_ctx *k)
{
    fe52 t1, t2, t3;
#if EC_A_IS_M3
    /* a = -3 (dbl-2001-b): alpha = 3 (X - Z^2)(X + Z^2), beta = X Y^2 */
    fe52 delta, gamma, beta;
    fe52_sqr(&delta, &a->z, k);
    fe52_sqr(&gamma, &a->y, k);
    fe52_mul(&beta, &a->x, &gamma, k);
    fe52_sub(&t1, &a->x, &delta, k);
    fe52_add(&t2, &a->x, &delta, k);
    fe52_mul(&t3, &t1, &t2, k);
    fe52_mul3(&t3, &t3, k); /* alpha */
    fe52_mul(&r->z, &a->y, &a->z, k);
    fe52_shl(&r->z, &r->z, 1, k);
    fe52_shl(&t1, &beta, 2, k); /* 4 beta */
    fe52_sqr(&t2, &t3, k);
    fe52_sub(&t2, &t2, &t1, k);
    fe52_sub(&r->x, &t2, &t1, k); /* alpha^2 - 8 beta */
    fe52_sub(&t1, &t1, &r->x, k);
    fe52_mul(&t1, &t3, &t1, k);
    fe52_sqr(&t2, &gamma, k);
    fe52_shl(&t2, &t2, 3, k);
    fe52_sub(&r->y, &t1, &t2, k);
#else
    /* a = 0 (dbl-2009-l) */
    fe52 A, B, C, D;
    fe52_sqr(&A, &a->x, k);
    fe52_sqr(&B, &a->y, k);
    fe52_sqr(&C, &B, k);
    fe52_add(&t1, &a->x, &B, k);
    fe52_sqr(&t1, &t1, k);
    fe52_sub(&t1, &t1, &A, k);
    fe52_sub(&t1, &t1, &C, k);
    fe52_shl(&D, &t1, 1, k);
    fe52_mul3(&t3, &A, k); /* E */
    fe52_mul(&r->z, &a->y, &a->z, k);
    fe52_shl(&r->z, &r->z, 1, k);
    fe52_sqr(&t2, &t3, k);
    fe52_sub(&t2, &t2, &D, k);
    fe52_sub(&r->x, &t2, &D, k);
    fe52_sub(&t1, &D, &r->x, k);
    fe52_mul(&t1, &t3, &t1, k);
    fe52_shl(&C, &C, 3, k);
    fe52_sub(&r->y, &t1, &C, k);
#endif
}

/* a += (x, y) affine, in place; returns the lanes where H = 0 (a = +-(x, y): not handled) */
FE52_TARGET static __mmask8 gej52_add_ge(gej52 *a, const fe52 *x, const fe52 *y,
                                          const fe52_ctx *k)
{
    fe52 z1z1, u2, s2, h, rr, h2, h3, v, t;
    fe52_sqr(&z1z1, &a->z, k);
    fe52_mul(&u2, x, &z1z1, k);
    fe52_mul(&s2, y, &a->z, k);
    fe52_mul(&s2, &s2, &z1z1, k);
    fe52_sub(&h, &u2, &a->x, k);
    fe52_sub(&rr, &s2, &a->y, k);
    __mmask8 bad = fe52_is_zero(&h, k);
    fe52_sqr(&h2, &h, k);
    fe52_mul(&h3, &h, &h2, k);
    fe52_mul(&v, &a->x, &h2, k);
    fe52_mul(&a->z, &a->z, &h, k);
    fe52_sqr(&t, &rr, k);
    fe52_sub(&t, &t, &h3, k);
    fe52_sub(&t, &t, &v, k);
    fe52_sub(&t, &t, &v, k);
    fe52_mul(&h3, &h3, &a->y, k);
    fe52_sub(&v, &v, &t, k);
    fe52_mul(&v, &v, &rr, k);
    fe52_sub(&a->y, &v, &h3, k);
    a->x = t;
    return bad;
}

/* Lane j's entry |d_j| of the odd-multiple table at base + stride_j (ge rows of 8 words: x, y),
 * y negated where d_j < 0. */
FE52_TARGET static void v_lookup(fe52 *x, fe52 *y, const uint64_t *base, const int64_t off[8],
                                 const int16_t d[8], const fe52_ctx *k)
{
    int64_t idx[8];
    __mmask8 neg = 0;
    for (int j = 0; j < 8; j++) {
        idx[j] = off[j] + 8 * ((d[j] < 0 ? -d[j] : d[j]) >> 1);
        neg |= (__mmask8)((d[j] < 0) << j);
    }
    __m512i vi = _mm512_loadu_si512((const void *)idx);
    fe52_gather(x, base, vi, k);
    fe52_gather(y, base, _mm512_add_epi64(vi, _mm512_set1_epi64(4)), k);
    fe52 zero = {{_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512(),
                  _mm512_setzero_si512(), _mm512_setzero_si512()}}, ny;
    fe52_sub(&ny, &zero, y, k);
    fe52_blend(y, neg, &ny);
}

/* X[j] = u1[j] G + u2[j] P_j for the m <= 8 lanes given, pt[P_TAB j ...] holding P_j's odd
 * multiples (affine); returns the lanes (bit j) whose X[j] was not computed (see above). */
FE52_TARGET static unsigned ecmult8(gej *X, const u256 *u1, const ge *pt, const u256 *u2,
                                    size_t m)
{
    static const u256 p = {{EC_P}};
    fe52_ctx k;
    fe52_ctx_init(&k, &p, EC_PINV);
    int16_t dg[V_GD][8], dp[V_PD][8];
    int64_t offp[8], offg[8];
    int16_t tmp[V_PD];
    for (size_t j = 0; j < 8; j++) {
        size_t s = j < m ? j : 0; /* idle lanes repeat lane 0 */
        v_recode(tmp, V_GD, V_GW, &u1[s]);
        for (int i = 0; i < V_GD; i++)
            dg[i][j] = tmp[i];
        v_recode(tmp, V_PD, V_PW, &u2[s]);
        for (int i = 0; i < V_PD; i++)
            dp[i][j] = tmp[i];
        offp[j] = (int64_t)(8 * P_TAB * s);
        offg[j] = 0;
    }
    const uint64_t *pbase = (const uint64_t *)pt, *gbase = &ec_gtab[0][0];
    _Static_assert(sizeof(ge) == 64, "ge rows of 8 words");
    gej52 acc;
    fe52 x, y;
    v_lookup(&acc.x, &acc.y, pbase, offp, dp[V_PD - 1], &k);
    acc.z = k.one;
    v_lookup(&x, &y, gbase, offg, dg[V_GD - 1], &k);
    __mmask8 bad = gej52_add_ge(&acc, &x, &y, &k);
    for (int pos = 251; pos >= 0; pos--) {
        gej52_double(&acc, &acc, &k);
        if (pos % V_PW == 0) {
            v_lookup(&x, &y, pbase, offp, dp[pos / V_PW], &k);
            bad |= gej52_add_ge(&acc, &x, &y, &k);
        }
        if (pos % V_GW == 0) {
            v_lookup(&x, &y, gbase, offg, dg[pos / V_GW], &k);
            bad |= gej52_add_ge(&acc, &x, &y, &k);
        }
    }
    u256 ox[8], oy[8], oz[8];
    fe52_scatter(ox, &acc.x, &k);
    fe52_scatter(oy, &acc.y, &k);
    fe52_scatter(oz, &acc.z, &k);
    for (size_t j = 0; j < m; j++) {
        X[j].x = ox[j];
        X[j].y = oy[j];
        X[j].z = oz[j];
        X[j].inf = 0;
    }
    return (unsigned)bad & ((1u << m) - 1);
}
