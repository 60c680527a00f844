/* u1 G + u2 P for FE52_LANES = 16 rows at once, one per AVX-512 lane (fe52_ifma.h), for
 * verification and recovery: part of curve_impl.h's IFMA instantiation, included after its scalar
 * group law.
 *
 * The lanes must run the same additions in the same order, so the scalars are recoded into
 * regular signed windows (every digit odd, none zero) rather than wNAF: k = sum d_i 2^(w i) with
 * d_i odd in [-(2^w - 1), 2^w - 1], which needs k odd. Each stream of digits reads its own table
 * of odd multiples, affine in the scalar code's form, with gathers: G's (the start of ec_gtab,
 * 1G .. 4095G: w = 12) and P's (P .. 15P: w = 4), which the lanes build first (v_tables) and
 * which the scalar code reuses for a row handed back.
 *  - Without an endomorphism (SM2, P-256): two streams of 256 bits, u1 on G and u2 on P; an even
 *    scalar u is replaced by n - u, its digits negated. Both top digits sit at bit 252: 252
 *    doublings and 85 mixed additions.
 *  - secp256k1: u1 and u2 split by the GLV endomorphism as in the scalar code (glv_split), four
 *    streams of at most V_BITS = 132 bits on G, lambda G, P and lambda P (lambda (x, y) =
 *    (beta x, y)); an even half k becomes k + 1, and one more addition of -(sign) Q in the lanes
 *    concerned puts it right. 128 doublings and about 100 additions.
 *
 * The accumulator starts at a table entry and is never at infinity unless an addition meets its
 * one exception: accumulator = +-(table entry), seen as H = 0. Such a lane is flagged and the
 * caller redoes its row with the scalar code (ecmult_tabled), as it does a lane whose scalar does
 * not fit its stream's digits; honest inputs meet either with probability about 2^-120 or less,
 * crafted ones (P = G) can, and are then exactly as right as the scalar code. Public data:
 * variable time. */

#define V_PW 4                 /* P's window: its table holds P_TAB odd multiples */
/* G's window: its digits read the first 2^(V_GW - 1) entries of ec_gtab. With 12 bits instead of
 * 9 a G stream of secp256k1 takes 11 digits instead of 15, of SM2 and P-256 22 instead of 29:
 * batch verification 133k against 129k/s on secp256k1, 104k against 101k on SM2 and 98k against
 * 95k on P-256 (bench_ec.py, Intel host, 2026-12-04; 13 bits, from a wider span, were slower). */
#define V_GW 12
_Static_assert(V_GW < EC_GTAB_W, "ec_gtab holds up to (2^V_GW - 1) G");
_Static_assert(P_TAB == 1 << (V_PW - 1), "P's window fits its table");
/* Digits for a k of b bits in windows of w: the top digit is k >> (w (nd - 1)), rounded, and
 * must stay below 2^w. */
#define V_DIGITS(b, w) (((b) - 1) / (w) + 1)
#if EC_GLV
#define V_BITS 132             /* glv_split's halves are below 2^128 (2^132 checked) */
#define V_STREAMS 4
#else
#define V_BITS 256
#define V_STREAMS 2
#endif
#define V_MAXD V_DIGITS(V_BITS, V_PW)
/* Below this many rows a group is cheaper on the scalar code (one row at a time) than in the
 * lanes, which cost about the same for 1 row as for 16: 4 rows took as long either way on the
 * Zen 4 this was first measured on, for each curve. secp256k1's scalar verification has since
 * become a fifth faster (one-Z tables, a window-14 G table, the halved doubling): on the Intel
 * host of 2026-12-04 (csrc/ec/tests/rows.c) it wins up to 5 rows (23.1 us a row against 115 us
 * a lanes pass), P-256 up to 4 (38.0 against 156), SM2 up to 3 (43.4 against 150). */
#ifndef V_MIN_ROWS /* a build may set it, to measure the crossover */
#define V_MIN_ROWS (EC_GLV ? 6 : EC_P_IS_SM2 ? 4 : 5)
#endif

typedef struct { fe52 x, y, z; } gej52;

/* One scalar's digits in every lane, and the table they index. */
typedef struct {
    int w, nd, endo;           /* window, digits, lambda applied to the table's x */
    const uint64_t *base;      /* table rows of 8 words: x, y */
    int64_t off[FE52_LANES];   /* lane L's table at base + off[L] */
    int16_t d[V_MAXD][FE52_LANES];
    int16_t fix[FE52_LANES];   /* GLV: -(sign) where k was even and became k + 1, else 0 */
} v_stream;

