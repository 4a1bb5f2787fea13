"""The store's tables: reviews, images stored once by content hash, and the link between them.

The migrations under ``migrations/`` create these; this module is what queries and Alembic's
autogenerate compare against.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
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
)
from sqlalchemy.types import TypeDecorator

TITLE_MAX = 120


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
    Index("ix_reviews_created_at", "created_at"),
    Index("ix_reviews_expires_at", "expires_at"),
    Index("ix_reviews_request_key", "request_key"),
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
