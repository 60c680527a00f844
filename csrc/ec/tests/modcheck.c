/* Modular arithmetic check (tests/test_modarith.py): for the field and the scalar modulus of
 * CURVE, print "fe|sc a b ct var mul sqr add sub half neg" in hex: a and b, a's constant-time
 * inverse (safegcd.h) and its variable-time one, a b and a^2 (those through the Montgomery form
 * the curve code keeps), a + b, a - b, a / 2 and -a. Operands a: the edges (0, 1, 2, M - 1,
 * M - 2, (M + 1) / 2, powers of two, limb patterns) and random values below M; b: random, M - 1
 * and a itself in turn.
 *   gcc -std=c11 -O2 -I../.. -I../../include -DCURVE=sm2 modcheck.c -o /tmp/mc */
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

struct run {
    uint64_t seed; /* for the random operands */
    int turn;      /* which kind of b next */
};

#define CHECK(MA_, tag)                                                                            \
    static void check_##MA_(struct run *run, const u256 *a)                                        \
    {                                                                                              \
        u256 b, am, bm, out[8];                                                                    \
        switch (run->turn++ % 3) {                                                                 \
        case 0:                                                                                    \
            for (int i = 0; i < 4; i++)                                                            \
                b.d[i] = next(&run->seed);                                                         \
            below(&b, &MA_##_m);                                                                   \
            break;                                                                                 \
        case 1:                                                                                    \
            b = MA_##_m;                                                                           \
            b.d[0] -= 1;                                                                           \
            break;                                                                                 \
        default:                                                                                   \
            b = *a;                                                                                \
        }                                                                                          \
        MA_##to_mont(&am, a);                                                                      \
        MA_##to_mont(&bm, &b);                                                                     \
        MA_##inv(&out[0], &am);                                                                    \
        MA_##from_mont(&out[0], &out[0]);                                                          \
        if (a->d[0] | a->d[1] | a->d[2] | a->d[3]) {                                               \
            MA_##inv_var(&out[1], a); /* a^-1 R, from a plain a */                                 \
            MA_##from_mont(&out[1], &out[1]);                                                      \
        } else {                                                                                   \
            out[1] = *a;                                                                           \
        }                                                                                          \
        MA_##mul(&out[2], &am, &bm);                                                               \
        MA_##from_mont(&out[2], &out[2]);                                                          \
        MA_##sqr(&out[3], &am);                                                                    \
        MA_##from_mont(&out[3], &out[3]);                                                          \
        MA_##add(&out[4], a, &b);                                                                  \
        MA_##sub(&out[5], a, &b);                                                                  \
        MA_##half(&out[6], a);                                                                     \
        MA_##neg(&out[7], a);                                                                      \
        printf(tag " ");                                                                           \
        put_u256(a, ' ');                                                                          \
        put_u256(&b, ' ');                                                                         \
        for (int i = 0; i < 8; i++)                                                                \
            put_u256(&out[i], i < 7 ? ' ' : '\n');                                                 \
    }
CHECK(fe_, "fe")
CHECK(sc_, "sc")

static void edges(struct run *run, const u256 *m, void (*check)(struct run *, const u256 *))
{
    u256 a = {{0, 0, 0, 0}};
    check(run, &a);
    for (uint64_t k = 1; k <= 3; k++) {
        a = (u256){{k, 0, 0, 0}};
        check(run, &a);
        a = *m;
        a.d[0] -= k; /* M is odd and far above 3: no borrow */
        check(run, &a);
    }
    a = *m; /* (M + 1) / 2 */
    for (int i = 0; i < 4; i++)
        a.d[i] = (a.d[i] >> 1) | (i < 3 ? a.d[i + 1] << 63 : 0);
    for (int i = 0; i < 4 && ++a.d[i] == 0; i++) /* + 1 with its carry */
        ;
    check(run, &a);
    for (int bit = 0; bit < 256; bit++) {
        a = (u256){{0, 0, 0, 0}};
        a.d[bit / 64] = (uint64_t)1 << (bit % 64);
        below(&a, m);
        check(run, &a);
    }
    for (int pattern = 1; pattern < 16; pattern++) { /* limbs all ones or zero */
        for (int i = 0; i < 4; i++)
            a.d[i] = (pattern >> i) & 1 ? ~(uint64_t)0 : 0;
        below(&a, m);
        check(run, &a);
    }
}

int main(void)
{
    struct run run = {0x9E3779B97F4A7C15ULL, 0};
    edges(&run, &fe__m, check_fe_);
    edges(&run, &sc__m, check_sc_);
    for (int it = 0; it < 3000; it++) {
        u256 a;
        for (int i = 0; i < 4; i++)
            a.d[i] = next(&run.seed);
        if (it % 3 == 0) /* small magnitudes too: long runs of zero bits */
            a.d[3] = a.d[2] = 0;
        below(&a, &fe__m);
        check_fe_(&run, &a);
        below(&a, &sc__m);
        check_sc_(&run, &a);
    }
    return 0;
}
