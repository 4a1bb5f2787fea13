/* The compiled pixelmatch kernel, and the PNG unfilter step of the fast decoder.
 *
 * Why C: the numpy kernel in pixelmatch.py needs ~100 array calls per diff, whose fixed cost
 * dominates small diffs, and several passes over a 4K frame; here it is one pass over the
 * frame and a few over the changed pixels. pixelmatch.py stays the reference and the fallback
 * when this module is not built: this file follows it step for step (same doubles, same order
 * of operations), so counts and diff images are identical. Compiled with -ffp-contract=off:
 * a fused multiply-add rounds differently from V8, whose results pixelmatch 8 is.
 *
 * The algorithm is mapbox/pixelmatch's (8.0.0: OKLab HyAB; 7.2.0: YIQ), anti-aliasing detection
 * after Vysniauskas 2009 as pixelmatch implements it. The GIL is released while pixels are
 * worked on, so threads diffing different pairs run in parallel.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* --- doubles as bits (V8's fdlibm works on the high and low 32-bit words) ------------------ */

static uint64_t bits_of(double d) {
    uint64_t b;
    memcpy(&b, &d, 8);
    return b;
}

static double from_bits(uint64_t b) {
    double d;
    memcpy(&d, &b, 8);
    return d;
}

static double clear_low(double d) { return from_bits(bits_of(d) & 0xFFFFFFFF00000000ull); }

static double with_high(double d, uint32_t high) {
    return from_bits(((uint64_t)high << 32) | (bits_of(d) & 0xFFFFFFFFull));
}

/* Math.cbrt of node 20 (fdlibm s_cbrt.c), for non-negative normal doubles and zero: libm's
 * cbrt differs in the last bit for some inputs (pixelmatch.py's _v8_cbrt, the same steps). */
static double v8_cbrt(double x) {
    const double p0 = 1.87595182427177009643, p1 = -1.88497979543377169875,
                 p2 = 1.621429720105354466140, p3 = -0.758397934778766047437,
                 p4 = 0.145996192886612446982;
    if (x == 0) return 0.0;
    uint32_t hx = (uint32_t)(bits_of(x) >> 32);
    double t = from_bits((uint64_t)(hx / 3 + 715094163u) << 32);
    double r = (t * t) * (t / x);
    t = t * ((p0 + r * (p1 + r * p2)) + ((r * r) * r) * (p3 + r * p4));
    t = from_bits((bits_of(t) + 0x80000000ull) & 0xFFFFFFFFC0000000ull);
    double s = t * t;
    r = x / s;
    double w = t + t;
    r = (r - t) / (w + r);
    return t + t * r;
}

/* V8's legacy fdlibm x ** y for positive normal x and a finite non-integer |y| < 2**31
 * (pixelmatch.py's _v8_pow, the same steps): only the sRGB table below needs it. */
static double v8_pow(double x, double y) {
    static const double bp[2] = {1.0, 1.5}, dp_h[2] = {0.0, 5.84962487220764160156e-01},
                        dp_l[2] = {0.0, 1.35003920212974897128e-08};
    const double l1 = 5.99999999999994648725e-01, l2 = 4.28571428578550184252e-01,
                 l3 = 3.33333329818377432918e-01, l4 = 2.72728123808534006489e-01,
                 l5 = 2.30660745775561754067e-01, l6 = 2.06975017800338417784e-01;
    const double q1 = 1.66666666666666019037e-01, q2 = -2.77777777770155933842e-03,
                 q3 = 6.61375632143793436117e-05, q4 = -1.65339022054652515390e-06,
                 q5 = 4.13813679705723846039e-08;
    const double lg2 = 6.93147180559945286227e-01, lg2_h = 6.93147182464599609375e-01,
                 lg2_l = -1.90465429995776804525e-09;
    const double cp = 9.61796693925975554329e-01, cp_h = 9.61796700954437255859e-01,
                 cp_l = -7.02846165095275826516e-09;

    /* log2(x) in two pieces t1 + t2 */
    int32_t ix = (int32_t)(bits_of(x) >> 32);
    int32_t n = (ix >> 20) - 0x3FF;
    int32_t j = ix & 0x000FFFFF;
    int k;
    ix = j | 0x3FF00000;
    if (j <= 0x3988E) {
        k = 0;
    } else if (j < 0xBB67A) {
        k = 1;
    } else {
        k = 0;
        n += 1;
        ix -= 0x00100000;
    }
    double ax = with_high(x, (uint32_t)ix);
    double u = ax - bp[k];
    double v = 1.0 / (ax + bp[k]);
    double ss = u * v;
    double s_h = clear_low(ss);
    double t_h = from_bits((uint64_t)(((uint32_t)(ix >> 1) | 0x20000000u) + 0x00080000u +
                                      ((uint32_t)k << 18))
                           << 32);
    double t_l = ax - (t_h - bp[k]);
    double s_l = v * ((u - s_h * t_h) - s_h * t_l);
    double s2 = ss * ss;
    double r = s2 * s2 * (l1 + s2 * (l2 + s2 * (l3 + s2 * (l4 + s2 * (l5 + s2 * l6)))));
    r += s_l * (s_h + ss);
    s2 = s_h * s_h;
    t_h = clear_low(3.0 + s2 + r);
    t_l = r - ((t_h - 3.0) - s2);
    u = s_h * t_h;
    v = s_l * t_h + t_l * ss;
    double p_h = clear_low(u + v);
    double p_l = v - (p_h - u);
    double z_h = cp_h * p_h;
    double z_l = cp_l * p_h + p_l * cp + dp_l[k];
    double t = (double)n;
    double t1 = clear_low(((z_h + z_l) + dp_h[k]) + t);
    double t2 = z_l - (((t1 - t) - dp_h[k]) - z_h);

    /* y * log2(x) = p_h + p_l, then 2 ** that */
    double y1 = clear_low(y);
    p_l = (y - y1) * t1 + y * t2;
    p_h = y1 * t1;
    double z = p_l + p_h;
    int32_t jz = (int32_t)(bits_of(z) >> 32);
    int32_t i = jz & 0x7FFFFFFF;
    k = (i >> 20) - 0x3FF;
    n = 0;
    if (i > 0x3FE00000) {
        n = jz + (0x00100000 >> (k + 1));
        k = ((n & 0x7FFFFFFF) >> 20) - 0x3FF;
        t = from_bits((uint64_t)((uint32_t)n & ~(0x000FFFFFu >> k)) << 32);
        n = ((n & 0x000FFFFF) | 0x00100000) >> (20 - k);
        if (jz < 0) n = -n;
        p_h -= t;
    }
    t = clear_low(p_l + p_h);
    u = t * lg2_h;
    v = (p_l - (t - p_h)) * lg2 + t * lg2_l;
    z = u + v;
    double w = v - (z - u);
    t = z * z;
    t1 = z - t * (q1 + t * (q2 + t * (q3 + t * (q4 + t * q5))));
    r = (z * t1) / ((t1 - 2.0) - (w + z * w));
    z = 1.0 - (r - z);
    return with_high(z, (uint32_t)(bits_of(z) >> 32) + ((uint32_t)n << 20));
}

