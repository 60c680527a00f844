/* SHA-256 multi-buffer, 16 messages in the lanes of ZMM registers (AVX-512 F/BW): vprord for
 * the rotations, vpternlogd for Ch, Maj and the three-way XORs of the sigma functions. */
#include "hash_impl.h"

#if CC_HASH_X86
#include <immintrin.h>
#include "mb_avx512_load.h"

#define V __m512i
#define LANES 16
#define TGT CC_TGT_AVX512
#define ADD(x, y) _mm512_add_epi32(x, y)
#define XOR3(x, y, z) _mm512_ternarylogic_epi32(x, y, z, 0x96)
#define ROR(x, n) _mm512_ror_epi32(x, n)
#define SRL(x, n) _mm512_srli_epi32(x, n)
#define CHV(x, y, z) _mm512_ternarylogic_epi32(x, y, z, 0xca)
#define MAJV(x, y, z) _mm512_ternarylogic_epi32(x, y, z, 0xe8)
#define SET1(x) _mm512_set1_epi32((int)(x))
#define LOADV(q) _mm512_loadu_si512((const void *)(q))
#define STOREV(q, v) _mm512_storeu_si512((void *)(q), v)

#define LOAD_MSG(w, p, off) cc_load16x16_be(w, p, off)
#define MB_BLOCKS cc_sha256_mb16_avx512
#define MB_CONST cc_sha256_mb16_avx512_const
#include "sha256_mb_body.h"

#endif
