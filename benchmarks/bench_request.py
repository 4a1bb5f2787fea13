"""Time from upload to request sent, and the bytes sent, for a review of one screenshot.

Runs the real pipeline against the local fake endpoint (tests/fake_openai.py), so nothing
leaves the machine. "Upload to request" covers decoding the upload, the measured checks
(their findings go into the prompt), drawing the marks and encoding the image.

    python benchmarks/bench_request.py
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw  # noqa: E402

from tests.fake_openai import FakeOpenAI, Reply  # noqa: E402
from uireview import pipeline  # noqa: E402
from uireview.images import load_image  # noqa: E402
from uireview.settings import Settings  # noqa: E402


def dashboard(width: int, height: int) -> bytes:
    """A dashboard-like screenshot at the given size (scaled layout, real text)."""
    s = width / 1440
    img = Image.new("RGB", (width, height), "#f4f5f7")
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, width, int(64 * s)), fill="#1e1b4b")
    d.text((int(24 * s), int(18 * s)), "Acme analytics", fill="white", font_size=int(24 * s))
    d.rectangle((0, int(64 * s), int(220 * s), height), fill="#ffffff")
    for i, label in enumerate(["Overview", "Revenue", "Customers", "Reports", "Settings"]):
        d.text((int(24 * s), int((96 + 40 * i) * s)), label, fill="#374151", font_size=int(15 * s))
    for row in range(2):
        for col in range(4):
            x0 = int((244 + col * 296) * s)
            y0 = int((96 + row * 200) * s)
            d.rounded_rectangle(
                (x0, y0, x0 + int(272 * s), y0 + int(176 * s)),
                int(10 * s),
                fill="white",
                outline="#e5e7eb",
            )
            d.text(
                (x0 + int(16 * s), y0 + int(16 * s)),
                f"Metric {row * 4 + col + 1}",
                fill="#6b7280",
                font_size=int(14 * s),
            )
            d.text(
                (x0 + int(16 * s), y0 + int(44 * s)),
                f"${(col + 1) * 12_345:,}",
                fill="#111827",
                font_size=int(30 * s),
            )
    for r in range(8):
        y = int((520 + r * 40) * s)
        d.line((int(244 * s), y, int(1416 * s), y), fill="#e5e7eb", width=max(1, int(s)))
        d.text(
            (int(260 * s), y + int(10 * s)),
            f"Order #{1000 + r}   Paid   ${r * 99}.00",
            fill="#374151",
            font_size=int(14 * s),
        )
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def measure(data: bytes, fake: FakeOpenAI, reps: int) -> dict:
    settings = Settings(api_key="bench", base_url=fake.base_url, model="grok-bench", max_retries=0)
    to_request, payloads, bodies, checks = [], [], [], []
    for _ in range(reps):
        marks: dict[str, float] = {}
        start = time.perf_counter()

        def progress(step: str, marks=marks, start=start) -> None:
            if step.startswith("Waiting for the model"):
                marks["sent"] = time.perf_counter() - start

        image = load_image(data, "shot.png")
        review = pipeline.review([image], "general", settings=settings, on_progress=progress)
        to_request.append(marks["sent"])
        payloads.append(review.extra["payload_bytes"])
        bodies.append(len(fake.requests[-1].raw))
        checks.append(review.timings["checks"])
    return {
        "upload_to_request_s": statistics.median(to_request),
        "checks_s": statistics.median(checks),
        "image_payload_bytes": payloads[-1],
        "request_body_bytes": bodies[-1],
    }


def main() -> None:
    fake = FakeOpenAI().start()
    fake.default = Reply('{"findings": []}')
    try:
        head = ("size", "PNG bytes", "upload->request", "of which checks", "image payload")
        print(f"{head[0]:>11} {head[1]:>10} {head[2]:>16} {head[3]:>16} {head[4]:>14} request body")
        for w, h in ((1440, 900), (3840, 2160)):
            data = dashboard(w, h)
            measure(data, fake, reps=1)  # warm: the first review loads the text detector
            r = measure(data, fake, reps=3)
            print(
                f"{w:>5}x{h:<5} {len(data):>10,} {r['upload_to_request_s']:>15.2f}s "
                f"{r['checks_s']:>15.2f}s {r['image_payload_bytes']:>14,} "
                f"{r['request_body_bytes']:>13,}"
            )
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
