/* Merkle tree levels over the batched hash. See include/cc_merkle.h for the schemes.
 *
 * Every level goes through cc_hash_batch_fixed in long runs: duplicate-last levels hash the node
 * array in place as m/2 contiguous 64-byte messages; RFC 6962 levels and leaves need a prefix
 * byte, so their messages are assembled in small stack or heap chunks first. Big trees are
 * reduced block by block (2^CC_MERKLE_BLOCK_LOG nodes per block) so that the working set stays
 * in cache and the extra memory is a few hundred KiB plus one node per block. */
#include <stdlib.h>

#include "../common.h"

/* Every batch call has a fixed cost (path planning, CPU feature queries that trap in some
 * VMs), so calls are kept long: blocks of 2^16 nodes, 8192-message chunks. */
#define CC_MERKLE_BLOCK_LOG 16u
#define CC_MERKLE_PAIR_CHUNK 8192u     /* messages per heap chunk (bitcoin, rfc6962 levels) */
#define CC_MERKLE_LEAF_BUF (1u << 20)  /* bytes of prefixed leaf messages per batch */
#define CC_MERKLE_LEAF_MAX 8192u       /* leaves per batch */
#define CC_MERKLE_LEAF_BIG 4096u       /* longer leaves are hashed in place, incrementally */

static int alg_ok(int alg) { return alg == CC_HASH_SM3 || alg == CC_HASH_SHA256; }

static int scheme_ok(int scheme, int alg)
{
    if (!alg_ok(alg))
        return 0;
    switch (scheme) {
    case CC_MERKLE_CHAINMAKER:
    case CC_MERKLE_RFC6962:
        return 1;
    case CC_MERKLE_BITCOIN:
        return alg == CC_HASH_SHA256;
    default:
        return 0;
    }
}

static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

/* Whether n leaves of width bytes each can lie in memory (n * width does not wrap). */
static int fixed_fits(size_t width, size_t n) { return width == 0 || n <= SIZE_MAX / width; }

/* H(H(msg)) for n contiguous 64-byte messages, first digests in a heap chunk. */
static int double_hash64(int alg, int path, const uint8_t *in, size_t n, uint8_t *out)
{
    uint8_t small[32];
    size_t chunk = min_size(n, CC_MERKLE_PAIR_CHUNK);
    uint8_t *tmp = chunk <= 1 ? small : malloc(32 * chunk); /* no malloc(0) for n = 0 */
    if (tmp == NULL)
        return CC_ERR_NOMEM;
    int rc = CC_OK;
    for (size_t i = 0; i < n && rc == CC_OK; i += chunk) {
        size_t k = min_size(n - i, chunk);
        rc = cc_hash_batch_fixed(alg, path, in + 64 * i, k, 64, tmp);
        if (rc == CC_OK)
            rc = cc_hash_batch_fixed(alg, path, tmp, k, 32, out + 32 * i);
    }
    if (tmp != small)
        free(tmp);
    return rc;
}

/* H(0x01 || left || right) for n contiguous pairs, 65-byte messages built in a heap chunk. */
static int rfc6962_nodes(int alg, int path, const uint8_t *in, size_t n, uint8_t *out)
{
    uint8_t small[65];
    size_t chunk = min_size(n, CC_MERKLE_PAIR_CHUNK);
    uint8_t *msg = chunk <= 1 ? small : malloc(65 * chunk);
    if (msg == NULL)
        return CC_ERR_NOMEM;
    int rc = CC_OK;
    for (size_t i = 0; i < n && rc == CC_OK; i += chunk) {
        size_t k = min_size(n - i, chunk);
        for (size_t j = 0; j < k; j++) {
            msg[65 * j] = 0x01;
            memcpy(msg + 65 * j + 1, in + 64 * (i + j), 64);
        }
        rc = cc_hash_batch_fixed(alg, path, msg, k, 65, out + 32 * i);
    }
    if (msg != small)
        free(msg);
    return rc;
}