/* --- pixelmatch 8.0.0's tables --------------------------------------------------------------- */

#define CBRT_N 4096
#define CBRT_EXACT 8
static double LIN[257];           /* sRGB byte -> linear, one padding entry for interpolation */
static double CBRT[CBRT_N + 2];   /* cbrt(i / CBRT_N), interpolated between samples */

static void make_tables(void) {
    for (int i = 0; i < 256; i++) {
        double c = i / 255.0;
        LIN[i] = c <= 0.04045 ? c / 12.92 : v8_pow((c + 0.055) / 1.055, 2.4);
    }
    LIN[256] = LIN[255];
    for (int i = 0; i < CBRT_N + 2; i++) CBRT[i] = v8_cbrt((double)i / CBRT_N);
}

static double cbrt_lut(double x) {
    double t = x * CBRT_N;
    int64_t i = (int64_t)t;
    /* near zero cbrt curves too hard to interpolate: pixelmatch computes it there */
    if (i < CBRT_EXACT) return v8_cbrt(x);
    if (i > CBRT_N) i = CBRT_N; /* as pixelmatch.py clips (a sum of weights can round past 1) */
    return CBRT[i] + (CBRT[i + 1] - CBRT[i]) * (t - (double)i);
}

static double lin_lut(double x) {
    int64_t i = (int64_t)x;
    return LIN[i] + (LIN[i + 1] - LIN[i]) * (x - (double)i);
}

/* --- colour deltas ---------------------------------------------------------------------------- */

#define YR 0.29889531
#define YG 0.58662247
#define YB 0.11448223
#define TOE_K1 0.206
#define TOE_K2 0.03

typedef struct {
    double l, m, s, lr; /* cube-rooted LMS and toe-corrected lightness */
} Oklab;

static Oklab oklab(double lr, double lg, double lb) {
    const double k3 = (1 + TOE_K1) / (1 + TOE_K2), k4 = 4 * TOE_K2 * k3;
    Oklab o;
    o.l = cbrt_lut(0.4122214708 * lr + 0.5363325363 * lg + 0.0514459929 * lb);
    o.m = cbrt_lut(0.2119034982 * lr + 0.6806995451 * lg + 0.1073969566 * lb);
    o.s = cbrt_lut(0.0883024619 * lr + 0.2817188376 * lg + 0.6299787005 * lb);
    double big_l = 0.2104542553 * o.l + 0.7936177850 * o.m - 0.0040720468 * o.s;
    double x = k3 * big_l - TOE_K1;
    o.lr = 0.5 * (x + sqrt(x * x + k4 * big_l));
    return o;
}

/* Opaque colours repeat a lot in a UI: a direct-mapped cache of their OKLab values (exact: a
 * pure function of the colour). Keys are RGB + 1 so that 0 means empty. */
#define CACHE_BITS 12
typedef struct {
    uint32_t key[1 << CACHE_BITS];
    Oklab value[1 << CACHE_BITS];
} OklabCache;

