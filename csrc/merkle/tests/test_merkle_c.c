/* Standalone checks of csrc/merkle/ (meant for sanitizer builds; the Python tests hold the
 * reference comparisons). Blocked reductions must equal plain level-by-level walks for every
 * size around the block boundaries, and argument errors must come back as statuses.
 *
 *   cc -std=c11 -Wall -Wextra -O1 -g -fsanitize=address,undefined -Icsrc/include -Icsrc \
 *      csrc/hash/[a-z]*.c csrc/merkle/merkle.c csrc/merkle/tests/test_merkle_c.c -o /tmp/tm
 * (tests/test_merkle.py::test_c_checks_under_sanitizers builds and runs it.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaincrypto.h"

static int failures;
#define CHECK(cond)                                                                           \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);          \
            failures++;                                                                       \
        }                                                                                     \
    } while (0)

/* Root by repeated cc_merkle_level into fresh buffers. */
static void walk(int scheme, int alg, const uint8_t *leaves, size_t n, uint8_t out[32],
                 int32_t *mutated)
{
    uint8_t *cur = malloc(32 * n);
    memcpy(cur, leaves, 32 * n);
    while (n > 1) {
        uint8_t *next = malloc(32 * ((n + 1) / 2));
        CHECK(cc_merkle_level(scheme, alg, CC_PATH_AUTO, cur, n, next, mutated) == CC_OK);
        free(cur);
        cur = next;
        n = (n + 1) / 2;
    }
    memcpy(out, cur, 32);
    free(cur);
}

static unsigned depth(size_t n)
{
    unsigned d = 0;
    while (((size_t)1 << d) < n)
        d++;
    return d;
}

int main(void)
{
    const size_t max_n = 65537;
    uint8_t *leaves = malloc(32 * max_n);
    uint64_t *offsets = malloc(sizeof(uint64_t) * (max_n + 1));
    uint8_t *data = malloc(8 * max_n + 5000 * (max_n / 1000 + 1));
    uint8_t *hashed = malloc(32 * max_n);
    uint32_t x = 12345;
    for (size_t i = 0; i < 32 * max_n; i++) {
        x = x * 1103515245u + 12345u;
        leaves[i] = (uint8_t)(x >> 16);
    }
    offsets[0] = 0;
    /* short items, and now and then a long one (hashed where it lies) */
    for (size_t i = 0; i < max_n; i++)
        offsets[i + 1] = offsets[i] + (i % 1000 == 999 ? 5000 : (i * 5) % 9);
    for (size_t i = 0; i < offsets[max_n]; i++)
        data[i] = (uint8_t)(i * 7);
    const size_t sizes[] = {1, 2, 3, 4, 5, 7, 8, 9, 1000, 8193, 65535, 65537};
    const int schemes[][2] = {{CC_MERKLE_CHAINMAKER, CC_HASH_SM3},
                              {CC_MERKLE_BITCOIN, CC_HASH_SHA256},
                              {CC_MERKLE_RFC6962, CC_HASH_SHA256}};
    for (size_t s = 0; s < 3; s++) {
        int scheme = schemes[s][0], alg = schemes[s][1];
        for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
            size_t n = sizes[k];
            uint8_t want[32], got[32];
            int32_t m1 = 0, m2 = 0;
            walk(scheme, alg, leaves, n, want, &m1);
            CHECK(cc_merkle_reduce(scheme, alg, CC_PATH_AUTO, leaves, n, depth(n), got, &m2) ==
                  CC_OK);
            CHECK(memcmp(want, got, 32) == 0 && m1 == m2);
            if (scheme == CC_MERKLE_RFC6962) {
                CHECK(cc_merkle_rfc6962_leaves(alg, 0, data, offsets, 0, n, hashed) == CC_OK);
                walk(scheme, alg, hashed, n, want, NULL);
                CHECK(cc_merkle_rfc6962_reduce(alg, 0, data, offsets, 0, n, depth(n), got) ==
                      CC_OK);
                CHECK(memcmp(want, got, 32) == 0);
                CHECK(cc_merkle_rfc6962_leaves(alg, 0, data, NULL, 3, n, hashed) == CC_OK);
                walk(scheme, alg, hashed, n, want, NULL);
                CHECK(cc_merkle_rfc6962_reduce(alg, 0, data, NULL, 3, n, depth(n), got) == CC_OK);
                CHECK(memcmp(want, got, 32) == 0);
            }
        }
    }
    uint8_t out[64];
    CHECK(cc_merkle_level(CC_MERKLE_BITCOIN, CC_HASH_SM3, 0, leaves, 2, out, NULL) == CC_ERR_ARG);
    CHECK(cc_merkle_level(7, CC_HASH_SM3, 0, leaves, 2, out, NULL) == CC_ERR_ARG);
    CHECK(cc_merkle_level(CC_MERKLE_CHAINMAKER, 9, 0, leaves, 2, out, NULL) == CC_ERR_ARG);
    CHECK(cc_merkle_level(CC_MERKLE_CHAINMAKER, CC_HASH_SM3, 0, NULL, 2, out, NULL) ==
          CC_ERR_ARG);
    CHECK(cc_merkle_level(CC_MERKLE_CHAINMAKER, CC_HASH_SM3, 0, leaves, 0, NULL, NULL) == CC_OK);
    uint64_t bad[3] = {0, 5, 2};
    CHECK(cc_merkle_rfc6962_leaves(CC_HASH_SM3, 0, data, bad, 0, 2, out) == CC_ERR_ARG);
    free(leaves);
    free(offsets);
    free(data);
    free(hashed);
    if (failures)
        return 1;
    puts("merkle C checks passed");
    return 0;
}
