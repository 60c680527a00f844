/* SM3 (GB/T 32905) and SHA-256 (FIPS 180-4): incremental and batched. */
#ifndef CC_HASH_H
#define CC_HASH_H
#include <stddef.h>
#include <stdint.h>

/* cdef-begin */
enum { CC_HASH_SM3 = 0, CC_HASH_SHA256 = 1 };

/* Implementation paths. An explicit path runs every message of a batch on that path's kernel
 * (CC_ERR_PATH where this CPU cannot run it). CC_PATH_AUTO picks per batch by the kernels'
 * costs measured on this CPU (cc_hash_auto_path): multi-buffer kernels for many messages,
 * single-stream code (SHA-NI for SHA-256; scalar rounds beside an AVX2 message expansion for
 * SM3) for a few long ones and for the contexts. */
enum {
    CC_PATH_AUTO = 0,
    CC_PATH_PORTABLE = 1,
    CC_PATH_AVX2 = 2,     /* multi-buffer: 8 messages in the lanes of a YMM register */
    CC_PATH_AVX512 = 3,   /* multi-buffer: 16 messages in ZMM lanes */
    CC_PATH_SHANI = 4     /* SHA-256 only: the SHA extensions */
};

typedef struct {
    uint32_t h[8];
    uint64_t nbytes;      /* total bytes absorbed */
    uint8_t buf[64];
    uint32_t buflen;
    int32_t alg;
    int32_t impl;         /* internal: single-stream implementation (set by init and update) */
} cc_hash_ctx;

/* Bit (1 << path) set for each path that alg can use on this CPU (always CC_PATH_PORTABLE). */
uint32_t cc_hash_paths(int alg);

int cc_hash_init(cc_hash_ctx *ctx, int alg);
int cc_hash_update(cc_hash_ctx *ctx, const uint8_t *data, size_t len);
/* Writes the digest of everything absorbed so far; ctx is left unchanged (hashlib semantics). */
int cc_hash_final(const cc_hash_ctx *ctx, uint8_t out[32]);
/* One-shot digest of one message. */
int cc_hash(int alg, const uint8_t *data, size_t len, uint8_t out[32]);

/* Message i is data[offsets[i] .. offsets[i+1]); digests go to out[32*i]. offsets must not
 * decrease (checked: CC_ERR_ARG). */
int cc_hash_batch(int alg, int path, const uint8_t *data, const uint64_t *offsets, size_t n,
                  uint8_t *out);
/* Message i is data[i*len .. (i+1)*len). */
int cc_hash_batch_fixed(int alg, int path, const uint8_t *data, size_t n, size_t len,
                        uint8_t *out);
/* The path whose multi-buffer kernel CC_PATH_AUTO runs the first messages of a fixed-length
 * batch of n messages of len bytes on, or CC_PATH_AUTO where it hashes them single-stream
 * (CC_ERR_ARG for a bad alg). AUTO weighs the kernels by costs it measures on this CPU the
 * first time it needs them (a few microseconds each, once per process). */
int cc_hash_auto_path(int alg, size_t n, size_t len);
/* cdef-end */

/* For the EC code's HMAC-DRBG (not bound to Python): for each l < n (n <= 16), compress nblocks
 * consecutive 64-byte blocks from blocks[l] into the chaining value h[l][0..7], the n rows in
 * the lanes of a multi-buffer kernel where the CPU has one and that is cheaper (CC_PATH_AUTO's
 * cost model). CC_ERR_ARG for a bad alg, n > 16 or a NULL pointer. Constant time in the data. */
int cc_hash_compress_many(int alg, uint32_t *const *h, const uint8_t *const *blocks, size_t n,
                          size_t nblocks);
/* For each l < n (n <= 16): the digest of a message whose first absorbed bytes (a multiple of
 * 64) left the chaining value h[l] and whose last len <= 192 bytes are tail[l], to out[l] (h[l]
 * is not changed; rows may share one). The rows' blocks go through cc_hash_compress_many.
 * CC_ERR_ARG for a bad alg, n > 16, len > 192, absorbed not a multiple of 64 or a NULL pointer. */
int cc_hash_final_many(int alg, const uint32_t *const *h, uint64_t absorbed,
                       const uint8_t *const *tail, size_t len, size_t n, uint8_t *const *out);

#endif
