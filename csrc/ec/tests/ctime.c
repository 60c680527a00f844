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
    uint8_t sk[32], e[32], extra[32], pub[64], r[32], s[32], ok, recid;
    for (int i = 0; i < 32; i++) {
        sk[i] = (uint8_t)(i * 7 + 1);
        e[i] = (uint8_t)(i * 13 + 5);
        extra[i] = (uint8_t)(i * 3);
    }
    sk[0] = 0x3f;
    for (int c = 0; c < 3; c++) {
        VALGRIND_MAKE_MEM_UNDEFINED(sk, 32);
        VALGRIND_MAKE_MEM_UNDEFINED(extra, 32);
        int rc = cc_ec_seckey_check(c, sk);
        VALGRIND_MAKE_MEM_DEFINED(&rc, sizeof rc);
        cc_ec_pubkey_create_batch(c, sk, 1, pub, &ok);
        if (c == CC_CURVE_SM2)
            cc_sm2_sign_batch(sk, e, extra, 1, r, s, &ok);
        else
            cc_ecdsa_sign_batch(c, sk, e, extra, 1, r, s, &recid, &ok);
        VALGRIND_MAKE_MEM_DEFINED(sk, 32);
        VALGRIND_MAKE_MEM_DEFINED(extra, 32);
        printf("curve %d rc %d ok %d\n", c, rc, ok);
    }
    return 0;
}