static Oklab oklab_opaque(OklabCache *cache, const uint8_t *p) {
    uint32_t key = ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | p[2];
    uint32_t slot = (key * 0x9E3779B1u) >> (32 - CACHE_BITS);
    if (cache->key[slot] != key + 1) {
        cache->key[slot] = key + 1;
        cache->value[slot] = oklab(LIN[p[0]], LIN[p[1]], LIN[p[2]]);
    }
    return cache->value[slot];
}

/* One translucent pixel blended on pixelmatch 8's pseudo checkerboard (or white), to OKLab. */
static Oklab oklab_blended(const uint8_t *p, int64_t index, int checkerboard) {
    int64_t bg[3] = {255, 255, 255};
    if (p[3] == 255) return oklab(LIN[p[0]], LIN[p[1]], LIN[p[2]]);
    if (checkerboard) {
        uint32_t h = (uint32_t)index * 0x9E3779B1u;
        bg[0] = 48 + 159 * (h >> 31);
        bg[1] = 48 + 159 * ((h >> 30) & 1);
        bg[2] = 48 + 159 * ((h >> 29) & 1);
    }
    int64_t a = p[3];
    double lin[3];
    for (int c = 0; c < 3; c++) lin[c] = lin_lut((double)(p[c] * a + bg[c] * (255 - a)) / 255);
    return oklab(lin[0], lin[1], lin[2]);
}

/* pixelmatch 8.0.0: whether the HyAB distance is over the threshold; *darker: img2 darker. */
static int delta_oklab(OklabCache *cache, const uint8_t *p1, const uint8_t *p2, int64_t index,
                       int checkerboard, double threshold, int *darker) {
    Oklab o1, o2;
    if (p1[3] == 255 && p2[3] == 255) {
        o1 = oklab_opaque(cache, p1);
        o2 = oklab_opaque(cache, p2);
    } else {
        o1 = oklab_blended(p1, index, checkerboard);
        o2 = oklab_blended(p2, index, checkerboard);
    }
    double d_lr = o1.lr - o2.lr;
    double dl = o1.l - o2.l, dm = o1.m - o2.m, ds = o1.s - o2.s;
    double rest = threshold - fabs(d_lr);
    double da = 1.9779984951 * dl - 2.4285922050 * dm + 0.4505937099 * ds;
    double db = 0.0259040371 * dl + 0.7827717662 * dm - 0.8086757660 * ds;
    *darker = d_lr > 0;
    return !(rest >= 0 && da * da + db * db <= rest * rest);
}

/* 7.2.0's checkerboard from a byte offset k (a multiple of 4 there). */
static void board_v7(int64_t k, int64_t bg[3]) {
    bg[0] = 48 + 159 * (k % 2);
    bg[1] = 48 + 159 * ((int64_t)((double)k / 1.618033988749895) % 2);
    bg[2] = 48 + 159 * ((int64_t)((double)k / 2.618033988749895) % 2);
}

/* pixelmatch 7.2.0: whether the squared YIQ distance is over max_delta; *darker as above. */
static int delta_yiq(const uint8_t *p1, const uint8_t *p2, int64_t index, int checkerboard,
                     double max_delta, int *darker) {
    double dr, dg, db;
    if (p1[3] == 255 && p2[3] == 255) {
        dr = (double)(p1[0] - p2[0]);
        dg = (double)(p1[1] - p2[1]);
        db = (double)(p1[2] - p2[2]);
    } else {
        int64_t bg[3] = {255, 255, 255};
        if (checkerboard) board_v7(index * 4, bg);
        int64_t a1 = p1[3], a2 = p2[3], da = a1 - a2;
        dr = (double)(p1[0] * a1 - p2[0] * a2 - bg[0] * da) / 255;
        dg = (double)(p1[1] * a1 - p2[1] * a2 - bg[1] * da) / 255;
        db = (double)(p1[2] * a1 - p2[2] * a2 - bg[2] * da) / 255;
    }
    double y = dr * YR + dg * YG + db * YB;
    double i = dr * 0.59597799 - dg * 0.27417610 - db * 0.32180189;
    double q = dr * 0.21147017 - dg * 0.52261711 + db * 0.31114694;
    double delta = 0.5053 * y * y + 0.299 * i * i + 0.1957 * q * q;
    *darker = y > 0;
    return delta > max_delta;
}

/* --- anti-aliasing detector ---------------------------------------------------------------- */

typedef struct {
    const uint8_t *a, *b; /* the two images, RGBA */
    const uint32_t *a32, *b32;
    int64_t width, height;
    int v8, checkerboard;
} Frame;

/* Luma difference of centre c and neighbour n, as the detector of each version computes it
 * (8.0.0 blends on white and breaks a tie of luma by alpha; 7.2.0 blends on its checkerboard
 * at the centre's byte offset). */
