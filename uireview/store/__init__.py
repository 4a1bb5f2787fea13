"""Saved reviews: the store, its tables, the request key that answers a repeat from it."""

from uireview.store.database import MIGRATIONS_DIR, sqlite_url, url_from_settings
from uireview.store.ids import is_valid_id, new_id
from uireview.store.records import DISMISS_REASONS, Filters, Page, ReviewSummary, Saved
from uireview.store.schema import dismissals, images, metadata, ratings, review_images, reviews
from uireview.store.store import Store

__all__ = [
    "DISMISS_REASONS",
    "MIGRATIONS_DIR",
    "Filters",
    "dismissals",
    "ratings",
    "Page",
    "ReviewSummary",
    "Saved",
    "Store",
    "images",
    "is_valid_id",
    "metadata",
    "new_id",
    "review_images",
    "reviews",
    "sqlite_url",
    "url_from_settings",
]
