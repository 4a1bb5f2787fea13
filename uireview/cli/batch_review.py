"""`uireview review DIR --preset P --report OUT`: every screenshot of a folder, one report.

The folder mode of `review` (cli/review.py hands over when its one path is a folder). Each
screenshot is reviewed alone, as `uireview review FILE` would (measured checks; the model too
when a key is set and --no-model is not given), on --jobs processes. Nothing is saved to the
review store: a CI run keeps its report. Exit 0, 1 when a finding at or above --fail-on exists,
2 for bad usage or an unreadable screenshot, 3 when the model failed (report written first).

``--baseline`` is, for a folder, an earlier state of it: a folder of screenshots (reviewed the
same way) or a saved folder report (its report.json, or the folder holding it). Each screenshot
is compared with the baseline's screenshot of the same relative path as a single review is with
a saved one (uireview.loop): findings new or persisting, the baseline's lost ones resolved. With
a baseline, --fail-on counts only new findings; a screenshot the baseline lacks has only new ones.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from uireview.cli.exits import EXIT_FAILED, EXIT_OK, EXIT_PROVIDER, EXIT_USAGE, Stop

SEVERITIES = ("critical", "major", "minor")


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The folder mode's options, on the `review` subcommand's parser."""
    p.add_argument("--report", metavar="OUT",
                   help="a folder: write OUT/index.html, report.json, junit.xml")  # fmt: skip
    if "--jobs" not in p._option_string_actions:
        p.add_argument("--jobs", type=int, metavar="N", help="folders: processes (default: cores)")
    # The single review gets the same gate from the design-loop issue (17); one meaning.
    if "--fail-on" not in p._option_string_actions:
        p.add_argument("--fail-on", choices=SEVERITIES,
                       help="exit 1 when a finding at or above this severity exists")  # fmt: skip


def wanted(args: argparse.Namespace) -> bool:
    """Whether this is the folder mode: one path, and it is a folder."""
    return len(args.images) == 1 and Path(args.images[0]).is_dir()


# --- in a worker -----------------------------------------------------------------------------

_STATE: dict = {}


def _init(
    folder: str, out: str, preset: str, note: str, use_model: bool, settings, baseline=None
) -> None:
    _STATE.update(
        folder=folder, out=out, preset=preset, note=note, use_model=use_model, settings=settings,
        baseline=baseline,
    )  # fmt: skip


# --- the baseline ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FolderBaseline:
    """Where each screenshot's baseline comes from: ``shots`` (a folder of screenshots) or
    ``reviews`` (a saved report's review per relative path, images under ``report_dir``)."""

    label: str
    shots: str | None = None
    report_dir: str | None = None
    reviews: dict = field(default_factory=dict)  # relative path -> the report's screenshot entry


def read_baseline(value: str) -> FolderBaseline:
    """``--baseline`` for a folder review, checked up front; ``Stop`` with a sentence."""
    path = Path(value)
    report = path / "report.json" if path.is_dir() else path
    if report.is_file() and report.suffix.lower() == ".json":
        try:
            doc = json.loads(report.read_text(encoding="utf-8"))
            entries = {s["name"]: s for s in doc["screenshots"]}
        except (OSError, ValueError, KeyError, TypeError):
            raise Stop(
                f"--baseline {value}: not a folder review's report.json (uireview review DIR "
                "--report OUT writes one)"
            ) from None
        return FolderBaseline(str(report), report_dir=str(report.parent), reviews=entries)
    if path.is_dir():
        return FolderBaseline(str(path), shots=str(path))
    if value == "last":
        raise Stop(
            "--baseline last is for one screenshot; for a folder give the baseline's folder of "
            "screenshots or its report.json"
        )
    raise Stop(f"--baseline {value}: no such folder of screenshots or report.json")


def _baseline_for(name: str, source: FolderBaseline):
    """The loop's Baseline for one relative path: the baseline's review of that screenshot and
    its pixels; an empty one (every finding new) when the baseline has no such screenshot."""
    from uireview import pipeline
    from uireview.cli.review import read_images
    from uireview.findings import Review
    from uireview.images import load_image
    from uireview.loop import Baseline

    s = _STATE
    label = f"{source.label}:{name}"
    if source.shots is not None:
        path = Path(source.shots) / name
        if path.is_file():
            images = read_images([str(path)])
            review = pipeline.review(
                images, s["preset"], settings=s["settings"], note=s["note"],
                use_model=s["use_model"],
            )  # fmt: skip
            return Baseline(review.model_copy(update={"id": label}), [images[0].rgb])
    else:
        entry = source.reviews.get(name)
        if entry and entry.get("review"):
            review = Review.model_validate(entry["review"])
            pixels = []
            copy = Path(source.report_dir or ".") / (entry.get("file") or "")
            if entry.get("file") and copy.is_file():  # moves are followed when it is there
                pixels = [load_image(copy.read_bytes(), copy.name).rgb]
            return Baseline(review.model_copy(update={"id": label}), pixels)
    return Baseline(Review(preset=s["preset"]), [])


