"""When the database cannot be used: why, in our words, and a stand-in store that says so.

The app keeps reviewing (and showing, and offering downloads) with the stand-in; saving and
owner actions raise ``StorageFailed`` with the reason.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from uireview.errors import StorageFailed
from uireview.findings import Finding, Review
from uireview.store.records import Page, Saved

log = logging.getLogger(__name__)

# What a storage failure means for the user, from the driver's words or the OS error
# number: the first match wins. The driver's own text (with SQL and parameters) is never
# shown; it goes to the log as its type only.
_STORAGE_REASONS = [
    (("disk is full", "no space left"), {errno.ENOSPC, errno.EDQUOT}, "the disk is full"),
    (
        ("readonly", "read-only", "read only", "permission denied"),
        {errno.EROFS, errno.EACCES, errno.EPERM},
        "the data folder is read-only",
    ),
    (("unable to open database",), {errno.ENOENT}, "the database file cannot be opened"),
    (("disk i/o error",), {errno.EIO}, "the disk reported an error"),
    (("database is locked",), set(), "the database stayed busy; try again"),
]


def storage_reason(exc: BaseException) -> str:
    """A short reason, in our words, for a storage failure (``"the disk is full"``)."""
    seen: set[int] = set()
    texts: list[str] = []
    current: BaseException | None = exc
    while current is not None and len(texts) < 5:  # the driver's error sits inside SQLAlchemy's
        if isinstance(current, OSError) and current.errno is not None:
            seen.add(current.errno)
        texts.append(str(getattr(current, "orig", None) or current).lower())
        current = getattr(current, "orig", None) or current.__cause__
    joined = " ".join(texts)
    for phrases, numbers, why in _STORAGE_REASONS:
        if seen & numbers or any(p in joined for p in phrases):
            return why
    return "the database refused to store it"


class UnavailableStore:
    """Stands in for a store that could not be opened: nothing is found, saving says why.

    The app keeps reviewing (and showing, and offering downloads) with it; ``why`` is shown.
    """

    def __init__(self, why: str, clock: Callable[[], datetime] | None = None):
        self.why = why
        self._clock = clock or (lambda: datetime.now(UTC))

    def now(self) -> datetime:
        return self._clock()

    def close(self) -> None:
        pass

    def __enter__(self) -> UnavailableStore:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def save(self, *args: Any, **kwargs: Any) -> Saved:
        raise StorageFailed(self.why)

    def find_cached(self, key: str) -> Review | None:
        return None

    def load(self, review_id: str) -> Review | None:
        return None

    def image(self, sha256: str) -> bytes | None:
        return None

    def images_for(self, review: Review) -> list[bytes]:
        raise LookupError(f"Saved reviews are unavailable: {self.why}.")

    def list_reviews(
        self, query: str = "", page: int = 1, per_page: int = 20, filters: Any = None
    ) -> Page:
        return Page(items=[], total=0, page=1, pages=1)

    def delete(self, review_id: str, token: str) -> bool:
        return False

    def delete_owned(self, tokens: dict[str, str]) -> list[str]:
        return []

    def purge_expired(self) -> int:
        return 0

    # The design loop: no earlier review can be found, and owner actions say why they failed.
    def latest_named(self, name: str, *args: Any, **kwargs: Any) -> str | None:
        return None

    def entry_for(self, key: str) -> str | None:
        return None

    def touch(self, review_id: str) -> Review | None:
        return None

    def presets(self) -> list[str]:
        return []

    def rating_summary(self) -> dict[str, dict[str, int]]:
        return {}

    def is_owner(self, review_id: str, token: str | None) -> bool:
        return False

    def dismiss(self, *args: Any, **kwargs: Any) -> Finding:
        raise StorageFailed(self.why)

    def undismiss(self, *args: Any, **kwargs: Any) -> bool:
        raise StorageFailed(self.why)

    def rate(self, *args: Any, **kwargs: Any) -> None:
        raise StorageFailed(self.why)


# What a failing database or disk raises (the driver's, SQLAlchemy's, the OS's).
STORAGE_ERRORS = (SQLAlchemyError, OSError, sqlite3.Error)


def unavailable(url: str, exc: BaseException) -> UnavailableStore:
    """The stand-in for the store at ``url`` that failed to open with ``exc``."""
    why = storage_reason(exc)
    # SQLite says only "unable to open database file" when it cannot create one.
    folder = _sqlite_folder(url)
    if folder is not None and why != "the disk is full" and not _writable(folder):
        why = "the data folder is read-only"
    log.warning("opening the review store failed (%s): %s", type(exc).__name__, why)
    return UnavailableStore(why)


def _sqlite_folder(url: str) -> Path | None:
    try:
        parsed = make_url(url)
    except Exception:
        return None
    database = parsed.database or ""
    if not parsed.drivername.startswith("sqlite") or database in ("", ":memory:"):
        return None
    return Path(database).parent


def _writable(folder: Path) -> bool:
    """Whether ``folder`` (or its nearest existing parent, which we would create it in) is."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return os.access(folder, os.W_OK)
