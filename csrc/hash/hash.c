/* Hash front end: incremental contexts, one-shot and batched digests, path selection.
 * SM3 and SHA-256 share the Merkle-Damgard padding (0x80, zeros, 64-bit big-endian bit count),
 * so one front end serves both; only the IV and compression functions differ.
 *
 * Batches run on multi-buffer kernels (L messages in the lanes of SIMD registers, see
 * hash_impl.h). Fixed-length batches go in groups of L messages that advance block by block
 * together; when the final block holds padding only it is the same for every message, so its
 * schedule is expanded once per call. Variable-length batches group short messages by shape
 * (full blocks, tail blocks) into such groups; long messages and unfilled groups go through a
 * scheduler in which a lane whose message is done takes the next one. CC_PATH_AUTO weighs the
 * kernels and the single-stream code by costs measured on this CPU (kernel_costs.c) and
 * finishes stragglers single-stream. Nothing here is global or allocated: state lives on the stack. */
#include "hash_impl.h"

static int alg_ok(int alg) { return alg == CC_HASH_SM3 || alg == CC_HASH_SHA256; }

static const uint32_t *alg_iv(int alg) { return alg == CC_HASH_SM3 ? cc_sm3_iv : cc_sha256_iv; }

/* The CPU's features (cc_cpu_features caches the cpuid answer, so this is cheap); a context
 * keeps the implementation chosen at cc_hash_init. */
static uint32_t cpu_features(void)
{
#if CC_HASH_X86
    return cc_cpu_features();
#else
    return 0;
#endif
}

/* Blocks in the padded message of len bytes. */
static uint64_t blocks_of(uint64_t len) { return len / 64 + ((len & 63) < 56 ? 1 : 2); }

/* Single-stream implementations, as stored in cc_hash_ctx.impl. */
enum { IMPL_PORTABLE = 0, IMPL_X86 = 1 };

/* The best single-stream implementation for alg on a CPU with features f. */
static int single_impl(int alg, uint32_t f)
{
#if CC_HASH_X86
    if (alg == CC_HASH_SHA256 && (f & CC_CPU_SHANI))
        return IMPL_X86;
    if (alg == CC_HASH_SM3 && (f & CC_CPU_AVX2) && (f & CC_CPU_BMI2))
        return IMPL_X86;
#else
    (void)alg;
    (void)f;
#endif
    return IMPL_PORTABLE;
}

static cc_compress_fn impl_compress(int alg, int impl)
{
#if CC_HASH_X86
    if (impl == IMPL_X86)
        return alg == CC_HASH_SM3 ? cc_sm3_compress_avx2 : cc_sha256_compress_shani;
#else
    (void)impl;
#endif
    return alg == CC_HASH_SM3 ? cc_sm3_compress_portable : cc_sha256_compress_portable;
}

static uint32_t paths_for(int alg, uint32_t f)
{
    if (!alg_ok(alg))
        return 0;
    uint32_t m = 1u << CC_PATH_PORTABLE;
#if CC_HASH_X86
    if (f & CC_CPU_AVX2)
        m |= 1u << CC_PATH_AVX2;
    if (f & CC_CPU_AVX512)
        m |= 1u << CC_PATH_AVX512;
    if (alg == CC_HASH_SHA256 && (f & CC_CPU_SHANI))
        m |= 1u << CC_PATH_SHANI;
#else
    (void)f;
#endif
    return m;
}

uint32_t cc_hash_paths(int alg)
{
    return alg_ok(alg) ? paths_for(alg, cpu_features()) : 0;
}

static int ctx_ok(const cc_hash_ctx *ctx)
{
    return ctx != NULL && alg_ok(ctx->alg) && ctx->buflen < 64 &&
           ctx->impl >= IMPL_PORTABLE && ctx->impl <= IMPL_X86;
}

