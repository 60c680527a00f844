/* CPU feature detection through cpuid and xgetbv; every dispatcher asks it.
 *
 * cpuid traps to the hypervisor on virtual machines (about 14 us a call on the machines this
 * was developed on, as long as hashing a hundred blocks), and its answer never changes, so it is
 * computed once. That write-once cache and the hash kernels' measured costs (hash/kernel_costs.c)
 * are the C backend's only static mutable state, kept the way BLAKE3's dispatcher keeps its own:
 * atomic words written once, so threads racing on the first call at worst compute twice. */
#include <stdatomic.h>

#include "common.h"

/* Set in the cached word once it holds a detected value (no real feature uses this bit). */
#define FEATURES_KNOWN 0x80000000u

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
#include <cpuid.h>

static uint64_t read_xcr0(void)
{
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

static uint32_t detect(void)
{
    unsigned int a, b, c, d;
    uint32_t f = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return 0;
    const int osxsave = (c >> 27) & 1;
    const int avx = (c >> 28) & 1;
    uint64_t xcr0 = osxsave ? read_xcr0() : 0;
    const int ymm_ok = avx && (xcr0 & 0x6) == 0x6;
    const int zmm_ok = ymm_ok && (xcr0 & 0xe0) == 0xe0;
    if (__get_cpuid_max(0, NULL) < 7)
        return 0;
    __cpuid_count(7, 0, a, b, c, d);
    if (ymm_ok && ((b >> 5) & 1))
        f |= CC_CPU_AVX2;
    /* F (bit 16), BW (bit 30), VL (bit 31) */
    if (zmm_ok && ((b >> 16) & 1) && ((b >> 30) & 1) && ((b >> 31) & 1))
        f |= CC_CPU_AVX512;
    if ((f & CC_CPU_AVX512) && ((b >> 21) & 1))
        f |= CC_CPU_IFMA;
    if ((b >> 29) & 1)
        f |= CC_CPU_SHANI;
    if ((b >> 8) & 1)
        f |= CC_CPU_BMI2;
    if ((b >> 19) & 1)
        f |= CC_CPU_ADX;
    return f;
}
#else
static uint32_t detect(void)
{
    return 0;
}
#endif

uint32_t cc_cpu_features(void)
{
    static _Atomic uint32_t cached;
    uint32_t f = atomic_load_explicit(&cached, memory_order_relaxed);
    if (!(f & FEATURES_KNOWN)) {
        f = detect() | FEATURES_KNOWN;
        atomic_store_explicit(&cached, f, memory_order_relaxed);
    }
    return f & ~FEATURES_KNOWN;
}
