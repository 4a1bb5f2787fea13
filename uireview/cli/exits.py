"""The command's exit codes, and the one way a command stops with a sentence.

0 passed, 1 a gate failed (or the store could not be opened), 2 bad input or usage,
3 the provider failed. Every subcommand uses these; none prints a traceback.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_PROVIDER = 3


class Stop(Exception):
    """Stop the command: ``message`` goes to stderr as one line, ``code`` is the exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


class UsageError(Stop):
    """The command line itself is wrong (argparse's complaint, in one line)."""
