/* 256-bit integers as 4 little-endian 64-bit limbs, and helpers shared by the EC code. */
#ifndef CC_EC_INT_H
#define CC_EC_INT_H
#include "common.h"

/* The field and scalar code multiplies 64-bit limbs into 128-bit products: a 64-bit target and
 * a compiler with unsigned __int128 (gcc or clang) are needed. */
#ifndef __SIZEOF_INT128__
#error "chaincrypto's C backend needs a 64-bit target and a compiler with unsigned __int128 (gcc or clang)"
#endif
typedef unsigned __int128 u128;
typedef struct { uint64_t d[4]; } u256;

/* Add/subtract with carry: the x86-64 intrinsics compile to adc/sbb chains (baseline x86-64,
 * no -march needed); elsewhere, and under MemorySanitizer (which checks those intrinsics'
 * operands instead of following them: tests/ctime.c), the 128-bit fallback. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(CC_EC_CTIME_MSAN)
#include <x86intrin.h>
static inline uint64_t cc_adc(uint64_t a, uint64_t b, unsigned char *c)
{
    unsigned long long r;
    *c = _addcarry_u64(*c, a, b, &r);
    return (uint64_t)r;
}
static inline uint64_t cc_sbb(uint64_t a, uint64_t b, unsigned char *c)
{
    unsigned long long r;
    *c = _subborrow_u64(*c, a, b, &r);
    return (uint64_t)r;
}
#else
static inline uint64_t cc_adc(uint64_t a, uint64_t b, unsigned char *c)
{
    u128 s = (u128)a + b + *c;
    *c = (unsigned char)(s >> 64);
    return (uint64_t)s;
}
static inline uint64_t cc_sbb(uint64_t a, uint64_t b, unsigned char *c)
{
    u128 d = (u128)a - b - *c;
    *c = (unsigned char)((d >> 64) & 1);
    return (uint64_t)d;
}
#endif

/* Declassify a value derived from secrets whose disclosure is intended (validity of a key,
 * rejection of a nonce candidate: events that the caller learns anyway). A no-op except in the
 * constant-time test (csrc/ec/tests/ctime.c), where valgrind memcheck or, for the code valgrind
 * cannot run (AVX-512), clang's MemorySanitizer (CC_EC_CTIME_MSAN) tracks secrets. */
#if defined(CC_EC_CTIME_TEST) && defined(CC_EC_CTIME_MSAN)
#include <sanitizer/msan_interface.h>
#define CC_DECLASSIFY(p, n) __msan_unpoison((p), (n))
#elif defined(CC_EC_CTIME_TEST)
#include <valgrind/memcheck.h>
#define CC_DECLASSIFY(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))
#else
#define CC_DECLASSIFY(p, n) ((void)0)
#endif

#define CC_EC_CAT2(a, b) a##b
#define CC_EC_CAT(a, b) CC_EC_CAT2(a, b)

static inline void u256_load(u256 *r, const uint8_t b[32])
{
    for (int i = 0; i < 4; i++)
        r->d[i] = cc_load64_be(b + 8 * (3 - i));
}

static inline void u256_store(uint8_t b[32], const u256 *a)
{
    for (int i = 0; i < 4; i++)
        cc_store64_be(b + 8 * (3 - i), a->d[i]);
}

/* all-ones mask if a == 0 */
static inline uint64_t u256_is_zero_mask(const u256 *a)
{
    uint64_t x = a->d[0] | a->d[1] | a->d[2] | a->d[3];
    return ((x | ((uint64_t)0 - x)) >> 63) - 1;
}

static inline uint64_t u256_eq_mask(const u256 *a, const u256 *b)
{
    u256 x = {{a->d[0] ^ b->d[0], a->d[1] ^ b->d[1], a->d[2] ^ b->d[2], a->d[3] ^ b->d[3]}};
    return u256_is_zero_mask(&x);
}

/* all-ones mask if a < b (constant time) */
static inline uint64_t u256_lt_mask(const u256 *a, const u256 *b)
{
    uint64_t bw = 0;
    for (int i = 0; i < 4; i++) {
        u128 d = (u128)a->d[i] - b->d[i] - bw;
        bw = (uint64_t)(d >> 64) & 1;
    }
    return (uint64_t)0 - bw;
}

/* r = a + b mod 2^256, returns carry */
static inline uint64_t u256_add(u256 *r, const u256 *a, const u256 *b)
{
    uint64_t c = 0;
    for (int i = 0; i < 4; i++) {
        u128 s = (u128)a->d[i] + b->d[i] + c;
        r->d[i] = (uint64_t)s;
        c = (uint64_t)(s >> 64);
    }
    return c;
}

/* r = a - b mod 2^256, returns borrow */
static inline uint64_t u256_sub(u256 *r, const u256 *a, const u256 *b)
{
    uint64_t bw = 0;
    for (int i = 0; i < 4; i++) {
        u128 d = (u128)a->d[i] - b->d[i] - bw;
        r->d[i] = (uint64_t)d;
        bw = (uint64_t)(d >> 64) & 1;
    }
    return bw;
}

static inline void u256_cmov(u256 *r, const u256 *a, uint64_t mask)
{
    for (int i = 0; i < 4; i++)
        r->d[i] = (r->d[i] & ~mask) | (a->d[i] & mask);
}

#endif
