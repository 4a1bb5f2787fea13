"""The design loop on the command line: `dismiss`, `undismiss` and `rate` a stored finding,
and the loop's part of `review`: `--baseline`, `--fail-on`, and the new / resolved listing.

Findings are named by their number as shown (their place in the JSON list, from 1). The CLI
works on the store the settings name, so whoever runs it is trusted as the owner. Exit 0 on
success, 2 with one line on stderr for an unknown review, a number out of range or an empty
reason, 1 if the store cannot be opened.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from uireview.findings import Review

from uireview.cli.exits import EXIT_FAILED, EXIT_OK, EXIT_USAGE

EXIT_GATE = EXIT_FAILED  # a gate that fails exits 1, like the diff's pixel gate
GATE_CHOICES = ("critical", "major", "minor")


def add_review_options(parser: argparse.ArgumentParser) -> None:
    """`--baseline` and `--fail-on` for `review`."""
    parser.add_argument(
        "--baseline",
        metavar="ID",
        help="compare with this saved review: findings become new or persisting, and the "
        "baseline's missing ones resolved; `last` picks the last review of the same file name",
    )
    parser.add_argument(
        "--fail-on",
        choices=GATE_CHOICES,
        help="exit 1 if a finding of this severity or worse is open (with --baseline: new)",
    )


def add_parser(subparsers) -> None:
    """Register `dismiss`, `undismiss` and `rate` on the main CLI's subparsers."""
    dismiss = subparsers.add_parser("dismiss", help="dismiss a finding of a stored review")
    dismiss.add_argument("id", metavar="ID")
    dismiss.add_argument("number", metavar="N", type=int, help="the finding's number as shown")
    dismiss.add_argument(
        "--reason", required=True, metavar="TEXT", help="false, by design, won't fix, or yours"
    )
    dismiss.set_defaults(run=run_dismiss)

    undismiss = subparsers.add_parser("undismiss", help="take a dismissal back")
    undismiss.add_argument("id", metavar="ID")
    undismiss.add_argument("number", metavar="N", type=int)
    undismiss.set_defaults(run=run_undismiss)

    rate = subparsers.add_parser("rate", help="rate one of Grok's findings")
    rate.add_argument("id", metavar="ID")
    rate.add_argument("number", metavar="N", type=int)
    rate.add_argument("rating", choices=("useful", "not-useful", "clear"))
    rate.set_defaults(run=run_rate)


def _store():
    from uireview.settings import load_settings
    from uireview.store import Store

    return Store.from_settings(load_settings())


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"uireview: {message}", file=sys.stderr)
    return code


def run_dismiss(args: argparse.Namespace) -> int:
    with _store() as store:
        try:
            finding = store.dismiss(args.id, args.number, args.reason)
        except (LookupError, ValueError) as exc:
            return _fail(str(exc))
    print(f"Dismissed {args.number} ({finding.dismissed}): {finding.title}")
    return EXIT_OK


def run_undismiss(args: argparse.Namespace) -> int:
    with _store() as store:
        try:
            gone = store.undismiss(args.id, args.number)
        except LookupError as exc:
            return _fail(str(exc))
    print(f"Finding {args.number} is open again." if gone else "It was not dismissed.")
    return EXIT_OK


def run_rate(args: argparse.Namespace) -> int:
    useful = {"useful": True, "not-useful": False, "clear": None}[args.rating]
    with _store() as store:
        try:
            store.rate(args.id, args.number, useful)
        except LookupError as exc:
            return _fail(str(exc))
    print(f"Finding {args.number}: {args.rating.replace('-', ' ')}.")
    return EXIT_OK


def resolve_baseline(store, value: str | None, image) -> str | None:
    """The baseline id to use: as given, or for `last` the last review of this file name
    (of other pixels: the same image again is a rerun)."""
    if value is None:
        return None
    if value != "last":
        return value
    from uireview.errors import BaselineNotFound
    from uireview.pipeline import default_baseline

    found = default_baseline(store, image.name, sha256=image.sha256)
    if found is None:
        raise BaselineNotFound(f"No earlier review of “{image.name}” to use as the baseline.")
    return found


def gate(review: Review, fail_on: str | None) -> int:
    """EXIT_GATE (with one line on stderr) when findings at or above ``fail_on`` count."""
    if not fail_on:
        return EXIT_OK
    from uireview.loop import gate_failures

    failing = gate_failures(review, fail_on)
    if not failing:
        return EXIT_OK
    which = "new finding" if review.baseline else "finding"
    numbers = ", ".join(str(review.findings.index(f) + 1) for f in failing)
    print(
        f"uireview: gate failed: {len(failing)} {which}{'s' if len(failing) > 1 else ''} "
        f"at {fail_on} or above ({numbers}).",
        file=sys.stderr,
    )
    return EXIT_GATE


def format_loop(review: Review) -> list[str]:
    """The loop's lines under the findings: counts, resolved, dismissed (empty without one)."""
    lines: list[str] = []
    if review.baseline:
        from uireview.loop import loop_counts

        c = loop_counts(review)
        lines.append(
            f"\nAgainst baseline {review.baseline}: {c['new']} new, {c['persisting']} "
            f"persisting, {c['resolved']} resolved, {c['dismissed']} dismissed."
        )
        for f in review.resolved:
            n = f.previous.get("number")
            lines.append(f"  resolved (was {n}): [{f.severity}] {f.category}: {f.title}")
    for f in review.dismissed:
        lines.append(f"  dismissed ({f.dismissed}): [{f.severity}] {f.category}: {f.title}")
    if review.id:
        lines.append(f"\nReview {review.id}")
    return lines


def tag(finding) -> str:
    """`` [new]``, `` [persisting, was 2.10:1]`` or `` [dismissed: by design]`` after a title."""
    parts = []
    if finding.status:
        was = finding.previous.get("ratio")
        now = finding.metrics.get("ratio")
        changed = was is not None and now is not None and was != now
        parts.append(f"{finding.status}, was {was:.2f}:1" if changed else finding.status)
    if finding.dismissed:
        parts.append(f"dismissed: {finding.dismissed}")
    return f" [{'; '.join(parts)}]" if parts else ""
