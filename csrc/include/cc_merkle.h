/* Merkle tree levels: owned by csrc/merkle/. */
#ifndef CC_MERKLE_H
#define CC_MERKLE_H
#include <stddef.h>
#include <stdint.h>

/* cdef-begin */
/* cdef-end */

#endif
