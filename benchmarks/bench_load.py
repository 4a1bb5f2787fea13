"""Load: 20 concurrent review sessions through the engine, against a slow local fake model.

Each session does what the Review page does for one user: decode an upload from bytes
(``load_image``), then ``pipeline.review_and_keep`` with one ``Store`` shared by all
sessions (a temp SQLite file, as one deployment has). The model is tests/fake_openai.py on
127.0.0.1 answering after ``--latency`` seconds (default 1.0), so nothing leaves the machine.
Sessions start together (a barrier) on their own threads, like Streamlit's script threads.

    python benchmarks/bench_load.py [--sessions 20] [--latency 1.0] [--size 1280x800]

Prints p50/p95/max time to result, peak memory (process max RSS, and the traced Python +
numpy peak with --tracemalloc), errors, and exits 1 when any session failed or the run
overran its bound (--deadline, default 110 s), so CI can call it.

Then the same sessions run again beside one hostile upload, a 4096 x 8 strip (which once
took 62 s and 8.4 GB and slowed a normal review from 1.5 s to 51 s), and the normal
sessions' p95 is printed against the run without it (goal: within 1.5x; --no-thin skips).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.fake_openai import FakeOpenAI, Reply  # noqa: E402
from tests.imagegen import encode, screenshot  # noqa: E402
from uireview import pipeline  # noqa: E402
from uireview.images import load_image  # noqa: E402
from uireview.settings import Settings  # noqa: E402
from uireview.store import Store, sqlite_url  # noqa: E402

REPLY = json.dumps({"findings": [{
    "title": "Primary action is not the most prominent", "severity": "major",
    "category": "hierarchy", "marks": ["1"], "detail": "The eye lands on the header first.",
    "suggestion": "Make the main action the filled button.",
}]})  # fmt: skip


@dataclass
class Result:
    session: int
    seconds: float
    error: str | None
    saved: bool
    findings: int


def rss_mib() -> float:
    """This process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[q - 1]


def session(index: int, data: bytes, settings: Settings, store: Store,
            barrier: threading.Barrier, out: list[Result]) -> None:  # fmt: skip
    barrier.wait()
    started = time.perf_counter()
    try:
        image = load_image(data, f"screen-{index:02d}.png")
        outcome = pipeline.review_and_keep([image], "general", settings=settings, store=store)
        review = outcome.review
        out[index] = Result(index, time.perf_counter() - started, review.error,
                            bool(review.id), len(review.findings))  # fmt: skip
    except Exception as exc:  # counted and printed; a load test must not stop at the first
        out[index] = Result(index, time.perf_counter() - started, repr(exc), False, 0)


def thin_strip() -> bytes:
    """The issue's 4096 x 8 upload: a flat strip with a row of marks."""
    import numpy as np
    from PIL import Image

    px = np.full((8, 4096, 3), 243, np.uint8)
    px[2:6, ::9] = (31, 41, 55)
    return encode(Image.fromarray(px), "PNG")


@dataclass
class Phase:
    results: list[Result | None]
    wall: float
    stored: int
    requests: int
    traced_peak: float | None


