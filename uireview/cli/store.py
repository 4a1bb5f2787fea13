"""`python -m uireview show ID` and `export ID`: a stored review, printed or written to a file.

The store is the one the settings name (``UIREVIEW_DATABASE_URL``, else SQLite in
``UIREVIEW_DATA_DIR``). Exit 0 on success; 2 with one line on stderr for an unknown, expired
or malformed id, a missing output folder, or a file that cannot be written; 1 if the store
itself cannot be opened.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from uireview.cli.exits import EXIT_FAILED, EXIT_OK, Stop

FORMATS = ("md", "json", "png", "html")
_SUFFIX_FORMAT = {
    ".md": "md",
    ".markdown": "md",
    ".json": "json",
    ".png": "png",
    ".html": "html",
    ".htm": "html",
}


def add_parser(subparsers) -> None:
    """Register `show` and `export` on the main CLI's subparsers."""
    show = subparsers.add_parser("show", help="print a stored review")
    show.add_argument("id", metavar="ID", help="the review id (from the app's share link)")
    how = show.add_mutually_exclusive_group()
    how.add_argument(
        "--json", action="store_true", help="print one JSON object, as `review --json`"
    )
    how.add_argument("--markdown", action="store_true", help="print a Markdown checklist")
    show.set_defaults(run=run_show)

    export = subparsers.add_parser("export", help="write a stored review as md, json, png or html")
    export.add_argument("id", metavar="ID")
    export.add_argument(
        "--format", choices=FORMATS, help="default: from the --out suffix (.md .json .png .html)"
    )
    export.add_argument(
        "--out", required=True, metavar="FILE", help="the file to write; - for stdout"
    )
    export.set_defaults(run=run_export)


def _shown_id(review_id: str) -> str:
    # The id is the user's input echoed back: keep it short and on one line.
    text = repr(review_id)
    return text if len(text) <= 50 else text[:49] + "…"


def _load(review_id: str):
    """The stored review and its open store, or Stop saying why not."""
    from uireview.errors import scrub
    from uireview.settings import load_settings
    from uireview.store import Store, is_valid_id

    if not is_valid_id(review_id):  # checked before touching the database
        raise Stop(f"no review with id {_shown_id(review_id)} (not a review id)")
    try:
        store = Store.from_settings(load_settings())
    except Exception as exc:  # a bad URL, an unreachable server, a read-only folder
        raise Stop(
            f"cannot open the review store ({type(exc).__name__}: {scrub(exc)}); "
            "check UIREVIEW_DATABASE_URL or UIREVIEW_DATA_DIR",
            EXIT_FAILED,
        ) from None
    try:
        review = store.load(review_id)
    except BaseException:
        store.close()
        raise
    if review is None:
        store.close()
        raise Stop(f"no review with id {_shown_id(review_id)} (unknown, expired or deleted)")
    return review, store


def _to_stdout(data: bytes) -> int:
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        # The reader left early (`| head`): not an error; keep the exit-time flush quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_OK


def run_show(args: argparse.Namespace) -> int:
    """Print a stored review as text (like `review`), JSON or Markdown."""
    from uireview import export
    from uireview.cli.review import format_text

    review, store = _load(args.id)
    store.close()
    if args.json:
        text = export.to_json(review) + "\n"
    elif args.markdown:
        text = export.to_markdown(review)
    else:
        text = format_text(review) + "\n"
    return _to_stdout(text.encode("utf-8"))


def run_export(args: argparse.Namespace) -> int:
    """Write a stored review to ``--out`` in the chosen format."""
    from uireview import export

    fmt = args.format
    to_stdout = args.out == "-"
    if fmt is None:
        fmt = None if to_stdout else _SUFFIX_FORMAT.get(Path(args.out).suffix.lower())
        if fmt is None:
            raise Stop(f"say which --format to write ({', '.join(FORMATS)})")
    out = Path(args.out)
    if not to_stdout and not out.parent.is_dir():
        raise Stop(f"the folder {str(out.parent)!r} does not exist; create it first")
    if not to_stdout and out.is_dir():
        raise Stop(f"{args.out!r} is a folder; give a file name")

    review, store = _load(args.id)
    try:
        images = store.images_for(review) if fmt in ("png", "html") else []
    except LookupError as exc:
        raise Stop(f"{exc} Export it as md or json instead.") from None
    finally:
        store.close()

    if fmt == "md":
        data = export.to_markdown(review).encode("utf-8")
    elif fmt == "json":
        data = (export.to_json(review) + "\n").encode("utf-8")
    elif fmt == "png":
        data = export.to_png(review, images)
    else:
        data = export.to_html(review, images).encode("utf-8")

    if to_stdout:
        return _to_stdout(data)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise Stop(f"cannot write {args.out}: {exc.strerror or exc}") from None
    return EXIT_OK
