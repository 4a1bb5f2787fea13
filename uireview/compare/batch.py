"""Two folders of screenshots diffed pair by pair, on every core, for one report.

Screenshots pair by their path relative to each folder (nested folders too); one only in the
after folder is "new", one only in the before folder "deleted". Every pair is diffed exactly as
a single `uireview diff` (same options, ignore boxes, shift-aware regions). One process for the
whole folder is the point: Python's start and imports cost more than a diff (issue 18), so they
are paid once, and the pairs are spread over worker processes (the work is CPU-bound numpy).

Nothing here imports pydantic: workers need only numpy, the decoders and compare().
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from uireview.boxes import Box
from uireview.compare.gate import Gate, parse_gate
from uireview.compare.options import DiffOptions

# What screenshot tools write; other files in the folders (logs, JSON) are not screenshots.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif")
STATUSES = ("changed", "unchanged", "new", "deleted", "error")

# Where the report keeps its copies of the images, under OUT.
FILES_DIR = "files"


# --- the gate ----------------------------------------------------------------------------------

# The folder report's name for the single diff's gate: one parser, one rule (compare/gate.py).
PixelLimit = Gate
parse_pixel_limit = parse_gate


# --- pairing and sharding ------------------------------------------------------------------------


def list_images(root: Path, skip: Path | None = None) -> list[str]:
    """Relative POSIX paths of the screenshots under ``root`` (sorted), leaving out ``skip``
    (the report folder, when it is inside the screenshot folder)."""
    root = Path(root)
    skip_at = skip.resolve() if skip is not None else None
    names = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        if skip_at is not None:
            dirs[:] = [d for d in dirs if (here / d).resolve() != skip_at]
        dirs.sort()
        for f in files:
            if f.lower().endswith(IMAGE_SUFFIXES) and not f.startswith("."):
                names.append((here / f).relative_to(root).as_posix())
    return sorted(names)


@dataclass(frozen=True)
class Pair:
    """One relative path and whether each folder has it."""

    name: str
    in_before: bool
    in_after: bool


def pair_up(before: Sequence[str], after: Sequence[str]) -> list[Pair]:
    """Every name of either folder, sorted by relative path."""
    b, a = set(before), set(after)
    return [Pair(n, n in b, n in a) for n in sorted(b | a)]


def parse_shard(text: str) -> tuple[int, int]:
    """``"K/N"`` (1 <= K <= N), as Playwright's --shard; ValueError otherwise."""
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text or "")
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        raise ValueError(f"--shard takes K/N with 1 <= K <= N (e.g. 2/4), not {text!r}")
    return int(m.group(1)), int(m.group(2))


