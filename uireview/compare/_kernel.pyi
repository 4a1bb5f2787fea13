# Types of the compiled kernel (_kernel.c); see its docstrings.
from typing import Any

Buffer = Any  # anything with the buffer protocol (collections.abc.Buffer from Python 3.12)

def match(
    a: Buffer,
    b: Buffer,
    width: int,
    height: int,
    mask: Buffer | None,
    v8: bool,
    threshold: float,
    include_aa: bool,
    checkerboard: bool,
    window_n: int,
    out: Buffer | None,
    alpha: float,
    aa_rgb: tuple[int, int, int],
    diff_rgb: tuple[int, int, int],
    alt_rgb: tuple[int, int, int],
    diff_mask: bool,
) -> tuple[int, int | None, bytearray, bytearray, bytearray, bytearray]: ...
def unfilter(raw: Buffer, width: int, height: int, channels: int, out: Buffer) -> None: ...
def palette(rgba: Buffer, width: int, height: int) -> tuple[bytearray, bytes] | None: ...
def tables() -> tuple[bytes, bytes]: ...
