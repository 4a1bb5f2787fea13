"""``uireview`` (or ``python -m uireview``): the pipeline without a browser, for screenshot QA.

Exit codes are in ``exits.py``: 0 success, 1 a gate failed, 2 bad input or usage (one line on
stderr), 3 provider failure (the reason on stderr; measured findings still printed). Never a
traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from typing import NoReturn

from uireview.cli.exits import EXIT_FAILED, EXIT_PROVIDER, EXIT_USAGE, Stop, UsageError
from uireview.errors import BadImage, UIReviewError

# Imports of numpy, Pillow, pydantic and the checks happen inside the commands that need
# them: a CI step that runs `uireview diff` pays only for what the diff uses.
SUBCOMMAND_MODULES = ("review", "diff", "store")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, not argparse's usage block
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="uireview", description="Review UI screenshots.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    # Each subcommand lives in its own module, with add_parser(sub) setting its run(args).
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(f"uireview.cli.{name}").add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.ERROR, format="uireview: %(levelname)s %(message)s")
    try:
        args = build_parser().parse_args(argv)
        return args.run(args)
    except Stop as stop:
        print(f"uireview: {stop}", file=sys.stderr)
        return stop.code
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
        print(f"uireview: unexpected error ({type(exc).__name__}: {exc})", file=sys.stderr)
        return EXIT_FAILED