static double brightness_delta(const Frame *f, const uint8_t *c, const uint8_t *n, int64_t centre) {
    int64_t dr = c[0] - n[0], dg = c[1] - n[1], db = c[2] - n[2], da = c[3] - n[3];
    if (!dr && !dg && !db && !da) return 0;
    if (c[3] == 255 && n[3] == 255) return (double)dr * YR + (double)dg * YG + (double)db * YB;
    int64_t bg[3] = {255, 255, 255};
    if (!f->v8 && f->checkerboard) board_v7(centre * 4, bg);
    int64_t ca = c[3], na = n[3];
    double r = (double)(c[0] * ca - n[0] * na - bg[0] * da) / 255;
    double g = (double)(c[1] * ca - n[1] * na - bg[1] * da) / 255;
    double b = (double)(c[2] * ca - n[2] * na - bg[2] * da) / 255;
    double d = r * YR + g * YG + b * YB;
    if (f->v8 && d == 0 && da) return (double)da / 2;
    return d;
}

/* pixelmatch's hasManySiblings: more than two neighbours of the same colour (an image edge
 * counts as one). */
static int many_siblings(const uint32_t *img, int64_t x1, int64_t y1, int64_t w, int64_t h) {
    int64_t x0 = x1 > 0 ? x1 - 1 : 0, y0 = y1 > 0 ? y1 - 1 : 0;
    int64_t x2 = x1 < w - 1 ? x1 + 1 : w - 1, y2 = y1 < h - 1 ? y1 + 1 : h - 1;
    uint32_t val = img[y1 * w + x1];
    int zeroes = (x1 == x0 || x1 == x2 || y1 == y0 || y1 == y2) ? 1 : 0;
    for (int64_t x = x0; x <= x2; x++) {
        for (int64_t y = y0; y <= y2; y++) {
            if (x == x1 && y == y1) continue;
            zeroes += val == img[y * w + x];
            if (zeroes > 2) return 1;
        }
    }
    return 0;
}

/* More than two of an inside pixel's eight neighbours have its colour: not anti-aliasing
 * (antialiased's own cheap pass, inlined where most changed pixels stop). */
static inline int flat(const uint32_t *p, int64_t w) {
    return (p[-w - 1] == *p) + (p[-w] == *p) + (p[-w + 1] == *p) + (p[-1] == *p) + (p[1] == *p) +
               (p[w - 1] == *p) + (p[w] == *p) + (p[w + 1] == *p) >
           2;
}

/* pixelmatch's antialiased(img, x1, y1, ...): neighbours visited x outer, y inner, so ties
 * for the darkest and brightest keep the first found, as there. */
static int antialiased(const Frame *f, const uint8_t *img, int64_t x1, int64_t y1) {
    int64_t w = f->width, h = f->height;
    int64_t x0 = x1 > 0 ? x1 - 1 : 0, y0 = y1 > 0 ? y1 - 1 : 0;
    int64_t x2 = x1 < w - 1 ? x1 + 1 : w - 1, y2 = y1 < h - 1 ? y1 + 1 : h - 1;
    int64_t centre = y1 * w + x1;
    const uint8_t *c = img + 4 * centre;
    int zeroes = (x1 == x0 || x1 == x2 || y1 == y0 || y1 == y2) ? 1 : 0;
    /* Cheap pass first (most pixels of a changed area stop here): an identical neighbour has
     * delta 0, and more than two zeroes end pixelmatch's loop with false whatever the rest. */
    const uint32_t *p = (img == f->a ? f->a32 : f->b32) + centre;
    if (!zeroes) { /* inside the frame: all eight neighbours, branch-free */
        if (flat(p, w)) return 0;
    } else {
        int same = zeroes - 1; /* the loop below counts the centre too */
        for (int64_t y = y0; y <= y2; y++)
            for (int64_t x = x0; x <= x2; x++) same += p[(y - y1) * w + (x - x1)] == *p;
        if (same > 2) return 0;
    }
    double min = 0, max = 0;
    int64_t min_x = 0, min_y = 0, max_x = 0, max_y = 0;
    for (int64_t x = x0; x <= x2; x++) {
        for (int64_t y = y0; y <= y2; y++) {
            if (x == x1 && y == y1) continue;
            double delta = brightness_delta(f, c, img + 4 * (y * w + x), centre);
            if (delta == 0) {
                if (++zeroes > 2) return 0; /* flat area: not anti-aliasing */
            } else if (delta < min) {
                min = delta;
                min_x = x;
                min_y = y;
            } else if (delta > max) {
                max = delta;
                max_x = x;
                max_y = y;
            }
        }
    }
    if (min == 0 || max == 0) return 0; /* no ramp: both a darker and a brighter neighbour */
    return (many_siblings(f->a32, min_x, min_y, w, h) && many_siblings(f->b32, min_x, min_y, w, h)) ||
           (many_siblings(f->a32, max_x, max_y, w, h) && many_siblings(f->b32, max_x, max_y, w, h));
}

/* --- growing arrays of flat indices --------------------------------------------------------- */

typedef struct {
    int64_t *v;
    Py_ssize_t n, cap;
} Indices;

static int grow(Indices *a) {
    Py_ssize_t cap = a->cap ? 2 * a->cap : 1024;
    int64_t *v = realloc(a->v, (size_t)cap * sizeof(int64_t));
    if (!v) return -1;
    a->v = v;
    a->cap = cap;
    return 0;
}

