/* Hash front end: incremental contexts, one-shot and batched digests, path selection.
 * SM3 and SHA-256 share the Merkle-Damgard padding (0x80, zeros, 64-bit big-endian bit count),
 * so one front end serves both; only the IV and compression functions differ.
 *
 * Batches run on multi-buffer kernels (L messages in the lanes of SIMD registers, see
 * hash_impl.h). Fixed-length batches go in groups of L messages that advance block by block
 * together; when the final block holds padding only it is the same for every message, so its
 * schedule is expanded once per call. Variable-length batches keep every lane busy: a lane whose
 * message is done takes the next one. CC_PATH_AUTO weighs the kernels with a small cost model
 * (cost per block step, measured on Zen 4) and finishes stragglers single-stream. */
#include "hash_impl.h"

static int alg_ok(int alg) { return alg == CC_HASH_SM3 || alg == CC_HASH_SHA256; }

static const uint32_t *alg_iv(int alg) { return alg == CC_HASH_SM3 ? cc_sm3_iv : cc_sha256_iv; }

static uint32_t cpu_features(void)
{
#if CC_HASH_X86
    return cc_cpu_features();
#else
    return 0;
#endif
}

/* The single-stream compression function for alg on path (CC_PATH_AUTO: the best one). */
static cc_compress_fn single_compress(int alg, int path)
{
#if CC_HASH_X86
    if (path == CC_PATH_AUTO) {
        uint32_t f = cpu_features();
        if (alg == CC_HASH_SHA256 && (f & CC_CPU_SHANI))
            return cc_sha256_compress_shani;
        if (alg == CC_HASH_SM3 && (f & CC_CPU_AVX2) && (f & CC_CPU_BMI2))
            return cc_sm3_compress_avx2;
    }
#else
    (void)path;
#endif
    return alg == CC_HASH_SM3 ? cc_sm3_compress_portable : cc_sha256_compress_portable;
}

