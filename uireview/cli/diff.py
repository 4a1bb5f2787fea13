"""`python -m uireview diff BEFORE AFTER`: the measured pixel diff of two screenshots.

Measured only: the model's explanation of a diff belongs to the pipeline (--no-model is
accepted for symmetry with `review`). Exit 0 on success, 1 when ``--fail-on-pixels`` is
exceeded, 2 with one line on stderr for bad input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

# numpy and Pillow are imported inside run(): the main CLI registers this subcommand on every
# start. Pillow only when a file needs it (compare/decode.py: libspng takes most PNGs) or for
# --out. pydantic is not imported at all: findings are printed from their field values
# (_finding_json), ~90 ms less per process.
from uireview.cli import batch_diff
from uireview.cli.exits import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from uireview.errors import UIReviewError

FINDING_SOURCE = Path(__file__).resolve().parents[1] / "findings.py"


def finding_defaults() -> dict[str, Any]:
    """Finding's defaults for the fields diff findings leave out, in field order."""
    return _finding_fields()[1]


@lru_cache(maxsize=1)
def _finding_fields() -> tuple[tuple[str, ...], dict[str, Any]]:
    """Finding's field names in order, and the defaults of those that have one.

    Read from the class in findings.py as written, not from the pydantic model (importing
    pydantic costs ~90 ms a process): a default is a literal or ``Field(default_factory=
    list|dict)``; anything else raises, so a new kind of default cannot go unnoticed.
    """
    import ast

    text = FINDING_SOURCE.read_text(encoding="utf-8")
    # only the class's own lines are parsed: the whole module cost ~10 ms a diff process
    start = text.find("\nclass Finding(")
    end = text.find("\nclass ", start + 1) if start >= 0 else -1
    tree = ast.parse(text[start + 1 : end] if start >= 0 and end > 0 else text)
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Finding")
    names: list[str] = []
    defaults: dict[str, Any] = {}
    for node in cls.body:
        if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name):
            continue
        names.append(node.target.id)
        if node.value is not None:
            defaults[node.target.id] = _default(node.value)
    return tuple(names), defaults


def _default(value):
    import ast

    if isinstance(value, ast.Call) and getattr(value.func, "id", None) == "Field":
        made = {k.arg: k.value for k in value.keywords}
        factory = made.get("default_factory")
        if isinstance(factory, ast.Name) and factory.id in ("list", "dict"):
            return [] if factory.id == "list" else {}
        if "default" in made and not factory:
            return ast.literal_eval(made["default"])
        raise ValueError(f"Finding field default not understood: {ast.unparse(value)}")
    return ast.literal_eval(value)


def _finding_json(fields: dict) -> dict:
    """A diff finding's JSON from its field values, as Finding.model_dump(mode="json") gives."""
    order, defaults = _finding_fields()
    doc = {**defaults, **fields}
    # through JSON and back: tuples (Box) become lists, as pydantic dumps them
    return json.loads(json.dumps({k: doc[k] for k in order}))


def _box(text: str):
    from uireview.boxes import parse_box

    try:
        return parse_box(text)
    except ValueError as exc:  # argparse turns this into "argument --ignore: <sentence>"
        raise argparse.ArgumentTypeError(str(exc)) from None


def _gate(text: str):
    from uireview.compare.gate import parse_gate

    try:
        return parse_gate(text)
    except ValueError as exc:
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
    p.add_argument("--ignore-before", type=_box, action="append", default=[],
                   metavar="X0,Y0,X1,Y1", help="the same, before image pixels")  # fmt: skip
    p.add_argument("--fail-on-pixels", type=_gate, metavar="N|P%",
                   help="exit 1 when more pixels differ (after ignored areas) than N, "
                   "or than P%% of the pixels compared")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--no-model", action="store_true", help="accepted; the diff is measured only")
    p.add_argument("--out", metavar="DIFF.png", help="write pixelmatch's diff image")
    batch_diff.add_arguments(p)
    p.set_defaults(run=run)
    return p