int cc_merkle_level(int scheme, int alg, int path, const uint8_t *in, size_t count, uint8_t *out,
                    int32_t *mutated)
{
    if (!scheme_ok(scheme, alg))
        return CC_ERR_ARG;
    if (count == 0)
        return CC_OK;
    if (in == NULL || out == NULL)
        return CC_ERR_ARG;
    size_t pairs = count / 2;
    int rc;
    if (mutated != NULL && scheme != CC_MERKLE_RFC6962 && *mutated == 0) {
        for (size_t i = 0; i < pairs; i++) {
            if (memcmp(in + 64 * i, in + 64 * i + 32, 32) == 0) {
                *mutated = 1;
                break;
            }
        }
    }
    switch (scheme) {
    case CC_MERKLE_CHAINMAKER:
        rc = cc_hash_batch_fixed(alg, path, in, pairs, 64, out);
        break;
    case CC_MERKLE_BITCOIN:
        rc = double_hash64(alg, path, in, pairs, out);
        break;
    default:
        rc = rfc6962_nodes(alg, path, in, pairs, out);
        break;
    }
    if (rc != CC_OK || count % 2 == 0)
        return rc;
    const uint8_t *last = in + 32 * (count - 1);
    uint8_t *dst = out + 32 * pairs;
    if (scheme == CC_MERKLE_RFC6962) {
        memcpy(dst, last, 32); /* promoted unchanged */
        return CC_OK;
    }
    uint8_t twice[64];
    memcpy(twice, last, 32);
    memcpy(twice + 32, last, 32);
    if (scheme == CC_MERKLE_BITCOIN)
        return double_hash64(alg, path, twice, 1, dst);
    return cc_hash_batch_fixed(alg, path, twice, 1, 64, dst);
}

/* Scratch for reducing one block of up to 2^step nodes: level 1 in a, level 2 in b, level 3 in
 * a again, ... (never in place), the last level straight into its output node. */
typedef struct {
    uint8_t *a;
    uint8_t *b;
} scratch;

static int scratch_alloc(scratch *s, size_t block)
{
    s->a = malloc(32 * ((block + 1) / 2) + 32);
    s->b = malloc(32 * ((block + 3) / 4) + 32);
    if (s->a == NULL || s->b == NULL) {
        free(s->a);
        free(s->b);
        return CC_ERR_NOMEM;
    }
    return CC_OK;
}

static void scratch_free(scratch *s)
{
    free(s->a);
    free(s->b);
}

static int reduce_block(int scheme, int alg, int path, const uint8_t *in, size_t count,
                        unsigned step, const scratch *s, uint8_t *out, int32_t *mutated)
{
    const uint8_t *cur = in;
    for (unsigned l = 0; l < step; l++) {
        uint8_t *dst = l + 1 == step ? out : (l & 1) ? s->b : s->a;
        int rc = cc_merkle_level(scheme, alg, path, cur, count, dst, mutated);
        if (rc != CC_OK)
            return rc;
        cur = dst;
        count = (count + 1) / 2;
    }
    return CC_OK;
}

static size_t ceil_shift(size_t n, unsigned s) { return (n >> s) + ((n & (((size_t)1 << s) - 1)) != 0); }

