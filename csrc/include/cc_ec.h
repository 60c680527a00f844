/* Elliptic curves: SM2 (GB/T 32918), ECDSA on secp256k1 and P-256. Owned by csrc/ec/. */
#ifndef CC_EC_H
#define CC_EC_H
#include <stddef.h>
#include <stdint.h>

/* cdef-begin */
/* cdef-end */

#endif
