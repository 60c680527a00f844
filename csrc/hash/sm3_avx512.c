/* SM3 multi-buffer, 16 messages in the lanes of ZMM registers (AVX-512 F/BW): vprold for the
 * rotations, vpternlogd for the three-input boolean functions and XORs. */
#include "hash_impl.h"

#if CC_HASH_X86
#include <immintrin.h>
#include "mb_avx512_load.h"

#define V __m512i
#define LANES 16
#define TGT CC_TGT_AVX512
#define ADD(x, y) _mm512_add_epi32(x, y)
#define XOR(x, y) _mm512_xor_si512(x, y)
#define XOR3(x, y, z) _mm512_ternarylogic_epi32(x, y, z, 0x96)
#define ROL(x, n) _mm512_rol_epi32(x, n)
#define FF1V(x, y, z) _mm512_ternarylogic_epi32(x, y, z, 0xe8)
#define GG1V(x, y, z) _mm512_ternarylogic_epi32(x, y, z, 0xca)
#define SET1(x) _mm512_set1_epi32((int)(x))
#define LOADV(q) _mm512_loadu_si512((const void *)(q))
#define STOREV(q, v) _mm512_storeu_si512((void *)(q), v)

#define LOAD_MSG(w, p, off) cc_load16x16_be(w, p, off)
#define MB_BLOCKS cc_sm3_mb16_avx512
#define MB_CONST cc_sm3_mb16_avx512_const
#include "sm3_mb_body.h"

#endif