int cc_merkle_reduce(int scheme, int alg, int path, const uint8_t *in, size_t count,
                     unsigned levels, uint8_t *out, int32_t *mutated)
{
    if (!scheme_ok(scheme, alg))
        return CC_ERR_ARG;
    if (count == 0)
        return CC_OK;
    if (in == NULL || out == NULL)
        return CC_ERR_ARG;
    if (levels == 0) {
        memcpy(out, in, 32 * count);
        return CC_OK;
    }
    const uint8_t *cur = in;
    uint8_t *owned = NULL;
    int rc = CC_OK;
    while (levels > 0 && rc == CC_OK) {
        unsigned step = levels < CC_MERKLE_BLOCK_LOG ? levels : CC_MERKLE_BLOCK_LOG;
        size_t bsz = (size_t)1 << step;
        size_t nc = ceil_shift(count, step);
        uint8_t *dst = levels == step ? out : malloc(32 * nc);
        scratch s;
        if (dst == NULL || scratch_alloc(&s, count < bsz ? count : bsz) != CC_OK) {
            if (dst != out)
                free(dst);
            rc = CC_ERR_NOMEM;
            break;
        }
        for (size_t j = 0; j < nc && rc == CC_OK; j++) {
            size_t len = count - j * bsz < bsz ? count - j * bsz : bsz;
            rc = reduce_block(scheme, alg, path, cur + 32 * j * bsz, len, step, &s, dst + 32 * j,
                              mutated);
        }
        scratch_free(&s);
        free(owned);
        owned = dst == out ? NULL : dst;
        cur = dst;
        count = nc;
        levels -= step;
    }
    free(owned);
    return rc;
}

static int check_offsets(const uint64_t *offsets, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (offsets[i + 1] < offsets[i])
            return CC_ERR_ARG;
    return CC_OK;
}

static int leaf_one(int alg, const uint8_t *item, size_t len, uint8_t out[32])
{
    static const uint8_t zero = 0x00;
    cc_hash_ctx ctx;
    int rc = cc_hash_init(&ctx, alg);
    if (rc == CC_OK)
        rc = cc_hash_update(&ctx, &zero, 1);
    if (rc == CC_OK)
        rc = cc_hash_update(&ctx, item, len);
    if (rc == CC_OK)
        rc = cc_hash_final(&ctx, out);
    return rc;
}

/* Leaves of one width: (width + 1)-byte messages assembled in buf, hashed as one fixed batch. */
static int leaves_fixed(int alg, int path, const uint8_t *data, size_t width, size_t n,
                        uint8_t *out, uint8_t *buf, size_t cap)
{
    size_t per = cap / (width + 1);
    for (size_t i = 0; i < n; i += per) {
        size_t k = n - i < per ? n - i : per;
        for (size_t j = 0; j < k; j++) {
            buf[(width + 1) * j] = 0x00;
            if (width)
                memcpy(buf + (width + 1) * j + 1, data + width * (i + j), width);
        }
        int rc = cc_hash_batch_fixed(alg, path, buf, k, width + 1, out + 32 * i);
        if (rc != CC_OK)
            return rc;
    }
    return CC_OK;
}

/* Leaves given by offsets: short ones gathered into buf (with local offsets) and hashed as one
 * batch, long ones hashed where they lie. */
static int leaves_offsets(int alg, int path, const uint8_t *data, const uint64_t *offsets,
                          size_t n, uint8_t *out, uint8_t *buf, uint64_t *local, size_t cap)
{
    size_t max_cnt = min_size(n, CC_MERKLE_LEAF_MAX);
    size_t first = 0, cnt = 0;
    local[0] = 0;
    for (size_t i = 0; i <= n; i++) {
        size_t len = i < n ? (size_t)(offsets[i + 1] - offsets[i]) : 0;
        int big = i < n && len > CC_MERKLE_LEAF_BIG;
        int flush = i == n || big || cnt == max_cnt || local[cnt] + len + 1 > cap;
        if (flush && cnt > 0) {
            int rc = cc_hash_batch(alg, path, buf, local, cnt, out + 32 * first);
            if (rc != CC_OK)
                return rc;
            cnt = 0;
        }
        if (i == n)
            break;
        if (big) {
            int rc = leaf_one(alg, data + offsets[i], len, out + 32 * i);
            if (rc != CC_OK)
                return rc;
            continue;
        }
        if (cnt == 0)
            first = i;
        uint8_t *dst = buf + local[cnt];
        dst[0] = 0x00;
        if (len)
            memcpy(dst + 1, data + offsets[i], len);
        local[cnt + 1] = local[cnt] + len + 1;
        cnt++;
    }
    return CC_OK;
}

