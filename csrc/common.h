/* Small helpers shared by every C file: byte order, rotations, wiping secrets. Not part of the
 * cffi interface. */
#ifndef CC_COMMON_H
#define CC_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "include/chaincrypto.h"

static inline uint32_t cc_load32_be(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline void cc_store32_be(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline uint64_t cc_load64_be(const uint8_t *p)
{
    return ((uint64_t)cc_load32_be(p) << 32) | cc_load32_be(p + 4);
}

static inline void cc_store64_be(uint8_t *p, uint64_t v)
{
    cc_store32_be(p, (uint32_t)(v >> 32));
    cc_store32_be(p + 4, (uint32_t)v);
}

static inline uint32_t cc_rotl32(uint32_t x, unsigned n)
{
    n &= 31;
    return (x << n) | (x >> ((32 - n) & 31));
}

/* Wipe memory that held a secret; the volatile function pointer keeps the compiler from
 * removing the store as dead. */
static void *(*const volatile cc_memset_v)(void *, int, size_t) = memset;
static inline void cc_wipe(void *p, size_t n)
{
    cc_memset_v(p, 0, n);
}

#endif
