"""pixelmatch, both generations, vectorised: the exact pixel counts and diff images of
mapbox/pixelmatch 8.0.0 (OKLab HyAB, the default) and 7.2.0 (``metric="yiq"``).

Options (as in pixelmatch; JavaScript names in brackets):

- ``threshold`` (threshold) 0.1: oklab: the largest HyAB distance (black-white = 1.0) still
  called equal; yiq: 7.2.0's ``35215 * t * t`` squared YIQ distance.
- ``include_aa`` (includeAA) False: count anti-aliased pixels instead of ignoring them.
- ``checkerboard`` (checkerboard) True: blend semi-transparent pixels on pixelmatch's pseudo
  checkerboard before comparing; False blends them on white.
- ``window_size`` (windowSize) None: also report the largest count in any N x N window.
- ``ignore`` (ignoreMask): a bool mask (H, W) or a list of ``Box``; those pixels count nowhere
  and are drawn as unchanged.
- ``output``: also draw pixelmatch's diff image with ``alpha``, ``aa_color``, ``diff_color``,
  ``diff_color_alt`` (img2 darker) and ``diff_mask`` (transparent background).

Written here rather than taken from a peer: no Python package reproduces 8.0.0 (blazediff,
odiff and pixelmatch-fast follow 7.x or their own metric), and numpy lets us do colour and
anti-alias work only on the pixels whose 32-bit words differ (found with libc's memcmp over
256 KiB steps, numpy where ctypes cannot reach it). Exactness needs V8's own
``Math.cbrt`` and ``Math.pow`` (fdlibm), which differ from libm in the last bit for some
inputs, so both are reproduced below for the values pixelmatch 8 feeds them.

The same algorithm is compiled in ``_kernel.c`` (built on install; one pass in C instead of
~100 numpy calls, 3-10x faster): ``pixelmatch`` uses it when it is built (``KERNEL`` says
which) and the numpy code here otherwise. Both give identical counts and images (the tests
run every oracle case through both).
"""

from __future__ import annotations

import struct
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

import numpy as np

from uireview.boxes import Box

try:
    from uireview.compare import _kernel as _compiled
except ImportError:  # not built (no C compiler where it was installed): numpy does the work
    _compiled = None  # type: ignore[assignment]

Metric = Literal["oklab", "yiq"]
RGB = tuple[int, int, int]

__all__ = ["KERNEL", "MatchResult", "Metric", "changed_pixels", "ignore_mask", "pixelmatch"]

# Which kernel ``pixelmatch`` runs: "compiled" (_kernel.c) or "numpy" (this file).
KERNEL: Literal["compiled", "numpy"] = "numpy" if _compiled is None else "compiled"


@dataclass(frozen=True)
class MatchResult:
    """What pixelmatch reports, plus where: flat indices (y * width + x) of counted pixels."""

    mismatch_pixels: int
    window_pixels: int | None
    diff_image: np.ndarray | None
    width: int
    height: int
    # Counted pixels, and whether the second image is darker there (pixelmatch's "alt" colour).
    diff_index: np.ndarray = field(repr=False)
    diff_darker: np.ndarray = field(repr=False)
    # Pixels over the threshold that were excused as anti-aliasing.
    aa_index: np.ndarray = field(repr=False)
    # Every pixel whose 32-bit words differ, ignored areas included (sorted flat indices):
    # shift alignment reuses it instead of scanning both frames again.
    raw_changed: np.ndarray | None = field(repr=False, default=None)


# --- V8's fdlibm cbrt and pow, reproduced bit for bit ---------------------------------------

_CBRT_B1 = np.uint32(715094163)
_CBRT_P = (
    1.87595182427177009643,
    -1.88497979543377169875,
    1.621429720105354466140,
    -0.758397934778766047437,
    0.145996192886612446982,
)


