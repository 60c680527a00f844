/* CPU feature detection through cpuid, computed once per process (csrc/cpu.c). */
#ifndef CC_CPU_H
#define CC_CPU_H
#include <stdint.h>

/* cdef-begin */
enum {
    CC_CPU_AVX2 = 1,
    CC_CPU_AVX512 = 2,   /* AVX-512 F + VL + BW, and the OS saves ZMM state */
    CC_CPU_SHANI = 4,
    CC_CPU_BMI2 = 8,
    CC_CPU_ADX = 16,
    CC_CPU_IFMA = 32     /* AVX-512 IFMA (vpmadd52luq / vpmadd52huq), with CC_CPU_AVX512 */
};
/* Bit mask of CC_CPU_* features this CPU and OS support. */
uint32_t cc_cpu_features(void);
/* cdef-end */

#endif
