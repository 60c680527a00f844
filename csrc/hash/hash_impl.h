/* Internal interface between the hash front end (hash.c) and its implementations. */
#ifndef CC_HASH_IMPL_H
#define CC_HASH_IMPL_H

#include "../common.h"

/* Compress nblocks consecutive 64-byte blocks into the chaining value h. */
typedef void (*cc_compress_fn)(uint32_t h[8], const uint8_t *blocks, size_t nblocks);

extern const uint32_t cc_sm3_iv[8];
extern const uint32_t cc_sha256_iv[8];

void cc_sm3_compress_portable(uint32_t h[8], const uint8_t *blocks, size_t nblocks);
void cc_sha256_compress_portable(uint32_t h[8], const uint8_t *blocks, size_t nblocks);

#endif
