"""PNG files of every colour type, bit depth and option, written by hand (Pillow writes few).

Each kind is a (name, bytes) pair with random pixels, so that a decoder that gets one sample,
one palette entry or one interlace pass wrong shows it in the pixels.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

import numpy as np

# Adam7: (x start, y start, x step, y step) of each pass
_ADAM7 = (
    (0, 0, 8, 8),
    (4, 0, 8, 8),
    (0, 4, 4, 8),
    (2, 0, 4, 4),
    (0, 2, 2, 4),
    (1, 0, 2, 2),
    (0, 1, 1, 2),
)
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _pack_rows(samples: np.ndarray, depth: int) -> list[bytes]:
    """Rows of samples (h, w * channels) as PNG scanlines without the filter byte."""
    if depth == 16:
        return [row.astype(">u2").tobytes() for row in samples]
    if depth == 8:
        return [row.astype(np.uint8).tobytes() for row in samples]
    per_byte = 8 // depth
    out = []
    for row in samples:
        padded = np.zeros(-(-len(row) // per_byte) * per_byte, np.uint8)
        padded[: len(row)] = row
        groups = padded.reshape(-1, per_byte)
        shifts = np.arange(per_byte - 1, -1, -1) * depth
        out.append((groups.astype(np.uint16) << shifts).sum(axis=1).astype(np.uint8).tobytes())
    return out


def png(
    samples: np.ndarray,
    *,
    colour: int,
    depth: int = 8,
    palette: bytes | None = None,
    trns: bytes | None = None,
    extra: bytes = b"",
    interlace: bool = False,
) -> bytes:
    """A PNG of ``samples`` (h, w, channels) as given (no conversion), filter 0 on every row."""
    h, w = samples.shape[:2]
    flat = samples.reshape(h, w, -1)
    raw = b""
    if interlace:
        for x0, y0, dx, dy in _ADAM7:
            sub = flat[y0::dy, x0::dx]
            if sub.size:
                raw += b"".join(
                    b"\x00" + r for r in _pack_rows(sub.reshape(sub.shape[0], -1), depth)
                )
    else:
        raw = b"".join(b"\x00" + r for r in _pack_rows(flat.reshape(h, -1), depth))
    out = b"\x89PNG\r\n\x1a\n" + chunk(
        b"IHDR", struct.pack(">IIBBBBB", w, h, depth, colour, 0, 0, int(interlace))
    )
    out += extra
    if palette is not None:
        out += chunk(b"PLTE", palette)
    if trns is not None:
        out += chunk(b"tRNS", trns)
    return out + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def kinds(width: int = 37, height: int = 23, seed: int = 3) -> list[tuple[str, bytes]]:
    """Every colour type at every allowed depth, with and without tRNS, plain and Adam7,
    and with the ancillary chunks screenshots carry (gAMA, sRGB, cHRM, pHYs, text)."""
    rng = np.random.default_rng(seed)
    out: list[tuple[str, bytes]] = []

    def add(name: str, make: Callable[[bool], bytes]) -> None:
        out.append((name, make(False)))
        out.append((name + "-adam7", make(True)))

    for colour, depths in (
        (0, (1, 2, 4, 8, 16)),
        (2, (8, 16)),
        (3, (1, 2, 4, 8)),
        (4, (8, 16)),
        (6, (8, 16)),
    ):
        for depth in depths:
            top = (1 << depth) - 1
            ch = _CHANNELS[colour]
            if colour == 3:
                entries = 1 << depth
                s = rng.integers(0, entries, (height, width, 1))
                plte = rng.integers(0, 256, entries * 3, dtype=np.uint8).tobytes()
                alpha = rng.integers(0, 256, max(1, entries // 2), dtype=np.uint8).tobytes()
                add(
                    f"palette{depth}",
                    lambda i, s=s, d=depth, p=plte: png(
                        s, colour=3, depth=d, palette=p, interlace=i
                    ),
                )
                add(
                    f"palette{depth}-trns",
                    lambda i, s=s, d=depth, p=plte, a=alpha: png(
                        s, colour=3, depth=d, palette=p, trns=a, interlace=i
                    ),
                )
                continue
            s = rng.integers(0, top + 1, (height, width, ch))
            name = {0: "grey", 2: "rgb", 4: "grey-alpha", 6: "rgba"}[colour] + str(depth)
            add(name, lambda i, s=s, c=colour, d=depth: png(s, colour=c, depth=d, interlace=i))
            if colour in (0, 2):
                key = s[0, 0]  # a colour that occurs, so the key makes some pixels transparent
                trns = b"".join(struct.pack(">H", int(v)) for v in key)
                add(
                    name + "-trns",
                    lambda i, s=s, c=colour, d=depth, t=trns: png(
                        s, colour=c, depth=d, trns=t, interlace=i
                    ),
                )
    rgb = rng.integers(0, 256, (height, width, 3))
    meta = (
        chunk(b"gAMA", struct.pack(">I", 45455))
        + chunk(b"cHRM", struct.pack(">8I", 31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000))
        + chunk(b"pHYs", struct.pack(">IIB", 3780, 3780, 1))
        + chunk(b"tEXt", b"Software\x00a screenshot tool")
    )
    add("rgb8-gamma-chrm-text", lambda i: png(rgb, colour=2, extra=meta, interlace=i))
    add(
        "rgb8-gamma-1.0",
        lambda i: png(rgb, colour=2, extra=chunk(b"gAMA", struct.pack(">I", 100000)), interlace=i),
    )
    add("rgb8-srgb", lambda i: png(rgb, colour=2, extra=chunk(b"sRGB", b"\x00"), interlace=i))
    add(
        "rgb8-sbit",
        lambda i: png(rgb, colour=2, extra=chunk(b"sBIT", b"\x05\x06\x05"), interlace=i),
    )
    return out
