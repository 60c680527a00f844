/* The IFMA lanes' field arithmetic (fe52_ifma.h) on random and extreme operands, printed for a
 * check against Python integers (tests/test_fe52.py builds and runs it where the CPU has IFMA):
 *   gcc -std=c11 -O2 -I../.. -I../../include -DCURVE=sm2 fe52check.c -o /tmp/fe52 && /tmp/fe52
 * Each line: op, the operands' limbs, the result's limbs (hex, lowest limb first; all of one
 * lane). Operands cover the whole stored domain: normalized limbs, value below 2^257. */
#include <stdio.h>
#ifndef CURVE
#define CURVE sm2
#endif
#define STR2(x) #x
#define STR(x) STR2(x)
#define IFMA_FILE2(name) STR(../curve_##name##_ifma.c)
#define IFMA_FILE(name) IFMA_FILE2(name)
#include IFMA_FILE(CURVE)
#include "check_util.h"

/* limbs of lane L of a */
FE52_TARGET static void limbs(uint64_t out[5], const fe52 *a, int lane)
{
    for (int i = 0; i < 5; i++) {
        uint64_t v[8];
        _mm512_storeu_si512((void *)v, a->v[i][lane / 8]);
        out[i] = v[lane % 8];
    }
}

FE52_TARGET static void put(const char *op, const fe52 *a, const fe52 *b, const fe52 *r)
{
    for (int lane = 0; lane < FE52_LANES; lane++) {
        uint64_t l[5];
        printf("%s", op);
        const fe52 *all[3] = {a, b, r};
        for (int k = 0; k < 3; k++) {
            if (!all[k])
                continue;
            limbs(l, all[k], lane);
            for (int i = 0; i < 5; i++)
                printf(" %llx", (unsigned long long)l[i]);
        }
        putchar('\n');
    }
}

/* lane L of a from five limbs */
FE52_TARGET static void set(fe52 *a, int lane, const uint64_t l[5])
{
    for (int i = 0; i < 5; i++) {
        uint64_t v[8];
        _mm512_storeu_si512((void *)v, a->v[i][lane / 8]);
        v[lane % 8] = l[i];
        a->v[i][lane / 8] = _mm512_loadu_si512((const void *)v);
    }
}

/* An operand: random over the domain, or one of the extremes (0, 1, p - 1, p, 2p, 2^256 - 1,
 * 2^257 - 1, a top limb at its largest, a single nonzero limb, small or not). */
FE52_TARGET static void operand(fe52 *a, int lane, uint64_t *s)
{
    uint64_t l[5];
    unsigned kind = (unsigned)(next(s) % 14);
    for (int i = 0; i < 4; i++)
        l[i] = next(s) & FE52_MASK;
    l[4] = next(s) & ((1ULL << 49) - 1);
    switch (kind) {
    case 0:
        memset(l, 0, sizeof l);
        break;
    case 1:
        memset(l, 0, sizeof l);
        l[0] = 1;
        break;
    case 2:
    case 3:
    case 4: { /* p - 1, p, 2p */
        u256 p = {{EC_P}}, two = p;
        if (kind == 2)
            p.d[0] -= 1;
        if (kind == 4)
            u256_add(&two, &p, &p); /* 2p < 2^257: the carry is bit 256 */
        const u256 *v = kind == 4 ? &two : &p;
        l[0] = v->d[0] & FE52_MASK;
        l[1] = ((v->d[0] >> 52) | (v->d[1] << 12)) & FE52_MASK;
        l[2] = ((v->d[1] >> 40) | (v->d[2] << 24)) & FE52_MASK;
        l[3] = ((v->d[2] >> 28) | (v->d[3] << 36)) & FE52_MASK;
        l[4] = (v->d[3] >> 16) | (kind == 4 ? 1ULL << 48 : 0);
        break;
    }
    case 5: /* 2^256 - 1 */
    case 6: /* 2^257 - 1 */
        for (int i = 0; i < 4; i++)
            l[i] = FE52_MASK;
        l[4] = kind == 5 ? (1ULL << 48) - 1 : (1ULL << 49) - 1;
        break;
    case 7: /* top limb at its largest */
        l[4] = (1ULL << 49) - 1;
        break;
    case 8: /* one limb set: products with few terms, where the reduction's limbs can go
             * negative */
    case 9: {
        unsigned keep = (unsigned)(next(s) % 5);
        for (int i = 0; i < 5; i++)
            if ((unsigned)i != keep)
                l[i] = 0;
        if (kind == 9)
            l[keep] &= 0xff;
        break;
    }
    default:
        break;
    }
    set(a, lane, l);
}