int cc_hash_init(cc_hash_ctx *ctx, int alg)
{
    if (ctx == NULL || !alg_ok(alg))
        return CC_ERR_ARG;
    memcpy(ctx->h, alg_iv(alg), sizeof ctx->h);
    ctx->nbytes = 0;
    ctx->buflen = 0;
    ctx->alg = alg;
    ctx->impl = single_impl(alg, cpu_features());
    return CC_OK;
}

int cc_hash_update(cc_hash_ctx *ctx, const uint8_t *data, size_t len)
{
    if (!ctx_ok(ctx) || (data == NULL && len > 0))
        return CC_ERR_ARG;
    if (len == 0) /* data may be NULL: no memcpy from it */
        return CC_OK;
    ctx->nbytes += len;
    cc_compress_fn compress = impl_compress(ctx->alg, ctx->impl);
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
    if (!ctx_ok(ctx) || out == NULL)
        return CC_ERR_ARG;
    uint32_t h[8];
    memcpy(h, ctx->h, sizeof h);
    finish(impl_compress(ctx->alg, ctx->impl), h, ctx->buf, ctx->buflen, ctx->nbytes);
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
    digest_one(impl_compress(alg, single_impl(alg, cpu_features())), alg, data, len, out);
    return CC_OK;
}

/* ---- multi-buffer driver ------------------------------------------------------------------ */

#define MAX_LANES CC_MB_MAX_LANES

/* A kernel in a plan, with its measured costs (kernel_costs.c; only their ratios matter). */
typedef struct {
    int path;
    unsigned lanes;
    cc_mb_blocks_fn blocks;
    cc_mb_const_fn cblock;
    uint32_t step_cost;   /* one block of every lane */
    uint32_t cstep_cost;  /* one constant-schedule block of every lane */
} mb_impl;

typedef struct {
    int alg;
    cc_compress_fn single;
    uint32_t single_cost; /* one block, single stream (AUTO only) */
    int auto_mode;
    int n_mb;             /* multi-buffer kernels to choose from */
    mb_impl mb[4];
} plan;

#if CC_HASH_X86
static void add_kernel(plan *pl, int alg, int k)
{
    mb_impl *m = &pl->mb[pl->n_mb++];
    m->path = cc_mb_kernels[k].path;
    m->lanes = cc_mb_kernels[k].lanes;
    m->blocks = cc_mb_kernels[k].blocks;
    m->cblock = cc_mb_kernels[k].cblock;
    m->step_cost = m->cstep_cost = 0;
    if (pl->auto_mode)
        cc_mb_costs(alg, k, &m->step_cost, &m->cstep_cost);
}
#endif

static void add_mb(plan *pl, int alg, int path)
{
#if CC_HASH_X86
    if (path == CC_PATH_AVX2)
        add_kernel(pl, alg, alg == CC_HASH_SM3 ? CC_MB_SM3_AVX2 : CC_MB_SHA256_AVX2);
    else if (path == CC_PATH_AVX512)
        add_kernel(pl, alg, alg == CC_HASH_SM3 ? CC_MB_SM3_AVX512 : CC_MB_SHA256_AVX512);
    else if (alg == CC_HASH_SHA256 && path == CC_PATH_SHANI)
        add_kernel(pl, alg, CC_MB_SHA256_SHANI4);
    /* Two interleaved SHA-NI streams: for the last two or three messages under AUTO. */
    if (alg == CC_HASH_SHA256 && path == CC_PATH_SHANI && pl->auto_mode)
        add_kernel(pl, alg, CC_MB_SHA256_SHANI2);
#else
    (void)pl; (void)alg; (void)path;
#endif
}

/* The kernels a batch on path may use. An explicit path uses its own kernel for every message;
 * CC_PATH_AUTO may use each available one and the single-stream code. */
static void make_plan(plan *pl, int alg, int path, uint32_t f)
{
    pl->alg = alg;
    pl->n_mb = 0;
    pl->auto_mode = path == CC_PATH_AUTO;
    pl->single = impl_compress(alg, path == CC_PATH_AUTO ? single_impl(alg, f) : IMPL_PORTABLE);
    pl->single_cost = pl->auto_mode ? cc_single_cost(alg, pl->single) : 0;
    if (path == CC_PATH_AUTO) {
        uint32_t paths = paths_for(alg, f);
        const int order[3] = {CC_PATH_AVX512, CC_PATH_AVX2, CC_PATH_SHANI};
        for (int i = 0; i < 3; i++)
            if ((paths >> order[i]) & 1)
                add_mb(pl, alg, order[i]);
    } else {
        add_mb(pl, alg, path);
    }
}

/* Kernel for k messages of nb blocks each, the last one constant-schedule when c (fixed-length
 * batches): the index into pl->mb, or -1 for single-stream (AUTO when cheaper; portable). */
static int pick_fixed(const plan *pl, uint64_t k, uint64_t nb, int c)
{
    if (pl->n_mb == 0)
        return -1;
    if (!pl->auto_mode)
        return 0;
    int best = -1;
    uint64_t best_cost = k * nb * pl->single_cost;
    for (int i = 0; i < pl->n_mb; i++) {
        const mb_impl *m = &pl->mb[i];
        uint64_t groups = (k + m->lanes - 1) / m->lanes;
        uint64_t cost = groups * ((nb - (c ? 1 : 0)) * m->step_cost + (c ? m->cstep_cost : 0));
        if (cost < best_cost) {
            best_cost = cost;
            best = i;
        }
    }
    return best;
}

/* Kernel for n messages of different lengths, total blocks in all, the longest maxb blocks. */
static int pick_var(const plan *pl, uint64_t n, uint64_t total, uint64_t maxb)
{
    if (pl->n_mb == 0)
        return -1;
    if (!pl->auto_mode)
        return 0;
    int best = -1;
    uint64_t best_cost = total * pl->single_cost;
    for (int i = 0; i < pl->n_mb; i++) {
        const mb_impl *m = &pl->mb[i];
        uint64_t steps = (total + m->lanes - 1) / m->lanes;
        /* Lanes run idle at the end; the scheduler then finishes single-stream. */
        if (n < m->lanes)
            steps = maxb;
        uint64_t cost = steps * m->step_cost;
        if (cost < best_cost) {
            best_cost = cost;
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

/* k <= lanes messages msg[l] of lens[l] bytes that split alike: the same number of full blocks
 * and of padded tail blocks. Digests to outs[l]. wc, when not NULL, is the expanded schedule of
 * a last block that is the same for all (padding only, fixed-length batches): the per-lane tail
 * then stops before it. Lanes past k repeat lane 0 and are dropped. */
static void mb_group(const plan *pl, const mb_impl *m, const uint8_t *const *msg,
                     const size_t *lens, size_t k, const uint32_t *wc, uint8_t *const *outs)
{
    uint32_t st[8 * MAX_LANES];
    uint8_t tails[MAX_LANES][128];
    const uint8_t *p[MAX_LANES];
    const unsigned L = m->lanes;
    const uint32_t *iv = alg_iv(pl->alg);
    for (unsigned l = 0; l < L; l++)
        lane_init(st, L, l, iv);
    const size_t full = lens[0] / 64;
    if (full > 0) {
        for (unsigned l = 0; l < L; l++)
            p[l] = msg[l < k ? l : 0];
        m->blocks(st, p, full);
    }
    size_t tnb = 0;
    for (unsigned l = 0; l < k; l++) {
        size_t r = lens[l] % 64;
        const uint8_t *tail = msg[l] + full * 64;
        if (wc == NULL) {
            tnb = pad_tail(tails[l], tail, r, lens[l]);
        } else if (r > 0) {
            memcpy(tails[l], tail, r);
            tails[l][r] = 0x80;
            memset(tails[l] + r + 1, 0, 63 - r);
            tnb = 1;
        }
    }
    if (tnb) {
        for (unsigned l = 0; l < L; l++)
            p[l] = tails[l < k ? l : 0];
        m->blocks(st, p, tnb);
    }
    if (wc != NULL)
        m->cblock(st, wc);
    for (unsigned l = 0; l < k; l++)
        lane_output(st, L, l, outs[l]);
}

int cc_hash_compress_many(int alg, uint32_t *const *h, const uint8_t *const *blocks, size_t n,
                          size_t nblocks)
{
    if (!alg_ok(alg) || n > MAX_LANES || (n && (!h || !blocks)))
        return CC_ERR_ARG;
    for (size_t l = 0; l < n; l++)
        if (!h[l] || !blocks[l])
            return CC_ERR_ARG;
    if (n == 0 || nblocks == 0)
        return CC_OK;
    plan pl = {0}; /* gcc -O2 without SIMD kernels cannot see that mb[] stays unread */
    make_plan(&pl, alg, CC_PATH_AUTO, cpu_features());
    uint32_t st[8 * MAX_LANES];
    const uint8_t *p[MAX_LANES];
    unsigned used = 0; /* lanes of st that held a state */
    for (size_t i = 0; i < n;) {
        int mi = pick_fixed(&pl, n - i, nblocks, 0);
        if (mi < 0) {
            for (; i < n; i++)
                pl.single(h[i], blocks[i], nblocks);
            break;
        }
        /* one group on this kernel, then re-plan what is left */
        const mb_impl *m = &pl.mb[mi];
        size_t k = n - i < m->lanes ? n - i : m->lanes;
        used = m->lanes > used ? m->lanes : used;
        for (unsigned l = 0; l < m->lanes; l++) {
            size_t row = i + (l < k ? l : 0); /* idle lanes repeat the group's first row */
            lane_init(st, m->lanes, l, h[row]);
            p[l] = blocks[row];
        }
        m->blocks(st, p, nblocks);
        for (size_t l = 0; l < k; l++)
            lane_state(st, m->lanes, (unsigned)l, h[i + l]);
        i += k;
    }
    cc_wipe(st, 8 * used * sizeof st[0]); /* one row (RFC 6979) costs a few compressions */
    return CC_OK;
}

int cc_hash_final_many(int alg, const uint32_t *const *h, uint64_t absorbed,
                       const uint8_t *const *tail, size_t len, size_t n, uint8_t *const *out)
{
    if (!alg_ok(alg) || n > MAX_LANES || len > 192 || absorbed % 64 ||
        (n && (!h || !tail || !out)))
        return CC_ERR_ARG;
    uint8_t blk[MAX_LANES][256];
    uint32_t st[MAX_LANES][8];
    uint32_t *sp[MAX_LANES] = {0}; /* = {0}: gcc cannot see that the loop fills them */
    const uint8_t *bp[MAX_LANES] = {0};
    const size_t full = len / 64;
    size_t nb = 0;
    for (size_t l = 0; l < n; l++) {
        if (!h[l] || !tail[l] || !out[l])
            return CC_ERR_ARG;
        memcpy(blk[l], tail[l], 64 * full);
        nb = full + pad_tail(blk[l] + 64 * full, tail[l] + 64 * full, len % 64, absorbed + len);
        memcpy(st[l], h[l], sizeof st[l]);
        sp[l] = st[l];
        bp[l] = blk[l];
    }
    int rc = cc_hash_compress_many(alg, sp, bp, n, nb);
    for (size_t l = 0; l < n && rc == CC_OK; l++)
        output(st[l], out[l]);
    cc_wipe(blk, n * sizeof blk[0]); /* the rows used, not 4 KiB for every call */
    cc_wipe(st, n * sizeof st[0]);
    return rc;
}

/* Whether the last block of a len-byte message is padding only (the same for every message of
 * that length). */
static int const_last(uint64_t len) { return len % 64 == 0 || len % 64 >= 56; }

static void batch_fixed(const plan *pl, const uint8_t *data, size_t n, size_t len, uint8_t *out)
{
    uint32_t wc[CC_WC_WORDS];
    const uint32_t *wcp = NULL;
    const size_t r = len % 64;
    const int c = const_last(len);
    const uint64_t nb = blocks_of(len);
    int first = pick_fixed(pl, n, nb, c);
    if (first >= 0 && c) {
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
    int mi = first;
    while (i < n) {
        /* Re-plan only for the last, partial groups. */
        if (i > 0 && mi >= 0 && n - i < pl->mb[mi].lanes)
            mi = pick_fixed(pl, n - i, nb, c);
        if (mi < 0) {
            for (; i < n; i++)
                digest_one(pl->single, pl->alg, data + i * len, len, out + 32 * i);
            break;
        }
        const mb_impl *m = &pl->mb[mi];
        /* One group on this kernel, then re-plan what is left. */
        size_t k = n - i < m->lanes ? n - i : m->lanes;
        const uint8_t *msg[MAX_LANES];
        size_t lens[MAX_LANES];
        uint8_t *outs[MAX_LANES];
        for (size_t l = 0; l < k; l++) {
            msg[l] = data + (i + l) * len;
            lens[l] = len;
            outs[l] = out + 32 * (i + l);
        }
        mb_group(pl, m, msg, lens, k, wcp, outs);
        i += k;
    }
}

/* ---- variable lengths --------------------------------------------------------------------
 * Short messages are grouped by shape (full blocks, tail blocks): a group of `lanes` messages
 * of one shape runs like a fixed-length group, with no per-block bookkeeping. Long messages
 * and the groups left unfilled at the end go through a scheduler in which a lane whose message
 * is done takes the next one. */

#define SHAPE_FULL_MAX 8                       /* messages below 8 * 64 bytes are grouped */
#define N_SHAPES (2 * SHAPE_FULL_MAX)

static size_t msg_len(const uint64_t *off, size_t i) { return (size_t)(off[i + 1] - off[i]); }

/* Shape index of a message of len bytes, N_SHAPES when it is too long to group. */
static unsigned shape_of(size_t len)
{
    if (len >= 64 * SHAPE_FULL_MAX)
        return N_SHAPES;
    return (unsigned)(2 * (len / 64) + ((len & 63) >= 56));
}

/* Messages for the scheduler: long ones first (scan), then the unfilled groups' leftovers. */
typedef struct {
    const uint64_t *off;
    size_t n, scan;
    const size_t (*left)[MAX_LANES];
    const unsigned *nleft;
    unsigned shape, pos;
} msg_iter;

static int iter_next(msg_iter *it, size_t *i)
{
    while (it->scan < it->n) {
        size_t j = it->scan++;
        if (shape_of(msg_len(it->off, j)) == N_SHAPES) {
            *i = j;
            return 1;
        }
    }
    while (it->shape < N_SHAPES) {
        if (it->pos < it->nleft[it->shape]) {
            *i = it->left[it->shape][it->pos++];
            return 1;
        }
        it->shape++;
        it->pos = 0;
    }
    return 0;
}

typedef struct {
    const uint8_t *p;     /* next block of the current segment */
    size_t seg;           /* blocks left in it */
    size_t tnb;           /* tail blocks (after the full blocks) */
    size_t msg;
    int phase;            /* 0: full blocks, 1: tail blocks, 2: idle */
} lane_sched;

static void lane_start(lane_sched *ls, uint8_t tail[128], uint32_t *st, unsigned L, unsigned l,
                       const uint32_t *iv, const uint8_t *data, const uint64_t *off, size_t i)
{
    size_t len = msg_len(off, i);
    const uint8_t *msgp = data + off[i];
    ls->msg = i;
    lane_init(st, L, l, iv);
    ls->tnb = pad_tail(tail, msgp + (len & ~(size_t)63), len & 63, len);
    ls->seg = len / 64;
    ls->phase = ls->seg ? 0 : 1;
    ls->p = ls->seg ? msgp : tail;
    if (!ls->seg)
        ls->seg = ls->tnb;
}

static void sched_run(const plan *pl, const mb_impl *m, const uint8_t *data, const uint64_t *off,
                      msg_iter *it, uint8_t *out)
{
    const unsigned L = m->lanes;
    const uint32_t *iv = alg_iv(pl->alg);
    uint32_t st[8 * MAX_LANES];
    uint8_t tails[MAX_LANES][128];
    const uint8_t *kp[MAX_LANES];
    lane_sched ls[MAX_LANES];
    unsigned active = 0;
    int more = 1;

    for (unsigned l = 0; l < L; l++) {
        size_t i;
        ls[l].phase = 2;
        if (more && (more = iter_next(it, &i))) {
            lane_start(&ls[l], tails[l], st, L, l, iv, data, off, i);
            active++;
        }
    }
    while (active > 0) {
        if (pl->auto_mode && !more && active < L) {
            /* Nothing left to start: finish single-stream when that beats the idle lanes. */
            uint64_t sum = 0, mx = 0;
            for (unsigned l = 0; l < L; l++) {
                if (ls[l].phase == 2)
                    continue;
                uint64_t rem = ls[l].seg + (ls[l].phase == 0 ? ls[l].tnb : 0);
                sum += rem;
                mx = rem > mx ? rem : mx;
            }
            if (sum * pl->single_cost <= mx * m->step_cost) {
                for (unsigned l = 0; l < L; l++) {
                    if (ls[l].phase == 2)
                        continue;
                    uint32_t h[8];
                    lane_state(st, L, l, h);
                    pl->single(h, ls[l].p, ls[l].seg);
                    if (ls[l].phase == 0)
                        pl->single(h, tails[l], ls[l].tnb);
                    output(h, out + 32 * ls[l].msg);
                }
                return;
            }
        }
        size_t k = SIZE_MAX;
        unsigned any = 0;
        for (unsigned l = 0; l < L; l++)
            if (ls[l].phase != 2) {
                k = ls[l].seg < k ? ls[l].seg : k;
                any = l;
            }
        for (unsigned l = 0; l < L; l++)
            kp[l] = ls[l].phase != 2 ? ls[l].p : ls[any].p;
        m->blocks(st, kp, k);
        for (unsigned l = 0; l < L; l++) {
            if (ls[l].phase == 2)
                continue;
            ls[l].p += 64 * k;
            ls[l].seg -= k;
            if (ls[l].seg > 0)
                continue;
            if (ls[l].phase == 0) {
                ls[l].phase = 1;
                ls[l].p = tails[l];
                ls[l].seg = ls[l].tnb;
                continue;
            }
            lane_output(st, L, l, out + 32 * ls[l].msg);
            ls[l].phase = 2;
            active--;
            size_t i;
            if (more && (more = iter_next(it, &i))) {
                lane_start(&ls[l], tails[l], st, L, l, iv, data, off, i);
                active++;
            }
        }
    }
}

static void batch_var(const plan *pl, const uint8_t *data, const uint64_t *off, size_t n,
                      uint64_t total, uint64_t maxb, uint8_t *out)
{
    int mi = pick_var(pl, n, total, maxb);
    if (mi < 0) {
        for (size_t i = 0; i < n; i++)
            digest_one(pl->single, pl->alg, data + off[i], msg_len(off, i), out + 32 * i);
        return;
    }
    const mb_impl *m = &pl->mb[mi];
    const unsigned L = m->lanes;
    size_t left[N_SHAPES][MAX_LANES];
    unsigned nleft[N_SHAPES] = {0};
    if (n >= L) {
        for (size_t i = 0; i < n; i++) {
            unsigned sh = shape_of(msg_len(off, i));
            if (sh == N_SHAPES)
                continue;
            left[sh][nleft[sh]++] = i;
            if (nleft[sh] < L)
                continue;
            const uint8_t *msg[MAX_LANES];
            size_t lens[MAX_LANES];
            uint8_t *outs[MAX_LANES];
            for (unsigned l = 0; l < L; l++) {
                size_t j = left[sh][l];
                msg[l] = data + off[j];
                lens[l] = msg_len(off, j);
                outs[l] = out + 32 * j;
            }
            mb_group(pl, m, msg, lens, L, NULL, outs);
            nleft[sh] = 0;
        }
    } else {
        /* Too few to fill a group: everything through the scheduler. */
        for (size_t i = 0; i < n; i++)
            left[0][nleft[0]++] = i;
        msg_iter it = {off, 0, 0, (const size_t (*)[MAX_LANES])left, nleft, 0, 0};
        sched_run(pl, m, data, off, &it, out);
        return;
    }
    msg_iter it = {off, n, 0, (const size_t (*)[MAX_LANES])left, nleft, 0, 0};
    sched_run(pl, m, data, off, &it, out);
}

/* Stands in for a NULL data pointer when every message is empty (no byte is read from it). */
static const uint8_t no_data[1];


/* CC_OK, or the error for alg/path; sets *f to the CPU features. */
static int check_path(int alg, int path, uint32_t *f)
{
    *f = cpu_features();
    if (!alg_ok(alg) || path < 0 || path > CC_PATH_SHANI)
        return CC_ERR_ARG;
    if (path == CC_PATH_AUTO)
        return CC_OK;
    return (paths_for(alg, *f) >> path) & 1 ? CC_OK : CC_ERR_PATH;
}

int cc_hash_batch(int alg, int path, const uint8_t *data, const uint64_t *offsets, size_t n,
                  uint8_t *out)
{
    uint32_t f;
    int rc = check_path(alg, path, &f);
    if (rc != CC_OK || n == 0)
        return rc;
    if (offsets == NULL || out == NULL)
        return CC_ERR_ARG;
    int uniform = 1;
    uint64_t len0 = offsets[1] - offsets[0], total = 0, maxb = 0;
    for (size_t i = 0; i < n; i++) {
        if (offsets[i + 1] < offsets[i])
            return CC_ERR_ARG;
        uint64_t len = offsets[i + 1] - offsets[i];
        uint64_t nb = blocks_of(len);
        uniform &= len == len0;
        total += nb;
        maxb = nb > maxb ? nb : maxb;
    }
    if (data == NULL && offsets[n] > offsets[0])
        return CC_ERR_ARG;
    plan pl;
    make_plan(&pl, alg, path, f);
    /* Consecutive messages of one length are a fixed-length batch. */
    if (uniform)
        batch_fixed(&pl, data != NULL ? data + offsets[0] : no_data, n, (size_t)len0, out);
    else
        batch_var(&pl, data, offsets, n, total, maxb, out);
    return CC_OK;
}

int cc_hash_batch_fixed(int alg, int path, const uint8_t *data, size_t n, size_t len,
                        uint8_t *out)
{
    uint32_t f;
    int rc = check_path(alg, path, &f);
    if (rc != CC_OK || n == 0)
        return rc;
    if (out == NULL || (data == NULL && len > 0))
        return CC_ERR_ARG;
    plan pl;
    make_plan(&pl, alg, path, f);
    batch_fixed(&pl, data != NULL ? data : no_data, n, len, out);
    return CC_OK;
}

int cc_hash_auto_path(int alg, size_t n, size_t len)
{
    if (!alg_ok(alg))
        return CC_ERR_ARG;
    plan pl = {0};
    make_plan(&pl, alg, CC_PATH_AUTO, cpu_features());
    int mi = n ? pick_fixed(&pl, n, blocks_of(len), const_last(len)) : -1;
    return mi < 0 ? CC_PATH_AUTO : pl.mb[mi].path;
}
