/* Shared by the check harnesses (modcheck.c, fe52check.c), included after the
 * curve file: a deterministic xorshift64 generator for operands, and a 4-limb number printed as
 * 64 hex digits for the Python side to read. */
#ifndef CC_EC_CHECK_UTIL_H
#define CC_EC_CHECK_UTIL_H
#include <stdio.h>

static inline uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static inline void put_u256(const u256 *x, char end)
{
    for (int i = 3; i >= 0; i--)
        printf("%016llx", (unsigned long long)x->d[i]);
    putchar(end);
}
#endif
