/* Constant-time check in the style of libsecp256k1's ctime_tests: secrets are marked undefined
 * for valgrind memcheck, which then reports any branch or memory index that depends on them.
 *   cd csrc/ec/tests && gcc -std=c11 -O3 -g -DCC_EC_CTIME_TEST -I../.. -I../../include ctime.c
 *       ../api.c ../der.c ../rfc6979.c ../curve_sm2.c ../curve_secp256k1.c ../curve_p256.c
 *       ../../hash/hash.c ../../hash/sm3_portable.c ../../hash/sha256_portable.c ../../cpu.c
 *       -o /tmp/ctime && valgrind --error-exitcode=1 /tmp/ctime */
#include <stdio.h>
#include <valgrind/memcheck.h>
#include "chaincrypto.h"

int main(void)
{
    /* three rows: key derivation and signing take rows in groups that share their inversions */
    enum { ROWS = 3 };
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
        VALGRIND_MAKE_MEM_UNDEFINED(sk, sizeof sk);
        VALGRIND_MAKE_MEM_UNDEFINED(extra, sizeof extra);
        int rc = cc_ec_seckey_check(c, sk);
        VALGRIND_MAKE_MEM_DEFINED(&rc, sizeof rc);
        cc_ec_pubkey_create_batch(c, sk, ROWS, pub, ok);
        if (c == CC_CURVE_SM2)
            cc_sm2_sign_batch(sk, e, extra, ROWS, r, s, ok);
        else
            cc_ecdsa_sign_batch(c, sk, e, extra, ROWS, r, s, recid, ok);
        VALGRIND_MAKE_MEM_DEFINED(sk, sizeof sk);
        VALGRIND_MAKE_MEM_DEFINED(extra, sizeof extra);
        printf("curve %d rc %d ok %d %d %d\n", c, rc, ok[0], ok[1], ok[2]);
    }
    return 0;
}