static inline int push(Indices *a, int64_t x) {
    if (a->n == a->cap && grow(a)) return -1;
    a->v[a->n++] = x;
    return 0;
}

static PyObject *as_bytearray(const void *data, Py_ssize_t nbytes) {
    PyObject *out = PyByteArray_FromStringAndSize(NULL, nbytes);
    if (out && nbytes) memcpy(PyByteArray_AS_STRING(out), data, (size_t)nbytes);
    return out;
}

/* The largest number of counted pixels in any n x n window inside the image. `index` is
 * sorted: rows enter and leave the band through two cursors, no full-frame mask needed. */
static int64_t window_max(const Indices *idx, int64_t w, int64_t h, int64_t n) {
    if (!idx->n) return 0;
    int32_t *col = calloc((size_t)w, sizeof(int32_t));
    if (!col) return -1;
    int64_t first = idx->v[0] / w, last = idx->v[idx->n - 1] / w;
    int64_t end = last + n - 1 < h - 1 ? last + n - 1 : h - 1;
    int64_t best = 0, band = 0;
    Py_ssize_t in = 0, out = 0;
    for (int64_t y = first; y <= end; y++) {
        for (; in < idx->n && idx->v[in] < (y + 1) * w; in++, band++) col[idx->v[in] % w]++;
        for (; out < idx->n && idx->v[out] < (y - n + 1) * w; out++, band--) col[idx->v[out] % w]--;
        if (y < n - 1 || band <= best) continue; /* window not yet inside, or cannot win */
        int64_t sum = 0;
        for (int64_t x = 0; x < n - 1; x++) sum += col[x];
        for (int64_t x = n - 1; x < w; x++) {
            sum += col[x];
            if (sum > best) best = sum;
            sum -= col[x - n + 1];
        }
    }
    free(col);
    return best;
}

/* --- the match ------------------------------------------------------------------------------ */

static void put(uint8_t *px, const int rgb[3]) {
    px[0] = (uint8_t)rgb[0];
    px[1] = (uint8_t)rgb[1];
    px[2] = (uint8_t)rgb[2];
    px[3] = 255;
}

/* pixelmatch's drawGrayPixel over the whole frame: luma faded towards white, stored as a
 * Uint8Array stores a double (truncated, modulo 256). A run of one colour reuses its grey. */
static void draw_gray(const uint32_t *a32, uint8_t *out, int64_t len, double alpha) {
    uint32_t last = 0, word = 0;
    for (int64_t i = 0; i < len; i++) {
        if (i == 0 || a32[i] != last) {
            const uint8_t *p = (const uint8_t *)(a32 + i);
            double luma = (double)p[0] * YR + (double)p[1] * YG + (double)p[2] * YB;
            double val = 255 + (luma - 255) * alpha * (double)p[3] / 255;
            int64_t v = (int64_t)val % 256;
            uint8_t px[4] = {0, 0, 0, 255};
            px[0] = px[1] = px[2] = (uint8_t)(v < 0 ? v + 256 : v);
            memcpy(&word, px, 4); /* one 32-bit store a pixel, in the bytes' own order */
            last = a32[i];
        }
        memcpy(out + 4 * i, &word, 4);
    }
}

#define BLOCK 256 /* pixels compared at once with memcmp (glibc's is vectorised) */

typedef struct {
    Indices raw, over, diff, aa;
    uint8_t *over_darker, *diff_darker;
    int64_t window;
} Found;