def run_phase(uploads: list[bytes], args, extra: bytes | None = None) -> Phase:
    """All sessions at once on a fresh store; ``extra`` joins them as one more session."""
    fake = FakeOpenAI(models=["grok-test-vision"]).start()
    fake.default = Reply(REPLY, delay=args.latency, chunks=8)
    jobs = uploads + ([extra] if extra is not None else [])
    results: list[Result | None] = [None] * len(jobs)
    with tempfile.TemporaryDirectory(prefix="uireview-load-") as tmp:
        settings = Settings(api_key="bench-key-not-secret", base_url=fake.base_url,
                            model="grok-test-vision", timeout=60.0, max_retries=0,
                            data_dir=Path(tmp))  # fmt: skip
        store = Store.open(sqlite_url(Path(tmp)))
        barrier = threading.Barrier(len(jobs))
        threads = [
            threading.Thread(target=session, args=(i, jobs[i], settings, store, barrier,
                                                   results), daemon=True)
            for i in range(len(jobs))
        ]  # fmt: skip
        if args.tracemalloc:
            tracemalloc.start()
        wall = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=max(0.0, args.deadline - (time.perf_counter() - wall)))
        wall = time.perf_counter() - wall
        traced_peak = tracemalloc.get_traced_memory()[1] / 2**20 if args.tracemalloc else None
        tracemalloc.stop()
        stored = store.list_reviews(per_page=100).total
        store.close()
    requests = len(fake.chat_requests)
    fake.stop()
    return Phase(results, wall, stored, requests, traced_peak)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--latency", type=float, default=1.0, help="fake model delay, s")
    parser.add_argument("--size", default="1280x800", help="screenshot size, WxH")
    parser.add_argument("--deadline", type=float, default=110.0, help="bound for the run, s")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace allocations")
    parser.add_argument("--no-thin", action="store_true", help="skip the run beside 4096 x 8")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))

    # Distinct screenshots, so no session is answered from another's saved review.
    uploads = [encode(screenshot(width, height, text=f"Team {i}"), "PNG")
               for i in range(args.sessions)]  # fmt: skip
    rss_before = rss_mib()
    phase = run_phase(uploads, args)
    wall, stored, traced_peak = phase.wall, phase.stored, phase.traced_peak

    done = [r for r in phase.results if r is not None]
    hung = args.sessions - len(done)
    errors = [r for r in done if r.error or not r.saved]
    times = [r.seconds for r in done]
    print(f"load: {args.sessions} concurrent sessions, {width}x{height} PNG each, "
          f"fake model latency {args.latency:g} s, shared SQLite store")  # fmt: skip
    if times:
        print(f"  time to result  p50 {percentile(times, 50):6.2f} s   "
              f"p95 {percentile(times, 95):6.2f} s   max {max(times):6.2f} s   "
              f"min {min(times):6.2f} s")  # fmt: skip
    print(f"  wall time       {wall:6.2f} s (bound {args.deadline:g} s)")
    print(
        f"  peak memory     {rss_mib():6.0f} MiB max RSS (was {rss_before:.0f} MiB before "
        "the sessions)" + (f"; traced peak {traced_peak:.0f} MiB" if traced_peak else "")
    )
    print(f"  model requests  {phase.requests}; reviews saved {stored}")
    print(f"  errors          {len(errors)}; unfinished {hung}")
    for r in errors:
        print(f"    session {r.session}: {r.error or 'not saved'}")
    ok = not errors and not hung and stored == args.sessions and wall <= args.deadline

    if not args.no_thin and times:
        beside = run_phase(uploads, args, extra=thin_strip())
        normal = [r for r in beside.results[: args.sessions] if r is not None]
        thin = beside.results[-1]
        failed = [r for r in normal if r.error or not r.saved]
        p95_alone, p95_beside = percentile(times, 95), percentile([r.seconds for r in normal], 95)
        ratio = p95_beside / p95_alone
        print(f"beside one 4096x8 upload: the same {args.sessions} sessions plus the strip")
        print(f"  normal p95      {p95_beside:6.2f} s beside the strip vs {p95_alone:6.2f} s "
              f"without: {ratio:.2f}x (goal <= 1.5x)")  # fmt: skip
        if thin is not None:
            print(f"  the strip       {thin.seconds:6.2f} s, {thin.findings} findings"
                  + (f", error: {thin.error}" if thin.error else ""))  # fmt: skip
        print(f"  peak memory     {rss_mib():6.0f} MiB max RSS over both runs")
        print(f"  errors          {len(failed)}; unfinished "
              f"{args.sessions - len(normal) + (thin is None)}")  # fmt: skip
        ok = ok and not failed and thin is not None and len(normal) == args.sessions
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
