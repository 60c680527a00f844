/* Internal interface between the hash front end (hash.c) and its implementations. */
#ifndef CC_HASH_IMPL_H
#define CC_HASH_IMPL_H

#include "../common.h"

/* x86-64 SIMD paths (per-function target attributes, chosen at run time). Building with
 * -DCC_HASH_NO_SIMD leaves the portable code only, as on other architectures. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(CC_HASH_NO_SIMD)
#define CC_HASH_X86 1
#else
#define CC_HASH_X86 0
#endif

/* The most lanes a multi-buffer kernel has. */
#define CC_MB_MAX_LANES 16

/* Compress nblocks consecutive 64-byte blocks into the chaining value h. */
typedef void (*cc_compress_fn)(uint32_t h[8], const uint8_t *blocks, size_t nblocks);

/* Multi-buffer kernels work on L lanes at once. The chaining values are kept structure-of-arrays:
 * st[8 * L], word w of lane l at st[w * L + l].
 *
 * cc_mb_blocks_fn: lane l compresses nblocks consecutive blocks starting at p[l].
 * cc_mb_const_fn: every lane compresses one block whose message schedule is the same for all
 * lanes and was expanded once by cc_{sm3,sha256}_expand_const into wc. */
typedef void (*cc_mb_blocks_fn)(uint32_t *st, const uint8_t *const *p, size_t nblocks);
typedef void (*cc_mb_const_fn)(uint32_t *st, const uint32_t *wc);

/* Words of an expanded constant schedule: SM3 W[0..63] then W'[0..63] = W[j]^W[j+4];
 * SHA-256 K[j]+W[j] for j < 64. */
#define CC_WC_WORDS 128

extern const uint32_t cc_sm3_iv[8];
extern const uint32_t cc_sha256_iv[8];
extern const uint32_t cc_sha256_k[64];

void cc_sm3_compress_portable(uint32_t h[8], const uint8_t *blocks, size_t nblocks);
void cc_sha256_compress_portable(uint32_t h[8], const uint8_t *blocks, size_t nblocks);
void cc_sm3_expand_const(const uint8_t block[64], uint32_t wc[CC_WC_WORDS]);
void cc_sha256_expand_const(const uint8_t block[64], uint32_t wc[CC_WC_WORDS]);

#if CC_HASH_X86
void cc_sm3_mb8_avx2(uint32_t *st, const uint8_t *const *p, size_t nblocks);
void cc_sm3_mb8_avx2_const(uint32_t *st, const uint32_t *wc);
void cc_sm3_mb16_avx512(uint32_t *st, const uint8_t *const *p, size_t nblocks);
void cc_sm3_mb16_avx512_const(uint32_t *st, const uint32_t *wc);
void cc_sha256_mb8_avx2(uint32_t *st, const uint8_t *const *p, size_t nblocks);
void cc_sha256_mb8_avx2_const(uint32_t *st, const uint32_t *wc);
void cc_sha256_mb16_avx512(uint32_t *st, const uint8_t *const *p, size_t nblocks);
void cc_sha256_mb16_avx512_const(uint32_t *st, const uint32_t *wc);
/* SHA extensions: single stream, and two streams interleaved (a 2-lane multi-buffer kernel). */
/* SM3 single stream: AVX2 message expansion beside BMI2 scalar rounds. */
void cc_sm3_compress_avx2(uint32_t h[8], const uint8_t *blocks, size_t nblocks);
void cc_sha256_compress_shani(uint32_t h[8], const uint8_t *blocks, size_t nblocks);
void cc_sha256_mb2_shani(uint32_t *st, const uint8_t *const *p, size_t nblocks);
void cc_sha256_mb2_shani_const(uint32_t *st, const uint32_t *wc);
void cc_sha256_mb4_shani(uint32_t *st, const uint8_t *const *p, size_t nblocks);
void cc_sha256_mb4_shani_const(uint32_t *st, const uint32_t *wc);

/* The multi-buffer kernels (kernel_costs.c): the path each belongs to, its lanes, its block
 * function and its constant-block function. The two-stream SHA-NI kernel serves CC_PATH_AUTO's
 * last few messages. */
typedef struct {
    int path;
    unsigned lanes;
    cc_mb_blocks_fn blocks;
    cc_mb_const_fn cblock;
} cc_mb_kernel;

enum {
    CC_MB_SM3_AVX2,
    CC_MB_SM3_AVX512,
    CC_MB_SHA256_AVX2,
    CC_MB_SHA256_AVX512,
    CC_MB_SHA256_SHANI4,
    CC_MB_SHA256_SHANI2,
    CC_MB_COUNT
};

extern const cc_mb_kernel cc_mb_kernels[CC_MB_COUNT];

/* Timer ticks, measured on first use and cached, that kernel k of alg spends on one block of
 * every lane (*step) and on one constant-schedule block (*cstep). The CPU must run it. */
void cc_mb_costs(int alg, int k, uint32_t *step, uint32_t *cstep);
#endif

/* Ticks, measured on first use and cached per alg, of one block through f: CC_PATH_AUTO's
 * single-stream implementation of alg, which never changes within a process. */
uint32_t cc_single_cost(int alg, cc_compress_fn f);

#endif
