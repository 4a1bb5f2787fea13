"""`python -m uireview diff BEFORE AFTER`: the measured pixel diff of two screenshots.

Measured only: the model's explanation of a diff belongs to the pipeline (--no-model is
accepted for symmetry with `review`). Exit 0 on success, 2 with one line on stderr for bad
input.
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ThreadPoolExecutor

# numpy and Pillow are imported inside run(): the main CLI registers this subcommand on every
# start, and run() imports them while the two images decode. pydantic is not imported at all:
# findings are printed from their field values (_finding_json), ~90 ms less per process.
from uireview.cli import batch_diff
from uireview.cli.exits import EXIT_FAILED, EXIT_OK, EXIT_USAGE

# Finding's defaults for the fields diff findings leave out, so --json prints exactly
# Finding.model_dump(mode="json") (tests/test_batch_diff.py holds the two together).
FINDING_DEFAULTS = {
    "detail": "",
    "suggestion": "",
    "image": 0,
    "box": None,
    "related": [],
    "evidence": "",
    "metrics": {},
    "marks": [],
    "rule": "",
    "text": None,
    "place": None,
}


def _finding_json(fields: dict) -> dict:
    """A diff finding's JSON from its field values, as Finding.model_dump(mode="json") gives."""
    doc = {**FINDING_DEFAULTS, **fields}
    order = ("source", "category", "severity", "title", *FINDING_DEFAULTS)
    # through JSON and back: tuples (Box) become lists, as pydantic dumps them
    return json.loads(json.dumps({k: doc[k] for k in order}))


def _box(text: str):
    from uireview.boxes import parse_box

    try:
        return parse_box(text)
    except ValueError as exc:  # argparse turns this into "argument --ignore: <sentence>"
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register the `diff` subcommand on the main CLI's subparsers."""
    p = subparsers.add_parser(
        "diff", help="pixel diff of two screenshots, or of two folders of them (pixelmatch)"
    )
    p.add_argument("before", metavar="BEFORE", help="an image, or a folder of screenshots")
    p.add_argument("after", metavar="AFTER", help="an image, or a folder (pairs by path)")
    p.add_argument(
        "--threshold", type=float, default=0.1, help="0..1; 0.1 = a tenth of black-white"
    )
    p.add_argument("--include-aa", action="store_true", help="count anti-aliased pixels too")
    p.add_argument("--metric", choices=("oklab", "yiq"), default="oklab",
                   help="oklab: pixelmatch 8.0.0 (default); yiq: pixelmatch 7.2.0")  # fmt: skip
    p.add_argument("--no-checkerboard", action="store_true",
                   help="blend semi-transparent pixels on white")  # fmt: skip
    p.add_argument("--window", type=int, metavar="N", help="also count the densest N x N window")
    p.add_argument("--ignore", type=_box, action="append", default=[], metavar="X0,Y0,X1,Y1",
                   help="a box (after image pixels) that counts nowhere; may repeat")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--no-model", action="store_true", help="accepted; the diff is measured only")
    p.add_argument("--out", metavar="DIFF.png", help="write pixelmatch's diff image")
    batch_diff.add_arguments(p)
    p.set_defaults(run=run)
    return p


def _decode(path: str):
    """An image file's pixels as RGBA (an array, a buffer of bytes), with width and height."""
    from uireview.compare.decode import decode_rgba

    pixels = decode_rgba(path)
    return pixels, pixels.shape[1], pixels.shape[0]


def _decode_both(before: str, after: str):
    """Both images as RGBA arrays, or None after one line on stderr."""
    # Decodes in threads while this thread imports the engine. libspng holds the GIL, so its
    # two decodes take turns (Pillow's would overlap, at ~50% more CPU; one image each way was
    # slower here on a busy 2-core machine, 12 runs each: the CPU is what is short).
    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(_decode, p) for p in (before, after)]
        import numpy as np

        import uireview.compare.diff  # noqa: F401  (imported here to overlap the decodes)

        images = []
        for path, fut in zip((before, after), futures, strict=True):
            try:
                data, width, height = fut.result()
            except Exception as exc:  # unreadable, missing, not an image: the user's to fix
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
                print(f"uireview: cannot read image {path}: {reason}", file=sys.stderr)
                return None
            images.append(np.asarray(data).reshape(height, width, 4))
    return images


def run(args: argparse.Namespace) -> int:
    """Run the diff for parsed arguments; returns the exit code."""
    if batch_diff.wanted(args):
        return batch_diff.run(args)
    for flag in ("report", "jobs", "shard"):
        if getattr(args, flag, None):
            print(f"uireview: --{flag} is for two folders of screenshots", file=sys.stderr)
            return EXIT_USAGE
    if not 0 <= args.threshold <= 1:
        print("uireview: --threshold must be between 0 and 1", file=sys.stderr)
        return EXIT_USAGE
    try:
        limit = _single_limit(args)
    except ValueError as exc:
        print(f"uireview: {exc}", file=sys.stderr)
        return EXIT_USAGE
    images = _decode_both(args.before, args.after)
    if images is None:
        return EXIT_USAGE
    from uireview.compare.diff import compare, diff_finding_fields

    result = compare(
        images[0],
        images[1],
        threshold=args.threshold,
        include_aa=args.include_aa,
        metric=args.metric,
        checkerboard=not args.no_checkerboard,
        window_size=args.window,
        ignore=args.ignore,
        output=bool(args.out),
    )
    if args.out:
        from PIL import Image

        try:
            Image.fromarray(result.diff_image).save(args.out)
        except (OSError, ValueError) as exc:
            print(f"uireview: cannot write {args.out}: {exc}", file=sys.stderr)
            return EXIT_USAGE
    findings = [_finding_json(f) for f in diff_finding_fields(result)]
    if args.json:
        doc = result.to_json()
        doc["findings"] = findings
        print(json.dumps(doc))
    else:
        (wb, hb), (wa, ha) = result.size_before, result.size_after
        print(f"{result.mismatch_pixels:,} px differ ({wb}x{hb} -> {wa}x{ha})")
        if result.window_pixels is not None:
            print(f"densest {args.window}x{args.window} window: {result.window_pixels:,} px")
        for n, f in enumerate(findings, start=1):
            print(f"{n}. [{f['severity']}] {f['title']}: {f['evidence'] or f['detail']}")
    if limit is not None:
        from uireview.compare.batch import counted_pixels

        w, h = result.size_after
        if limit.exceeded(result.mismatch_pixels, counted_pixels(args.ignore, w, h)):
            print(f"uireview: gate failed: {result.mismatch_pixels:,} px differ, over {limit}",
                  file=sys.stderr)  # fmt: skip
            return EXIT_FAILED
    return EXIT_OK


def _single_limit(args: argparse.Namespace):
    """--fail-on-pixels for one pair, read as the folder diff reads it (compare/batch.py)."""
    value = getattr(args, "fail_on_pixels", None)
    if value is None or not isinstance(value, str):
        return value
    from uireview.compare.batch import parse_pixel_limit

    return parse_pixel_limit(value)


def main(argv: list[str] | None = None) -> int:
    """Standalone entry (`python -m uireview.cli.diff BEFORE AFTER ...`)."""

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str):  # one line, exit 2
            print(f"uireview: {message}", file=sys.stderr)
            raise SystemExit(EXIT_USAGE)

    parser = _Parser(prog="uireview")
    add_parser(parser.add_subparsers(dest="command", required=True, parser_class=_Parser))
    args = parser.parse_args(["diff", *(sys.argv[1:] if argv is None else argv)])
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
