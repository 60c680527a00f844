/* The multi-buffer kernels, and what each costs on this CPU: measured once per process.
 *
 * CC_PATH_AUTO chooses among the kernels and the single-stream code by cost. Fixed costs tuned
 * on one machine chose badly on another: on the AMD Zen 4 they came from, four SHA-NI streams
 * beat sixteen AVX-512 lanes, while on an Intel Xeon with the same features the lanes hash
 * 64-byte messages twice as fast as SHA-NI. So the first batch that needs a cost times the
 * kernel on a few blocks of zeros (a few microseconds a kernel) and keeps the result. Like the
 * cpuid answer in cpu.c, each cost is a write-once atomic word: threads racing on first use
 * each store a measurement of their own, and any of them serves. Only the ratios of costs
 * matter, and a choice between two kernels of nearly equal cost is cheap either way, so timer
 * noise cannot make a batch much slower; every kernel gives the same digests. */
#include <stdatomic.h>

#include "hash_impl.h"

#if CC_HASH_X86
#include <x86intrin.h>

const cc_mb_kernel cc_mb_kernels[CC_MB_COUNT] = {
    [CC_MB_SM3_AVX2] = {CC_PATH_AVX2, 8, cc_sm3_mb8_avx2, cc_sm3_mb8_avx2_const},
    [CC_MB_SM3_AVX512] = {CC_PATH_AVX512, 16, cc_sm3_mb16_avx512, cc_sm3_mb16_avx512_const},
    [CC_MB_SHA256_AVX2] = {CC_PATH_AVX2, 8, cc_sha256_mb8_avx2, cc_sha256_mb8_avx2_const},
    [CC_MB_SHA256_AVX512] = {CC_PATH_AVX512, 16, cc_sha256_mb16_avx512, cc_sha256_mb16_avx512_const},
    [CC_MB_SHA256_SHANI4] = {CC_PATH_SHANI, 4, cc_sha256_mb4_shani, cc_sha256_mb4_shani_const},
    [CC_MB_SHA256_SHANI2] = {CC_PATH_SHANI, 2, cc_sha256_mb2_shani, cc_sha256_mb2_shani_const},
};

/* Calls a sample makes (and twice as many): the difference cancels the timer's own cost, which
 * is large where a hypervisor traps rdtsc. Best of REPS such pairs. */
#define CALLS 4
#define REPS 3

enum { RUN_SINGLE, RUN_BLOCKS, RUN_CONST };

typedef struct {
    int kind;
    cc_compress_fn single;
    const cc_mb_kernel *k;
    uint32_t *st;
    const uint8_t *const *p;
    const uint32_t *wc;
} run_spec;

static uint64_t ticks(void)
{
    _mm_lfence();
    uint64_t t = __rdtsc();
    _mm_lfence();
    return t;
}

/* Timer ticks for calls calls of one block each: the call a batch makes block by block. */
static uint64_t run(const run_spec *r, int calls)
{
    uint64_t t0 = ticks();
    for (int i = 0; i < calls; i++) {
        if (r->kind == RUN_SINGLE)
            r->single(r->st, r->p[i % CC_MB_MAX_LANES], 1);
        else if (r->kind == RUN_BLOCKS)
            r->k->blocks(r->st, r->p, 1);
        else
            r->k->cblock(r->st, r->wc);
    }
    return ticks() - t0;
}

/* Ticks a call costs, at least 1 (0 marks a cost not yet measured). */
static uint32_t measure(const run_spec *r)
{
    uint64_t once = UINT64_MAX, twice = UINT64_MAX;
    run(r, CALLS); /* warm the code, the data and the vector units */
    for (int i = 0; i < REPS; i++) {
        uint64_t a = run(r, CALLS), b = run(r, 2 * CALLS);
        once = a < once ? a : once;
        twice = b < twice ? b : twice;
    }
    uint64_t c = twice > once ? (twice - once) / CALLS : 1;
    return c == 0 ? 1 : c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
}

/* Zeroed lanes' blocks, chaining values and a constant schedule to time the kernels on. */
typedef struct {
    uint8_t data[CC_MB_MAX_LANES][64];
    const uint8_t *p[CC_MB_MAX_LANES];
    uint32_t st[8 * CC_MB_MAX_LANES];
    uint32_t wc[CC_WC_WORDS];
} scratch;

static void scratch_init(scratch *s, int alg)
{
    memset(s, 0, sizeof *s);
    for (int l = 0; l < CC_MB_MAX_LANES; l++)
        s->p[l] = s->data[l];
    if (alg == CC_HASH_SM3)
        cc_sm3_expand_const(s->data[0], s->wc);
    else
        cc_sha256_expand_const(s->data[0], s->wc);
}

/* The timings, once a process (the callers keep what they return): out of line, so that the
 * calls that only read a stored cost (every hash call plans with them) carry no scratch frame. */
static __attribute__((noinline)) void time_mb(int alg, int k, uint32_t *step, uint32_t *cstep)
{
    scratch s;
    scratch_init(&s, alg);
    run_spec r = {RUN_BLOCKS, NULL, &cc_mb_kernels[k], s.st, s.p, s.wc};
    *step = measure(&r);
    r.kind = RUN_CONST;
    *cstep = measure(&r);
}

static __attribute__((noinline)) uint32_t time_single(int alg, cc_compress_fn f)
{
    scratch s;
    scratch_init(&s, alg);
    run_spec r = {RUN_SINGLE, f, NULL, s.st, s.p, s.wc};
    return measure(&r);
}

void cc_mb_costs(int alg, int k, uint32_t *step, uint32_t *cstep)
{
    static _Atomic uint32_t steps[CC_MB_COUNT], csteps[CC_MB_COUNT];
    *step = atomic_load_explicit(&steps[k], memory_order_relaxed);
    *cstep = atomic_load_explicit(&csteps[k], memory_order_relaxed);
    if (*step && *cstep)
        return;
    time_mb(alg, k, step, cstep);
    atomic_store_explicit(&steps[k], *step, memory_order_relaxed);
    atomic_store_explicit(&csteps[k], *cstep, memory_order_relaxed);
}

uint32_t cc_single_cost(int alg, cc_compress_fn f)
{
    static _Atomic uint32_t costs[2];
    _Atomic uint32_t *slot = &costs[alg == CC_HASH_SHA256];
    uint32_t c = atomic_load_explicit(slot, memory_order_relaxed);
    if (c == 0) {
        c = time_single(alg, f);
        atomic_store_explicit(slot, c, memory_order_relaxed);
    }
    return c;
}
#else
/* Without multi-buffer kernels there is nothing to choose between. */
uint32_t cc_single_cost(int alg, cc_compress_fn f)
{
    (void)alg;
    (void)f;
    return 1;
}
#endif
