/* Merkle trees: whole levels at a time over the batched hash (cc_hash_batch_fixed).
 *
 * Nodes are 32-byte digests stored back to back. Schemes:
 *   CC_MERKLE_CHAINMAKER  parent = H(left || right); a level with an odd count pairs its last
 *                         node with itself, H(x || x) (Bitcoin's shape, one hash).
 *   CC_MERKLE_BITCOIN     the same shape with double hashing, H(H(left || right)).
 *   CC_MERKLE_RFC6962     parent = H(0x01 || left || right); an odd last node is carried up
 *                         unchanged (RFC 6962 / 9162 split at the largest power of two < n, seen
 *                         level by level); leaves are H(0x00 || data).
 * In every scheme a level of count nodes has ceil(count / 2) parents, so the nodes of level L
 * over n leaves number ceil(n / 2^L), and a block of 2^k aligned leaves reduces to its own
 * subtree root whatever the rest of the tree holds: the entry points below use that to walk big
 * trees block by block in cache-sized scratch buffers. */
#ifndef CC_MERKLE_H
#define CC_MERKLE_H
#include <stddef.h>
#include <stdint.h>

/* cdef-begin */
enum { CC_MERKLE_CHAINMAKER = 0, CC_MERKLE_BITCOIN = 1, CC_MERKLE_RFC6962 = 2 };

/* One level up: count nodes at in -> (count + 1) / 2 parents at out (in and out must not
 * overlap). For the duplicate-last schemes, when mutated is not NULL it is set to 1 if any pair
 * of real (not duplicated) siblings is two identical nodes (CVE-2012-2459, as Bitcoin Core's
 * ComputeMerkleRoot reports it) and left unchanged otherwise. CC_MERKLE_BITCOIN needs SHA-256. */
int cc_merkle_level(int scheme, int alg, int path, const uint8_t *in, size_t count, uint8_t *out,
                    int32_t *mutated);

/* levels levels up at once: count nodes -> ceil(count / 2^levels) nodes at out (no overlap with
 * in), working block by block in heap scratch of a few hundred KiB (CC_ERR_NOMEM if that fails).
 * levels = 0 copies. mutated as for cc_merkle_level. */
int cc_merkle_reduce(int scheme, int alg, int path, const uint8_t *in, size_t count,
                     unsigned levels, uint8_t *out, int32_t *mutated);

/* RFC 6962 leaf hashes H(0x00 || item) of n items into out[32 * i]. offsets not NULL: item i is
 * data[offsets[i] .. offsets[i + 1]) (offsets must not decrease: CC_ERR_ARG); offsets NULL:
 * item i is data[i * width .. (i + 1) * width). */
int cc_merkle_rfc6962_leaves(int alg, int path, const uint8_t *data, const uint64_t *offsets,
                             size_t width, size_t n, uint8_t *out);

/* Leaf hashes then levels levels up, block by block: n items (as for cc_merkle_rfc6962_leaves)
 * -> ceil(n / 2^levels) nodes at out, without ever holding all n leaf hashes. */
int cc_merkle_rfc6962_reduce(int alg, int path, const uint8_t *data, const uint64_t *offsets,
                             size_t width, size_t n, unsigned levels, uint8_t *out);
/* cdef-end */

#endif
