"""The design loop: baseline and new/resolved counts, with/without Grok, the first file name,
dismissals and ratings; search text rebuilt to cover presets, categories and finding text.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _search_text(data: dict) -> str:
    # Kept in step with uireview.store.records.search_text_of, written out here so this
    # migration keeps meaning what it meant when the code moves on.
    parts = [data.get("preset") or "", data.get("note") or ""]
    parts += [i.get("name") or "" for i in data.get("images") or []]
    for f in data.get("findings") or []:
        parts += [f.get(k) or "" for k in ("category", "title", "detail", "text", "place")]
    return "\n".join(p for p in parts if p).casefold()


def upgrade() -> None:
    with op.batch_alter_table("reviews") as batch:
        batch.add_column(sa.Column("first_name", sa.String(255), nullable=True))
        batch.add_column(
            sa.Column("with_model", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("baseline_id", sa.String(43), nullable=True))
        batch.add_column(sa.Column("n_new", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("n_resolved", sa.Integer(), nullable=True))
        batch.create_index("ix_reviews_first_name", ["first_name"])

    for name in ("dismissals", "ratings"):
        value = (
            sa.Column("reason", sa.String(200), nullable=False)
            if name == "dismissals"
            else sa.Column("useful", sa.Boolean(), nullable=False)
        )
        op.create_table(
            name,
            sa.Column(
                "review_id",
                sa.String(43),
                sa.ForeignKey("reviews.id", ondelete="CASCADE"),
                primary_key=True,
            ),
            sa.Column("position", sa.Integer(), primary_key=True, autoincrement=False),
            value,
            sa.Column("created_at", sa.DateTime(), nullable=False),
        )

    reviews = sa.table(
        "reviews",
        sa.column("id", sa.String),
        sa.column("data", sa.Text),
        sa.column("search_text", sa.Text),
        sa.column("first_name", sa.String),
        sa.column("with_model", sa.Boolean),
    )
    conn = op.get_bind()
    for row in conn.execute(sa.select(reviews.c.id, reviews.c.data)).all():
        data = json.loads(row.data)
        images = data.get("images") or []
        conn.execute(
            reviews.update()
            .where(reviews.c.id == row.id)
            .values(
                search_text=_search_text(data),
                first_name=(images[0].get("name") or "")[:255] if images else None,
                with_model=bool(data.get("model")),
            )
        )


def downgrade() -> None:
    op.drop_table("ratings")
    op.drop_table("dismissals")
    with op.batch_alter_table("reviews") as batch:
        batch.drop_index("ix_reviews_first_name")
        for column in ("n_resolved", "n_new", "baseline_id", "with_model", "first_name"):
            batch.drop_column(column)
