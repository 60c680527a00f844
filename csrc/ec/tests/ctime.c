/* Constant-time check in the style of libsecp256k1's ctime_tests: secrets are marked undefined
 * for valgrind memcheck, which then reports any branch or memory index that depends on them
 * (.ci/ctime builds and runs it):
 *   cd csrc && gcc -std=c11 -O3 -g -DCC_EC_CTIME_TEST -I. -Iinclude ec/tests/ctime.c \
 *       $(find . -name '*.c' -not -path '*tests*') -o /tmp/ctime && valgrind /tmp/ctime
 * Valgrind runs no AVX-512, so it sees the BMI2/ADX build at most. The IFMA build (signing 16
 * rows in AVX-512 lanes) is checked with clang's MemorySanitizer instead, which reports a branch
 * or an address that depends on poisoned memory in the same way: -DCC_EC_CTIME_MSAN
 * -fsanitize=memory, and -DCC_EC_NO_ASM so that the scalar field code it reaches is C that
 * MemorySanitizer follows (it takes inline assembly's outputs as defined). */
#include <stdio.h>
#ifdef CC_EC_CTIME_MSAN
#include <sanitizer/msan_interface.h>
#define SECRET(p, n) __msan_poison((p), (n))
#define PUBLIC(p, n) __msan_unpoison((p), (n))
#else
#include <valgrind/memcheck.h>
#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))
#endif
#include "chaincrypto.h"

int main(void)
{
    /* rows in groups sharing their inversions: a full group of 16 (the IFMA build's lanes) and
     * a group of 2 (one row at a time) */
    enum { ROWS = 18 };
#ifdef CC_EC_CTIME_MSAN
    if (!((cc_ec_paths() >> CC_EC_PATH_IFMA) & 1)) {
        fprintf(stderr, "ctime: this CPU runs no IFMA build, the one this test is for\n");
        return 1;
    }
#endif
    uint8_t sk[32 * ROWS], e[32 * ROWS], extra[32 * ROWS], pub[64 * ROWS], r[32 * ROWS],
        s[32 * ROWS], ok[ROWS], recid[ROWS];
    for (int i = 0; i < 32 * ROWS; i++) {
        sk[i] = (uint8_t)(i * 7 + 1);
        e[i] = (uint8_t)(i * 13 + 5);
        extra[i] = (uint8_t)(i * 3);
    }
    for (int j = 0; j < ROWS; j++)
        sk[32 * j] = (uint8_t)(0x3f - j);
    for (int c = 0; c < 3; c++) {
        SECRET(sk, sizeof sk);
        SECRET(extra, sizeof extra);
        int rc = cc_ec_seckey_check(c, sk);
        PUBLIC(&rc, sizeof rc);
        cc_ec_pubkey_create_batch(c, sk, ROWS, pub, ok);
        if (c == CC_CURVE_SM2)
            cc_sm2_sign_batch(sk, e, extra, ROWS, r, s, ok);
        else
            cc_ecdsa_sign_batch(c, sk, e, extra, ROWS, r, s, recid, ok);
        uint8_t one[72]; /* the single-item entry, DER out */
        int rc1 = cc_ec_sign(c, sk, e, extra, CC_SIGN_DER, one);
        PUBLIC(&rc1, sizeof rc1);
        rc |= rc1;
        PUBLIC(sk, sizeof sk);
        PUBLIC(extra, sizeof extra);
        int all = 1;
        for (int j = 0; j < ROWS; j++)
            all &= ok[j];
        printf("curve %d rc %d all ok %d\n", c, rc, all);
    }
    return 0;
}
