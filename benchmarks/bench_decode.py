"""PNG decoders on rendered dashboards: CPU per decode and whether the pixels equal Pillow's.

    python benchmarks/bench_decode.py [--reps 9]

Pillow (as the diff used it before: its RGBX copy for RGB PNGs), OpenCV (installed for element
detection), libspng through pyspng-seunglab (what uireview/compare/decode.py uses), and
imagecodecs when installed (`pip install imagecodecs`; a 26 MB wheel). CPU time is the steadier
clock on a shared machine. "same" means identical RGBA arrays to Pillow's convert("RGBA").
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_diff import render_dashboard  # noqa: E402

from uireview.compare.decode import _pillow  # noqa: E402


def _rgba(a: np.ndarray) -> np.ndarray:
    if a.ndim == 3 and a.shape[2] == 3:
        return np.dstack([a, np.full(a.shape[:2], 255, np.uint8)])
    return a


def decoders() -> dict:
    out = {"Pillow": lambda p, data: _pillow(str(p))}
    try:
        import cv2

        out["OpenCV"] = lambda p, data: cv2.cvtColor(
            cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED), cv2.COLOR_BGR2RGBA
        )
    except ImportError:
        print("skip OpenCV: not installed")
    try:
        import pyspng

        out["libspng (pyspng-seunglab)"] = lambda p, data: pyspng.load(data, format="RGBA")
    except ImportError:
        print("skip pyspng: not installed; pip install pyspng-seunglab==1.1.3")
    try:
        import imagecodecs

        out["imagecodecs (+ alpha)"] = lambda p, data: _rgba(imagecodecs.png_decode(data))
    except ImportError:
        print("skip imagecodecs: not installed (pip install imagecodecs to compare)")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=9)
    args = parser.parse_args()
    found = decoders()
    with tempfile.TemporaryDirectory() as tmp:
        for w, h in ((1440, 900), (3840, 2160)):
            path = Path(tmp) / f"{w}x{h}.png"
            render_dashboard(w, h, after=True).save(path)
            data = path.read_bytes()
            with Image.open(path) as im:
                want = np.asarray(im.convert("RGBA"))
            base = None
            for name, fn in found.items():
                same = np.array_equal(_rgba(np.asarray(fn(path, data))), want)
                cpus = []
                for _ in range(args.reps):
                    c = time.process_time()
                    fn(path, data)
                    cpus.append((time.process_time() - c) * 1000)
                ms = statistics.median(cpus)
                base = base or ms
                print(f"{w}x{h} {name:>26}: {ms:6.1f} ms CPU  ({ms / base:.2f}x Pillow)  "
                      f"{'same' if same else 'DIFFERENT'} pixels")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
