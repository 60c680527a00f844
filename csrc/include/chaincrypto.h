/* chaincrypto.h: the C backend's public interface, and the only header cffi reads.
 *
 * The build script feeds cffi the text between each "cdef-begin" and "cdef-end" marker of the
 * headers included below, so those parts hold plain declarations and integer enums only.
 * Every function that can fail returns CC_OK (0) or a negative CC_ERR_* status.
 * Byte strings are big-endian; scalars and coordinates are 32 bytes; a public key on the batch
 * path is X||Y (64 bytes). Batch entry points never touch Python objects and hold no global
 * mutable state, so many threads may call them at once (cffi releases the GIL around them). */
#ifndef CHAINCRYPTO_H
#define CHAINCRYPTO_H

#include <stddef.h>
#include <stdint.h>

/* cdef-begin */
enum {
    CC_OK = 0,
    CC_ERR_ARG = -1,      /* an argument is out of its documented range */
    CC_ERR_PATH = -2,     /* the requested SIMD path is not available on this CPU */
    CC_ERR_NOMEM = -3,
    CC_ERR_INVALID = -4   /* well-formed call, invalid data (bad key, bad signature encoding) */
};
/* cdef-end */

#include "cc_cpu.h"
#include "cc_hash.h"
#include "cc_merkle.h"
#include "cc_ec.h"

#endif