uint32_t cc_hash_paths(int alg)
{
    if (!alg_ok(alg))
        return 0;
    uint32_t m = 1u << CC_PATH_PORTABLE;
#if CC_HASH_X86
    uint32_t f = cpu_features();
    if (f & CC_CPU_AVX2)
        m |= 1u << CC_PATH_AVX2;
    if (f & CC_CPU_AVX512)
        m |= 1u << CC_PATH_AVX512;
    if (alg == CC_HASH_SHA256 && (f & CC_CPU_SHANI))
        m |= 1u << CC_PATH_SHANI;
#endif
    return m;
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

/* Writes the padded tail (the last len % 64 bytes of a message of total bytes) into block[128];
 * returns the number of blocks (1 or 2). */
static size_t pad_tail(uint8_t block[128], const uint8_t *tail, size_t tail_len, uint64_t total)
{
    size_t nb = tail_len < 56 ? 1 : 2;
    memset(block, 0, 64 * nb);
    if (tail_len > 0)
        memcpy(block, tail, tail_len);
    block[tail_len] = 0x80;
    cc_store64_be(block + 64 * nb - 8, total << 3);
    return nb;
}

static void finish(cc_compress_fn compress, uint32_t h[8], const uint8_t *tail, size_t tail_len,
                   uint64_t total)
{
    uint8_t block[128];
    size_t nb = pad_tail(block, tail, tail_len, total);
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

/* ---- multi-buffer driver ------------------------------------------------------------------ */

#define MAX_LANES 16

typedef struct {
    unsigned lanes;
    cc_mb_blocks_fn blocks;
    cc_mb_const_fn cblock;
    /* Relative cost of one block step of all lanes, and of one single-stream block (same unit:
     * roughly nanoseconds on a 3.7 GHz Zen 4). */
    unsigned step_cost;
} mb_impl;

typedef struct {
    int alg;
    cc_compress_fn single;
    unsigned single_cost;
    int auto_mode;
    int n_mb;             /* multi-buffer kernels to choose from, widest first */
    mb_impl mb[3];
} plan;

static unsigned single_cost(int alg, cc_compress_fn f)
{
#if CC_HASH_X86
    if (f == cc_sha256_compress_shani)
        return 30;
    if (f == cc_sm3_compress_avx2)
        return 140;
#endif
    (void)f;
    return alg == CC_HASH_SM3 ? 170 : 190;
}

static void add_mb(plan *pl, int alg, int path)
{
#if CC_HASH_X86
    mb_impl m = {0, NULL, NULL, 0};
    if (alg == CC_HASH_SM3 && path == CC_PATH_AVX2)
        m = (mb_impl){8, cc_sm3_mb8_avx2, cc_sm3_mb8_avx2_const, 400};
    else if (alg == CC_HASH_SM3 && path == CC_PATH_AVX512)
        m = (mb_impl){16, cc_sm3_mb16_avx512, cc_sm3_mb16_avx512_const, 450};
    else if (alg == CC_HASH_SHA256 && path == CC_PATH_AVX2)
        m = (mb_impl){8, cc_sha256_mb8_avx2, cc_sha256_mb8_avx2_const, 400};
    else if (alg == CC_HASH_SHA256 && path == CC_PATH_AVX512)
        m = (mb_impl){16, cc_sha256_mb16_avx512, cc_sha256_mb16_avx512_const, 450};
    else if (alg == CC_HASH_SHA256 && path == CC_PATH_SHANI)
        m = (mb_impl){2, cc_sha256_mb2_shani, cc_sha256_mb2_shani_const, 40};
    if (m.lanes)
        pl->mb[pl->n_mb++] = m;
#else
    (void)pl; (void)alg; (void)path;
#endif
}

/* The kernels a batch on path may use. An explicit path uses its own kernel for every message;
 * CC_PATH_AUTO may use each available one and the single-stream code. */
static void make_plan(plan *pl, int alg, int path)
{
    pl->alg = alg;
    pl->n_mb = 0;
    pl->auto_mode = path == CC_PATH_AUTO;
    pl->single = single_compress(alg, path == CC_PATH_AUTO ? CC_PATH_AUTO : CC_PATH_PORTABLE);
    pl->single_cost = single_cost(alg, pl->single);
    if (path == CC_PATH_AUTO) {
        uint32_t paths = cc_hash_paths(alg);
        const int order[3] = {CC_PATH_AVX512, CC_PATH_AVX2, CC_PATH_SHANI};
        for (int i = 0; i < 3; i++)
            if ((paths >> order[i]) & 1)
                add_mb(pl, alg, order[i]);
    } else {
        add_mb(pl, alg, path);
    }
}

/* Best multi-buffer kernel for a group of k messages of equal length, or -1 when single-stream
 * is cheaper (AUTO) / the path is portable. */
static int pick_mb(const plan *pl, size_t k)
{
    if (pl->n_mb == 0)
        return -1;
    if (!pl->auto_mode)
        return 0;
    int best = -1;
    uint64_t best_cost = (uint64_t)k * pl->single_cost;
    for (int i = 0; i < pl->n_mb; i++) {
        uint64_t steps = (k + pl->mb[i].lanes - 1) / pl->mb[i].lanes;
        uint64_t c = steps * pl->mb[i].step_cost;
        if (c < best_cost) {
            best_cost = c;
            best = i;
        }
    }
    return best;
}

static void lane_output(const uint32_t *st, unsigned lanes, unsigned l, uint8_t out[32])
{
    for (int w = 0; w < 8; w++)
        cc_store32_be(out + 4 * w, st[w * lanes + l]);
}

static void lane_state(const uint32_t *st, unsigned lanes, unsigned l, uint32_t h[8])
{
    for (int w = 0; w < 8; w++)
        h[w] = st[w * lanes + l];
}

static void lane_init(uint32_t *st, unsigned lanes, unsigned l, const uint32_t *iv)
{
    for (int w = 0; w < 8; w++)
        st[w * lanes + l] = iv[w];
}

/* Messages data[i*len ..) for i < k (k <= lanes) on kernel m. wc, when not NULL, is the expanded
 * schedule of the constant last block (cnb = 1) that follows the per-lane blocks. */
static void mb_fixed_group(const plan *pl, const mb_impl *m, const uint8_t *data, size_t k,
                           size_t len, const uint32_t *wc, uint8_t *out)
{
    uint32_t st[8 * MAX_LANES];
    uint8_t tails[MAX_LANES][128];
    const uint8_t *p[MAX_LANES];
    const unsigned L = m->lanes;
    const uint32_t *iv = alg_iv(pl->alg);
    for (unsigned l = 0; l < L; l++)
        lane_init(st, L, l, iv);
    size_t full = len / 64, r = len % 64;
    if (full > 0) {
        for (unsigned l = 0; l < L; l++)
            p[l] = data + (l < k ? l : 0) * len;
        m->blocks(st, p, full);
    }
    /* Tail blocks that differ per lane: all of them, or all but the constant last one. */
    size_t tnb;
    if (wc != NULL) {
        tnb = r == 0 ? 0 : 1;
        if (tnb) {
            for (unsigned l = 0; l < L && l < k; l++) {
                memcpy(tails[l], data + l * len + full * 64, r);
                tails[l][r] = 0x80;
                memset(tails[l] + r + 1, 0, 63 - r);
            }
        }
    } else {
        for (unsigned l = 0; l < L && l < k; l++)
            tnb = pad_tail(tails[l], data + l * len + full * 64, r, len);
        tnb = r < 56 ? 1 : 2;
    }
    if (tnb) {
        for (unsigned l = 0; l < L; l++)
            p[l] = tails[l < k ? l : 0];
        m->blocks(st, p, tnb);
    }
    if (wc != NULL)
        m->cblock(st, wc);
    for (unsigned l = 0; l < k; l++)
        lane_output(st, L, l, out + 32 * l);
}

static void batch_fixed(const plan *pl, const uint8_t *data, size_t n, size_t len, uint8_t *out)
{
    uint32_t wc[CC_WC_WORDS];
    const uint32_t *wcp = NULL;
    size_t r = len % 64;
    int first = pick_mb(pl, n);
    if (first >= 0 && (r == 0 || r >= 56)) {
        /* The last block is 0x80 (when r == 0) or zeros, then the bit length: same for all. */
        uint8_t block[64];
        memset(block, 0, sizeof block);
        if (r == 0)
            block[0] = 0x80;
        cc_store64_be(block + 56, (uint64_t)len << 3);
        if (pl->alg == CC_HASH_SM3)
            cc_sm3_expand_const(block, wc);
        else
            cc_sha256_expand_const(block, wc);
        wcp = wc;
    }
    size_t i = 0;
    while (i < n) {
        int mi = i == 0 ? first : pick_mb(pl, n - i);
        if (mi < 0) {
            for (; i < n; i++)
                digest_one(pl->single, pl->alg, data + i * len, len, out + 32 * i);
            break;
        }
        const mb_impl *m = &pl->mb[mi];
        /* Whole groups on this kernel, then re-plan the remainder. */
        size_t k = n - i < m->lanes ? n - i : m->lanes;
        mb_fixed_group(pl, m, data + i * len, k, len, wcp, out + 32 * i);
        i += k;
    }
}

/* Variable lengths: lanes advance together by the largest number of blocks every active lane
 * can take from its current segment (its message's full blocks, then its padded tail). */
static void batch_var(const plan *pl, const uint8_t *data, const uint64_t *off, size_t n,
                      uint8_t *out)
{
    int mi = pick_mb(pl, n);
    if (mi < 0) {
        for (size_t i = 0; i < n; i++)
            digest_one(pl->single, pl->alg, data + off[i], (size_t)(off[i + 1] - off[i]),
                       out + 32 * i);
        return;
    }
    const mb_impl *m = &pl->mb[mi];
    const unsigned L = m->lanes;
    const uint32_t *iv = alg_iv(pl->alg);
    uint32_t st[8 * MAX_LANES];
    uint8_t tails[MAX_LANES][128];
    const uint8_t *p[MAX_LANES], *kp[MAX_LANES];
    size_t seg[MAX_LANES], tnb[MAX_LANES], msg[MAX_LANES];
    int phase[MAX_LANES]; /* 0: full blocks, 1: tail blocks, 2: idle */
    size_t next = 0;
    unsigned active = 0;

    for (unsigned l = 0; l < L; l++) {
        phase[l] = 2;
        if (next < n) {
            size_t i = next++, len = (size_t)(off[i + 1] - off[i]);
            const uint8_t *msgp = data + off[i];
            msg[l] = i;
            lane_init(st, L, l, iv);
            tnb[l] = pad_tail(tails[l], msgp + (len & ~(size_t)63), len & 63, len);
            seg[l] = len / 64;
            phase[l] = seg[l] ? 0 : 1;
            p[l] = seg[l] ? msgp : tails[l];
            if (!seg[l])
                seg[l] = tnb[l];
            active++;
        }
    }
    while (active > 0) {
        if (pl->auto_mode && next == n && active < L) {
            /* Queue empty: finish single-stream when that is cheaper than the idle lanes. */
            uint64_t sum = 0, mx = 0;
            for (unsigned l = 0; l < L; l++) {
                if (phase[l] == 2)
                    continue;
                uint64_t rem = seg[l] + (phase[l] == 0 ? tnb[l] : 0);
                sum += rem;
                mx = rem > mx ? rem : mx;
            }
            if (sum * pl->single_cost <= mx * m->step_cost) {
                for (unsigned l = 0; l < L; l++) {
                    if (phase[l] == 2)
                        continue;
                    uint32_t h[8];
                    lane_state(st, L, l, h);
                    pl->single(h, p[l], seg[l]);
                    if (phase[l] == 0)
                        pl->single(h, tails[l], tnb[l]);
                    output(h, out + 32 * msg[l]);
                }
                return;
            }
        }
        size_t k = SIZE_MAX;
        unsigned any = 0;
        for (unsigned l = 0; l < L; l++)
            if (phase[l] != 2) {
                k = seg[l] < k ? seg[l] : k;
                any = l;
            }
        for (unsigned l = 0; l < L; l++)
            kp[l] = phase[l] != 2 ? p[l] : p[any];
        m->blocks(st, kp, k);
        for (unsigned l = 0; l < L; l++) {
            if (phase[l] == 2)
                continue;
            p[l] += 64 * k;
            seg[l] -= k;
            if (seg[l] > 0)
                continue;
            if (phase[l] == 0) {
                phase[l] = 1;
                p[l] = tails[l];
                seg[l] = tnb[l];
                continue;
            }
            lane_output(st, L, l, out + 32 * msg[l]);
            phase[l] = 2;
            active--;
            if (next < n) {
                size_t i = next++, len = (size_t)(off[i + 1] - off[i]);
                const uint8_t *msgp = data + off[i];
                msg[l] = i;
                lane_init(st, L, l, iv);
                tnb[l] = pad_tail(tails[l], msgp + (len & ~(size_t)63), len & 63, len);
                seg[l] = len / 64;
                phase[l] = seg[l] ? 0 : 1;
                p[l] = seg[l] ? msgp : tails[l];
                if (!seg[l])
                    seg[l] = tnb[l];
                active++;
            }
        }
    }
}

/* Stands in for a NULL data pointer when every message is empty (no byte is read from it). */
static const uint8_t no_data[1];

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
    if (offsets == NULL || out == NULL)
        return CC_ERR_ARG;
    int uniform = 1;
    uint64_t len0 = offsets[1] - offsets[0];
    for (size_t i = 0; i < n; i++) {
        if (offsets[i + 1] < offsets[i])
            return CC_ERR_ARG;
        uniform &= offsets[i + 1] - offsets[i] == len0;
    }
    if (data == NULL && offsets[n] > offsets[0])
        return CC_ERR_ARG;
    plan pl;
    make_plan(&pl, alg, path);
    /* Consecutive messages of one length are a fixed-length batch. */
    if (uniform)
        batch_fixed(&pl, data != NULL ? data + offsets[0] : no_data, n, (size_t)len0, out);
    else
        batch_var(&pl, data, offsets, n, out);
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
    plan pl;
    make_plan(&pl, alg, path);
    batch_fixed(&pl, data != NULL ? data : no_data, n, len, out);
    return CC_OK;
}