/* Everything without the GIL; returns 0, or -1 when out of memory. */
static int run_match(const Frame *f, const uint8_t *mask, int include_aa, double threshold,
                     int64_t window_n, Found *r) {
    int64_t len = f->width * f->height;
    /* pixels whose 32-bit words differ, ignored areas included (shift alignment reuses them) */
    for (int64_t start = 0; start < len; start += BLOCK) {
        int64_t stop = start + BLOCK < len ? start + BLOCK : len;
        if (!memcmp(f->a32 + start, f->b32 + start, (size_t)(stop - start) * 4)) continue;
        for (int64_t i = start; i < stop; i++)
            if (f->a32[i] != f->b32[i] && push(&r->raw, i)) return -1;
    }
    r->over_darker = malloc((size_t)r->raw.n + 1);
    r->diff_darker = malloc((size_t)r->raw.n + 1);
    if (!r->over_darker || !r->diff_darker) return -1;
    OklabCache *cache = f->v8 ? calloc(1, sizeof(OklabCache)) : NULL;
    if (f->v8 && !cache) return -1;
    double max_delta = 35215 * threshold * threshold;
    /* A changed area is often one pair of colours over and over: an opaque pair equal to the
     * previous pixel's has its result (translucent ones depend on their position). */
    uint32_t last_a = 0, last_b = 0;
    int last_over = -1, darker = 0;
    for (Py_ssize_t k = 0; k < r->raw.n; k++) {
        int64_t i = r->raw.v[k];
        if (mask && mask[i]) continue;
        int over;
        uint32_t wa = f->a32[i], wb = f->b32[i];
        if (last_over >= 0 && wa == last_a && wb == last_b) {
            over = last_over;
        } else {
            const uint8_t *p1 = f->a + 4 * i, *p2 = f->b + 4 * i;
            over = f->v8 ? delta_oklab(cache, p1, p2, i, f->checkerboard, threshold, &darker)
                         : delta_yiq(p1, p2, i, f->checkerboard, max_delta, &darker);
            int opaque = p1[3] == 255 && p2[3] == 255;
            last_over = opaque ? over : -1;
            last_a = wa;
            last_b = wb;
        }
        if (!over) continue;
        r->over_darker[r->over.n] = (uint8_t)darker;
        if (push(&r->over, i)) {
            free(cache);
            return -1;
        }
    }
    free(cache);
    int64_t y = 0, row = 0; /* indices are sorted: follow the row instead of dividing */
    for (Py_ssize_t k = 0; k < r->over.n; k++) {
        int64_t i = r->over.v[k];
        while (i >= row + f->width) {
            row += f->width;
            y++;
        }
        int64_t x = i - row;
        int inside = x > 0 && y > 0 && x < f->width - 1 && y < f->height - 1;
        int aa = 0;
        if (!include_aa) {
            aa = !(inside && flat(f->a32 + i, f->width)) && antialiased(f, f->a, x, y);
            aa = aa || (!(inside && flat(f->b32 + i, f->width)) && antialiased(f, f->b, x, y));
        }
        if (aa) {
            if (push(&r->aa, i)) return -1;
        } else {
            r->diff_darker[r->diff.n] = r->over_darker[k];
            if (push(&r->diff, i)) return -1;
        }
    }
    r->window = window_n > 0 ? window_max(&r->diff, f->width, f->height, window_n) : 0;
    return r->window < 0 ? -1 : 0;
}

static int rgb_arg(PyObject *o, int rgb[3]) {
    return PyArg_ParseTuple(o, "iii", &rgb[0], &rgb[1], &rgb[2]);
}

PyDoc_STRVAR(match_doc,
"match(a, b, width, height, mask, v8, threshold, include_aa, checkerboard, window_n,\n"
"      out, alpha, aa_rgb, diff_rgb, alt_rgb, diff_mask)\n"
"-> (mismatch, window, raw_changed, diff_index, diff_darker, aa_index)\n\n"
"a, b: RGBA bytes; mask: one byte a pixel or None; window_n: 0 for none; out: a writable\n"
"RGBA buffer for the diff image, or None. Index arrays come back as int64 bytearrays,\n"
"diff_darker as one byte a counted pixel.");

static PyObject *match(PyObject *self, PyObject *args) {
    Py_buffer a, b, mask = {0}, out = {0};
    PyObject *mask_obj, *out_obj, *aa_obj, *diff_obj, *alt_obj;
    Py_ssize_t width, height, window_n;
    int v8, include_aa, checkerboard, diff_mask;
    double threshold, alpha;
    int aa_rgb[3], diff_rgb[3], alt_rgb[3];
    if (!PyArg_ParseTuple(args, "y*y*nnOpdppnOdOOOp", &a, &b, &width, &height, &mask_obj, &v8,
                          &threshold, &include_aa, &checkerboard, &window_n, &out_obj, &alpha,
                          &aa_obj, &diff_obj, &alt_obj, &diff_mask))
        return NULL;
    PyObject *result = NULL;
    Found r = {0};
    int64_t len = (int64_t)width * height;
    if (!rgb_arg(aa_obj, aa_rgb) || !rgb_arg(diff_obj, diff_rgb) || !rgb_arg(alt_obj, alt_rgb))
        goto done;
    if (a.len != 4 * len || b.len != 4 * len) {
        PyErr_SetString(PyExc_ValueError, "image buffers do not match width x height x 4");
        goto done;
    }
    if (mask_obj != Py_None) {
        if (PyObject_GetBuffer(mask_obj, &mask, PyBUF_SIMPLE)) goto done;
        if (mask.len != len) {
            PyErr_SetString(PyExc_ValueError, "ignore mask does not match width x height");
            goto done;
        }
    }
    if (out_obj != Py_None) {
        if (PyObject_GetBuffer(out_obj, &out, PyBUF_WRITABLE)) goto done;
        if (out.len != 4 * len) {
            PyErr_SetString(PyExc_ValueError, "output buffer does not match width x height x 4");
            goto done;
        }
    }
    Frame f = {a.buf, b.buf, a.buf, b.buf, width, height, v8, checkerboard};
    int failed;
    Py_BEGIN_ALLOW_THREADS
    failed = run_match(&f, mask.buf, include_aa, threshold, window_n, &r);
    if (!failed && out.buf) {
        uint8_t *o = out.buf;
        if (diff_mask) {
            memset(o, 0, (size_t)len * 4);
        } else {
            draw_gray(f.a32, o, len, alpha);
            for (Py_ssize_t k = 0; k < r.aa.n; k++) put(o + 4 * r.aa.v[k], aa_rgb);
        }
        for (Py_ssize_t k = 0; k < r.diff.n; k++)
            put(o + 4 * r.diff.v[k], r.diff_darker[k] ? alt_rgb : diff_rgb);
    }
    Py_END_ALLOW_THREADS
    if (failed) {
        PyErr_NoMemory();
        goto done;
    }
    PyObject *window = window_n > 0 ? PyLong_FromLongLong(r.window) : Py_NewRef(Py_None);
    result = Py_BuildValue("nNNNNN", r.diff.n, window,
                           as_bytearray(r.raw.v, r.raw.n * 8), as_bytearray(r.diff.v, r.diff.n * 8),
                           as_bytearray(r.diff_darker, r.diff.n), as_bytearray(r.aa.v, r.aa.n * 8));
done:
    free(r.raw.v);
    free(r.over.v);
    free(r.diff.v);
    free(r.aa.v);
    free(r.over_darker);
    free(r.diff_darker);
    PyBuffer_Release(&a);
    PyBuffer_Release(&b);
    if (mask.obj) PyBuffer_Release(&mask);
    if (out.obj) PyBuffer_Release(&out);
    return result;
}

