"""`uireview review IMAGE...`: measured checks and the model's critique, printed or as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from uireview.cli import batch_review
from uireview.cli.exits import EXIT_OK, EXIT_PROVIDER, UsageError
from uireview.errors import BadImage

if TYPE_CHECKING:
    from uireview.findings import Review


def add_parser(subparsers) -> None:
    """Register `review` on the main CLI's subparsers."""
    rev = subparsers.add_parser("review", help="measured checks and the model's critique")
    rev.add_argument("images", nargs="+", metavar="IMAGE", help="1-10 images, or one folder")
    # Checked against the prompt files in run(): reading them here would slow every command.
    rev.add_argument(
        "--preset", default="general", help="a preset from prompts/ (spacing, contrast, ...)"
    )
    rev.add_argument("--note", help="your own note added to the prompt")
    rev.add_argument("--json", action="store_true", help="print one JSON object")
    rev.add_argument("--no-model", action="store_true", help="measured checks only; no network")
    rev.add_argument(
        "--run-again", action="store_true", help="ask again even if the same request was saved"
    )
    from uireview.cli.loop import add_review_options

    add_review_options(rev)
    batch_review.add_arguments(rev)
    rev.set_defaults(run=cmd_review)


def _check_preset(name: str) -> None:
    from uireview.presets import review_presets

    choices = review_presets()
    if name not in choices:
        raise UsageError(
            f"argument --preset: invalid choice: {name!r} (choose from "
            + ", ".join(repr(c) for c in choices)
            + ")"
        )


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
    from uireview.cli.loop import format_loop, tag
    from uireview.export import naming

    lines = []
    for n, f in enumerate(review.findings, 1):
        where = f" at {list(f.box)}" if f.box else ""
        img = f" (image {f.image + 1})" if len(review.images) > 1 else ""
        lines.append(
            f"{n}. [{f.severity}] [{f.source}] {f.category}: {f.title}{img}{where}{tag(f)}"
        )
        if named := naming(f):
            lines.append(f"   where: {named}")
        for label, text in (("why", f.evidence or f.detail), ("fix", f.suggestion)):
            if text:
                lines.append(f"   {label}: {text}")
    if not review.findings:
        lines.append("No findings.")
    if review.raw_reply and not any(f.source == "model" for f in review.findings):
        lines.append("\nModel reply (not readable as findings):\n" + review.raw_reply)
    lines += format_loop(review)
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
    if batch_review.wanted(args):
        return batch_review.run(args)
    _check_preset(args.preset)
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
    elif use_model:
        # XAI_MODEL unset and the default not served: the newest listed image model, said in
        # one line. An explicit XAI_MODEL stays; the review then says what is wrong (exit 3).
        choice = pipeline.choose_model(settings)
        if choice.notice:
            print(f"uireview: {choice.notice}", file=sys.stderr)
        settings = choice.settings
    from uireview.cli.loop import gate, resolve_baseline

    with _open_store(settings) as store:
        outcome = pipeline.review_and_keep(
            images,
            args.preset,
            settings=settings,
            store=store,
            note=args.note or "",
            use_model=use_model,
            run_again=args.run_again,
            baseline=resolve_baseline(store, args.baseline, images[0]),
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
    gated = gate(review, args.fail_on)
    if review.error:
        print(f"uireview: {review.error}", file=sys.stderr)
    if gated != EXIT_OK:
        return gated
    return EXIT_PROVIDER if review.error else EXIT_OK
