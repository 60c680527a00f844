/* Elliptic curves: SM2 (GB/T 32918), ECDSA on secp256k1 and P-256. Owned by csrc/ec/.
 *
 * All byte strings are big-endian; scalars and coordinates are 32 bytes; public keys on the
 * batch path are raw X||Y (64 bytes). n is the item count; ok[i] is 1 or 0 per item. A bad item
 * is never an error of the call: ok[i] = 0 and its outputs are zeroed. Calls return CC_OK, or
 * CC_ERR_ARG for bad arguments (unknown curve, NULL pointer where data is required). */
#ifndef CC_EC_H
#define CC_EC_H
#include <stddef.h>
#include <stdint.h>

/* cdef-begin */
enum { CC_CURVE_SM2 = 0, CC_CURVE_SECP256K1 = 1, CC_CURVE_P256 = 2 };
enum { CC_VERIFY_LOW_S = 1 };   /* ECDSA: reject s > n/2 (Bitcoin rule) */
enum { CC_VERIFY_DER = 2 };     /* cc_ec_verify: the signature is strict DER, not r || s */
enum { CC_SIGN_DER = 1, CC_SIGN_RECID = 2 }; /* cc_ec_sign: DER out; r || s || recid out */

/* CC_OK if 1 <= d <= n-1 (SM2: n-2), else CC_ERR_INVALID. Constant time. */
int cc_ec_seckey_check(int curve, const uint8_t sk[32]);
/* pub[64*i] = X||Y of sk[32*i]*G. Constant time in the keys. */
int cc_ec_pubkey_create_batch(int curve, const uint8_t *sk, size_t n, uint8_t *pub, uint8_t *ok);
/* Item i is data[offsets[i] .. offsets[i+1]): SEC1 04||X||Y (65 bytes), 02/03||X (33 bytes)
 * or raw X||Y (64 bytes). Full validation: coordinates < p, on the curve. pub[64*i] = X||Y. */
int cc_ec_pubkey_parse_batch(int curve, const uint8_t *data, const uint64_t *offsets, size_t n,
                             uint8_t *pub, uint8_t *ok);
/* ok[i] = 1 iff pub[64*i] is a valid affine point (coordinates < p, on the curve). */
int cc_ec_pubkey_check_batch(int curve, const uint8_t *pub, size_t n, uint8_t *ok);
/* Strict DER SEQUENCE { INTEGER r, INTEGER s }: minimal lengths and integers, positive, at most
 * 32 bytes after the sign byte, no trailing bytes. r[32*i], s[32*i] get the values. */
int cc_der_sig_parse_batch(const uint8_t *data, const uint64_t *offsets, size_t n, uint8_t *r,
                           uint8_t *s, uint8_t *ok);
/* Inverse of the parser: out[72*i] gets a DER signature of outlen[i] bytes (<= 72). */
int cc_der_sig_encode_batch(const uint8_t *r, const uint8_t *s, size_t n, uint8_t *out,
                            uint8_t *outlen);

/* SM2 Z_A = SM3(ENTL || ID || a || b || xG || yG || xA || yA). uid_len <= 8191. */
int cc_sm2_za(const uint8_t pub[64], const uint8_t *uid, size_t uid_len, uint8_t out[32]);
int cc_sm2_za_batch(const uint8_t *pub, size_t n, const uint8_t *uid, size_t uid_len,
                    uint8_t *out);
/* e[32*i] is SM3(Z_A || M). */
int cc_sm2_verify_batch(const uint8_t *pub, const uint8_t *e, const uint8_t *r, const uint8_t *s,
                        size_t n, uint8_t *ok);
/* k by RFC 6979 (HMAC-SM3) from (sk, e), with extra[32*i] as additional data when extra is not
 * NULL (hedged signing); NULL = deterministic. */
int cc_sm2_sign_batch(const uint8_t *sk, const uint8_t *e, const uint8_t *extra, size_t n,
                      uint8_t *r, uint8_t *s, uint8_t *ok);
/* k[32*i] = the first RFC 6979 candidate nonce that cc_sm2_sign_batch / cc_ecdsa_sign_batch
 * draw for (sk, e, extra) (the GPU signs with it and hands a rejected one back to the CPU).
 * ok[i] = 0 for an invalid key (whose row still gets the construction's candidate). */
int cc_ec_nonce_batch(int curve, const uint8_t *sk, const uint8_t *e, const uint8_t *extra,
                      size_t n, uint8_t *k, uint8_t *ok);
/* Test hook: sign with a given k. CC_ERR_INVALID if d or k is unusable. */
int cc_sm2_sign_with_k(const uint8_t sk[32], const uint8_t e[32], const uint8_t k[32],
                       uint8_t r[32], uint8_t s[32]);

