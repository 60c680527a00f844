/* Field arithmetic differential check against Python integers (dev tool, not built):
 *   for c in sm2 secp256k1 p256; do for adx in 0 1; do gcc -std=c11 -O2 -DCC_EC_ADX=$adx \
 *     "-DSTR2(x)=#x" "-DSTR(x)=STR2(x)" -DCURVE=$c -I../.. -I../../include fieldcheck.c -o /tmp/fc && \
 *     /tmp/fc | python3 fieldcheck.py $c; done; done */
#include <stdio.h>
#include STR(../curve_ CURVE.c)
#include "check_util.h"
int main(void)
{
    uint64_t s = 0x9E3779B97F4A7C15ULL;
    for (int it = 0; it < 20000; it++) {
        u256 a, b, am, bm, r, q, ad, sb;
        for (int i = 0; i < 4; i++) {
            a.d[i] = next(&s);
            b.d[i] = next(&s);
        }
        if (it % 5 == 0) {
            a = fe__m;
            a.d[0] -= 1 + (it % 3);
        }
        if (it % 7 == 0) {
            b = fe__m;
            b.d[0] -= 1;
        }
        if (!(u256_lt_mask(&a, &fe__m) & 1))
            a.d[3] >>= 1;
        if (!(u256_lt_mask(&b, &fe__m) & 1))
            b.d[3] >>= 1;
        fe_to_mont(&am, &a);
        fe_to_mont(&bm, &b);
        fe_mul(&r, &am, &bm);
        fe_from_mont(&r, &r);
        fe_sqr(&q, &am);
        fe_from_mont(&q, &q);
        fe_add(&ad, &a, &b);
        fe_sub(&sb, &a, &b);
        put_u256(&a, ' ');
        put_u256(&b, ' ');
        put_u256(&r, ' ');
        put_u256(&q, ' ');
        put_u256(&ad, ' ');
        put_u256(&sb, '\n');
    }
    return 0;
}