def _decode(path: str, data: bytes | None = None):
    """An image file's pixels as an RGBA array, decoded once (compare/decode.py).

    Held to the same limits and sentences as a review (``uireview.limits``); raises
    ``BadImage``.
    """
    from uireview.compare.decode import read_screenshot

    return read_screenshot(path, data)


def _decode_both(before: str, after: str):
    """Both images as RGBA arrays, or None after one line on stderr."""
    from uireview.compare.decode import bombs_refused, fast, read_bytes

    try:
        data = [read_bytes(p) for p in (before, after)]
        if all(fast(d) for d in data):
            # libspng holds the GIL, so its two decodes would take turns in threads anyway;
            # in this thread, and Pillow is not even imported (~30 ms).
            return [_decode(p, d) for p, d in zip((before, after), data, strict=True)]
    except UIReviewError as exc:  # unreadable, missing, too large: the user's to fix
        print(f"uireview: {exc}", file=sys.stderr)
        return None
    # Pillow's decodes in parallel (it releases the GIL while inflating), and meanwhile the
    # engine's imports in this thread.
    from concurrent.futures import ThreadPoolExecutor

    with bombs_refused(), ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(_decode, p, d) for p, d in zip((before, after), data, strict=True)]
        import uireview.compare.diff  # noqa: F401  (imported here to overlap the decodes)

        images = []
        for fut in futures:
            try:
                images.append(fut.result())
            except UIReviewError as exc:
                print(f"uireview: {exc}", file=sys.stderr)
                return None
    return images


def _out_problem(out: str) -> str | None:
    """Why the diff image cannot be written to ``out``, found before any work; None if fine."""
    path = Path(out)
    if path.is_dir():
        return f"--out {out} is a folder; give a file name such as {path / 'diff.png'}"
    if path.suffix.lower() != ".png":
        return f"--out {out} must end in .png (the diff image is a PNG)"
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        return f"--out {out}: the folder {folder} does not exist"
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return f"--out {out} cannot be written (permission denied)"
    return None


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
    if args.window is not None and args.window < 1:
        print("uireview: --window must be 1 or more pixels", file=sys.stderr)
        return EXIT_USAGE
    problem = _out_problem(args.out) if args.out else None
    if problem:
        print(f"uireview: {problem}", file=sys.stderr)
        return EXIT_USAGE
    # The diff never calls BLAS, yet numpy's OpenBLAS starts a thread per core when numpy is
    # imported (next line): one thread spares ~20% of the import's CPU. This process only, and
    # only when the user has not set it.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
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
        ignore_before=args.ignore_before,
        output=bool(args.out),
    )
    if args.out and result.diff_image is not None:  # asked for with output=True
        from uireview.compare.png import encode_png

        try:
            Path(args.out).write_bytes(encode_png(result.diff_image))
        except OSError as exc:  # checked up front; the disk can still fill meanwhile
            why = exc.strerror or "the disk refused it"
            print(f"uireview: could not write {args.out}: {why}", file=sys.stderr)
            return EXIT_USAGE
    findings = [_finding_json(f) for f in diff_finding_fields(result)]
    gate = args.fail_on_pixels
    verdict = gate.judge(result.mismatch_pixels, result.compared_pixels) if gate else None
    if args.json:
        doc = result.to_json()
        doc["findings"] = findings
        if verdict is not None:
            doc["gate"] = {"limit": str(gate), "allowed": verdict.allowed, "passed": verdict.passed}
        print(json.dumps(doc))
    else:
        (wb, hb), (wa, ha) = result.size_before, result.size_after
        print(f"{result.mismatch_pixels:,} px differ ({wb}x{hb} -> {wa}x{ha})")
        if result.window_pixels is not None:
            print(f"densest {args.window}x{args.window} window: {result.window_pixels:,} px")
        for n, f in enumerate(findings, start=1):
            print(f"{n}. [{f['severity']}] {f['title']}: {f['evidence'] or f['detail']}")
        if verdict is not None:
            print(verdict.sentence)
    return EXIT_FAILED if verdict is not None and not verdict.passed else EXIT_OK


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
