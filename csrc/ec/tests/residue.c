/* Secrets left on the dead stack (tests/test_stack_residue.py). Key derivation and signing of
 * one secp256k1 row on the build given as argv[1] (1 base, 2 ADX, 3 IFMA), then a scan of the
 * stack below the caller for the private key, the nonce and any x coordinate of the comb table:
 * the entry chosen for a window gives away that window's digit. Prints the counts found. */
#include <stdio.h>
#include <string.h>

#include "chaincrypto.h"

extern const uint64_t cc_ec_secp256k1_comb[43][32][8];

#define DEPTH (256 * 1024)
static uint8_t snap[DEPTH];

/* Zero, then later copy, the same stack region the call under test will have used. */
__attribute__((noinline)) static void clear_stack(void)
{
    volatile uint8_t b[DEPTH];
    memset((void *)b, 0, DEPTH);
    __asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) static void grab(void)
{
    volatile uint8_t b[DEPTH];
    for (size_t i = 0; i < DEPTH; i++)
        snap[i] = b[i];
}

static size_t count(const void *pat, size_t len)
{
    size_t c = 0;
    for (size_t i = 0; i + len <= DEPTH; i++)
        c += memcmp(snap + i, pat, len) == 0;
    return c;
}

/* The 4 little-endian limbs of a 32-byte big-endian number, as the curve code stores it. */
static void limbs(const uint8_t be[32], uint8_t out[32])
{
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 8; j++)
            out[8 * i + j] = be[8 * (3 - i) + 7 - j];
}

static size_t comb_hits(void)
{
    size_t hits = 0;
    for (int i = 0; i < 43; i++)
        for (int j = 0; j < 32; j++)
            hits += count(cc_ec_secp256k1_comb[i][j], 32);
    return hits;
}

int main(int argc, char **argv)
{
    const int path = argc > 1 ? argv[1][0] - '0' : CC_EC_PATH_BASE;
    uint8_t sk[32], e[32], k[32], r[32], s[32], pub[64], ok, recid, skl[32], kl[32];
    for (int i = 0; i < 32; i++) {
        sk[i] = (uint8_t)((0x11 * (i + 1)) ^ 0x5a);
        e[i] = (uint8_t)(i * 7 + 3);
    }
    sk[0] = 0x3c;
    if (cc_ec_nonce_batch(CC_CURVE_SECP256K1, sk, e, NULL, 1, k, &ok) != CC_OK || !ok)
        return 1;
    limbs(sk, skl);
    limbs(k, kl);
    for (int op = 0; op < 2; op++) {
        clear_stack();
        int rc = op == 0
                     ? cc_ec_pubkey_create_path_batch(CC_CURVE_SECP256K1, path, sk, 1, pub, &ok)
                     : cc_ec_sign_path_batch(CC_CURVE_SECP256K1, path, sk, e, NULL, 1, r, s,
                                             &recid, &ok);
        grab();
        if (rc != CC_OK || !ok)
            return 1;
        printf("%s key %zu nonce %zu comb %zu\n", op == 0 ? "pubkey" : "sign",
               count(sk, 32) + count(skl, 32), count(k, 32) + count(kl, 32), comb_hits());
    }
    return 0;
}