/* count (<= 16) bits of k from bit pos on; bits past 255 read as 0 */
static unsigned v_bits(const u256 *k, int pos, int count)
{
    int limb = pos >> 6, off = pos & 63;
    uint64_t v = limb < 4 ? k->d[limb] >> off : 0;
    if (off && limb + 1 < 4)
        v |= k->d[limb + 1] << (64 - off);
    return (unsigned)(v & ((1u << count) - 1));
}

/* Lane L's digits of k times sign, lowest first, as scalarmul.regular computes them on the GPU:
 * with k_0 = k and k_(i+1) = (k_i - d_i) / 2^w, d_i = (k_i mod 2^(w+1)) - 2^w, one has
 * k_i = (k >> (w i)) | 1 for i >= 1, so each digit reads w + 1 bits of k. An even k gets the
 * digits of k + 1 (= k | 1). Returns 0 if they do not fit: a top digit of 2^w or more. */
static int v_recode(v_stream *st, int lane, const u256 *k, int sign)
{
    const int w = st->w, top = w * (st->nd - 1);
    for (int i = 0; i < st->nd - 1; i++)
        st->d[i][lane] = (int16_t)(sign * ((int)(v_bits(k, w * i, w + 1) | 1) - (1 << w)));
    int fits = 1; /* k >> top below 2^w: no bit of k at or above top + w */
    for (int b = top + w; b < 256; b += 16)
        fits &= v_bits(k, b, 16) == 0;
    st->d[st->nd - 1][lane] = (int16_t)(sign * (int)(v_bits(k, top, w) | 1)); /* odd, < 2^w */
    return fits;
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
FE52_TARGET static fe52_lanes gej52_add_ge(gej52 *a, const fe52 *x, const fe52 *y,
                                          const fe52_ctx *k)
{
    fe52 z1z1, u2, s2, h, rr, h2, h3, v, t;
    fe52_sqr(&z1z1, &a->z, k);
    fe52_mul(&u2, x, &z1z1, k);
    fe52_mul(&s2, y, &a->z, k);
    fe52_mul(&s2, &s2, &z1z1, k);
    fe52_sub(&h, &u2, &a->x, k);
    fe52_sub(&rr, &s2, &a->y, k);
    fe52_lanes bad = fe52_is_zero(&h, k);
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

/* out[j] = lane j of a (not at infinity) in the scalar code's form, for j < m; the copies on
 * the stack are wiped (signing's points are secret). */
FE52_TARGET static void gej52_scatter(gej *out, const gej52 *a, size_t m, const fe52_ctx *k)
{
    u256 o[3][FE52_LANES];
    fe52_scatter(o[0], &a->x, k);
    fe52_scatter(o[1], &a->y, k);
    fe52_scatter(o[2], &a->z, k);
    for (size_t j = 0; j < m; j++) {
        out[j].x = o[0][j];
        out[j].y = o[1][j];
        out[j].z = o[2][j];
        out[j].inf = 0;
    }
    cc_wipe(o, sizeof o);
}

/* r = a^e, four bits of the exponent at a time (public data: e and a). */
FE52_TARGET static void fe52_pow(fe52 *r, const fe52 *a, const uint64_t e[4], const fe52_ctx *k)
{
    fe52 pw[16], x;
    pw[0] = k->one;
    pw[1] = *a;
    for (int i = 2; i < 16; i++)
        fe52_mul(&pw[i], &pw[i - 1], a, k);
    x = pw[e[3] >> 60];
    for (int i = 62; i >= 0; i--) {
        for (int s = 0; s < 4; s++)
            fe52_sqr(&x, &x, k);
        unsigned w = (unsigned)(e[i / 16] >> (4 * (i % 16))) & 15;
        if (w)
            fe52_mul(&x, &x, &pw[w], k);
    }
    *r = x;
}

/* r = 1/a (a != 0) as a^(p - 2) */
FE52_TARGET static void fe52_inv(fe52 *r, const fe52 *a, const fe52_ctx *k)
{
    const uint64_t e[4] = {fe52_p64[0] - 2, fe52_p64[1], fe52_p64[2], fe52_p64[3]};
    fe52_pow(r, a, e, k);
}

/* y[j] = rhs[j]^((p+1)/4) for the m <= FE52_LANES values given (scalar Montgomery form in and
 * out, the same values as fe_pow's). */
FE52_TARGET static void sqrt_lanes(u256 *y, const u256 *rhs, size_t m)
{
    fe52_ctx k;
    fe52_ctx_init(&k);
    int64_t idx[FE52_LANES];
    for (size_t j = 0; j < FE52_LANES; j++)
        idx[j] = (int64_t)(4 * (j < m ? j : 0));
    u256 e, out[FE52_LANES];
    sqrt_exponent(&e);
    fe52 a;
    fe52_gather(&a, rhs[0].d, idx, &k);
    fe52_pow(&a, &a, e.d, &k);
    fe52_scatter(out, &a, &k);
    for (size_t j = 0; j < m; j++)
        y[j] = out[j];
}

/* pt[P_TAB j + i] = (2i + 1) P[j], affine, for the rows j < m (lane j; idle lanes repeat row
 * 0). The odd multiples are added on the curve isomorphic by u = Z(2P), where 2P is affine
 * (libsecp256k1's trick), then their true Z = Z' u are inverted together per lane (one
 * exponentiation). No addition can meet its own point: (2i + 1) P = +-2P would need n to
 * divide 2i - 1 or 2i + 3. */
FE52_TARGET static void v_tables(ge *pt, const ge *P, size_t m, const fe52_ctx *k)
{
    int64_t ix[FE52_LANES], iy[FE52_LANES];
    for (size_t j = 0; j < FE52_LANES; j++) {
        ix[j] = (int64_t)(8 * (j < m ? j : 0));
        iy[j] = ix[j] + 4;
    }
    gej52 t[P_TAB], d;
    fe52 z[P_TAB], c[P_TAB], u2, u3, inv, zi, zi2;
    fe52_gather(&t[0].x, (const uint64_t *)P, ix, k);
    fe52_gather(&t[0].y, (const uint64_t *)P, iy, k);
    t[0].z = k->one;
    gej52_double(&d, &t[0], k);
    fe52_sqr(&u2, &d.z, k);
    fe52_mul(&u3, &u2, &d.z, k);
    fe52_mul(&t[0].x, &t[0].x, &u2, k);
    fe52_mul(&t[0].y, &t[0].y, &u3, k);
    for (int i = 1; i < P_TAB; i++) {
        t[i] = t[i - 1];
        (void)gej52_add_ge(&t[i], &d.x, &d.y, k);
    }
    for (int i = 0; i < P_TAB; i++) {
        fe52_mul(&z[i], &t[i].z, &d.z, k);
        if (i)
            fe52_mul(&c[i], &c[i - 1], &z[i], k);
        else
            c[0] = z[0];
    }
    fe52_inv(&inv, &c[P_TAB - 1], k);
    u256 ox[FE52_LANES], oy[FE52_LANES];
    for (int i = P_TAB - 1; i >= 0; i--) {
        if (i) {
            fe52_mul(&zi, &inv, &c[i - 1], k); /* 1 / z_i */
            fe52_mul(&inv, &inv, &z[i], k);    /* 1 / (z_0 ... z_(i-1)) */
        } else {
            zi = inv;
        }
        fe52_sqr(&zi2, &zi, k);
        fe52_mul(&t[i].x, &t[i].x, &zi2, k);
        fe52_mul(&zi2, &zi2, &zi, k);
        fe52_mul(&t[i].y, &t[i].y, &zi2, k);
        fe52_scatter(ox, &t[i].x, k);
        fe52_scatter(oy, &t[i].y, k);
        for (size_t j = 0; j < m; j++) {
            pt[P_TAB * j + (size_t)i].x = ox[j];
            pt[P_TAB * j + (size_t)i].y = oy[j];
        }
    }
}

/* Lane L's entry |d[L]| of its stream's table, y negated where d[L] < 0 (lambda applied to x
 * for an endomorphism stream). */
FE52_TARGET static void v_lookup(fe52 *x, fe52 *y, const v_stream *st, const int16_t d[FE52_LANES],
                                 const fe52 *beta, const fe52_ctx *k)
{
    int64_t ix[FE52_LANES], iy[FE52_LANES];
    fe52_lanes neg = 0;
    for (int j = 0; j < FE52_LANES; j++) {
        ix[j] = st->off[j] + 8 * ((d[j] < 0 ? -d[j] : d[j]) >> 1);
        iy[j] = ix[j] + 4;
        neg |= (fe52_lanes)(d[j] < 0) << j;
    }
    fe52_gather(x, st->base, ix, k);
    fe52_gather(y, st->base, iy, k);
    if (st->endo)
        fe52_mul(x, x, beta, k);
    fe52 zero, ny;
    memset(&zero, 0, sizeof zero);
    fe52_sub(&ny, &zero, y, k);
    fe52_blend(y, neg, &ny);
}

/* The streams of u1 (on G) and u2 (on P, whose table is at pt + P_TAB lane) in lane L; 0 if a
 * scalar does not fit its digits. */
static int v_streams_set(v_stream st[V_STREAMS], int lane, size_t row, const u256 *u1,
                         const u256 *u2)
{
#if EC_GLV
    u256 h[4];
    int neg[4], fits = 1;
    glv_split(&h[0], &neg[0], &h[1], &neg[1], u1);
    glv_split(&h[2], &neg[2], &h[3], &neg[3], u2);
    for (int s = 0; s < 4; s++) {
        int even = !(h[s].d[0] & 1), sign = neg[s] ? -1 : 1;
        st[s].fix[lane] = (int16_t)(even ? -sign : 0); /* digits of h + 1: take one Q off */
        fits &= v_recode(&st[s], lane, &h[s], sign);
    }
#else
    const u256 *u[2] = {u1, u2};
    int fits = 1;
    for (int s = 0; s < 2; s++) {
        u256 k = *u[s];
        int even = !(k.d[0] & 1);
        if (even) /* k G = -(n - k) G */
            u256_sub(&k, &ec_n, &k);
        fits &= v_recode(&st[s], lane, &k, even ? -1 : 1);
    }
#endif
    for (int s = 0; s < V_STREAMS; s++)
        st[s].off[lane] = st[s].base == &ec_gtab[0][0] ? 0 : (int64_t)(8 * P_TAB * row);
    return fits;
}

/* X[j] = u1[j] G + u2[j] P[j] for the m <= FE52_LANES rows given (m >= 1), P[j] affine and
 * valid; pt[P_TAB j ...] gets P[j]'s odd multiples (affine). Returns the rows (bit j) whose X[j]
 * was not computed (see above). */
FE52_TARGET static fe52_lanes ecmult_lanes(gej *X, const u256 *u1, const ge *P, const u256 *u2,
                                           size_t m, ge *pt)
{
    fe52_ctx k;
    fe52_ctx_init(&k);
    v_tables(pt, P, m, &k);
    const uint64_t *gtab = &ec_gtab[0][0], *ptab = (const uint64_t *)pt;
    _Static_assert(sizeof(ge) == 64, "ge rows of 8 words");
    v_stream st[V_STREAMS];
    for (int s = 0; s < V_STREAMS; s++) {
        int on_g = EC_GLV ? s < 2 : s == 0;
        st[s].w = on_g ? V_GW : V_PW;
        st[s].nd = V_DIGITS(V_BITS, st[s].w);
        st[s].endo = EC_GLV && (s & 1);
        st[s].base = on_g ? gtab : ptab;
    }
    fe52_lanes bad = 0;
    for (size_t j = 0; j < FE52_LANES; j++) {
        size_t row = j < m ? j : 0; /* idle lanes repeat row 0 */
        if (!v_streams_set(st, (int)j, row, &u1[row], &u2[row]))
            bad |= (fe52_lanes)1 << j;
    }
    fe52 beta = k.one; /* unused without an endomorphism */
#if EC_GLV
    const int64_t zero_idx[FE52_LANES] = {0};
    fe52_gather(&beta, glv_beta.d, zero_idx, &k); /* beta in every lane */
#endif
    int top = 0;
    for (int s = 0; s < V_STREAMS; s++)
        if (st[s].w * (st[s].nd - 1) > top)
            top = st[s].w * (st[s].nd - 1);
    gej52 acc;
    fe52 x, y;
    int started = 0;
    for (int pos = top; pos >= 0; pos--) {
        if (started)
            gej52_double(&acc, &acc, &k);
        for (int s = 0; s < V_STREAMS; s++) {
            if (pos % st[s].w || pos / st[s].w >= st[s].nd)
                continue;
            v_lookup(&x, &y, &st[s], st[s].d[pos / st[s].w], &beta, &k);
            if (started) {
                bad |= gej52_add_ge(&acc, &x, &y, &k);
            } else {
                acc.x = x;
                acc.y = y;
                acc.z = k.one;
                started = 1;
            }
        }
    }
#if EC_GLV
    for (int s = 0; s < V_STREAMS; s++) { /* the even halves' k + 1 */
        fe52_lanes fix = 0;
        for (int j = 0; j < FE52_LANES; j++)
            fix |= (fe52_lanes)(st[s].fix[j] != 0) << j;
        if (!fix)
            continue;
        gej52 t = acc;
        v_lookup(&x, &y, &st[s], st[s].fix, &beta, &k);
        bad |= gej52_add_ge(&t, &x, &y, &k) & fix;
        fe52_blend(&acc.x, fix, &t.x);
        fe52_blend(&acc.y, fix, &t.y);
        fe52_blend(&acc.z, fix, &t.z);
    }
#endif
    gej52_scatter(X, &acc, m, &k);
    return bad & (fe52_lanes)((1ull << m) - 1);
}