def shard(items: Sequence, k: int, n: int) -> list:
    """The K-th of N contiguous, near-equal slices of ``items`` (sorted by relative path): every
    item lands in exactly one shard, and the same folders give the same shards on every job."""
    total = len(items)
    return list(items[(k - 1) * total // n : k * total // n])


# --- one pair ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionInfo:
    box: Box
    pixels: int
    kind: str


@dataclass(frozen=True)
class ShiftInfo:
    y: int
    dy: int
    height: int


@dataclass(frozen=True)
class PairResult:
    """What the report says about one relative path.

    counted_pixels: the after image's pixels outside ignored areas (a share's base).
    files: the report's copies, relative to the report folder: before, after, diff (changed
    pixels on transparency, drawn over the faded after image by the page).
    """

    name: str
    status: str
    mismatch_pixels: int | None = None
    window_pixels: int | None = None
    regions: tuple[RegionInfo, ...] = ()
    shifts: tuple[ShiftInfo, ...] = ()
    size_before: tuple[int, int] | None = None
    size_after: tuple[int, int] | None = None
    counted_pixels: int | None = None
    seconds: float = 0.0
    error: str | None = None
    files: dict[str, str] = field(default_factory=dict)

    def failed(self, limit: Gate | None) -> bool:
        """Over the gate's limit (never without a gate, never for new or deleted screenshots)."""
        if limit is None or self.status != "changed" or self.mismatch_pixels is None:
            return False
        return limit.exceeded(self.mismatch_pixels, self.counted_pixels or 0)


@dataclass(frozen=True)
class BatchJob:
    """Everything a worker needs for every pair (sent once per worker)."""

    before_dir: str
    after_dir: str
    out_dir: str
    options: DiffOptions
    ignore: tuple[Box, ...] = ()


def _copy(job: BatchJob, side: str, name: str) -> str:
    rel = f"{FILES_DIR}/{side}/{name}"
    dst = Path(job.out_dir) / rel
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(Path(job.before_dir if side == "before" else job.after_dir) / name, dst)
    return rel


# changed pixels: darker in the after image (e.g. added ink) red, lighter blue; as the overlay
_DIFF_PALETTE = [0, 0, 0, 220, 38, 38, 37, 99, 235]


def _write_diff(job: BatchJob, name: str, result) -> str:
    """The changed pixels as a palette PNG on transparency: a few KB, written in a few ms,
    where a full overlay image would be re-encoded at full size for every pair."""
    import numpy as np
    from PIL import Image

    w, h = result.size_after
    mask = np.zeros(w * h, dtype=np.uint8)
    idx, darker = result.changed_index, result.changed_darker
    mask[idx[darker]] = 1
    mask[idx[~darker]] = 2
    im = Image.frombuffer("P", (w, h), mask.tobytes(), "raw", "P", 0, 1)
    im.putpalette(_DIFF_PALETTE)
    im.info["transparency"] = 0
    rel = f"{FILES_DIR}/diff/{name}.png"
    dst = Path(job.out_dir) / rel
    dst.parent.mkdir(parents=True, exist_ok=True)
    im.save(dst, compress_level=1, transparency=0)
    return rel


def _size(data: bytes, path: str) -> tuple[int, int]:
    import struct

    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        w, h = struct.unpack(">II", data[16:24])
        return int(w), int(h)
    from PIL import Image

    with Image.open(path) as im:
        return im.size


def counted_pixels(ignore: Sequence[Box], width: int, height: int) -> int:
    """The image's pixels outside the ignored boxes: the base of a --fail-on-pixels share."""
    if not ignore:
        return width * height
    from uireview.compare.pixelmatch import ignore_mask

    mask = ignore_mask(list(ignore), width, height)
    return int(width * height - (0 if mask is None else mask.sum()))


def _reason(exc: Exception) -> str:
    return str(exc.strerror if isinstance(exc, OSError) and exc.strerror else exc)


def diff_pair(job: BatchJob, pair: Pair) -> PairResult:
    """Diff one relative path (in a worker); never raises: a bad file is an "error" result."""
    start = time.perf_counter()
    name = pair.name
    try:
        if not pair.in_before or not pair.in_after:
            side = "after" if pair.in_after else "before"
            path = Path(job.after_dir if pair.in_after else job.before_dir) / name
            size = _size(path.read_bytes(), str(path))
            return PairResult(
                name,
                "new" if pair.in_after else "deleted",
                size_before=None if pair.in_after else size,
                size_after=size if pair.in_after else None,
                seconds=time.perf_counter() - start,
                files={side: _copy(job, side, name)},
            )
        pb, pa = Path(job.before_dir) / name, Path(job.after_dir) / name
        data_b, data_a = pb.read_bytes(), pa.read_bytes()
        if data_b == data_a:  # the same file: nothing can differ, no need to decode
            size = _size(data_a, str(pa))
            return PairResult(
                name,
                "unchanged",
                mismatch_pixels=0,
                window_pixels=0 if job.options.window else None,
                size_before=size,
                size_after=size,
                counted_pixels=counted_pixels(job.ignore, *size),
                seconds=time.perf_counter() - start,
            )
        from contextlib import nullcontext

        from uireview.compare.decode import bombs_refused, fast, read_screenshot
        from uireview.compare.diff import compare

        # the single diff's decode: the review's size limits and sentences, libspng where it
        # gives Pillow's pixels (a worker is one thread: the warning filter is its own; not
        # needed, nor Pillow imported, when libspng decodes both)
        both_fast = fast(data_b) and fast(data_a)
        with nullcontext() if both_fast else bombs_refused():
            before, after = read_screenshot(str(pb), data_b), read_screenshot(str(pa), data_a)
        o = job.options
        result = compare(
            before,
            after,
            threshold=o.threshold,
            include_aa=o.include_aa,
            metric=o.metric,
            checkerboard=o.checkerboard,
            window_size=o.window,
            ignore=list(job.ignore),
        )
        changed = bool(result.mismatch_pixels or result.regions or result.shifts) or (
            result.size_before != result.size_after
        )
        files = {}
        if changed:
            files = {
                "before": _copy(job, "before", name),
                "after": _copy(job, "after", name),
                "diff": _write_diff(job, name, result),
            }
        return PairResult(
            name,
            "changed" if changed else "unchanged",
            mismatch_pixels=result.mismatch_pixels,
            window_pixels=result.window_pixels,
            regions=tuple(RegionInfo(r.box, r.pixels, r.kind) for r in result.regions),
            shifts=tuple(ShiftInfo(s.y, s.dy, s.height) for s in result.shifts),
            size_before=result.size_before,
            size_after=result.size_after,
            counted_pixels=counted_pixels(job.ignore, *result.size_after),
            seconds=time.perf_counter() - start,
            files=files,
        )
    except Exception as exc:  # unreadable, not an image, a full disk: reported, not raised
        return PairResult(name, "error", error=_reason(exc), seconds=time.perf_counter() - start)


# --- the whole folder -------------------------------------------------------------------------

_JOB: BatchJob | None = None


def _init_worker(job: BatchJob) -> None:
    global _JOB
    _JOB = job


def _work(pair: Pair) -> PairResult:
    assert _JOB is not None
    return diff_pair(_JOB, pair)


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run_batch(
    job: BatchJob,
    pairs: Sequence[Pair],
    *,
    jobs: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[PairResult]:
    """Diff every pair on ``jobs`` processes (default: every core); results by relative path.

    ``progress(done, total, name)`` is called in this process after each pair.
    """
    jobs = min(jobs or default_jobs(), max(len(pairs), 1))
    results: list[PairResult] = []
    total = len(pairs)
    if jobs <= 1:
        for pair in pairs:
            results.append(diff_pair(job, pair))
            if progress:
                progress(len(results), total, pair.name)
    else:
        import multiprocessing

        # fork where there is one: workers inherit numpy and the engine already imported
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        if "fork" in methods:
            import uireview.compare.decode  # noqa: F401
            import uireview.compare.diff  # noqa: F401
        with ProcessPoolExecutor(
            jobs, mp_context=context, initializer=_init_worker, initargs=(job,)
        ) as pool:
            futures = [pool.submit(_work, pair) for pair in pairs]
            for fut in as_completed(futures):
                result = fut.result()
                results.append(result)
                if progress:
                    progress(len(results), total, result.name)
    results.sort(key=lambda r: r.name)
    return results


def terminal_progress(stream=None) -> Callable[[int, int, str], None] | None:
    """A one-line progress counter on ``stream`` (stderr) when it is a terminal, else None."""
    stream = stream or sys.stderr
    if not stream.isatty():
        return None

    def show(done: int, total: int, name: str) -> None:
        end = "\n" if done == total else ""
        stream.write(f"\r\x1b[Kdiff {done}/{total} {name[-60:]}{end}")
        stream.flush()

    return show
