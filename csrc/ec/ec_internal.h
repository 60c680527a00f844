/* Per-curve operations, on single items or on groups of rows, shared by the batch entry points
 * (api.c). Each curve is one translation unit (curve_<name>.c) instantiating curve_impl.h. Every
 * function returning int returns 1 on success / valid, 0 otherwise. */
#ifndef CC_EC_INTERNAL_H
#define CC_EC_INTERNAL_H
#include <stddef.h>
#include <stdint.h>

/* Rows a group operation (key derivation, signing) takes at once: their inversions share one
 * exponentiation. */
#define CC_EC_GROUP 16

typedef struct {
    int (*seckey_check)(const uint8_t sk[32], int sm2);
    /* pub[i] = sk[i]*G for i < n; ok[i] = 1 where 1 <= sk[i] < n, else 0 and zeros */
    void (*pubkey_create)(const uint8_t *sk, size_t n, uint8_t *pub, uint8_t *ok);
    /* item i is data[offsets[i] .. offsets[i+1]) (cc_ec_pubkey_parse_batch, offsets checked) */
    void (*pubkey_parse)(const uint8_t *data, const uint64_t *offsets, size_t n, uint8_t *pub,
                         uint8_t *ok);
    int (*pubkey_check)(const uint8_t pub[64]);
    /* SM2 (sm2 = 1) or ECDSA verification of n rows (flags: CC_VERIFY_LOW_S for ECDSA) */
    void (*verify)(int sm2, int flags, size_t n, const uint8_t *pub, const uint8_t *e,
                   const uint8_t *r, const uint8_t *s, uint8_t *ok);
    /* SM2 (sm2 = 1) or ECDSA signatures of n rows with nonces k given; ok[i] = 0 (and zeros)
     * for a key or nonce out of range or a rejected nonce; recid may be NULL */
    void (*sign_k)(int sm2, int low_s, size_t n, const uint8_t *sk, const uint8_t *e,
                   const uint8_t *k, uint8_t *r, uint8_t *s, uint8_t *recid, uint8_t *ok);
    /* ECDSA public key recovery of n rows; ok[i] = 0 and zeros where there is none */
    void (*ecdsa_recover)(size_t n, const uint8_t *e, const uint8_t *r, const uint8_t *s,
                          const uint8_t *recid, uint8_t *pub, uint8_t *ok);
    /* out = in mod n (in < 2^256 < 2n): RFC 6979 bits2octets */
    void (*reduce_n)(const uint8_t in[32], uint8_t out[32]);
    const uint8_t *a, *b, *gx, *gy, *n;
} ec_curve;

extern const ec_curve cc_ec_curve_sm2, cc_ec_curve_secp256k1, cc_ec_curve_p256;
/* The same with the BMI2/ADX field multiplication (x86-64 only; api.c picks at run time). */
extern const ec_curve cc_ec_curve_sm2_adx, cc_ec_curve_secp256k1_adx, cc_ec_curve_p256_adx;
/* The same plus verification, recovery, signing and key derivation in AVX-512 IFMA lanes. */
extern const ec_curve cc_ec_curve_sm2_ifma, cc_ec_curve_secp256k1_ifma, cc_ec_curve_p256_ifma;

/* Strict DER SEQUENCE { INTEGER r, INTEGER s } of len bytes at p (der.c; cc_ec.h has the
 * rules) to r and s. */
int cc_der_sig(const uint8_t *p, size_t len, uint8_t r[32], uint8_t s[32]);
/* The strict DER of (r, s) to out (zero-padded to 72 bytes); returns its length. */
size_t cc_der_sig_put(uint8_t out[72], const uint8_t r[32], const uint8_t s[32]);

/* RFC 6979 HMAC-DRBG with qlen = hlen = 256 (rfc6979.c), n <= CC_EC_GROUP rows at once. */
#include "include/cc_hash.h"
typedef struct {
    int alg;
    uint8_t k[32], v[32];
    uint32_t hin[8], hout[8]; /* HMAC keyed with k: the hash states after k ^ ipad, k ^ opad */
} cc_rfc6979;
/* Row i from the private key x[i] and h1[i] (the reduced digest), with the additional data
 * extra[i] of section 3.6 (extra NULL: none in any row). Both return CC_OK, or CC_ERR_ARG for
 * n > CC_EC_GROUP or an alg other than SM3 / SHA-256. */
int cc_rfc6979_init_batch(cc_rfc6979 *const *st, size_t n, int alg, const uint8_t *const *x,
                          const uint8_t *const *h1, const uint8_t *const *extra);
/* Each row's next candidate to out[i]; retry: the RFC's retry step first (after a candidate was
 * refused), else the first candidate after init. */
int cc_rfc6979_next_batch(cc_rfc6979 *const *st, size_t n, uint8_t *const *out, int retry);
void cc_rfc6979_clear(cc_rfc6979 *st);

#endif
