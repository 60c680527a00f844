/* Hash front end: incremental contexts, one-shot and batched digests, path selection.
 * SM3 and SHA-256 share the Merkle-Damgard padding (0x80, zeros, 64-bit big-endian bit count),
 * so one front end serves both; only the IV and compression function differ. */
#include "hash_impl.h"

static int alg_ok(int alg) { return alg == CC_HASH_SM3 || alg == CC_HASH_SHA256; }

static const uint32_t *alg_iv(int alg) { return alg == CC_HASH_SM3 ? cc_sm3_iv : cc_sha256_iv; }

/* The single-stream compression function for alg on path (CC_PATH_AUTO: the best one). */
static cc_compress_fn single_compress(int alg, int path)
{
    (void)path;
    return alg == CC_HASH_SM3 ? cc_sm3_compress_portable : cc_sha256_compress_portable;
}

uint32_t cc_hash_paths(int alg)
{
    if (!alg_ok(alg))
        return 0;
    return 1u << CC_PATH_PORTABLE;
}

int cc_hash_init(cc_hash_ctx *ctx, int alg)
{
    if (ctx == NULL || !alg_ok(alg))
        return CC_ERR_ARG;
    memcpy(ctx->h, alg_iv(alg), sizeof ctx->h);
    ctx->nbytes = 0;
    ctx->buflen = 0;
    ctx->alg = alg;
    return CC_OK;
}

int cc_hash_update(cc_hash_ctx *ctx, const uint8_t *data, size_t len)
{
    if (ctx == NULL || !alg_ok(ctx->alg) || ctx->buflen >= 64 || (data == NULL && len > 0))
        return CC_ERR_ARG;
    cc_compress_fn compress = single_compress(ctx->alg, CC_PATH_AUTO);
    ctx->nbytes += len;
    if (ctx->buflen > 0) {
        size_t take = 64 - ctx->buflen < len ? 64 - ctx->buflen : len;
        memcpy(ctx->buf + ctx->buflen, data, take);
        ctx->buflen += (uint32_t)take;
        data += take;
        len -= take;
        if (ctx->buflen < 64)
            return CC_OK;
        compress(ctx->h, ctx->buf, 1);
        ctx->buflen = 0;
    }
    if (len >= 64) {
        compress(ctx->h, data, len / 64);
        data += len & ~(size_t)63;
        len &= 63;
    }
    if (len > 0)
        memcpy(ctx->buf, data, len);
    ctx->buflen = (uint32_t)len;
    return CC_OK;
}

/* Pads the tail (the last len % 64 bytes of a message of total bytes) into one or two blocks
 * and compresses them into h. */
static void finish(cc_compress_fn compress, uint32_t h[8], const uint8_t *tail, size_t tail_len,
                   uint64_t total)
{
    uint8_t block[128];
    size_t nb = tail_len < 56 ? 1 : 2;
    memset(block, 0, sizeof block);
    if (tail_len > 0)
        memcpy(block, tail, tail_len);
    block[tail_len] = 0x80;
    cc_store64_be(block + 64 * nb - 8, total << 3);
    compress(h, block, nb);
}

static void output(const uint32_t h[8], uint8_t out[32])
{
    for (int i = 0; i < 8; i++)
        cc_store32_be(out + 4 * i, h[i]);
}

int cc_hash_final(const cc_hash_ctx *ctx, uint8_t out[32])
{
    if (ctx == NULL || out == NULL || !alg_ok(ctx->alg) || ctx->buflen >= 64)
        return CC_ERR_ARG;
    uint32_t h[8];
    memcpy(h, ctx->h, sizeof h);
    finish(single_compress(ctx->alg, CC_PATH_AUTO), h, ctx->buf, ctx->buflen, ctx->nbytes);
    output(h, out);
    return CC_OK;
}

static void digest_one(cc_compress_fn compress, int alg, const uint8_t *data, size_t len,
                       uint8_t out[32])
{
    uint32_t h[8];
    memcpy(h, alg_iv(alg), sizeof h);
    if (len >= 64)
        compress(h, data, len / 64);
    finish(compress, h, data + (len & ~(size_t)63), len & 63, len);
    output(h, out);
}

int cc_hash(int alg, const uint8_t *data, size_t len, uint8_t out[32])
{
    if (!alg_ok(alg) || out == NULL || (data == NULL && len > 0))
        return CC_ERR_ARG;
    digest_one(single_compress(alg, CC_PATH_AUTO), alg, data, len, out);
    return CC_OK;
}

static int check_path(int alg, int path)
{
    if (!alg_ok(alg))
        return CC_ERR_ARG;
    if (path == CC_PATH_AUTO)
        return CC_OK;
    if (path < 0 || path > CC_PATH_SHANI)
        return CC_ERR_ARG;
    return (cc_hash_paths(alg) >> path) & 1 ? CC_OK : CC_ERR_PATH;
}

int cc_hash_batch(int alg, int path, const uint8_t *data, const uint64_t *offsets, size_t n,
                  uint8_t *out)
{
    int rc = check_path(alg, path);
    if (rc != CC_OK)
        return rc;
    if (n == 0)
        return CC_OK;
    if (offsets == NULL || out == NULL || (data == NULL && offsets[n] > offsets[0]))
        return CC_ERR_ARG;
    for (size_t i = 0; i < n; i++)
        if (offsets[i + 1] < offsets[i])
            return CC_ERR_ARG;
    cc_compress_fn compress = single_compress(alg, path);
    for (size_t i = 0; i < n; i++)
        digest_one(compress, alg, data + offsets[i], (size_t)(offsets[i + 1] - offsets[i]),
                   out + 32 * i);
    return CC_OK;
}

int cc_hash_batch_fixed(int alg, int path, const uint8_t *data, size_t n, size_t len,
                        uint8_t *out)
{
    int rc = check_path(alg, path);
    if (rc != CC_OK)
        return rc;
    if (n == 0)
        return CC_OK;
    if (out == NULL || (data == NULL && len > 0))
        return CC_ERR_ARG;
    cc_compress_fn compress = single_compress(alg, path);
    for (size_t i = 0; i < n; i++)
        digest_one(compress, alg, data + i * len, len, out + 32 * i);
    return CC_OK;
}