FE52_TARGET int main(void)
{
    fe52_ctx k;
    fe52_ctx_init(&k);
    uint64_t s = 0x9E3779B97F4A7C15ULL;
    for (int it = 0; it < 400; it++) {
        fe52 a, b, r;
        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
        for (int lane = 0; lane < FE52_LANES; lane++) {
            operand(&a, lane, &s);
            operand(&b, lane, &s);
        }
        fe52_mul(&r, &a, &b, &k);
        put("mul", &a, &b, &r);
        fe52_sqr(&r, &a, &k);
        put("sqr", &a, NULL, &r);
        fe52_add(&r, &a, &b, &k);
        put("add", &a, &b, &r);
        fe52_sub(&r, &a, &b, &k);
        put("sub", &a, &b, &r);
        for (int sh = 1; sh <= 3; sh++) {
            char op[8];
            snprintf(op, sizeof op, "shl%d", sh);
            fe52_shl(&r, &a, sh, &k);
            put(op, &a, NULL, &r);
        }
        fe52_mul3(&r, &a, &k);
        put("mul3", &a, NULL, &r);
        r = a;
        fe52_canonical(&r, &k);
        put("canon", &a, NULL, &r);
        fe52_lanes z = fe52_is_zero(&a, &k);
        for (int lane = 0; lane < FE52_LANES; lane++) {
            uint64_t l[5];
            limbs(l, &a, lane);
            printf("iszero %llx %llx %llx %llx %llx %u\n", (unsigned long long)l[0],
                   (unsigned long long)l[1], (unsigned long long)l[2], (unsigned long long)l[3],
                   (unsigned long long)l[4], (unsigned)((z >> lane) & 1));
        }
    }
    /* the conversions from and to the scalar code's form */
    for (int it = 0; it < 50; it++) {
        u256 in[FE52_LANES], out[FE52_LANES];
        int64_t idx[FE52_LANES];
        const u256 p = {{EC_P}};
        for (int lane = 0; lane < FE52_LANES; lane++) {
            for (int i = 0; i < 4; i++)
                in[lane].d[i] = next(&s);
            if (lane == 0)
                in[lane] = p, in[lane].d[0] -= 1; /* p - 1 */
            if (lane == 1)
                memset(&in[lane], 0, sizeof in[lane]);
            while (!(u256_lt_mask(&in[lane], &p) & 1))
                in[lane].d[3] >>= 1;
            idx[lane] = 4 * lane;
        }
        fe52 a;
        fe52_gather(&a, in[0].d, idx, &k);
        fe52_scatter(out, &a, &k);
        for (int lane = 0; lane < FE52_LANES; lane++) {
            uint64_t l[5];
            limbs(l, &a, lane);
            printf("convert");
            for (int i = 3; i >= 0; i--)
                printf(" %016llx", (unsigned long long)in[lane].d[i]);
            for (int i = 0; i < 5; i++)
                printf(" %llx", (unsigned long long)l[i]);
            for (int i = 3; i >= 0; i--)
                printf(" %016llx", (unsigned long long)out[lane].d[i]);
            putchar('\n');
        }
    }
    return 0;
}
