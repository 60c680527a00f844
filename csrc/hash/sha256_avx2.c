/* SHA-256 multi-buffer, 8 messages in the lanes of YMM registers (AVX2). */
#include "hash_impl.h"

#if CC_HASH_X86
#include <immintrin.h>
#include "mb_avx2_load.h"

#define V __m256i
#define LANES 8
#define TGT CC_TGT_AVX2
#define ADD(x, y) _mm256_add_epi32(x, y)
#define XOR(x, y) _mm256_xor_si256(x, y)
#define XOR3(x, y, z) XOR(XOR(x, y), z)
#define ROR(x, n) _mm256_or_si256(_mm256_srli_epi32(x, n), _mm256_slli_epi32(x, 32 - (n)))
#define SRL(x, n) _mm256_srli_epi32(x, n)
#define CHV(x, y, z) XOR(_mm256_and_si256(XOR(y, z), x), z)
#define MAJV(x, y, z) XOR(_mm256_and_si256(XOR(x, y), XOR(y, z)), y)
#define SET1(x) _mm256_set1_epi32((int)(x))
#define LOADV(q) _mm256_loadu_si256((const __m256i *)(const void *)(q))
#define STOREV(q, v) _mm256_storeu_si256((__m256i *)(void *)(q), v)

#define LOAD_MSG(w, p, off) cc_load16x8_be(w, p, off)
#define MB_BLOCKS cc_sha256_mb8_avx2
#define MB_CONST cc_sha256_mb8_avx2_const
#include "sha256_mb_body.h"

#endif
