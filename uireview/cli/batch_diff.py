"""`uireview diff BEFORE_DIR AFTER_DIR --report OUT`: every screenshot pair of two folders.

The folder mode of `diff` (cli/diff.py hands over when both paths are folders). Pairs match by
relative path; the report is OUT/index.html, OUT/report.json and OUT/junit.xml. Exit 0, 1 when
a pair is over --fail-on-pixels, 2 for bad usage or an unreadable screenshot (the report is
written first, naming it).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

from uireview.cli.exits import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Stop


def _shard(text: str):
    from uireview.compare.batch import parse_shard

    try:
        return parse_shard(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"--jobs takes a whole number, 1 or more, not {text!r}")
    return n


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The folder mode's options, on the `diff` subcommand's parser."""
    p.add_argument("--report", metavar="OUT",
                   help="folders: write OUT/index.html, report.json, junit.xml")  # fmt: skip
    p.add_argument("--jobs", type=_jobs, metavar="N", help="folders: processes (default: cores)")
    p.add_argument("--shard", type=_shard, metavar="K/N",
                   help="folders: diff only the K-th of N slices (sorted by path)")  # fmt: skip
    # --fail-on-pixels is the single diff's option (cli/diff.py): one parser, one meaning.


def wanted(args: argparse.Namespace) -> bool:
    """Whether this is the folder mode: both paths are folders."""
    return Path(args.before).is_dir() and Path(args.after).is_dir()


def _limit(value):
    from uireview.compare.gate import Gate, parse_gate

    if value is None or isinstance(value, Gate):
        return value
    try:
        return parse_gate(str(value))
    except ValueError as exc:
        raise Stop(str(exc)) from None


def run(args: argparse.Namespace) -> int:
    """Diff two folders for parsed `diff` arguments; returns the exit code."""
    from uireview.compare.batch import (
        FILES_DIR,
        BatchJob,
        list_images,
        pair_up,
        run_batch,
        shard,
        terminal_progress,
    )
    from uireview.compare.options import DiffOptions
    from uireview.compare.report import ReportInfo, summary, write_report

    start = time.perf_counter()
    if not args.report:
        raise Stop("diffing two folders needs --report OUT (a folder for the report)")
    if getattr(args, "out", None):
        raise Stop("--out is for one pair; a folder diff writes its images under --report")
    try:
        options = DiffOptions(
            threshold=args.threshold,
            include_aa=args.include_aa,
            metric=args.metric,
            checkerboard=not args.no_checkerboard,
            window=args.window,
        )
    except ValueError as exc:
        raise Stop(str(exc)) from None
    limit = _limit(getattr(args, "fail_on_pixels", None))
    out = Path(args.report)
    if out.exists() and not out.is_dir():
        raise Stop(f"--report {out} is a file; give a folder")
    before_dir, after_dir = Path(args.before), Path(args.after)
    pairs = pair_up(list_images(before_dir, skip=out), list_images(after_dir, skip=out))
    if args.shard:
        pairs = shard(pairs, *args.shard)
    try:
        out.mkdir(parents=True, exist_ok=True)
        if (out / "report.json").is_file():  # our own earlier report: drop its stale images
            shutil.rmtree(out / FILES_DIR, ignore_errors=True)
    except OSError as exc:
        raise Stop(f"cannot create {out}: {exc.strerror or exc}") from None
    job = BatchJob(str(before_dir), str(after_dir), str(out), options, tuple(args.ignore))
    results = run_batch(job, pairs, jobs=args.jobs, progress=terminal_progress())
    info = ReportInfo(
        before_dir=str(before_dir),
        after_dir=str(after_dir),
        options=options,
        ignore=tuple(args.ignore),
        limit=limit,
        shard=args.shard,
        seconds=time.perf_counter() - start,
    )
    try:
        write_report(out, results, info)
    except OSError as exc:
        raise Stop(f"cannot write the report in {out}: {exc.strerror or exc}") from None
    counts = summary(results, limit)
    if args.json:
        from uireview.compare.report import report_json

        print(json.dumps(report_json(results, info)))
    else:
        parts = [f"{k} {counts[k]}" for k in ("changed", "unchanged", "new", "deleted")]
        if counts["error"]:
            parts.append(f"unreadable {counts['error']}")
        gate = f"; {counts['failed']} over {limit}" if limit is not None else ""
        print(f"{', '.join(parts)}{gate} -> {out / 'index.html'}")
    for r in results:
        if r.status == "error":
            print(f"uireview: cannot read {r.name}: {r.error}", file=sys.stderr)
    if counts["error"]:
        return EXIT_USAGE
    if counts["failed"]:
        print(f"uireview: gate failed: {counts['failed']} over {limit}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK
