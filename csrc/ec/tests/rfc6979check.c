/* The RFC 6979 HMAC-DRBG of rfc6979.c, first candidate and the retries after it, for the rows
 * read from stdin ("alg x h1 extra" a line, hex; extra "-" for none, the same for every row),
 * in batches of up to CC_EC_GROUP rows; prints "c0 c1 c2" a row (tests/test_rfc6979.py):
 *   cd csrc && gcc -std=c11 -O2 -I. -Iinclude ec/tests/rfc6979check.c ec/rfc6979.c cpu.c \
 *       <every .c of hash/> -o /tmp/rfc6979check */
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "ec/ec_internal.h"

enum { CANDIDATES = 3, MAX_ROWS = 64 };

static int hex32(const char *s, uint8_t out[32])
{
    for (int i = 0; i < 32; i++) {
        unsigned v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1)
            return 0;
        out[i] = (uint8_t)v;
    }
    return 1;
}

int main(void)
{
    static uint8_t x[MAX_ROWS][32], h1[MAX_ROWS][32], extra[MAX_ROWS][32];
    int alg = 0, has_extra = 0;
    size_t n = 0;
    char a[65], b[65], c[65];
    while (n < MAX_ROWS && scanf("%d %64s %64s %64s", &alg, a, b, c) == 4) {
        has_extra = c[0] != '-';
        if (!hex32(a, x[n]) || !hex32(b, h1[n]) || (has_extra && !hex32(c, extra[n])))
            return 2;
        n++;
    }
    for (size_t at = 0; at < n; at += CC_EC_GROUP) {
        size_t m = n - at < CC_EC_GROUP ? n - at : CC_EC_GROUP;
        cc_rfc6979 st[CC_EC_GROUP];
        cc_rfc6979 *sp[CC_EC_GROUP];
        const uint8_t *xp[CC_EC_GROUP], *hp[CC_EC_GROUP], *ep[CC_EC_GROUP];
        uint8_t k[CANDIDATES][CC_EC_GROUP][32], *kp[CC_EC_GROUP];
        for (size_t i = 0; i < m; i++) {
            sp[i] = &st[i];
            xp[i] = x[at + i];
            hp[i] = h1[at + i];
            ep[i] = extra[at + i];
        }
        if (cc_rfc6979_init_batch(sp, m, alg, xp, hp, has_extra ? ep : NULL) != CC_OK)
            return 1;
        for (int j = 0; j < CANDIDATES; j++) {
            for (size_t i = 0; i < m; i++)
                kp[i] = k[j][i];
            if (cc_rfc6979_next_batch(sp, m, kp, j > 0) != CC_OK)
                return 1;
        }
        for (size_t i = 0; i < m; i++) {
            for (int j = 0; j < CANDIDATES; j++) {
                for (int q = 0; q < 32; q++)
                    printf("%02x", k[j][i][q]);
                putchar(j + 1 < CANDIDATES ? ' ' : '\n');
            }
            cc_rfc6979_clear(&st[i]);
        }
    }
    return 0;
}
