/* Inversion check (tests/test_modinv.py): for the field and the scalar modulus of CURVE, print
 * "fe|sc a ct var" in hex: a, its constant-time inverse (safegcd.h) and its variable-time one,
 * both through the Montgomery form the curve code keeps. Operands: the edges (0, 1, 2, M - 1,
 * M - 2, (M + 1) / 2, powers of two, limb patterns) and random values below M.
 *   gcc -std=c11 -O2 -I../.. -I../../include -DCURVE=sm2 invcheck.c -o /tmp/ic */
#include <stdio.h>
#define STR2(x) #x
#define STR(x) STR2(x)
#include STR(../curve_ CURVE.c)
#include "check_util.h"

/* a mod M for a < 2^256 (M > 2^255: one subtraction). */
static void below(u256 *a, const u256 *m)
{
    if (!(u256_lt_mask(a, m) & 1)) {
        unsigned char b = 0;
        for (int i = 0; i < 4; i++)
            a->d[i] = cc_sbb(a->d[i], m->d[i], &b);
    }
}

#define CHECK(MA_, tag)                                                                            \
    static void check_##MA_(const u256 *a)                                                         \
    {                                                                                              \
        u256 am, ct, var;                                                                          \
        MA_##to_mont(&am, a);                                                                      \
        MA_##inv(&ct, &am);                                                                        \
        MA_##from_mont(&ct, &ct);                                                                  \
        if (a->d[0] | a->d[1] | a->d[2] | a->d[3]) {                                               \
            MA_##inv_var(&var, a); /* a^-1 R, from a plain a */                                    \
            MA_##from_mont(&var, &var);                                                            \
        } else {                                                                                   \
            var = *a;                                                                              \
        }                                                                                          \
        printf(tag " ");                                                                           \
        put_u256(a, ' ');                                                                          \
        put_u256(&ct, ' ');                                                                        \
        put_u256(&var, '\n');                                                                      \
    }
CHECK(fe_, "fe")
CHECK(sc_, "sc")

static void edges(const u256 *m, void (*check)(const u256 *))
{
    u256 a = {{0, 0, 0, 0}};
    check(&a);
    for (uint64_t k = 1; k <= 3; k++) {
        a = (u256){{k, 0, 0, 0}};
        check(&a);
        a = *m;
        a.d[0] -= k; /* M is odd and far above 3: no borrow */
        check(&a);
    }
    a = *m; /* (M + 1) / 2 */
    for (int i = 0; i < 4; i++)
        a.d[i] = (a.d[i] >> 1) | (i < 3 ? a.d[i + 1] << 63 : 0);
    for (int i = 0; i < 4 && ++a.d[i] == 0; i++) /* + 1 with its carry */
        ;
    check(&a);
    for (int bit = 0; bit < 256; bit++) {
        a = (u256){{0, 0, 0, 0}};
        a.d[bit / 64] = (uint64_t)1 << (bit % 64);
        below(&a, m);
        check(&a);
    }
    for (int pattern = 1; pattern < 16; pattern++) { /* limbs all ones or zero */
        for (int i = 0; i < 4; i++)
            a.d[i] = (pattern >> i) & 1 ? ~(uint64_t)0 : 0;
        below(&a, m);
        check(&a);
    }
}

int main(void)
{
    edges(&fe__m, check_fe_);
    edges(&sc__m, check_sc_);
    uint64_t s = 0x9E3779B97F4A7C15ULL;
    for (int it = 0; it < 3000; it++) {
        u256 a;
        for (int i = 0; i < 4; i++)
            a.d[i] = next(&s);
        if (it % 3 == 0) /* small magnitudes too: long runs of zero bits */
            a.d[3] = a.d[2] = 0;
        below(&a, &fe__m);
        check_fe_(&a);
        below(&a, &sc__m);
        check_sc_(&a);
    }
    return 0;
}