int cc_merkle_rfc6962_leaves(int alg, int path, const uint8_t *data, const uint64_t *offsets,
                             size_t width, size_t n, uint8_t *out)
{
    if (!alg_ok(alg))
        return CC_ERR_ARG;
    if (n == 0)
        return CC_OK;
    if (out == NULL)
        return CC_ERR_ARG;
    if (offsets != NULL) {
        if (check_offsets(offsets, n) != CC_OK || (data == NULL && offsets[n] > offsets[0]))
            return CC_ERR_ARG;
    } else if ((data == NULL && width > 0) || !fixed_fits(width, n)) {
        return CC_ERR_ARG;
    }
    if (offsets == NULL && width >= CC_MERKLE_LEAF_BIG) {
        for (size_t i = 0; i < n; i++) {
            int rc = leaf_one(alg, data + width * i, width, out + 32 * i);
            if (rc != CC_OK)
                return rc;
        }
        return CC_OK;
    }
    /* buffer for the prefixed messages (the n of them if they are fewer), local offsets */
    size_t bytes = offsets == NULL ? (width + 1) * n : (size_t)(offsets[n] - offsets[0]) + n;
    size_t cap = min_size(bytes, CC_MERKLE_LEAF_BUF);
    size_t nloc = min_size(n, CC_MERKLE_LEAF_MAX);
    uint8_t *buf = malloc(cap > 0 ? cap : 1);
    uint64_t *local = offsets == NULL ? NULL : malloc(sizeof(uint64_t) * (nloc + 1));
    int rc = CC_ERR_NOMEM;
    if (buf != NULL && (offsets == NULL || local != NULL))
        rc = offsets == NULL ? leaves_fixed(alg, path, data, width, n, out, buf, cap)
                             : leaves_offsets(alg, path, data, offsets, n, out, buf, local, cap);
    free(buf);
    free(local);
    return rc;
}

int cc_merkle_rfc6962_reduce(int alg, int path, const uint8_t *data, const uint64_t *offsets,
                             size_t width, size_t n, unsigned levels, uint8_t *out)
{
    if (!alg_ok(alg))
        return CC_ERR_ARG;
    if (levels == 0 || n == 0)
        return cc_merkle_rfc6962_leaves(alg, path, data, offsets, width, n, out);
    if (out == NULL || (offsets != NULL && check_offsets(offsets, n) != CC_OK) ||
        (offsets == NULL && !fixed_fits(width, n)))
        return CC_ERR_ARG;
    unsigned step = levels < CC_MERKLE_BLOCK_LOG ? levels : CC_MERKLE_BLOCK_LOG;
    size_t bsz = (size_t)1 << step;
    size_t nc = ceil_shift(n, step);
    size_t block = n < bsz ? n : bsz;
    uint8_t *dst = levels == step ? out : malloc(32 * nc);
    uint8_t *leaves = malloc(32 * block);
    scratch s;
    int rc = CC_ERR_NOMEM;
    if (dst != NULL && leaves != NULL && scratch_alloc(&s, block) == CC_OK) {
        rc = CC_OK;
        for (size_t j = 0; j < nc && rc == CC_OK; j++) {
            size_t len = n - j * bsz < bsz ? n - j * bsz : bsz;
            rc = offsets != NULL
                     ? cc_merkle_rfc6962_leaves(alg, path, data, offsets + j * bsz, 0, len, leaves)
                     : cc_merkle_rfc6962_leaves(alg, path, data ? data + width * j * bsz : NULL,
                                                NULL, width, len, leaves);
            if (rc == CC_OK)
                rc = reduce_block(CC_MERKLE_RFC6962, alg, path, leaves, len, step, &s,
                                  dst + 32 * j, NULL);
        }
        scratch_free(&s);
    }
    free(leaves);
    if (rc == CC_OK && dst != out)
        rc = cc_merkle_reduce(CC_MERKLE_RFC6962, alg, path, dst, nc, levels - step, out, NULL);
    if (dst != out)
        free(dst);
    return rc;
}
