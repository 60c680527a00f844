/* What the SM3 and SHA-256 multi-buffer bodies share: the 8 chaining words of every lane,
 * stored word-major in st (word i of lane l at st[i * LANES + l]), into vector registers a..h
 * and back. Uses the including file's V, LANES, LOADV and STOREV. Not a standalone header. */
#ifndef CC_MB_STATE_H
#define CC_MB_STATE_H

#define LOAD_STATE()                                                                     \
    V a = LOADV(st + 0 * LANES), b = LOADV(st + 1 * LANES), c = LOADV(st + 2 * LANES),    \
      d = LOADV(st + 3 * LANES), e = LOADV(st + 4 * LANES), f = LOADV(st + 5 * LANES),    \
      g = LOADV(st + 6 * LANES), h = LOADV(st + 7 * LANES)

#define STORE_STATE()                                                                    \
    do {                                                                                 \
        STOREV(st + 0 * LANES, a); STOREV(st + 1 * LANES, b);                            \
        STOREV(st + 2 * LANES, c); STOREV(st + 3 * LANES, d);                            \
        STOREV(st + 4 * LANES, e); STOREV(st + 5 * LANES, f);                            \
        STOREV(st + 6 * LANES, g); STOREV(st + 7 * LANES, h);                            \
    } while (0)

#endif