/* ECDSA. e[32*i] = leftmost 256 bits of the digest. flags: CC_VERIFY_LOW_S. */
int cc_ecdsa_verify_batch(int curve, const uint8_t *pub, const uint8_t *e, const uint8_t *r,
                          const uint8_t *s, size_t n, int flags, uint8_t *ok);
/* RFC 6979 with HMAC-SHA256; extra as for SM2. secp256k1 signatures are low-S. recid[i] = y
 * parity of R | (R.x >= n) << 1 (recid may be NULL). */
int cc_ecdsa_sign_batch(int curve, const uint8_t *sk, const uint8_t *e, const uint8_t *extra,
                        size_t n, uint8_t *r, uint8_t *s, uint8_t *recid, uint8_t *ok);
/* One signature (the single-item calls: no arrays, no verdict buffer): SM2 on CC_CURVE_SM2
 * (e = SM3(Z_A || M); CC_VERIFY_LOW_S ignored), else ECDSA as cc_ecdsa_verify_batch. sig is
 * r || s (64 bytes) or, with CC_VERIFY_DER, strict DER as cc_der_sig_parse_batch reads it.
 * CC_OK if the signature is valid, CC_ERR_INVALID if not (a malformed one included),
 * CC_ERR_ARG for an unknown curve or flag or a NULL pointer. */
int cc_ec_verify(int curve, const uint8_t pub[64], const uint8_t e[32], const uint8_t *sig,
                 size_t sig_len, int flags);
/* One signature (the single-item calls): SM2 on CC_CURVE_SM2, else ECDSA, exactly as the batch
 * signers make it (extra as there, NULL for pure RFC 6979). out gets r || s (64 bytes), with
 * CC_SIGN_RECID (ECDSA only) r || s || recid (65), or with CC_SIGN_DER its strict DER (length
 * out[1] + 2 <= 72). CC_OK, CC_ERR_INVALID for a key the algorithm refuses, CC_ERR_ARG for an
 * unknown curve or flag, both flags, or a NULL pointer. */
int cc_ec_sign(int curve, const uint8_t sk[32], const uint8_t e[32], const uint8_t *extra,
               int flags, uint8_t out[72]);
/* Public key recovery (secp256k1 and P-256). */
/* One signature r || s || recid (65 bytes): pub = X || Y of the key. CC_OK, CC_ERR_INVALID
 * where no key recovers (recid > 3, r or s out of range, no point), CC_ERR_ARG for a curve
 * without recovery or a NULL pointer. */
int cc_ec_recover(int curve, const uint8_t e[32], const uint8_t sig[65], uint8_t pub[64]);
int cc_ecdsa_recover_batch(int curve, const uint8_t *e, const uint8_t *r, const uint8_t *s,
                           const uint8_t *recid, size_t n, uint8_t *pub, uint8_t *ok);

/* Builds of the curve code (every entry point above takes the most capable one this CPU runs):
 * the baseline C, the BMI2/ADX field arithmetic, and that plus verification, recovery, signing
 * and key derivation 16 rows at a time in AVX-512 IFMA lanes. All give identical results; the
 * _path calls below run one on purpose (tests, benchmarks) and return CC_ERR_PATH where this
 * CPU cannot. */
enum { CC_EC_PATH_AUTO = 0, CC_EC_PATH_BASE = 1, CC_EC_PATH_ADX = 2, CC_EC_PATH_IFMA = 3 };
/* Bit (1 << path) for each path this CPU can run (always CC_EC_PATH_BASE). */
uint32_t cc_ec_paths(void);
/* cc_sm2_verify_batch (curve CC_CURVE_SM2; flags ignored) or cc_ecdsa_verify_batch on path. */
int cc_ec_verify_path_batch(int curve, int path, const uint8_t *pub, const uint8_t *e,
                            const uint8_t *r, const uint8_t *s, size_t n, int flags, uint8_t *ok);
/* cc_ec_pubkey_create_batch on path. */
int cc_ec_pubkey_create_path_batch(int curve, int path, const uint8_t *sk, size_t n,
                                   uint8_t *pub, uint8_t *ok);
/* cc_sm2_sign_batch (curve CC_CURVE_SM2; recid ignored) or cc_ecdsa_sign_batch on path. */
int cc_ec_sign_path_batch(int curve, int path, const uint8_t *sk, const uint8_t *e,
                          const uint8_t *extra, size_t n, uint8_t *r, uint8_t *s, uint8_t *recid,
                          uint8_t *ok);
/* cc_ecdsa_recover_batch on path. */
int cc_ecdsa_recover_path_batch(int curve, int path, const uint8_t *e, const uint8_t *r,
                                const uint8_t *s, const uint8_t *recid, size_t n, uint8_t *pub,
                                uint8_t *ok);
/* cdef-end */

#endif