def _v8_cbrt(x: np.ndarray) -> np.ndarray:
    """Math.cbrt of node 20 (fdlibm s_cbrt.c) for non-negative normal doubles and zero."""
    x = np.asarray(x, dtype=np.float64)
    p0, p1, p2, p3, p4 = _CBRT_P
    hx = (x.view(np.uint64) >> np.uint64(32)).astype(np.uint32)
    t = ((hx // np.uint32(3) + _CBRT_B1).astype(np.uint64) << np.uint64(32)).view(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (t * t) * (t / x)
        t = t * ((p0 + r * (p1 + r * p2)) + ((r * r) * r) * (p3 + r * p4))
        t = ((t.view(np.uint64) + np.uint64(0x80000000)) & np.uint64(0xFFFFFFFFC0000000)).view(
            np.float64
        )
        s = t * t
        r = x / s
        w = t + t
        r = (r - t) / (w + r)
        t = t + t * r
    return np.where(x == 0, 0.0, t)


def _bits(d: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", d))[0]


def _double(b: int) -> float:
    return struct.unpack("<d", struct.pack("<Q", b & 0xFFFFFFFFFFFFFFFF))[0]


def _clear_low(d: float) -> float:
    return _double(_bits(d) & 0xFFFFFFFF00000000)


def _with_high(d: float, high: int) -> float:
    return _double(((high & 0xFFFFFFFF) << 32) | (_bits(d) & 0xFFFFFFFF))


def _v8_pow(x: float, y: float) -> float:
    """V8's legacy fdlibm ``x ** y`` for positive normal x and a finite non-integer |y| < 2**31."""
    bp = (1.0, 1.5)
    dp_h, dp_l = (0.0, 5.84962487220764160156e-01), (0.0, 1.35003920212974897128e-08)
    l1, l2, l3 = 5.99999999999994648725e-01, 4.28571428578550184252e-01, 3.33333329818377432918e-01
    l4, l5, l6 = 2.72728123808534006489e-01, 2.30660745775561754067e-01, 2.06975017800338417784e-01
    q1, q2, q3 = 1.66666666666666019037e-01, -2.77777777770155933842e-03, 6.61375632143793436117e-05
    q4, q5 = -1.65339022054652515390e-06, 4.13813679705723846039e-08
    lg2, lg2_h = 6.93147180559945286227e-01, 6.93147182464599609375e-01
    lg2_l = -1.90465429995776804525e-09
    cp, cp_h = 9.61796693925975554329e-01, 9.61796700954437255859e-01
    cp_l = -7.02846165095275826516e-09

    # log2(x) in two pieces t1 + t2
    ix = _bits(x) >> 32
    n = (ix >> 20) - 0x3FF
    j = ix & 0x000FFFFF
    ix = j | 0x3FF00000
    if j <= 0x3988E:
        k = 0
    elif j < 0xBB67A:
        k = 1
    else:
        k, n, ix = 0, n + 1, ix - 0x00100000
    ax = _with_high(x, ix)
    u = ax - bp[k]
    v = 1.0 / (ax + bp[k])
    ss = u * v
    s_h = _clear_low(ss)
    t_h = _double(((((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18)) & 0xFFFFFFFF) << 32)
    t_l = ax - (t_h - bp[k])
    s_l = v * ((u - s_h * t_h) - s_h * t_l)
    s2 = ss * ss
    r = s2 * s2 * (l1 + s2 * (l2 + s2 * (l3 + s2 * (l4 + s2 * (l5 + s2 * l6)))))
    r += s_l * (s_h + ss)
    s2 = s_h * s_h
    t_h = _clear_low(3.0 + s2 + r)
    t_l = r - ((t_h - 3.0) - s2)
    u = s_h * t_h
    v = s_l * t_h + t_l * ss
    p_h = _clear_low(u + v)
    p_l = v - (p_h - u)
    z_h = cp_h * p_h
    z_l = cp_l * p_h + p_l * cp + dp_l[k]
    t = float(n)
    t1 = _clear_low(((z_h + z_l) + dp_h[k]) + t)
    t2 = z_l - (((t1 - t) - dp_h[k]) - z_h)

    # y * log2(x) = p_h + p_l, then 2 ** that
    y1 = _clear_low(y)
    p_l = (y - y1) * t1 + y * t2
    p_h = y1 * t1
    z = p_l + p_h
    j = _bits(z) >> 32
    if j >= 0x80000000:
        j -= 1 << 32
    i = j & 0x7FFFFFFF
    k = (i >> 20) - 0x3FF
    n = 0
    if i > 0x3FE00000:
        n = j + (0x00100000 >> (k + 1))
        k = ((n & 0x7FFFFFFF) >> 20) - 0x3FF
        t = _double(((n & ~(0x000FFFFF >> k)) & 0xFFFFFFFF) << 32)
        n = ((n & 0x000FFFFF) | 0x00100000) >> (20 - k)
        if j < 0:
            n = -n
        p_h -= t
    t = _clear_low(p_l + p_h)
    u = t * lg2_h
    v = (p_l - (t - p_h)) * lg2 + t * lg2_l
    z = u + v
    w = v - (z - u)
    t = z * z
    t1 = z - t * (q1 + t * (q2 + t * (q3 + t * (q4 + t * q5))))
    r = (z * t1) / ((t1 - 2.0) - (w + z * w))
    z = 1.0 - (r - z)
    return _with_high(z, (_bits(z) >> 32) + (n << 20))


# --- pixelmatch 8.0.0 tables (same construction as its index.js) -----------------------------


def _srgb_to_linear(i: int) -> float:
    c = i / 255
    return c / 12.92 if c <= 0.04045 else _v8_pow((c + 0.055) / 1.055, 2.4)


_CBRT_N = 4096
_CBRT_EXACT = 8


@cache
def _tables() -> tuple[np.ndarray, np.ndarray]:
    """The sRGB-to-linear table (a padding entry for interpolation) and the cube-root table.

    Made on first use: the pure-Python pow costs ~10 ms, and a process using the compiled
    kernel (which makes its own, equal bit for bit) never needs them.
    """
    lin = np.array([_srgb_to_linear(i) for i in range(256)] + [0.0])
    lin[256] = lin[255]
    return lin, _v8_cbrt(np.arange(_CBRT_N + 2) / _CBRT_N)


_LMS = (
    (0.4122214708, 0.5363325363, 0.0514459929),
    (0.2119034982, 0.6806995451, 0.1073969566),
    (0.0883024619, 0.2817188376, 0.6299787005),
)
_TOE_K1 = 0.206
_TOE_K2 = 0.03
_TOE_K3 = (1 + _TOE_K1) / (1 + _TOE_K2)
_TOE_4K2K3 = 4 * _TOE_K2 * _TOE_K3

# YIQ / luma weights shared by both generations
_YR, _YG, _YB = 0.29889531, 0.58662247, 0.11448223


def _cbrt_lut(x: np.ndarray) -> np.ndarray:
    table = _tables()[1]
    t = x * _CBRT_N
    i = t.astype(np.int64)
    i1 = np.minimum(i, _CBRT_N)
    out = table[i1] + (table[i1 + 1] - table[i1]) * (t - i1)
    small = i < _CBRT_EXACT
    if small.any():
        out[small] = _v8_cbrt(x[small])
    return out


def _oklab_parts(lr: np.ndarray, lg: np.ndarray, lb: np.ndarray):
    """Cube-rooted LMS and toe-corrected lightness from linear RGB, as pixelmatch 8 does."""
    (a0, a1, a2), (b0, b1, b2), (c0, c1, c2) = _LMS
    n = len(lr)
    lms = np.concatenate(
        [a0 * lr + a1 * lg + a2 * lb, b0 * lr + b1 * lg + b2 * lb, c0 * lr + c1 * lg + c2 * lb]
    )
    lms = _cbrt_lut(lms)
    l_, m_, s_ = lms[:n], lms[n : 2 * n], lms[2 * n :]
    big_l = 0.2104542553 * l_ + 0.7936177850 * m_ - 0.0040720468 * s_
    x = _TOE_K3 * big_l - _TOE_K1
    lightness = 0.5 * (x + np.sqrt(x * x + _TOE_4K2K3 * big_l))
    return l_, m_, s_, lightness


def _lin_lut(x: np.ndarray) -> np.ndarray:
    lin = _tables()[0]
    i = x.astype(np.int64)
    return lin[i] + (lin[i + 1] - lin[i]) * (x - i)


def _checkerboard_v8(index: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    h = index.astype(np.uint32) * np.uint32(0x9E3779B1)
    rb = 48 + 159 * (h >> np.uint32(31)).astype(np.int64)
    gb = 48 + 159 * ((h >> np.uint32(30)) & np.uint32(1)).astype(np.int64)
    bb = 48 + 159 * ((h >> np.uint32(29)) & np.uint32(1)).astype(np.int64)
    return rb, gb, bb


def _checkerboard_v7(k: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """7.2.0's background from a byte offset k (always a multiple of 4 there)."""
    rb = 48 + 159 * (k % 2)
    gb = 48 + 159 * (np.trunc(k / 1.618033988749895).astype(np.int64) % 2)
    bb = 48 + 159 * (np.trunc(k / 2.618033988749895).astype(np.int64) % 2)
    return rb, gb, bb


def _delta_oklab(p1, p2, index, checkerboard: bool, threshold: float):
    """Over-threshold flags and 'img2 darker' flags for pixel pairs (pixelmatch 8.0.0)."""
    # both images' pixels in one stack: each step below runs once, on twice the pixels
    n = len(p1)
    lin_table = _tables()[0]
    p = np.concatenate([p1, p2])
    opaque = p[:, 3] == 255
    if opaque.all():
        lin = [lin_table[p[:, k]] for k in range(3)]
    else:
        lin = [np.empty(2 * n) for _ in range(3)]
        for k, dst in enumerate(lin):
            dst[opaque] = lin_table[p[opaque, k]]
        # an opaque pixel blends to itself, so blending per pixel equals pixelmatch's per pair
        t = ~opaque
        bg = _checkerboard_v8(np.concatenate([index, index])[t]) if checkerboard else (255,) * 3
        alpha = p[t, 3].astype(np.int64)
        for k, dst in enumerate(lin):
            blended = (p[t, k].astype(np.int64) * alpha + bg[k] * (255 - alpha)) / 255
            dst[t] = _lin_lut(blended)
    l_, m_, s_, lightness = _oklab_parts(*lin)
    d_lr = lightness[:n] - lightness[n:]
    dl, dm, ds = l_[:n] - l_[n:], m_[:n] - m_[n:], s_[:n] - s_[n:]
    rest = threshold - np.abs(d_lr)
    da = 1.9779984951 * dl - 2.4285922050 * dm + 0.4505937099 * ds
    db = 0.0259040371 * dl + 0.7827717662 * dm - 0.8086757660 * ds
    within = (rest >= 0) & (da * da + db * db <= rest * rest)
    return ~within, d_lr > 0


def _delta_yiq(p1, p2, index, checkerboard: bool, threshold: float):
    """Over-threshold flags and 'img2 darker' flags for pixel pairs (pixelmatch 7.2.0)."""
    r1, g1, b1, a1 = (p1[:, c].astype(np.int64) for c in range(4))
    r2, g2, b2, a2 = (p2[:, c].astype(np.int64) for c in range(4))
    dr = (r1 - r2).astype(np.float64)
    dg = (g1 - g2).astype(np.float64)
    db = (b1 - b2).astype(np.float64)
    t = (a1 < 255) | (a2 < 255)
    if t.any():
        da = a1[t] - a2[t]
        rb: np.ndarray | int
        gb: np.ndarray | int
        bb: np.ndarray | int
        if checkerboard:
            rb, gb, bb = _checkerboard_v7(index[t] * 4)
        else:
            rb = gb = bb = 255
        dr[t] = (r1[t] * a1[t] - r2[t] * a2[t] - rb * da) / 255
        dg[t] = (g1[t] * a1[t] - g2[t] * a2[t] - gb * da) / 255
        db[t] = (b1[t] * a1[t] - b2[t] * a2[t] - bb * da) / 255
    y = dr * _YR + dg * _YG + db * _YB
    i = dr * 0.59597799 - dg * 0.27417610 - db * 0.32180189
    q = dr * 0.21147017 - dg * 0.52261711 + db * 0.31114694
    delta = 0.5053 * y * y + 0.299 * i * i + 0.1957 * q * q
    max_delta = 35215 * threshold * threshold
    return delta > max_delta, y > 0


def _delta(delta_fn, a32, b32, index, checkerboard: bool, threshold: float):
    """Run a colour delta once per run of equal opaque colour pairs (UIs repeat colours a lot).

    Translucent pixels depend on their position (checkerboard), so they are done one by one.
    """
    c1, c2 = a32.take(index), b32.take(index)
    opaque = np.uint32(0xFF000000)  # alpha is the high byte of a little-endian RGBA word
    translucent = (c1 < opaque) | (c2 < opaque)
    # a pixel needs its own computation if translucent or if its pair differs from the previous
    own = translucent.copy()
    own[0] = True
    own[1:] |= (c1[1:] != c1[:-1]) | (c2[1:] != c2[:-1])
    rows = np.flatnonzero(own)
    p1 = c1[rows].view(np.uint8).reshape(-1, 4)
    p2 = c2[rows].view(np.uint8).reshape(-1, 4)
    r_over, r_darker = delta_fn(p1, p2, index[rows], checkerboard, threshold)
    if len(rows) == len(index):
        return r_over, r_darker
    # every other pixel repeats the result of the last computed one before it
    runs = np.diff(rows, append=len(index))
    return np.repeat(r_over, runs), np.repeat(r_darker, runs)


# --- anti-aliasing detector (Vysniauskas 2009, as pixelmatch implements it) -------------------

# Neighbour order of pixelmatch's loops (x outer, y inner); ties keep the first found.
_NEIGHBOURS = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1) if (dx, dy) != (0, 0)]


_DX = np.array([d[0] for d in _NEIGHBOURS])
_DY = np.array([d[1] for d in _NEIGHBOURS])


def _neighbourhood(index: np.ndarray, width: int, height: int):
    """Flat indices (clipped) and validity of the 8 neighbours, plus pixelmatch's edge bonus.

    Validity and bonus are the scalars True and 0 when no pixel is on the image's edge.
    """
    ys = index // width
    xs = index - ys * width
    on_edge = (xs == 0) | (xs == width - 1) | (ys == 0) | (ys == height - 1)
    if not on_edge.any():
        return index[:, None] + _offsets(width), True, 0
    nx = xs[:, None] + _DX
    ny = ys[:, None] + _DY
    valid = (nx >= 0) & (nx < width) & (ny >= 0) & (ny < height)
    idx = np.clip(ny, 0, height - 1) * width + np.clip(nx, 0, width - 1)
    return idx, valid, on_edge.astype(np.int64)


def _many_siblings(img32, other32, idx: np.ndarray, width: int, height: int) -> np.ndarray:
    """pixelmatch's hasManySiblings in both images at once (it asks both of the same pixel)."""
    nidx, valid, edge = _neighbourhood(idx, width, height)
    same = (img32.take(nidx) == img32.take(idx)[:, None]) & valid
    other = (other32.take(nidx) == other32.take(idx)[:, None]) & valid
    return (_count8(same) + edge > 2) & (_count8(other) + edge > 2)


def _count8(flags: np.ndarray) -> np.ndarray:
    """True values per row of an (M, 8) bool array: its rows are 8 bytes of 0 or 1."""
    return np.bitwise_count(np.ascontiguousarray(flags).view(np.uint64)).ravel()


def _antialiased(a32, b32, index, width, height, version: int, checkerboard: bool):
    """pixelmatch's antialiased(img1, ...) || antialiased(img2, ...) for many pixels at once."""
    # Cheap pass first: identical neighbours have delta 0, and more than two equal neighbours
    # (with the edge bonus) rule anti-aliasing out; most pixels of a changed area stop here.
    xs = index - (index // width) * width  # a multiply is cheaper than numpy's int modulo
    interior = (xs > 0) & (xs < width - 1) & (index >= width) & (index < (height - 1) * width)
    inner = np.flatnonzero(interior)
    at_inner = index[inner]
    rows, in_a = [], []
    for img32 in (a32, b32):
        at = at_inner
        centre = img32.take(at)
        # the four side neighbours first, then the four corners for pixels still in doubt
        same = np.equal(img32.take(at - 1), centre).view(np.uint8)
        for off in (1, -width, width):
            same += np.equal(img32.take(at + off), centre)
        doubt = np.flatnonzero(same < 3)
        maybe = ~interior
        if len(doubt):
            at, same, centre = at[doubt], same[doubt], centre[doubt]
            for off in (-width - 1, -width + 1, width - 1, width + 1):
                same += np.equal(img32.take(at + off), centre)
            maybe[inner[doubt[same <= 2]]] = True
        rows.append(np.flatnonzero(maybe))
        in_a.append(np.full(len(rows[-1]), img32 is a32))
    # the rest in one go for both images: the work there is mostly per numpy call
    at_rows, rows_in_a = np.concatenate(rows), np.concatenate(in_a)
    result = np.zeros(len(index), dtype=bool)
    if len(at_rows):
        aa = _antialiased_full(
            a32, b32, index[at_rows], rows_in_a, width, height, version, checkerboard
        )
        result[at_rows[aa]] = True
    return result


def _offsets(width: int) -> np.ndarray:
    return np.array([dy * width + dx for dx, dy in _NEIGHBOURS], dtype=np.int64)


def _antialiased_full(a32, b32, index, in_a, width, height, version: int, checkerboard):
    """The full test for centre pixels of img1 (where in_a) or img2."""
    nidx, valid, edge = _neighbourhood(index, width, height)
    # (M, 8) neighbour words; identical neighbours come out with delta 0 below
    words = np.where(in_a[:, None], a32.take(nidx), b32.take(nidx))
    centre = np.where(in_a, a32.take(index), b32.take(index))
    n = words.view(np.uint8).reshape(nidx.shape + (4,))
    c = centre.view(np.uint8).reshape(-1, 1, 4)
    d = c.astype(np.int16) - n  # (M, 8, 4)
    # int16 times a float computes in float64: the same values as converting first
    delta = d[..., 0] * _YR + d[..., 1] * _YG + d[..., 2] * _YB
    opaque = np.uint32(0xFF000000)  # alpha is the high byte of a little-endian RGBA word
    translucent = (words < opaque) | (centre < opaque)[:, None]
    if translucent.any():
        t = translucent
        if version == 7 and checkerboard:
            bg = [np.broadcast_to(v[:, None], t.shape)[t] for v in _checkerboard_v7(index * 4)]
        else:
            bg = [255, 255, 255]  # 8.0.0 always composites on white here
        cb = np.broadcast_to(c, n.shape)
        ca, na = cb[..., 3][t].astype(np.int64), n[..., 3][t].astype(np.int64)
        da_t = ca - na
        dr, dg, db = (
            (cb[..., k][t] * ca - n[..., k][t] * na - bg[k] * da_t) / 255 for k in range(3)
        )
        delta[t] = dr * _YR + dg * _YG + db * _YB
        if version == 8:
            # equal composited luma but different alpha: alpha gives the ramp direction
            da = d[..., 3]
            fix = t & (delta == 0) & (da != 0)
            delta[fix] = da[fix] / 2
    zero, lower, higher = delta == 0, delta < 0, delta > 0
    if valid is not True:
        zero &= valid
        lower &= valid
        higher &= valid
    zeroes = _count8(zero) + edge
    candidate = (zeroes <= 2) & (_count8(lower) > 0) & (_count8(higher) > 0)
    result = np.zeros(len(index), dtype=bool)
    if not candidate.any():
        return result
    rows = np.flatnonzero(candidate)
    near = delta[rows]
    min_at = nidx[rows, np.argmin(np.where(lower[rows], near, np.inf), axis=1)]
    max_at = nidx[rows, np.argmax(np.where(higher[rows], near, -np.inf), axis=1)]
    # darkest or brightest neighbour with many siblings in both images (both asked at once)
    siblings = _many_siblings(a32, b32, np.concatenate([min_at, max_at]), width, height)
    darkest, brightest = siblings[: len(rows)], siblings[len(rows) :]
    result[rows] = darkest | brightest
    return result


# --- the match --------------------------------------------------------------------------------


def ignore_mask(ignore: np.ndarray | Sequence[Box] | None, width: int, height: int):
    """A bool (height, width) mask from a mask or a list of half-open boxes; None if nothing."""
    if ignore is None:
        return None
    if isinstance(ignore, np.ndarray):
        if ignore.shape != (height, width):
            raise ValueError(f"ignore mask is {ignore.shape}, expected {(height, width)}")
        return ignore.astype(bool, copy=False)
    mask = np.zeros((height, width), dtype=bool)
    for box in ignore:
        x0, y0, x1, y1 = Box(*box).clamp(width, height)
        mask[y0:y1, x0:x1] = True
    return mask


def _as_rgba(img: np.ndarray, name: str) -> np.ndarray:
    img = np.asarray(img)
    if img.dtype != np.uint8 or img.ndim != 3 or img.shape[2] not in (3, 4):
        raise ValueError(f"{name} must be a uint8 array of shape (height, width, 4)")
    if img.shape[2] == 3:
        img = np.concatenate([img, np.full(img.shape[:2] + (1,), 255, np.uint8)], axis=2)
    return np.ascontiguousarray(img)


_CHUNK = 1 << 16  # pixels per comparison step (256 KiB of each image)


@cache
def _memcmp():
    """libc's memcmp, or None where ctypes cannot reach it."""
    try:
        import ctypes

        lib = ctypes.cdll.msvcrt if sys.platform == "win32" else ctypes.CDLL(None)
        memcmp = lib.memcmp
    except (ImportError, OSError, AttributeError, TypeError):
        return None
    memcmp.restype = ctypes.c_int
    memcmp.argtypes = (ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t)
    return memcmp


def changed_pixels(a32: np.ndarray, b32: np.ndarray) -> np.ndarray:
    """Flat indices where the 32-bit pixels of two C-contiguous images differ.

    By hand because numpy has no "are these equal" that neither allocates nor writes: steps
    of 256 KiB are first checked with libc's memcmp (vectorised, no output, about twice as fast
    as `!=` over a frame, which is memory-bound), and only differing steps are compared
    pixel by pixel, into a buffer that stays in cache.
    """
    n = len(a32)
    contiguous = a32.flags.c_contiguous and b32.flags.c_contiguous
    memcmp = _memcmp() if n > _CHUNK and contiguous else None
    if memcmp is None:
        return np.flatnonzero(a32 != b32)
    pa, pb = a32.ctypes.data, b32.ctypes.data
    buf = np.empty(_CHUNK, dtype=bool)
    parts = []
    for start in range(0, n, _CHUNK):
        stop = min(start + _CHUNK, n)
        if memcmp(pa + 4 * start, pb + 4 * start, 4 * (stop - start)) == 0:
            continue
        ne = np.not_equal(a32[start:stop], b32[start:stop], out=buf[: stop - start])
        parts.append(np.flatnonzero(ne) + start)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _window_max(index: np.ndarray, width: int, height: int, window_size: float) -> int:
    """The largest number of counted pixels in any n x n window inside the image."""
    if not len(index):
        return 0
    n = _window_n(window_size, width, height)
    ys, xs = index // width, index % width
    # Only windows touching the changed pixels' bounding box can hold any of them.
    top0, top1 = max(0, int(ys.min()) - n + 1), min(height - n, int(ys.max()))
    left0, left1 = max(0, int(xs.min()) - n + 1), min(width - n, int(xs.max()))
    rows, cols = top1 - top0 + n + 1, left1 - left0 + n + 1
    keep = (ys >= top0) & (ys < top1 + n) & (xs >= left0) & (xs < left1 + n)
    flat = (ys[keep] - top0 + 1) * cols + (xs[keep] - left0 + 1)
    grid = np.bincount(flat, minlength=rows * cols).reshape(rows, cols)
    integral = grid.cumsum(0).cumsum(1)
    sums = integral[n:, n:] - integral[:-n, n:] - integral[n:, :-n] + integral[:-n, :-n]
    return int(sums.max())


def _word(r: int, g: int, b: int, a: int) -> np.uint32:
    """An RGBA pixel as the 32-bit word its bytes make in memory (any byte order)."""
    return np.array([r, g, b, a], dtype=np.uint8).view(np.uint32)[0]


def _gray(img: np.ndarray, alpha: float) -> np.ndarray:
    """pixelmatch's drawGrayPixel: luma faded towards white, stored as Uint8Array does.

    Computed once per run of one colour along the flat image and repeated: a screenshot's
    runs are long, and the float64 work on every pixel of a 4K frame cost ~200 ms.
    """
    words = np.ascontiguousarray(img).view(np.uint32).ravel()
    starts = np.flatnonzero(np.r_[True, words[1:] != words[:-1]])
    f = img[starts].astype(np.float64)
    luma = f[..., 0] * _YR + f[..., 1] * _YG + f[..., 2] * _YB
    val = 255 + (luma - 255) * alpha * f[..., 3] / 255
    grey = (np.trunc(val).astype(np.int64) % 256).astype(np.uint8)
    return np.repeat(grey, np.diff(starts, append=len(words)))


def pixelmatch(
    img1: np.ndarray,
    img2: np.ndarray,
    *,
    threshold: float = 0.1,
    include_aa: bool = False,
    metric: Metric = "oklab",
    checkerboard: bool = True,
    alpha: float = 0.1,
    aa_color: RGB = (255, 255, 0),
    diff_color: RGB = (255, 0, 0),
    diff_color_alt: RGB | None = None,
    diff_mask: bool = False,
    window_size: float | None = None,
    ignore: np.ndarray | Sequence[Box] | None = None,
    output: bool = False,
) -> MatchResult:
    """Compare two equally sized RGBA images exactly as pixelmatch 8.0.0 (or 7.2.0 with yiq)."""
    if metric not in ("oklab", "yiq"):
        raise ValueError(f"metric must be 'oklab' or 'yiq', not {metric!r}")
    a = _as_rgba(img1, "img1")
    b = _as_rgba(img2, "img2")
    if a.shape != b.shape:
        sizes = f"{a.shape[1]}x{a.shape[0]} vs {b.shape[1]}x{b.shape[0]}"
        raise ValueError(f"image sizes differ: {sizes}")
    height, width = a.shape[:2]
    mask = ignore_mask(ignore, width, height)
    options = _Options(
        metric, threshold, include_aa, checkerboard, alpha, aa_color, diff_color,
        diff_color if diff_color_alt is None else diff_color_alt, diff_mask, window_size, output,
    )  # fmt: skip
    run = _match_numpy if _compiled is None else _match_compiled
    return run(a, b, mask, options)


@dataclass(frozen=True)
class _Options:
    """pixelmatch's options as both kernels take them (the alternative colour resolved)."""

    metric: Metric
    threshold: float
    include_aa: bool
    checkerboard: bool
    alpha: float
    aa_color: RGB
    diff_color: RGB
    diff_color_alt: RGB
    diff_mask: bool
    window_size: float | None
    output: bool


def _window_n(window_size: float, width: int, height: int) -> int:
    """The side of pixelmatch's window: windowSize floored, within 1 and the image's sides."""
    return int(min(max(np.floor(window_size), 1), width, height))


def _rgb(colour: Sequence[int]) -> RGB:
    return int(colour[0]), int(colour[1]), int(colour[2])


def _match_compiled(a: np.ndarray, b: np.ndarray, mask: np.ndarray | None, o: _Options):
    """The match in _kernel.c: the same steps as _match_numpy, in one call."""
    assert _compiled is not None
    height, width = a.shape[:2]
    window_n = 0 if o.window_size is None else _window_n(o.window_size, width, height)
    image = np.empty((height, width, 4), np.uint8) if o.output else None
    count, window, raw, index, darker, aa = _compiled.match(
        a, b, width, height,
        None if mask is None else np.ascontiguousarray(mask, dtype=bool),
        o.metric == "oklab", float(o.threshold), bool(o.include_aa), bool(o.checkerboard),
        window_n, image, float(o.alpha),
        _rgb(o.aa_color), _rgb(o.diff_color), _rgb(o.diff_color_alt), bool(o.diff_mask),
    )  # fmt: skip
    return MatchResult(
        mismatch_pixels=count,
        window_pixels=window,
        diff_image=image,
        width=width,
        height=height,
        diff_index=np.frombuffer(index, np.int64),
        diff_darker=np.frombuffer(darker, bool),
        aa_index=np.frombuffer(aa, np.int64),
        raw_changed=np.frombuffer(raw, np.int64),
    )


def _match_numpy(a: np.ndarray, b: np.ndarray, mask: np.ndarray | None, o: _Options):
    """The match in numpy: the reference, and the kernel where _kernel.c is not built."""
    metric, threshold, checkerboard, alpha = o.metric, o.threshold, o.checkerboard, o.alpha
    height, width = a.shape[:2]
    flat_a = a.reshape(-1, 4)
    flat_b = b.reshape(-1, 4)
    a32 = flat_a.view(np.uint32).ravel()
    b32 = flat_b.view(np.uint32).ravel()

    changed = raw_changed = changed_pixels(a32, b32)
    if mask is not None and len(changed):
        changed = changed[~mask.ravel()[changed]]

    delta_fn = _delta_oklab if metric == "oklab" else _delta_yiq
    if len(changed):
        over, darker = _delta(delta_fn, a32, b32, changed, checkerboard, threshold)
        over_index, over_darker = changed[over], darker[over]
    else:
        over_index = changed
        over_darker = np.zeros(0, dtype=bool)

    is_aa = np.zeros(len(over_index), dtype=bool)
    if not o.include_aa and len(over_index):
        version = 8 if metric == "oklab" else 7
        is_aa = _antialiased(a32, b32, over_index, width, height, version, checkerboard)
    diff_index = over_index[~is_aa]
    diff_darker = over_darker[~is_aa]
    aa_index = over_index[is_aa]

    window = None
    if o.window_size is not None:
        window = _window_max(diff_index, width, height, o.window_size)

    image = None
    if o.output:
        # drawn as 32-bit words: one write per pixel instead of four strided byte writes
        if o.diff_mask:
            words = np.zeros(height * width, dtype=np.uint32)
        else:
            grey = _word(1, 1, 1, 0) * _gray(flat_a, alpha).astype(np.uint32)
            words = np.bitwise_or(grey, _word(0, 0, 0, 255), out=grey)
            words[aa_index] = _word(*o.aa_color, 255)
        words[diff_index[~diff_darker]] = _word(*o.diff_color, 255)
        words[diff_index[diff_darker]] = _word(*o.diff_color_alt, 255)
        image = words.view(np.uint8).reshape(height, width, 4)

    return MatchResult(
        mismatch_pixels=len(diff_index),
        window_pixels=window,
        diff_image=image,
        width=width,
        height=height,
        diff_index=diff_index,
        diff_darker=diff_darker,
        aa_index=aa_index,
        raw_changed=raw_changed,
    )
