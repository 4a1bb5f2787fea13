"""The store's tables: reviews, images stored once by content hash, and the link between them.

The migrations under ``migrations/`` create these; this module is what queries and Alembic's
autogenerate compare against.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    false,
)
from sqlalchemy.types import TypeDecorator

TITLE_MAX = 120
NAME_MAX = 255
REASON_MAX = 200


class UTCDateTime(TypeDecorator):
    """Naive UTC in the database (same text on every backend), aware UTC in Python."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


metadata = MetaData()

reviews = Table(
    "reviews",
    metadata,
    Column("id", String(43), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("preset", String(100), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=True),
    # Short text for the history list; search_text (casefolded) is what queries match.
    Column("title", String(TITLE_MAX), nullable=False),
    Column("search_text", Text(), nullable=False),
    Column("first_image", String(64), nullable=True),
    Column("n_critical", Integer(), nullable=False),
    Column("n_major", Integer(), nullable=False),
    Column("n_minor", Integer(), nullable=False),
    Column("n_info", Integer(), nullable=False),
    Column("request_key", String(64), nullable=True),
    Column("delete_token_sha256", String(64), nullable=False),
    Column("data", Text(), nullable=False),  # the whole Review as JSON
    # The design loop and history filters (migration 0002).
    Column("first_name", String(NAME_MAX), nullable=True),  # file name of the first image
    Column("with_model", Boolean(), nullable=False, server_default=false()),
    Column("baseline_id", String(43), nullable=True),
    Column("n_new", Integer(), nullable=True),  # None without a baseline
    Column("n_resolved", Integer(), nullable=True),
    Index("ix_reviews_created_at", "created_at"),
    Index("ix_reviews_expires_at", "expires_at"),
    Index("ix_reviews_request_key", "request_key"),
    Index("ix_reviews_first_name", "first_name"),
)

# The owner's judgement of a finding, kept apart from the review (which is saved whole and
# never rewritten) and laid over it on load. ``position`` is the finding's number, from 1.
dismissals = Table(
    "dismissals",
    metadata,
    Column("review_id", String(43), ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer(), primary_key=True, autoincrement=False),
    Column("reason", String(REASON_MAX), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

ratings = Table(
    "ratings",
    metadata,
    Column("review_id", String(43), ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer(), primary_key=True, autoincrement=False),
    Column("useful", Boolean(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

images = Table(
    "images",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", Integer(), nullable=False),
    Column("data", LargeBinary(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

review_images = Table(
    "review_images",
    metadata,
    Column(
        "review_id",
        String(43),
        ForeignKey("reviews.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("position", Integer(), primary_key=True, autoincrement=False),
    Column("sha256", String(64), ForeignKey("images.sha256"), nullable=False),
    Index("ix_review_images_sha256", "sha256"),
)
