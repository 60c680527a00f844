/* Replays calls of the C backend's public interface read from stdin, one a line, and prints
 * each call's status and outputs in hex, one line a call. tests/test_other_arch.py builds it
 * natively and with cross compilers for other 64-bit architectures (aarch64, riscv64, ppc64le,
 * big-endian s390x), runs those under qemu-user and compares every line with the oracles' answers
 * and the native build's: the portable C has to give the same bytes on CPUs the SIMD paths never
 * see.
 *
 * A line is an operation name and its arguments, separated by single spaces: integers in
 * decimal, byte strings in hex ("-" is an empty string, or NULL where the call takes an
 * optional pointer), offset lists as comma-separated decimals. Output: the status, then each
 * output buffer in hex. Batch sizes follow from the lengths of the byte strings.
 *
 *   cc -std=c11 -O2 -Icsrc -Icsrc/include csrc/[a-z]*.c csrc/hash/[a-z]*.c \
 *      csrc/merkle/merkle.c csrc/ec/[a-z]*.c csrc/tests/replay.c -o /tmp/replay
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chaincrypto.h"

#define MAX_ARGS 8
#define MAX_OUTS 6

typedef struct {
    uint8_t *p;
    size_t n;
    int null; /* given as "-" */
} bytes;

typedef struct {
    char *argv[MAX_ARGS];
    int argc;
    bytes out[MAX_OUTS];
    int nout;
} call;

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Argument i as bytes; a malformed one ends the program (the corpus is ours, not input). */
static bytes arg_bytes(const call *c, int i)
{
    bytes b = {NULL, 0, 0};
    const char *s = i < c->argc ? c->argv[i] : NULL;
    if (s == NULL) {
        fprintf(stderr, "replay: missing argument %d\n", i);
        exit(2);
    }
    if (strcmp(s, "-") == 0) {
        b.null = 1;
        b.p = malloc(1);
        return b;
    }
    size_t len = strlen(s);
    if (len % 2) {
        fprintf(stderr, "replay: odd hex length in argument %d\n", i);
        exit(2);
    }
    b.n = len / 2;
    b.p = malloc(b.n + 1);
    for (size_t j = 0; j < b.n; j++) {
        int hi = hexval(s[2 * j]), lo = hexval(s[2 * j + 1]);
        if (hi < 0 || lo < 0) {
            fprintf(stderr, "replay: bad hex in argument %d\n", i);
            exit(2);
        }
        b.p[j] = (uint8_t)(hi << 4 | lo);
    }
    return b;
}

static long arg_int(const call *c, int i)
{
    if (i >= c->argc) {
        fprintf(stderr, "replay: missing argument %d\n", i);
        exit(2);
    }
    return strtol(c->argv[i], NULL, 10);
}

/* Argument i as a comma-separated offset list; *count gets its length. */
static uint64_t *arg_offsets(const call *c, int i, size_t *count)
{
    if (i >= c->argc) {
        fprintf(stderr, "replay: missing argument %d\n", i);
        exit(2);
    }
    const char *s = c->argv[i];
    size_t n = 1;
    for (const char *q = s; *q; q++)
        n += *q == ',';
    uint64_t *o = malloc(n * sizeof *o);
    char *end = NULL;
    for (size_t j = 0; j < n; j++) {
        o[j] = strtoull(s, &end, 10);
        s = end + (*end == ',');
    }
    *count = n;
    return o;
}

/* A zeroed output buffer of n bytes, printed after the status in the order of these calls
 * (so never two of them in one argument list, whose order C leaves open). */
static uint8_t *out_buf(call *c, size_t n)
{
    bytes *b = &c->out[c->nout++];
    b->p = calloc(n + 1, 1);
    b->n = n;
    return b->p;
}

/* The first failing status of two calls made one after the other. */
static int first_error(int rc, int next) { return rc != CC_OK ? rc : next; }

