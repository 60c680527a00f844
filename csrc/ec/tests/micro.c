/* Micro-benchmark of the EC layers (not a test): cd csrc/ec/tests && gcc -std=c11 -O3 -I../.. -I../../include micro.c -o /tmp/micro */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <time.h>
#include "../curve_sm2.c"
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
int main(void)
{
    u256 a = {{1, 2, 3, 4}}, b = {{5, 6, 7, 8}};
    int N = 10000000;
    double t = now();
    for (int i = 0; i < N; i++) fe_mul(&a, &a, &b);
    t = now() - t;
    printf("fe_mul %.1f ns (%lx)\n", t / N * 1e9, (unsigned long)a.d[0]);
    t = now();
    for (int i = 0; i < N; i++) fe_sqr(&a, &a);
    t = now() - t;
    printf("fe_sqr %.1f ns (%lx)\n", t / N * 1e9, (unsigned long)a.d[0]);
    t = now();
    for (int i = 0; i < N; i++) fe_add(&a, &a, &b);
    t = now() - t;
    printf("fe_add %.1f ns (%lx)\n", t / N * 1e9, (unsigned long)a.d[0]);
    gej r = {0}; gej_set_ge(&r, (const ge *)ec_gtab[1]);
    t = now();
    for (int i = 0; i < 100000; i++) gej_double(&r, &r);
    printf("dbl %.1f ns\n", (now() - t) / 100000 * 1e9);
    t = now();
    for (int i = 0; i < 1000; i++) { ecmult_gen(&r, &b); b.d[0] += r.x.d[0]; }
    printf("ecmult_gen %.1f us\n", (now() - t) / 1000 * 1e6);
    t = now();
    for (int i = 0; i < 1000; i++) fe_inv(&a, &a);
    printf("fe_inv %.1f us\n", (now() - t) / 1000 * 1e6);
    return 0;
}
