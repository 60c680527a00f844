/* Temporary stubs: every entry point declared, CC_ERR_ARG until implemented. */
#include "common.h"
int cc_ec_seckey_check(int c, const uint8_t sk[32]) { (void)c; (void)sk; return CC_ERR_ARG; }
int cc_ec_pubkey_create_batch(int c, const uint8_t *sk, size_t n, uint8_t *pub, uint8_t *ok)
{ (void)c; (void)sk; (void)n; (void)pub; (void)ok; return CC_ERR_ARG; }
int cc_ec_pubkey_parse_batch(int c, const uint8_t *d, const uint64_t *o, size_t n, uint8_t *pub, uint8_t *ok)
{ (void)c; (void)d; (void)o; (void)n; (void)pub; (void)ok; return CC_ERR_ARG; }
int cc_ec_pubkey_check_batch(int c, const uint8_t *pub, size_t n, uint8_t *ok)
{ (void)c; (void)pub; (void)n; (void)ok; return CC_ERR_ARG; }
int cc_der_sig_parse_batch(const uint8_t *d, const uint64_t *o, size_t n, uint8_t *r, uint8_t *s, uint8_t *ok)
{ (void)d; (void)o; (void)n; (void)r; (void)s; (void)ok; return CC_ERR_ARG; }
int cc_der_sig_encode_batch(const uint8_t *r, const uint8_t *s, size_t n, uint8_t *out, uint8_t *ol)
{ (void)r; (void)s; (void)n; (void)out; (void)ol; return CC_ERR_ARG; }
int cc_sm2_za(const uint8_t pub[64], const uint8_t *u, size_t ul, uint8_t out[32])
{ (void)pub; (void)u; (void)ul; (void)out; return CC_ERR_ARG; }
int cc_sm2_za_batch(const uint8_t *pub, size_t n, const uint8_t *u, size_t ul, uint8_t *out)
{ (void)pub; (void)n; (void)u; (void)ul; (void)out; return CC_ERR_ARG; }
int cc_sm2_verify_batch(const uint8_t *pub, const uint8_t *e, const uint8_t *r, const uint8_t *s, size_t n, uint8_t *ok)
{ (void)pub; (void)e; (void)r; (void)s; (void)n; (void)ok; return CC_ERR_ARG; }
int cc_sm2_sign_batch(const uint8_t *sk, const uint8_t *e, const uint8_t *x, size_t n, uint8_t *r, uint8_t *s, uint8_t *ok)
{ (void)sk; (void)e; (void)x; (void)n; (void)r; (void)s; (void)ok; return CC_ERR_ARG; }
int cc_sm2_sign_with_k(const uint8_t sk[32], const uint8_t e[32], const uint8_t k[32], uint8_t r[32], uint8_t s[32])
{ (void)sk; (void)e; (void)k; (void)r; (void)s; return CC_ERR_ARG; }
int cc_ecdsa_verify_batch(int c, const uint8_t *pub, const uint8_t *e, const uint8_t *r, const uint8_t *s, size_t n, int f, uint8_t *ok)
{ (void)c; (void)pub; (void)e; (void)r; (void)s; (void)n; (void)f; (void)ok; return CC_ERR_ARG; }
int cc_ecdsa_sign_batch(int c, const uint8_t *sk, const uint8_t *e, const uint8_t *x, size_t n, uint8_t *r, uint8_t *s, uint8_t *rid, uint8_t *ok)
{ (void)c; (void)sk; (void)e; (void)x; (void)n; (void)r; (void)s; (void)rid; (void)ok; return CC_ERR_ARG; }
int cc_ecdsa_recover_batch(int c, const uint8_t *e, const uint8_t *r, const uint8_t *s, const uint8_t *rid, size_t n, uint8_t *pub, uint8_t *ok)
{ (void)c; (void)e; (void)r; (void)s; (void)rid; (void)n; (void)pub; (void)ok; return CC_ERR_ARG; }
