/* Micro-benchmark of the EC layers (not a test), best of 15 runs on thread CPU time (the machine is shared):
 *   cd csrc/ec/tests && gcc -std=c11 -O3 -I../.. -I../../include -DCURVE=sm2 micro.c -o /tmp/micro
 * (-DCC_EC_ADX=1: the BMI2/ADX field arithmetic that api.c picks on CPUs that have it;
 * -DCC_EC_ADX=1 -DCC_EC_IFMA=1: also verification and signing in AVX-512 IFMA lanes,
 * "verify/group" and "sign_k/group" then timing 16 rows in the lanes, on a CPU that has IFMA) */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <time.h>
#ifndef CURVE
#define CURVE sm2
#endif
#define STR2(x) #x
#define STR(x) STR2(x)
#include STR(../curve_ CURVE.c)
static double now(void) { struct timespec t; clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
#define BENCH(name, unit, scale, n, stmt)                                                          \
    do {                                                                                           \
        double best = 1e9;                                                                         \
        for (int rep = 0; rep < 15; rep++) {                                                        \
            double t0 = now();                                                                     \
            for (int i = 0; i < (n); i++) { stmt; }                                                \
            double dt = (now() - t0) / (n);                                                        \
            if (dt < best) best = dt;                                                              \
        }                                                                                          \
        printf("%-12s %8.1f %s\n", name, best * (scale), unit);                                   \
    } while (0)
int main(void)
{
    u256 a = {{1, 2, 3, 4}}, b = {{5, 6, 7, 8}};
    BENCH("fe_mul", "ns", 1e9, 1000000, fe_mul(&a, &a, &b));
    BENCH("fe_sqr", "ns", 1e9, 1000000, fe_sqr(&a, &a));
    BENCH("fe_add", "ns", 1e9, 1000000, fe_add(&a, &a, &b));
    gej r = {0};
    gej_set_ge(&r, (const ge *)ec_gtab[1]);
    BENCH("dbl", "ns", 1e9, 20000, gej_double(&r, &r));
    BENCH("ecmult_gen", "us", 1e6, 300, { ecmult_gen(&r, &b); b.d[0] += r.x.d[0] & 0xff; });
    BENCH("fe_inv", "us", 1e6, 300, fe_inv(&a, &a));
    BENCH("sc_inv_var", "us", 1e6, 300, { sc_inv_var(&b, &a); a.d[0] ^= b.d[1] & 0xff; a.d[3] &= 0x7fffffffffffffffULL; a.d[0] |= 1; });
    uint8_t pub[64], sk[32] = {1, 2, 3}, e[32] = {4, 5}, k[32] = {6, 7}, rr[32], ss[32], ok;
    op_pubkey_create(sk, 1, pub, &ok);
    BENCH("sign_k", "us", 1e6, 300, op_sign_k(0, 0, 1, sk, e, k, rr, ss, NULL, &ok));
    enum { G = CC_EC_GROUP };
    uint8_t sks[32 * G], es[32 * G], ks[32 * G], rs[32 * G], s2[32 * G], oks[G];
    for (int i = 0; i < 32 * G; i++) {
        sks[i] = (uint8_t)(i * 7 + 1);
        es[i] = (uint8_t)(i * 5);
        ks[i] = (uint8_t)(i * 11 + 3);
    }
    for (int i = 0; i < G; i++)
        sks[32 * i] = ks[32 * i] = 0x3f;
    BENCH("sign_k/group", "us", 1e6 / G, 100, op_sign_k(0, 0, G, sks, es, ks, rs, s2, NULL, oks));
    BENCH("verify", "us", 1e6, 300, op_verify(0, 0, 1, pub, e, rr, ss, &ok));
    printf("(verify ok %d)\n", ok);
    uint8_t pubs[64 * G];
    op_pubkey_create(sks, G, pubs, oks);
    BENCH("verify/group", "us", 1e6 / G, 30, op_verify(0, 0, G, pubs, es, rs, s2, oks));
    printf("(group verify ok %d)\n", oks[G - 1]);
    return 0;
}
