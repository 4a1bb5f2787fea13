"""``python -m uireview``: the review pipeline without a browser, for screenshot QA in CI.

Exit codes: 0 success, 2 bad input or usage (one line on stderr), 3 provider failure (the
reason on stderr; measured findings still printed). Never a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from uireview.errors import BadImage, UIReviewError

if TYPE_CHECKING:
    from uireview.findings import Review

# Imports of numpy, Pillow, pydantic and the checks happen inside the commands that need
# them: a CI step that runs `python -m uireview diff` pays only for what the diff uses.
REVIEW_PRESETS = ("spacing", "contrast", "hierarchy", "general")

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PROVIDER = 0, 1, 2, 3
SUBCOMMAND_MODULES = ("diff", "store")


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not argparse's usage block
        raise UsageError(message)


def read_images(paths: Sequence[str]):
    """Load every path as a screenshot, or raise BadImage naming the file."""
    from uireview.images import MAX_BYTES, check_count, load_image

    check_count(len(paths))
    images = []
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            raise BadImage(f"“{raw}” does not exist or is not a file.")
        if path.stat().st_size > MAX_BYTES:
            raise BadImage(f"“{path.name}” is over 20 MiB; export it smaller.")
        images.append(load_image(path.read_bytes(), path.name))
    return images


def format_text(review: Review) -> str:
    lines = []
    for n, f in enumerate(review.findings, 1):
        where = f" at {list(f.box)}" if f.box else ""
        img = f" (image {f.image + 1})" if len(review.images) > 1 else ""
        lines.append(f"{n}. [{f.severity}] [{f.source}] {f.category}: {f.title}{img}{where}")
        for label, text in (("why", f.evidence or f.detail), ("fix", f.suggestion)):
            if text:
                lines.append(f"   {label}: {text}")
    if not review.findings:
        lines.append("No findings.")
    if review.raw_reply and not any(f.source == "model" for f in review.findings):
        lines.append("\nModel reply (not readable as findings):\n" + review.raw_reply)
    return "\n".join(lines)


def _open_store(settings):
    """The review store; when it cannot be opened, a stand-in whose saves say why.

    A read-only folder or a bad URL must not stop a CI check: the review runs, its findings
    print, and the notice "This review could not be saved: <why>." goes to stderr.
    """
    from uireview.store import url_from_settings
    from uireview.store.store import open_or_unavailable

    return open_or_unavailable(url_from_settings(settings))


def cmd_review(args: argparse.Namespace) -> int:
    from uireview import pipeline
    from uireview.settings import load_settings

    images = read_images(args.images)
    settings = load_settings()
    use_model = not args.no_model
    if use_model and not settings.has_key:
        print(
            "uireview: no XAI_API_KEY set; skipping the model, measured checks only.",
            file=sys.stderr,
        )
    with _open_store(settings) as store:
        outcome = pipeline.review_and_keep(
            images,
            args.preset,
            settings=settings,
            store=store,
            note=args.note or "",
            use_model=use_model,
            run_again=args.run_again,
        )
    review = outcome.review
    if args.json:
        print(json.dumps(review.model_dump(mode="json"), ensure_ascii=False))
    else:
        print(format_text(review))
    for notice in review.notices:
        if notice != pipeline.NO_KEY_NOTICE:
            print(f"uireview: {notice}", file=sys.stderr)
    if outcome.not_saved:  # the findings above are whole; only keeping them failed
        print(f"uireview: {outcome.not_saved}", file=sys.stderr)
    if review.error:
        print(f"uireview: {review.error}", file=sys.stderr)
        return EXIT_PROVIDER
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m uireview", description="Review UI screenshots.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    rev = sub.add_parser("review", help="measured checks and the model's critique")
    rev.add_argument("images", nargs="+", metavar="IMAGE")
    rev.add_argument("--preset", choices=REVIEW_PRESETS, default="general")
    rev.add_argument("--note", help="your own note added to the prompt")
    rev.add_argument("--json", action="store_true", help="print one JSON object")
    rev.add_argument("--no-model", action="store_true", help="measured checks only; no network")
    rev.add_argument(
        "--run-again", action="store_true", help="ask again even if the same request was saved"
    )
    rev.set_defaults(run=cmd_review)
    # Further subcommands live in their own modules, each with add_parser(sub) and run(args).
    import importlib

    for name in SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(f"uireview.cli.{name}")
        except ModuleNotFoundError:
            continue
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.ERROR, format="uireview: %(levelname)s %(message)s")
    try:
        args = build_parser().parse_args(argv)
        return args.run(args)
    except UsageError as exc:
        print(f"uireview: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BadImage as exc:
        print(f"uireview: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except UIReviewError as exc:
        print(f"uireview: {exc}", file=sys.stderr)
        return EXIT_PROVIDER
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the promise is: never a traceback
        logging.getLogger(__name__).debug("unexpected", exc_info=True)
        # The type only: an exception's text can carry SQL, paths or object reprs.
        print(
            f"uireview: unexpected error ({type(exc).__name__}); nothing was saved. "
            "Please report it with the command you ran.",
            file=sys.stderr,
        )
        return EXIT_FAILED
