/* Strict DER for ECDSA/SM2 signatures: SEQUENCE { INTEGER r, INTEGER s }. */
#include "common.h"
#include "ec_internal.h"

/* Parse one INTEGER at *p (within end) into out[32]; 1 if valid. Strict: short-form length
 * (a signature never needs long form), minimal encoding, positive, nonzero magnitude <= 32 bytes. */
static int der_int(const uint8_t **pp, const uint8_t *end, uint8_t out[32])
{
    const uint8_t *p = *pp;
    if (end - p < 2 || p[0] != 0x02)
        return 0;
    size_t len = p[1];
    if (len & 0x80)
        return 0;
    p += 2;
    if (len == 0 || (size_t)(end - p) < len)
        return 0;
    if (p[0] & 0x80)
        return 0; /* negative */
    if (len > 1 && p[0] == 0 && !(p[1] & 0x80))
        return 0; /* non-minimal */
    const uint8_t *v = p;
    size_t vl = len;
    if (v[0] == 0) {
        v++;
        vl--;
    }
    if (vl == 0 || vl > 32)
        return 0; /* zero is not positive; no signature value needs more than 32 bytes */
    memset(out, 0, 32);
    memcpy(out + 32 - vl, v, vl);
    *pp = p + len;
    return 1;
}

int cc_der_sig(const uint8_t *p, size_t len, uint8_t r[32], uint8_t s[32])
{
    const uint8_t *end = p + len;
    if (len < 2 || p[0] != 0x30)
        return 0;
    size_t sl;
    if (p[1] < 0x80) {
        sl = p[1];
        p += 2;
    } else if (p[1] == 0x81) {
        if (len < 3 || p[2] < 0x80)
            return 0; /* long form where short form fits */
        sl = p[2];
        p += 3;
    } else {
        return 0;
    }
    if ((size_t)(end - p) != sl)
        return 0; /* truncated or trailing bytes */
    if (!der_int(&p, end, r) || !der_int(&p, end, s))
        return 0;
    return p == end;
}

int cc_der_sig_parse_batch(const uint8_t *data, const uint64_t *offsets, size_t n, uint8_t *r,
                           uint8_t *s, uint8_t *ok)
{
    if (n == 0)
        return CC_OK;
    if (!offsets || !r || !s || !ok)
        return CC_ERR_ARG;
    for (size_t i = 0; i < n; i++)
        if (offsets[i + 1] < offsets[i])
            return CC_ERR_ARG;
    if (!data && offsets[n] != offsets[0])
        return CC_ERR_ARG;
    for (size_t i = 0; i < n; i++) {
        const size_t len = (size_t)(offsets[i + 1] - offsets[i]);
        /* data is NULL when every item is empty: no offset is added to it */
        int v = cc_der_sig(len ? data + offsets[i] : data, len, r + 32 * i, s + 32 * i);
        if (!v) {
            memset(r + 32 * i, 0, 32);
            memset(s + 32 * i, 0, 32);
        }
        ok[i] = (uint8_t)v;
    }
    return CC_OK;
}

static size_t der_put_int(uint8_t *out, const uint8_t v[32])
{
    size_t i = 0;
    while (i < 31 && v[i] == 0)
        i++;
    size_t vl = 32 - i, pad = (v[i] & 0x80) ? 1 : 0;
    out[0] = 0x02;
    out[1] = (uint8_t)(vl + pad);
    out[2] = 0;
    memcpy(out + 2 + pad, v + i, vl);
    return 2 + pad + vl;
}

size_t cc_der_sig_put(uint8_t out[72], const uint8_t r[32], const uint8_t s[32])
{
    memset(out, 0, 72);
    size_t l = der_put_int(out + 2, r);
    l += der_put_int(out + 2 + l, s);
    out[0] = 0x30;
    out[1] = (uint8_t)l;
    return l + 2;
}

int cc_der_sig_encode_batch(const uint8_t *r, const uint8_t *s, size_t n, uint8_t *out,
                            uint8_t *outlen)
{
    if (n == 0)
        return CC_OK;
    if (!r || !s || !out || !outlen)
        return CC_ERR_ARG;
    for (size_t i = 0; i < n; i++)
        outlen[i] = (uint8_t)cc_der_sig_put(out + 72 * i, r + 32 * i, s + 32 * i);
    return CC_OK;
}