/* --- PNG: undo the row filters of an 8-bit RGB or RGBA image into RGBA ---------------------- */

static uint8_t paeth(int a, int b, int c) {
    int pa = abs(b - c), pb = abs(a - c), pc = abs(a + b - 2 * c);
    return (uint8_t)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
}

/* One row: dst = src (the filtered bytes) plus the filter's prediction from dst's left
 * neighbours and prev, the previous unfiltered row (zeros above the first). bpp is 3 or 4, a
 * constant in each caller so the loops specialise; restrict lets the compiler vectorise "none"
 * and "up", the filters most rows of a screenshot use. */
static inline int unfilter_row(int kind, uint8_t *restrict dst, const uint8_t *restrict src,
                               const uint8_t *restrict prev, Py_ssize_t n, int bpp) {
    Py_ssize_t i = 0;
    switch (kind) {
    case 0:
        memcpy(dst, src, (size_t)n);
        return 0;
    case 1:
        for (; i < bpp; i++) dst[i] = src[i];
        for (; i < n; i++) dst[i] = src[i] + dst[i - bpp];
        return 0;
    case 2:
        for (; i < n; i++) dst[i] = src[i] + prev[i];
        return 0;
    case 3:
        for (; i < bpp; i++) dst[i] = src[i] + (prev[i] >> 1);
        for (; i < n; i++) dst[i] = src[i] + ((dst[i - bpp] + prev[i]) >> 1);
        return 0;
    case 4:
        for (; i < bpp; i++) dst[i] = src[i] + prev[i];
        for (; i < n; i++) dst[i] = src[i] + paeth(dst[i - bpp], prev[i], prev[i - bpp]);
        return 0;
    default:
        return -1;
    }
}

/* An RGB row to RGBA with alpha 255: four bytes read and one word written a pixel (the
 * fourth byte read is the next pixel's red, replaced by the alpha). */
static void rgb_to_rgba(const uint8_t *restrict src, uint8_t *restrict dst, Py_ssize_t w) {
    Py_ssize_t x = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; x + 1 < w; x++) {
        uint32_t v;
        memcpy(&v, src + 3 * x, 4);
        v |= 0xFF000000u; /* the fourth byte in memory */
        memcpy(dst + 4 * x, &v, 4);
    }
#endif
    for (; x < w; x++) {
        dst[4 * x] = src[3 * x];
        dst[4 * x + 1] = src[3 * x + 1];
        dst[4 * x + 2] = src[3 * x + 2];
        dst[4 * x + 3] = 255;
    }
}

static int unfilter_image(const uint8_t *raw, uint8_t *out, Py_ssize_t w, Py_ssize_t h, int bpp) {
    Py_ssize_t n = w * bpp;
    uint8_t *rows = calloc(2, (size_t)n); /* RGB: this row and the previous, unfiltered */
    if (!rows) return -2;
    uint8_t *row = rows, *prev = rows + n;
    for (Py_ssize_t y = 0; y < h; y++) {
        const uint8_t *src = raw + y * (n + 1);
        if (bpp == 4) { /* RGBA rows are unfiltered where they land */
            uint8_t *dst = out + y * n;
            if (unfilter_row(src[0], dst, src + 1, y ? dst - n : prev, n, 4)) goto bad;
        } else {
            if (unfilter_row(src[0], row, src + 1, prev, n, 3)) goto bad;
            rgb_to_rgba(row, out + y * w * 4, w);
            uint8_t *t = prev;
            prev = row;
            row = t;
        }
    }
    free(rows);
    return 0;
bad:
    free(rows);
    return -1;
}

PyDoc_STRVAR(unfilter_doc,
"unfilter(raw, width, height, channels, out) -> None\n\n"
"raw: an 8-bit RGB (channels 3) or RGBA (4) PNG's inflated image data, one filter byte a\n"
"row; out: a writable buffer of width x height x 4 bytes, filled with RGBA (alpha 255 for\n"
"RGB). ValueError on an unknown filter type.");

