/* Crossover of the scalar code and the AVX-512 lanes (not a test): verification and signing of
 * m = 1..8 rows, best of 9 runs of 50 on thread CPU time, on a CPU with IFMA:
 *   cd csrc/ec/tests && for v in 99 1; do gcc -std=c11 -O3 -I../.. -I../../include -DCURVE=sm2 \
 *     -DCC_EC_ADX=1 -DCC_EC_IFMA=1 -DV_MIN_ROWS=$v -DG_MIN_ROWS=$v rows.c -o /tmp/rows && \
 *     /tmp/rows; done
 * (99: every group on the scalar code; 1: every group in the lanes) */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <time.h>
#define STR2(x) #x
#define STR(x) STR2(x)
#include STR(../curve_ CURVE.c)

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

enum { G = CC_EC_GROUP, REPS = 9, CALLS = 50 };

int main(void)
{
    uint8_t sk[32 * G], e[32 * G], k[32 * G], r[32 * G], s[32 * G], ok[G], pub[64 * G];
    for (int i = 0; i < 32 * G; i++) {
        sk[i] = (uint8_t)(i * 7 + 1);
        e[i] = (uint8_t)(i * 5);
        k[i] = (uint8_t)(i * 11 + 3);
    }
    for (int i = 0; i < G; i++)
        sk[32 * i] = k[32 * i] = 0x3f;
    op_sign_k(0, 0, G, sk, e, k, r, s, NULL, ok);
    op_pubkey_create(sk, G, pub, ok);
    for (size_t m = 1; m <= 8; m++) {
        double v = 1e9, g = 1e9;
        for (int rep = 0; rep < REPS; rep++) {
            double t0 = now();
            for (int i = 0; i < CALLS; i++)
                op_verify(0, 0, m, pub, e, r, s, ok);
            double t1 = now();
            for (int i = 0; i < CALLS; i++)
                op_sign_k(0, 0, m, sk, e, k, r, s, NULL, ok);
            double t2 = now();
            v = (t1 - t0) / CALLS < v ? (t1 - t0) / CALLS : v;
            g = (t2 - t1) / CALLS < g ? (t2 - t1) / CALLS : g;
        }
        printf("m=%zu verify %7.1f us (%5.1f a row)  sign_k %7.1f us (%5.1f a row)  ok %d\n", m,
               v * 1e6, v * 1e6 / m, g * 1e6, g * 1e6 / m, ok[m - 1]);
    }
    return 0;
}
