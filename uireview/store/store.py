"""Reviews and their images, kept so a result can be reopened, shared, searched and reused.

- A review is saved whole (its JSON) plus the columns history and cache look-ups need;
  reviews are immutable, a re-run is a new review.
- Images are stored once per content hash (sha256) and removed when no review uses them.
- Ids are ``secrets.token_urlsafe`` (see ``ids``) and are checked by shape before any query;
  anything malformed, unknown or expired loads as ``None``.
- ``save`` returns a delete token, shown once to the owner; only its sha256 is stored.
- Dismissals and ratings of findings live in their own tables and are laid over the review
  on ``load``; the saved JSON stays as the review was made.

Where the database is and how it opens: ``database``. What failures mean: ``failures``.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, exists, func, insert, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from uireview.errors import StorageFailed
from uireview.findings import Finding, Review
from uireview.store.database import make_engine, migrate, sqlite_url, url_from_settings
from uireview.store.failures import STORAGE_ERRORS, UnavailableStore, storage_reason, unavailable
from uireview.store.ids import is_sha256, is_valid_id, new_id, token_hash
from uireview.store.records import (
    Filters,
    Page,
    ReviewSummary,
    Saved,
    cost_of,
    counts_of,
    loop_columns_of,
    normalise_reason,
    search_text_of,
    title_of,
)
from uireview.store.schema import NAME_MAX, dismissals, images, ratings, review_images, reviews

log = logging.getLogger(__name__)

MAX_PER_PAGE = 100


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class Store:
    """Reviews and images in one database. Thread-safe: share one Store per process."""

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] | None = None):
        """Wrap an engine whose schema is already migrated; prefer ``Store.open``."""
        self.engine = engine
        self._writer = engine.execution_options(uireview_write=True)
        self._clock = clock or (lambda: datetime.now(UTC))

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        url: str | None = None,
        data_dir: Path | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> Store:
        """Open (creating and migrating as needed) the store at ``url``.

        Without a URL: SQLite in ``data_dir``; with neither, the app's settings decide.
        """
        if url is None:
            url = sqlite_url(data_dir) if data_dir is not None else url_from_settings()
        engine = make_engine(url)
        try:
            migrate(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, clock=clock)

    @classmethod
    def from_settings(cls, settings: Any) -> Store:
        """Open the store the settings name (``database_url``, else SQLite in ``data_dir``)."""
        return cls.open(url_from_settings(settings))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def now(self) -> datetime:
        return self._clock()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._writer.begin() as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def _live(self):
        """SQL condition: not expired at this moment."""
        return or_(reviews.c.expires_at.is_(None), reviews.c.expires_at > self.now())

    # -- saving --------------------------------------------------------------------------

    def save(
        self,
        review: Review,
        images: list[bytes],
        *,
        request_key: str | None = None,
        expires_at: datetime | None = None,
    ) -> Saved:
        """Store a finished review and its images in one transaction; return id and token.

        ``images`` are the bytes of ``review.images`` in the same order (their sha256 must
        match). ``expires_at`` (aware, or naive meaning UTC) hides the review after that time.
        """
        if len(images) != len(review.images):
            raise ValueError(
                f"save() got {len(images)} image(s) for a review of {len(review.images)}."
            )
        hashes = [hashlib.sha256(b).hexdigest() for b in images]
        for position, (info, digest) in enumerate(zip(review.images, hashes, strict=True)):
            if info.sha256 != digest:
                raise ValueError(
                    f"Image {position + 1} ({info.name}) does not match its sha256 in the review."
                )
        if request_key is not None and not is_sha256(request_key):
            raise ValueError(
                "request_key must be a sha256 hex digest (see uireview.store.requestkey)."
            )

        # A concurrent delete can remove a shared image between our check and our link
        # (PostgreSQL only; SQLite writers are serialised). Retry: the image is re-inserted.
        try:
            for attempt in range(3):
                try:
                    return self._save_once(review, images, hashes, request_key, expires_at)
                except IntegrityError:
                    if attempt == 2:
                        raise
        except STORAGE_ERRORS as exc:
            # A full or read-only disk: the transaction rolled back, nothing is half saved.
            why = storage_reason(exc)
            log.warning("saving a review failed (%s): %s", type(exc).__name__, why)
            raise StorageFailed(why) from None
        raise AssertionError("unreachable")

    def _save_once(
        self,
        review: Review,
        images: list[bytes],
        hashes: list[str],
        request_key: str | None,
        expires_at: datetime | None,
    ) -> Saved:
        review_id = new_id()
        token = secrets.token_urlsafe(32)
        created = self.now()
        stored = review.model_copy(
            update={"id": review_id, "created_at": created.isoformat(), "cached": False}
        )
        with self._write() as conn:
            self._put_images(conn, dict(zip(hashes, images, strict=True)), created)
            conn.execute(
                insert(reviews).values(
                    id=review_id,
                    kind=review.kind,
                    preset=review.preset,
                    created_at=created,
                    expires_at=expires_at,
                    title=title_of(review),
                    search_text=search_text_of(review),
                    first_image=hashes[0] if hashes else None,
                    first_name=review.images[0].name[:NAME_MAX] if review.images else None,
                    with_model=bool(review.model),
                    request_key=request_key,
                    delete_token_sha256=token_hash(token),
                    data=stored.model_dump_json(),
                    **counts_of(review),
                    **loop_columns_of(review),
                )
            )
            if hashes:
                conn.execute(
                    insert(review_images),
                    [
                        {"review_id": review_id, "position": i, "sha256": h}
                        for i, h in enumerate(hashes)
                    ],
                )
        return Saved(id=review_id, delete_token=token, review=stored)

    def _put_images(self, conn: Connection, blobs: dict[str, bytes], created: datetime) -> None:
        """Insert the images not stored yet; an image already there is left as it is."""
        if not blobs:
            return
        rows = [
            {"sha256": h, "size": len(b), "data": b, "created_at": created}
            for h, b in blobs.items()
        ]
        dialect = conn.dialect.name
        if dialect in ("postgresql", "sqlite"):
            from sqlalchemy.dialects import postgresql, sqlite

            dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            # ON CONFLICT DO NOTHING: two sessions saving the same new image both succeed.
            conn.execute(dialect_insert(images).on_conflict_do_nothing(), rows)
            return
        have = set(conn.scalars(select(images.c.sha256).where(images.c.sha256.in_(blobs))))
        missing = [r for r in rows if r["sha256"] not in have]
        if missing:
            conn.execute(insert(images), missing)

    # -- reading -------------------------------------------------------------------------

    def load(self, review_id: str) -> Review | None:
        """The review with this id, or None if malformed, unknown or expired."""
        if not is_valid_id(review_id):
            return None
        with self._read() as conn:
            data = conn.scalar(
                select(reviews.c.data).where(reviews.c.id == review_id, self._live())
            )
            if data is None:
                return None
            return self._overlaid(conn, review_id, Review.model_validate_json(data))

    def _overlaid(self, conn: Connection, review_id: str, review: Review) -> Review:
        """The review with its owner's dismissals and ratings laid over its findings."""
        reasons = dict(
            conn.execute(
                select(dismissals.c.position, dismissals.c.reason).where(
                    dismissals.c.review_id == review_id
                )
            ).all()
        )
        rated = dict(
            conn.execute(
                select(ratings.c.position, ratings.c.useful).where(ratings.c.review_id == review_id)
            ).all()
        )
        if not reasons and not rated:
            return review
        findings = []
        for number, f in enumerate(review.findings, 1):
            update_ = {}
            if number in reasons:
                update_["dismissed"] = reasons[number]
            if number in rated:
                update_["rating"] = "useful" if rated[number] else "not useful"
            findings.append(f.model_copy(update=update_) if update_ else f)
        return review.model_copy(update={"findings": findings})

    # -- the owner's judgement -------------------------------------------------------------

    def _finding(self, conn: Connection, review_id: str, number: int) -> tuple[Review, Finding]:
        if not is_valid_id(review_id):
            raise LookupError("That is not a review id.")
        data = conn.scalar(select(reviews.c.data).where(reviews.c.id == review_id, self._live()))
        if data is None:
            raise LookupError("No saved review has that id (it may have expired or been deleted).")
        review = Review.model_validate_json(data)
        if not isinstance(number, int) or not 1 <= number <= len(review.findings):
            raise LookupError(
                f"The review has {len(review.findings)} finding(s); "
                f"{number} is not one of their numbers."
            )
        return review, review.findings[number - 1]

    def dismiss(self, review_id: str, number: int, reason: str) -> Finding:
        """Dismiss finding ``number`` (1-based, as shown) of a review; return it as dismissed.

        LookupError for an unknown review or number; ValueError for an empty reason. Checking
        that the caller owns the review is the caller's job (``is_owner``).
        """
        reason = normalise_reason(reason)
        with self._write() as conn:
            review, finding = self._finding(conn, review_id, number)
            conn.execute(
                delete(dismissals).where(
                    dismissals.c.review_id == review_id, dismissals.c.position == number
                )
            )
            conn.execute(
                insert(dismissals).values(
                    review_id=review_id, position=number, reason=reason, created_at=self.now()
                )
            )
            self._recount(conn, review_id, review)
        return finding.model_copy(update={"dismissed": reason})

    def undismiss(self, review_id: str, number: int) -> bool:
        """Take a dismissal back; False if the finding was not dismissed."""
        with self._write() as conn:
            review, _ = self._finding(conn, review_id, number)
            gone = conn.execute(
                delete(dismissals).where(
                    dismissals.c.review_id == review_id, dismissals.c.position == number
                )
            ).rowcount
            self._recount(conn, review_id, review)
        return bool(gone)

    def _recount(self, conn: Connection, review_id: str, review: Review) -> None:
        """History's counts leave dismissed findings out."""
        shown = self._overlaid(conn, review_id, review)
        conn.execute(
            update(reviews)
            .where(reviews.c.id == review_id)
            .values(**counts_of(shown), **loop_columns_of(shown))
        )

    def rate(self, review_id: str, number: int, useful: bool | None) -> None:
        """Rate model finding ``number`` useful (True) or not (False); None clears the rating."""
        with self._write() as conn:
            _, finding = self._finding(conn, review_id, number)
            if finding.source != "model":
                raise LookupError("Only Grok's findings are rated; measured ones are facts.")
            conn.execute(
                delete(ratings).where(
                    ratings.c.review_id == review_id, ratings.c.position == number
                )
            )
            if useful is not None:
                conn.execute(
                    insert(ratings).values(
                        review_id=review_id,
                        position=number,
                        useful=bool(useful),
                        created_at=self.now(),
                    )
                )

    def rating_summary(self) -> dict[str, dict[str, int]]:
        """Ratings of model findings per preset over live reviews: {"general": {"useful": 3,
        "not useful": 1}}."""
        with self._read() as conn:
            rows = conn.execute(
                select(reviews.c.preset, ratings.c.useful, func.count())
                .join(reviews, reviews.c.id == ratings.c.review_id)
                .where(self._live())
                .group_by(reviews.c.preset, ratings.c.useful)
            ).all()
        out: dict[str, dict[str, int]] = {}
        for preset, useful, n in rows:
            out.setdefault(preset, {"useful": 0, "not useful": 0})[
                "useful" if useful else "not useful"
            ] += n
        return out

    def is_owner(self, review_id: str, token: str | None) -> bool:
        """True when ``token`` is the review's delete token (compared in constant time)."""
        if not is_valid_id(review_id) or not isinstance(token, str):
            return False
        with self._read() as conn:
            stored = conn.scalar(
                select(reviews.c.delete_token_sha256).where(reviews.c.id == review_id)
            )
        return stored is not None and hmac.compare_digest(stored, token_hash(token))

    def latest_named(
        self,
        name: str,
        kind: str = "review",
        before: str | None = None,
        other_than: str | None = None,
    ) -> str | None:
        """The id of the newest live review whose first image has this file name, or None.

        ``before`` (an id) leaves that review out, so a review never becomes its own baseline;
        ``other_than`` (a sha256) leaves out reviews of exactly that image: the same pixels
        again are a rerun, not a next version.
        """
        conditions = [self._live(), reviews.c.first_name == name[:NAME_MAX], reviews.c.kind == kind]
        if before is not None:
            conditions.append(reviews.c.id != before)
        if other_than is not None:
            conditions.append(reviews.c.first_image != other_than)
        with self._read() as conn:
            return conn.scalar(
                select(reviews.c.id)
                .where(*conditions)
                .order_by(reviews.c.created_at.desc(), reviews.c.id.desc())
                .limit(1)
            )

    def presets(self) -> list[str]:
        """The presets live reviews used, for history's filter."""
        with self._read() as conn:
            return sorted(
                conn.scalars(select(reviews.c.preset).where(self._live()).distinct()).all()
            )

    def image(self, sha256: str) -> bytes | None:
        """The bytes of a stored image by content hash, or None."""
        if not is_sha256(sha256):
            return None
        with self._read() as conn:
            return conn.scalar(select(images.c.data).where(images.c.sha256 == sha256))

    def images_for(self, review: Review) -> list[bytes]:
        """The bytes of a review's images, in its order; LookupError if one is missing."""
        wanted = [i.sha256 for i in review.images]
        if not wanted:
            return []
        if not all(is_sha256(h) for h in wanted):
            raise LookupError("The review names an image by a malformed hash.")
        with self._read() as conn:
            found = dict(
                conn.execute(
                    select(images.c.sha256, images.c.data).where(images.c.sha256.in_(set(wanted)))
                ).all()
            )
        missing = [h for h in wanted if h not in found]
        if missing:
            raise LookupError(f"{len(missing)} image(s) of this review are no longer stored.")
        return [found[h] for h in wanted]

    def list_reviews(
        self, query: str = "", page: int = 1, per_page: int = 20, filters: Filters | None = None
    ) -> Page:
        """History, newest first, excluding expired reviews.

        ``query`` matches (case-insensitively, as a substring) the preset, note, image names
        and each finding's category, title, detail, words and place. ``filters`` narrows by
        kind, preset, with or without Grok and date. ``page`` is clamped to 1..pages;
        ``per_page`` to 1..100.
        """
        per_page = max(1, min(int(per_page), MAX_PER_PAGE))
        conditions = [self._live()]
        needle = (query or "").strip().casefold()
        if needle:
            conditions.append(reviews.c.search_text.like(f"%{_like_escape(needle)}%", escape="\\"))
        f = filters or Filters()
        if f.kind:
            conditions.append(reviews.c.kind == f.kind)
        if f.preset:
            conditions.append(reviews.c.preset == f.preset)
        if f.with_model is not None:
            conditions.append(reviews.c.with_model.is_(f.with_model))
        if f.since is not None:
            conditions.append(reviews.c.created_at >= f.since)
        if f.until is not None:
            conditions.append(reviews.c.created_at < f.until)
        with self._read() as conn:
            total = conn.scalar(select(func.count()).select_from(reviews).where(*conditions)) or 0
            pages = max(1, math.ceil(total / per_page))
            page = max(1, min(int(page), pages))
            rows = conn.execute(
                select(
                    reviews.c.id,
                    reviews.c.kind,
                    reviews.c.preset,
                    reviews.c.created_at,
                    reviews.c.expires_at,
                    reviews.c.first_image,
                    reviews.c.title,
                    reviews.c.n_critical,
                    reviews.c.n_major,
                    reviews.c.n_minor,
                    reviews.c.n_info,
                    reviews.c.with_model,
                    reviews.c.first_name,
                    reviews.c.baseline_id,
                    reviews.c.n_new,
                    reviews.c.n_resolved,
                    reviews.c.data,
                )
                .where(*conditions)
                .order_by(reviews.c.created_at.desc(), reviews.c.id.desc())
                .limit(per_page)
                .offset((page - 1) * per_page)
            ).all()
        items = [
            ReviewSummary(
                id=r.id,
                kind=r.kind,
                preset=r.preset,
                created_at=r.created_at,
                first_image=r.first_image,
                counts={
                    "critical": r.n_critical,
                    "major": r.n_major,
                    "minor": r.n_minor,
                    "info": r.n_info,
                },
                title=r.title,
                expires_at=r.expires_at,
                with_model=bool(r.with_model),
                first_name=r.first_name,
                baseline_id=r.baseline_id,
                n_new=r.n_new,
                n_resolved=r.n_resolved,
                cost_usd=cost_of(r.data) if r.with_model else None,
            )
            for r in rows
        ]
        return Page(items=items, total=total, page=page, pages=pages)

    def find_cached(self, key: str) -> Review | None:
        """The newest live review saved with this request key, marked ``cached=True``."""
        if not is_sha256(key):
            return None
        with self._read() as conn:
            row = conn.execute(
                select(reviews.c.id, reviews.c.data)
                .where(reviews.c.request_key == key, self._live())
                .order_by(reviews.c.created_at.desc(), reviews.c.id.desc())
                .limit(1)
            ).first()
            if row is None:
                return None
            # With the owner's dismissals and ratings, as ``load`` gives it.
            found = self._overlaid(conn, row.id, Review.model_validate_json(row.data))
        return found.model_copy(update={"cached": True})

    def entry_for(self, key: str) -> str | None:
        """The id of the newest live review saved with this request key, or None."""
        if not is_sha256(key):
            return None
        with self._read() as conn:
            return conn.scalar(
                select(reviews.c.id)
                .where(reviews.c.request_key == key, self._live())
                .order_by(reviews.c.created_at.desc(), reviews.c.id.desc())
                .limit(1)
            )

    def touch(self, review_id: str) -> Review | None:
        """Move a review to now in history (a rerun of the same request); return it as loaded."""
        if not is_valid_id(review_id):
            return None
        now = self.now()
        with self._write() as conn:
            data = conn.scalar(
                select(reviews.c.data).where(reviews.c.id == review_id, self._live())
            )
            if data is None:
                return None
            review = Review.model_validate_json(data).model_copy(
                update={"created_at": now.isoformat()}
            )
            conn.execute(
                update(reviews)
                .where(reviews.c.id == review_id)
                .values(created_at=now, data=review.model_dump_json())
            )
            return self._overlaid(conn, review_id, review)

    # -- deleting ------------------------------------------------------------------------

    def delete(self, review_id: str, token: str) -> bool:
        """Delete a review if ``token`` is its delete token; drop images nothing else uses.

        False for a malformed or unknown id or a wrong token (compared in constant time).
        """
        if not is_valid_id(review_id) or not isinstance(token, str):
            return False
        with self._write() as conn:
            stored = conn.scalar(
                select(reviews.c.delete_token_sha256).where(reviews.c.id == review_id)
            )
            if stored is None or not hmac.compare_digest(stored, token_hash(token)):
                return False
            self._delete_reviews(conn, [review_id])
        return True

    def delete_owned(self, tokens: dict[str, str]) -> list[str]:
        """Bulk delete: every review whose delete token is given ({id: token}); the ids deleted."""
        owned = [i for i, t in tokens.items() if self.is_owner(i, t)]
        if owned:
            with self._write() as conn:
                self._delete_reviews(conn, owned)
        return owned

    def purge_expired(self) -> int:
        """Delete every expired review (and images left unused); return how many."""
        now = self.now()
        with self._write() as conn:
            ids = list(
                conn.scalars(
                    select(reviews.c.id).where(
                        reviews.c.expires_at.is_not(None), reviews.c.expires_at <= now
                    )
                )
            )
            if ids:
                self._delete_reviews(conn, ids)
        return len(ids)

    def _delete_reviews(self, conn: Connection, ids: list[str]) -> None:
        shas = set(
            conn.scalars(select(review_images.c.sha256).where(review_images.c.review_id.in_(ids)))
        )
        conn.execute(delete(review_images).where(review_images.c.review_id.in_(ids)))
        conn.execute(delete(dismissals).where(dismissals.c.review_id.in_(ids)))
        conn.execute(delete(ratings).where(ratings.c.review_id.in_(ids)))
        conn.execute(delete(reviews).where(reviews.c.id.in_(ids)))
        if not shas:
            return
        still_used = exists().where(review_images.c.sha256 == images.c.sha256)
        try:
            with conn.begin_nested():
                conn.execute(delete(images).where(images.c.sha256.in_(shas), ~still_used))
        except IntegrityError:
            # A save committed meanwhile links one of these images again (PostgreSQL's
            # foreign key caught it): keeping them all is right; a later delete tidies up.
            pass


def open_or_unavailable(url: str) -> Store | UnavailableStore:
    """``Store.open(url)``, or an ``UnavailableStore`` saying why it could not be opened."""
    try:
        return Store.open(url)
    except STORAGE_ERRORS as exc:
        return unavailable(url, exc)
