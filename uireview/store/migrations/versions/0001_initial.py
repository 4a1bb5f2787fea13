"""Initial schema: reviews, images stored once by sha256, and the links between them.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.String(43), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("preset", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("first_image", sa.String(64), nullable=True),
        sa.Column("n_critical", sa.Integer(), nullable=False),
        sa.Column("n_major", sa.Integer(), nullable=False),
        sa.Column("n_minor", sa.Integer(), nullable=False),
        sa.Column("n_info", sa.Integer(), nullable=False),
        sa.Column("request_key", sa.String(64), nullable=True),
        sa.Column("delete_token_sha256", sa.String(64), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
    )
    op.create_index("ix_reviews_created_at", "reviews", ["created_at"])
    op.create_index("ix_reviews_expires_at", "reviews", ["expires_at"])
    op.create_index("ix_reviews_request_key", "reviews", ["request_key"])

    op.create_table(
        "images",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )

    op.create_table(
        "review_images",
        sa.Column(
            "review_id",
            sa.String(43),
            sa.ForeignKey("reviews.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("images.sha256"), nullable=False),
    )
    op.create_index("ix_review_images_sha256", "review_images", ["sha256"])


def downgrade() -> None:
    op.drop_table("review_images")
    op.drop_table("images")
    op.drop_table("reviews")
