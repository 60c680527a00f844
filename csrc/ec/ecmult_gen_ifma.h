/* k G for FE52_LANES = 16 rows at once, one per AVX-512 lane (fe52_ifma.h), for signing and key
 * derivation: part of curve_impl.h's IFMA instantiation, included after ecmult_ifma.h (whose
 * gej52 and mixed addition it shares).
 *
 * The scalar code's comb (ecmult_gen, same digits from comb_digit, same table ec_comb, same
 * additions), run in every lane: constant time in the k. Each window's entry is selected by a
 * scan of the whole table row, every entry broadcast into the lanes whose digit asks for it
 * under a mask from a vector compare; the negation, "accumulator still at infinity" and "digit
 * 0" are blends; no lane's value reaches a branch or an address. For k in [1, n - 1] the
 * additions meet neither a doubling nor infinity (the argument above ecmult_gen), so the
 * addition's H = 0 flag is not needed here. */

/* Below this many rows a group is cheaper one row at a time on the scalar comb (about 10 us a
 * row) than in the lanes, which cost about the same for 1 row as for 16: 4 rows took as long
 * either way on the Zen 4 this was first measured on; on the Intel host of 2026-12-04
 * (csrc/ec/tests/rows.c) the lanes won at 4 rows on secp256k1 and SM2 (36 us against 39 and
 * 41) and tied on P-256 (38 against 37), which wins from 5. */
#ifndef G_MIN_ROWS /* a build may set it, to measure the crossover */
#define G_MIN_ROWS (EC_P_IS_P256 ? 5 : 4)
#endif

/* R[j] = k[j] G for the m <= FE52_LANES rows given (m >= 1, 1 <= k[j] < n; idle lanes repeat
 * row 0). Constant time in the k. */
FE52_TARGET static void ecmult_gen_lanes(gej *R, const u256 *kk, size_t m)
{
    fe52_ctx k;
    fe52_ctx_init(&k);
    /* digits and signs (0 or all ones) by window, lane */
    int64_t dig[EC_COMB_WINDOWS][FE52_LANES], sgn[EC_COMB_WINDOWS][FE52_LANES];
    for (size_t j = 0; j < FE52_LANES; j++) {
        const u256 *kj = &kk[j < m ? j : 0];
        uint64_t carry = 0, neg;
        for (int i = 0; i < EC_COMB_WINDOWS; i++) {
            dig[i][j] = (int64_t)comb_digit(kj, i, &carry, &neg);
            sgn[i][j] = (int64_t)neg;
        }
    }
    gej52 acc = {k.one, k.one, k.one}, sum;
    fe52_lanes acc_inf = (fe52_lanes)((1ull << FE52_LANES) - 1);
    fe52 zero, x, y, ny;
    memset(&zero, 0, sizeof zero);
    for (int i = 0; i < EC_COMB_WINDOWS; i++) {
        __m512i d[FE52_NV], ex[FE52_NV][4], ey[FE52_NV][4];
        fe52_lanes neg = 0, dz = 0;
        FE52_EACH(w) {
            d[w] = _mm512_loadu_si512((const void *)(dig[i] + 8 * w));
            __m512i s = _mm512_loadu_si512((const void *)(sgn[i] + 8 * w));
            neg |= (fe52_lanes)_mm512_test_epi64_mask(s, s) << (8 * w);
            dz |= (fe52_lanes)_mm512_cmpeq_epi64_mask(d[w], _mm512_setzero_si512()) << (8 * w);
            for (int l = 0; l < 4; l++)
                ex[w][l] = ey[w][l] = _mm512_setzero_si512();
        }
        for (int j = 0; j < (1 << (EC_COMB_W - 1)); j++) {
            const uint64_t *e = ec_comb[i][j];
            FE52_EACH(w) {
                __mmask8 hit = _mm512_cmpeq_epi64_mask(d[w], _mm512_set1_epi64(j + 1));
                for (int l = 0; l < 4; l++) {
                    ex[w][l] = _mm512_mask_set1_epi64(ex[w][l], hit, (long long)e[l]);
                    ey[w][l] = _mm512_mask_set1_epi64(ey[w][l], hit, (long long)e[4 + l]);
                }
            }
        }
        fe52_set_words(&x, (const __m512i(*)[4])ex, &k);
        fe52_set_words(&y, (const __m512i(*)[4])ey, &k);
        fe52_sub(&ny, &zero, &y, &k);
        fe52_blend(&y, neg, &ny);
        sum = acc;
        (void)gej52_add_ge(&sum, &x, &y, &k);
        /* the accumulator at infinity: the sum is the entry; a digit 0: the accumulator stays */
        fe52_blend(&sum.x, acc_inf, &x);
        fe52_blend(&sum.y, acc_inf, &y);
        fe52_blend(&sum.z, acc_inf, &k.one);
        fe52_blend(&acc.x, ~dz, &sum.x);
        fe52_blend(&acc.y, ~dz, &sum.y);
        fe52_blend(&acc.z, ~dz, &sum.z);
        acc_inf &= dz;
    }
    /* not at infinity: acc_inf ends 0 for k in [1, n - 1] (a row's copy of that secret-derived
     * bit would be stored by a vector scatter, which MemorySanitizer cannot follow) */
    gej52_scatter(R, &acc, m, &k);
    cc_wipe(dig, sizeof dig);
    cc_wipe(sgn, sizeof sgn);
    cc_wipe(&acc, sizeof acc);
    cc_wipe(&sum, sizeof sum);
    cc_wipe(&x, sizeof x);
    cc_wipe(&y, sizeof y);
    cc_wipe(&ny, sizeof ny);
}