def review_one(name: str):
    """Review one screenshot of the folder (in a worker); never raises."""
    from uireview import pipeline
    from uireview.cli.review import read_images
    from uireview.errors import BadImage, UIReviewError
    from uireview.review_report import ShotResult

    start = time.perf_counter()
    s = _STATE
    path = Path(s["folder"]) / name
    try:
        images = read_images([str(path)])
        baseline = _baseline_for(name, s["baseline"]) if s.get("baseline") else None
        review = pipeline.review(
            images, s["preset"], settings=s["settings"], note=s["note"],
            use_model=s["use_model"], baseline=baseline,
        )  # fmt: skip
        rel = f"files/{name}"
        dst = Path(s["out"]) / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dst)
    except (BadImage, UIReviewError, OSError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return ShotResult(name, "error", error=str(reason), seconds=time.perf_counter() - start)
    doc = review.model_dump(mode="json")
    return ShotResult(
        name,
        "reviewed",
        review=doc,
        size=(images[0].width, images[0].height),
        seconds=time.perf_counter() - start,
        file=rel,
        findings=doc["findings"],
    )


# --- the folder ------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    """Review every screenshot of a folder for parsed `review` arguments; the exit code."""
    from uireview.cli.review import _check_preset
    from uireview.compare.batch import default_jobs, list_images, terminal_progress
    from uireview.review_report import ReviewReportInfo, summary, write_report
    from uireview.settings import load_settings

    start = time.perf_counter()
    if not args.report:
        raise Stop("reviewing a folder needs --report OUT (a folder for the report)")
    _check_preset(args.preset)
    folder, out = Path(args.images[0]), Path(args.report)
    if out.exists() and not out.is_dir():
        raise Stop(f"--report {out} is a file; give a folder")
    names = list_images(folder, skip=out)
    baseline = read_baseline(args.baseline) if getattr(args, "baseline", None) else None
    settings = load_settings()
    use_model = not args.no_model and settings.has_key
    if not args.no_model and not settings.has_key:
        print("uireview: no XAI_API_KEY set; skipping the model, measured checks only.",
              file=sys.stderr)  # fmt: skip
    elif use_model:
        # as a single review does, once for the folder: the model the endpoint offers
        from uireview import pipeline

        choice = pipeline.choose_model(settings)
        if choice.notice:
            print(f"uireview: {choice.notice}", file=sys.stderr)
        settings = choice.settings
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise Stop(f"cannot create {out}: {exc.strerror or exc}") from None
    init = (str(folder), str(out), args.preset, args.note or "", use_model, settings, baseline)
    jobs = min(getattr(args, "jobs", None) or default_jobs(), max(len(names), 1))
    progress = terminal_progress()
    results = []
    if jobs <= 1:
        _init(*init)
        for name in names:
            results.append(review_one(name))
            if progress:
                progress(len(results), len(names), name)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        import uireview.pipeline  # noqa: F401  (forked workers inherit the loaded engine)

        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init,
                                 initargs=init) as pool:  # fmt: skip
            futures = [pool.submit(review_one, name) for name in names]
            for fut in as_completed(futures):
                results.append(fut.result())
                if progress:
                    progress(len(results), len(names), results[-1].name)
    results.sort(key=lambda r: r.name)
    fail_on = getattr(args, "fail_on", None)
    info = ReviewReportInfo(str(folder), args.preset, fail_on, use_model,
                            time.perf_counter() - start)  # fmt: skip
    try:
        write_report(out, results, info)
    except OSError as exc:
        raise Stop(f"cannot write the report in {out}: {exc.strerror or exc}") from None
    counts = summary(results, fail_on)
    new = "new " if baseline else ""
    gate = f"; {counts['failed']} with {new}findings at {fail_on} or above" if fail_on else ""
    print(
        f"{counts['screenshots']} screenshots, {counts['findings']} findings "
        f"({counts['with_findings']} with findings){gate} -> {out / 'index.html'}"
    )
    if baseline:
        loop = _loop_counts(results)
        print(f"against {baseline.label}: {loop['new']} new, {loop['persisting']} persisting, "
              f"{loop['resolved']} resolved")  # fmt: skip
    for r in results:
        if r.status == "error":
            print(f"uireview: cannot read {r.name}: {r.error}", file=sys.stderr)
    model_errors = [r for r in results if r.review and r.review.get("error")]
    for r in model_errors[:3]:
        print(f"uireview: {r.name}: {r.review['error']}", file=sys.stderr)
    if counts["error"]:
        return EXIT_USAGE
    if counts["failed"]:
        print(f"uireview: gate failed: {counts['failed']} screenshots with {new}findings at "
              f"{fail_on} or above", file=sys.stderr)  # fmt: skip
        return EXIT_FAILED
    if model_errors:
        return EXIT_PROVIDER
    return EXIT_OK


def _loop_counts(results) -> dict[str, int]:
    """new / persisting / resolved over the folder, from each review's statuses."""
    counts = {"new": 0, "persisting": 0, "resolved": 0}
    for r in results:
        review = r.review or {}
        for f in review.get("findings", []):
            if f.get("status") in counts:
                counts[f["status"]] += 1
        counts["resolved"] += len(review.get("resolved", []))
    return counts