static PyObject *unfilter(PyObject *self, PyObject *args) {
    Py_buffer raw, out;
    Py_ssize_t w, h;
    int channels;
    if (!PyArg_ParseTuple(args, "y*nniw*", &raw, &w, &h, &channels, &out)) return NULL;
    int failed = 0;
    if ((channels != 3 && channels != 4) || w <= 0 || h <= 0 || raw.len != h * (w * channels + 1) ||
        out.len != 4 * w * h) {
        PyErr_SetString(PyExc_ValueError, "unfilter: sizes do not match");
        failed = 1;
    } else {
        Py_BEGIN_ALLOW_THREADS
        failed = unfilter_image(raw.buf, out.buf, w, h, channels);
        Py_END_ALLOW_THREADS
        if (failed == -2) PyErr_NoMemory();
        if (failed == -1) PyErr_SetString(PyExc_ValueError, "unknown PNG filter type");
    }
    PyBuffer_Release(&raw);
    PyBuffer_Release(&out);
    if (failed) return NULL;
    Py_RETURN_NONE;
}

/* --- the diff image as palette PNG rows ------------------------------------------------------ */

/* Index rows (a filter byte 0, then one palette index a pixel) of an opaque image of at most
 * 256 colours; returns the colour count, or -1 when there are more or one is translucent.
 * Palette order is first appearance; a run of one colour reuses its index. */
static int palette_rows(const uint32_t *px, Py_ssize_t w, Py_ssize_t h, uint8_t *rows,
                        uint32_t colours[256]) {
    enum { SLOTS = 1024 }; /* open addressing, at most a quarter full */
    uint32_t keys[SLOTS];
    int16_t value[SLOTS];
    memset(value, -1, sizeof(value));
    int n = 0, index = 0;
    uint32_t last = 0;
    for (Py_ssize_t y = 0; y < h; y++) {
        uint8_t *row = rows + y * (w + 1);
        row[0] = 0;
        for (Py_ssize_t x = 0; x < w; x++) {
            uint32_t word = px[y * w + x];
            if (n == 0 || word != last) {
                const uint8_t *b = (const uint8_t *)&word;
                if (b[3] != 255) return -1;
                uint32_t slot = (word * 0x9E3779B1u) >> 22;
                while (value[slot] >= 0 && keys[slot] != word) slot = (slot + 1) & (SLOTS - 1);
                if (value[slot] < 0) {
                    if (n == 256) return -1;
                    keys[slot] = word;
                    value[slot] = (int16_t)n;
                    colours[n++] = word;
                }
                index = value[slot];
                last = word;
            }
            row[x + 1] = (uint8_t)index;
        }
    }
    return n;
}

PyDoc_STRVAR(palette_doc,
"palette(rgba, width, height) -> (rows, rgb) or None\n\n"
"An opaque RGBA image of at most 256 colours as PNG palette rows (filter byte 0, then an\n"
"index a pixel; bytearray) and its palette (3 bytes a colour); None otherwise.");

static PyObject *palette(PyObject *self, PyObject *args) {
    Py_buffer img;
    Py_ssize_t w, h;
    if (!PyArg_ParseTuple(args, "y*nn", &img, &w, &h)) return NULL;
    if (w <= 0 || h <= 0 || img.len != 4 * w * h) {
        PyBuffer_Release(&img);
        PyErr_SetString(PyExc_ValueError, "palette: sizes do not match");
        return NULL;
    }
    PyObject *rows = PyByteArray_FromStringAndSize(NULL, h * (w + 1));
    if (!rows) {
        PyBuffer_Release(&img);
        return NULL;
    }
    uint32_t colours[256];
    int n;
    uint8_t *out = (uint8_t *)PyByteArray_AS_STRING(rows);
    Py_BEGIN_ALLOW_THREADS
    n = palette_rows(img.buf, w, h, out, colours);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&img);
    if (n < 0) {
        Py_DECREF(rows);
        Py_RETURN_NONE;
    }
    uint8_t rgb[3 * 256];
    for (int i = 0; i < n; i++) memcpy(rgb + 3 * i, &colours[i], 3); /* R, G, B bytes */
    return Py_BuildValue("Ny#", rows, (const char *)rgb, (Py_ssize_t)(3 * n));
}

PyDoc_STRVAR(tables_doc,
"tables() -> (lin, cbrt): the sRGB-to-linear and cube-root tables as float64 bytes\n"
"(tests check them against pixelmatch.py's, bit for bit).");

static PyObject *tables(PyObject *self, PyObject *unused) {
    return Py_BuildValue("y#y#", (const char *)LIN, (Py_ssize_t)sizeof(LIN), (const char *)CBRT,
                         (Py_ssize_t)sizeof(CBRT));
}

static PyMethodDef methods[] = {
    {"match", match, METH_VARARGS, match_doc},
    {"unfilter", unfilter, METH_VARARGS, unfilter_doc},
    {"palette", palette, METH_VARARGS, palette_doc},
    {"tables", tables, METH_NOARGS, tables_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_kernel", "pixelmatch's kernel and PNG unfiltering, compiled.", -1,
    methods,
};

PyMODINIT_FUNC PyInit__kernel(void) {
    make_tables();
    return PyModule_Create(&module);
}