/* One operation: its status; its outputs appended to c->out. */
static int run(call *c)
{
    const char *op = c->argv[0];
    if (strcmp(op, "hash") == 0) { /* alg msg: one shot, then in chunks of 1, 63, 64, ... */
        int alg = (int)arg_int(c, 1);
        bytes m = arg_bytes(c, 2);
        int rc = cc_hash(alg, m.p, m.n, out_buf(c, 32));
        cc_hash_ctx ctx;
        uint8_t *inc = out_buf(c, 32);
        rc = first_error(rc, cc_hash_init(&ctx, alg));
        size_t at = 0, step = 1;
        while (at < m.n) {
            size_t k = m.n - at < step ? m.n - at : step;
            rc = first_error(rc, cc_hash_update(&ctx, m.p + at, k));
            at += k;
            step = step == 1 ? 63 : step + 1;
        }
        rc = first_error(rc, cc_hash_final(&ctx, inc));
        free(m.p);
        return rc;
    }
    if (strcmp(op, "hashv") == 0) { /* alg path data offsets */
        bytes d = arg_bytes(c, 3);
        size_t k;
        uint64_t *off = arg_offsets(c, 4, &k);
        int rc = cc_hash_batch((int)arg_int(c, 1), (int)arg_int(c, 2), d.p, off, k - 1,
                               out_buf(c, 32 * (k - 1)));
        free(d.p);
        free(off);
        return rc;
    }
    if (strcmp(op, "hashf") == 0) { /* alg path len data */
        size_t len = (size_t)arg_int(c, 3);
        bytes d = arg_bytes(c, 4);
        size_t n = len ? d.n / len : 0;
        int rc = cc_hash_batch_fixed((int)arg_int(c, 1), (int)arg_int(c, 2), d.p, n, len,
                                     out_buf(c, 32 * n));
        free(d.p);
        return rc;
    }
    if (strcmp(op, "merkle") == 0) { /* scheme alg levels nodes */
        unsigned levels = (unsigned)arg_int(c, 3);
        bytes d = arg_bytes(c, 4);
        size_t n = d.n / 32, m = n;
        for (unsigned l = 0; l < levels && m > 1; l++)
            m = (m + 1) / 2;
        int32_t mutated = 0;
        int rc = cc_merkle_reduce((int)arg_int(c, 1), (int)arg_int(c, 2), CC_PATH_AUTO, d.p, n,
                                  levels, out_buf(c, 32 * m), &mutated);
        out_buf(c, 1)[0] = (uint8_t)mutated;
        free(d.p);
        return rc;
    }
    if (strcmp(op, "rfc6962") == 0) { /* alg levels data offsets */
        unsigned levels = (unsigned)arg_int(c, 2);
        bytes d = arg_bytes(c, 3);
        size_t k;
        uint64_t *off = arg_offsets(c, 4, &k);
        size_t m = k - 1;
        for (unsigned l = 0; l < levels && m > 1; l++)
            m = (m + 1) / 2;
        int rc = cc_merkle_rfc6962_reduce((int)arg_int(c, 1), CC_PATH_AUTO, d.p, off, 0, k - 1,
                                          levels, out_buf(c, 32 * m));
        free(d.p);
        free(off);
        return rc;
    }
    if (strcmp(op, "pubkey") == 0) { /* curve secrets */
        bytes sk = arg_bytes(c, 2);
        size_t n = sk.n / 32;
        uint8_t *pub = out_buf(c, 64 * n);
        int rc = cc_ec_pubkey_create_batch((int)arg_int(c, 1), sk.p, n, pub, out_buf(c, n));
        free(sk.p);
        return rc;
    }
    if (strcmp(op, "parse") == 0) { /* curve data offsets */
        bytes d = arg_bytes(c, 2);
        size_t k;
        uint64_t *off = arg_offsets(c, 3, &k);
        uint8_t *pub = out_buf(c, 64 * (k - 1));
        int rc = cc_ec_pubkey_parse_batch((int)arg_int(c, 1), d.p, off, k - 1, pub,
                                          out_buf(c, k - 1));
        free(d.p);
        free(off);
        return rc;
    }
    if (strcmp(op, "der") == 0) { /* data offsets: parse, then encode again */
        bytes d = arg_bytes(c, 1);
        size_t k;
        uint64_t *off = arg_offsets(c, 2, &k);
        size_t n = k - 1;
        uint8_t *r = out_buf(c, 32 * n), *s = out_buf(c, 32 * n), *ok = out_buf(c, n);
        uint8_t *enc = out_buf(c, 72 * n), *enc_len = out_buf(c, n);
        int rc = cc_der_sig_parse_batch(d.p, off, n, r, s, ok);
        rc = first_error(rc, cc_der_sig_encode_batch(r, s, n, enc, enc_len));
        free(d.p);
        free(off);
        return rc;
    }
    if (strcmp(op, "za") == 0) { /* pub uid */
        bytes pub = arg_bytes(c, 1), uid = arg_bytes(c, 2);
        int rc = cc_sm2_za(pub.p, uid.p, uid.n, out_buf(c, 32));
        free(pub.p);
        free(uid.p);
        return rc;
    }
    if (strcmp(op, "sign") == 0) { /* curve sk e extra|- flags */
        bytes sk = arg_bytes(c, 2), e = arg_bytes(c, 3), extra = arg_bytes(c, 4);
        int rc = cc_ec_sign((int)arg_int(c, 1), sk.p, e.p, extra.null ? NULL : extra.p,
                            (int)arg_int(c, 5), out_buf(c, 72));
        free(sk.p);
        free(e.p);
        free(extra.p);
        return rc;
    }
    if (strcmp(op, "signb") == 0) { /* curve secrets digests extras|- */
        bytes sk = arg_bytes(c, 2), e = arg_bytes(c, 3), extra = arg_bytes(c, 4);
        size_t n = sk.n / 32;
        uint8_t *r = out_buf(c, 32 * n), *s = out_buf(c, 32 * n), *v = out_buf(c, n);
        int rc = cc_ec_sign_path_batch((int)arg_int(c, 1), CC_EC_PATH_AUTO, sk.p, e.p,
                                       extra.null ? NULL : extra.p, n, r, s, v, out_buf(c, n));
        free(sk.p);
        free(e.p);
        free(extra.p);
        return rc;
    }
    if (strcmp(op, "verify") == 0) { /* curve pub e sig flags */
        bytes pub = arg_bytes(c, 2), e = arg_bytes(c, 3), sig = arg_bytes(c, 4);
        int rc = cc_ec_verify((int)arg_int(c, 1), pub.p, e.p, sig.p, sig.n, (int)arg_int(c, 5));
        free(pub.p);
        free(e.p);
        free(sig.p);
        return rc;
    }
    if (strcmp(op, "verifyb") == 0) { /* curve pubs digests rs ss flags */
        bytes pub = arg_bytes(c, 2), e = arg_bytes(c, 3), r = arg_bytes(c, 4),
              s = arg_bytes(c, 5);
        size_t n = pub.n / 64;
        int rc = cc_ec_verify_path_batch((int)arg_int(c, 1), CC_EC_PATH_AUTO, pub.p, e.p, r.p,
                                         s.p, n, (int)arg_int(c, 6), out_buf(c, n));
        free(pub.p);
        free(e.p);
        free(r.p);
        free(s.p);
        return rc;
    }
    if (strcmp(op, "recover") == 0) { /* curve e sig65 */
        bytes e = arg_bytes(c, 2), sig = arg_bytes(c, 3);
        int rc = cc_ec_recover((int)arg_int(c, 1), e.p, sig.p, out_buf(c, 64));
        free(e.p);
        free(sig.p);
        return rc;
    }
    if (strcmp(op, "recoverb") == 0) { /* curve digests rs ss recids */
        bytes e = arg_bytes(c, 2), r = arg_bytes(c, 3), s = arg_bytes(c, 4),
              v = arg_bytes(c, 5);
        size_t n = e.n / 32;
        uint8_t *pub = out_buf(c, 64 * n);
        int rc = cc_ecdsa_recover_batch((int)arg_int(c, 1), e.p, r.p, s.p, v.p, n, pub,
                                        out_buf(c, n));
        free(e.p);
        free(r.p);
        free(s.p);
        free(v.p);
        return rc;
    }
    fprintf(stderr, "replay: unknown operation %s\n", op);
    exit(2);
}

int main(void)
{
    size_t cap = 1 << 16;
    char *line = malloc(cap);
    for (;;) {
        size_t len = 0;
        int ch;
        while ((ch = getchar()) != EOF && ch != '\n') {
            if (len + 1 == cap)
                line = realloc(line, cap *= 2);
            line[len++] = (char)ch;
        }
        if (ch == EOF && len == 0)
            break;
        line[len] = '\0';
        call c = {{0}, 0, {{0}}, 0};
        for (char *tok = strtok(line, " "); tok && c.argc < MAX_ARGS; tok = strtok(NULL, " "))
            c.argv[c.argc++] = tok;
        if (c.argc == 0)
            continue;
        printf("%d", run(&c));
        for (int i = 0; i < c.nout; i++) {
            putchar(' ');
            for (size_t j = 0; j < c.out[i].n; j++)
                printf("%02x", c.out[i].p[j]);
            if (c.out[i].n == 0)
                putchar('-');
            free(c.out[i].p);
        }
        putchar('\n');
    }
    free(line);
    return 0;
}
