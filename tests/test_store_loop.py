"""History that manages, on SQLite and PostgreSQL: filters, search, delete, dismissals and
ratings that last across a restart, and the migration that adds them to an existing store."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from tests.test_store import START, make_review, png_like
from uireview.findings import Finding
from uireview.store import MIGRATIONS_DIR, Filters, Store

# The store fixtures (db_url on SQLite and PostgreSQL, store, clock) are test_store's.
pytest_plugins = ["tests.test_store"]


def save(store, seed, **kw):
    blob = png_like(seed)
    model = kw.pop("model", "grok-4.3")
    review = make_review([blob], **kw).model_copy(update={"model": model})
    return store.save(review, [blob])


def test_search_finds_preset_category_finding_text_and_file_names(store):
    hier = make_review([png_like("h")], preset="general", names=["billing.png"])
    hier.findings.append(
        Finding(
            source="measured",
            category="hierarchy",
            severity="minor",
            title="Two titles compete",
            detail="Both are 28 px bold.",
            place="card “Earnings”",
        )  # fmt: skip
    )
    saved = store.save(hier, [png_like("h")])
    save(store, "other", preset="contrast", names=["home.png"])
    for query in ("hierarchy", "HIERARCHY", "28 px bold", "earnings", "billing.png", "general"):
        assert [i.id for i in store.list_reviews(query).items] == [saved.id], query
    assert store.list_reviews("contrast").total == 1


def test_filters_by_kind_preset_grok_and_date(store, clock):
    a = save(store, "a", preset="spacing")
    clock.advance(days=2)
    b = save(store, "b", preset="contrast", model=None)
    c = save(store, "c", preset="diff", kind="compare")

    def ids(**f):
        return {i.id for i in store.list_reviews(filters=Filters(**f)).items}

    assert ids(kind="compare") == {c.id}
    assert ids(preset="contrast") == {b.id}
    assert ids(with_model=False) == {b.id}
    assert ids(with_model=True) == {a.id, c.id}
    assert ids(since=START + timedelta(days=1)) == {b.id, c.id}
    assert ids(until=START + timedelta(days=1)) == {a.id}
    assert store.presets() == ["contrast", "diff", "spacing"]
    items = {i.id: i for i in store.list_reviews().items}
    assert items[a.id].with_model and not items[b.id].with_model


def test_bulk_delete_takes_only_the_reviews_whose_tokens_are_given(store):
    a, b, c = (save(store, s) for s in "abc")
    deleted = store.delete_owned({a.id: a.delete_token, b.id: "wrong", c.id: c.delete_token})
    assert sorted(deleted) == sorted([a.id, c.id])
    assert [i.id for i in store.list_reviews().items] == [b.id]
    assert store.is_owner(b.id, b.delete_token) and not store.is_owner(b.id, a.delete_token)


def test_dismissals_and_ratings_last_across_a_restart(db_url):
    with Store.open(db_url) as first:
        saved = save(
            first, "r", titles=("Vague label", "Crowded header"), severities=("major", "minor")
        )
        first.dismiss(saved.id, 2, "won't fix")
        first.rate(saved.id, 1, True)
    with Store.open(db_url) as again:
        loaded = again.load(saved.id)
        assert loaded.findings[0].rating == "useful" and loaded.findings[0].dismissed is None
        assert loaded.findings[1].dismissed == "won't fix"
        assert again.list_reviews().items[0].counts == {
            "critical": 0,
            "major": 1,
            "minor": 0,
            "info": 0,
        }
        again.rate(saved.id, 1, False)
        assert again.rating_summary() == {"spacing": {"useful": 0, "not useful": 1}}
        assert again.delete(saved.id, saved.delete_token)
        assert again.rating_summary() == {}


def test_ratings_are_summed_per_preset(store):
    a = save(store, "a", preset="general", titles=("x", "y"), severities=("minor", "minor"))
    b = save(store, "b", preset="spacing")
    store.rate(a.id, 1, True)
    store.rate(a.id, 2, True)
    store.rate(b.id, 1, False)
    store.rate(a.id, 2, None)  # cleared
    assert store.rating_summary() == {
        "general": {"useful": 1, "not useful": 0},
        "spacing": {"useful": 0, "not useful": 1},
    }


def test_the_migration_fills_the_new_columns_for_reviews_saved_before_it(db_url):
    """A store made by 0001 is upgraded: search covers categories, Grok and names are known."""
    engine = sa.create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    old = make_review([png_like("old")], preset="general", names=["checkout.png"])
    old.findings[0].category = "hierarchy"
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0001")
            row = {
                "id": "o" * 22,
                "kind": "review",
                "preset": "general",
                "created_at": START.replace(tzinfo=None),
                "title": "checkout.png",
                "search_text": "uneven gap between cards",
                "n_critical": 0,
                "n_major": 1,
                "n_minor": 0,
                "n_info": 0,
                "delete_token_sha256": "0" * 64,
                "data": old.model_copy(update={"id": "o" * 22}).model_dump_json(),
            }
            table = sa.table("reviews", *(sa.column(c) for c in row))
            conn.execute(sa.insert(table).values(**row))
    finally:
        engine.dispose()
    with Store.open(db_url) as upgraded:
        (item,) = upgraded.list_reviews("hierarchy").items
        assert item.with_model and item.first_name == "checkout.png" and item.n_new is None
        assert upgraded.list_reviews(filters=Filters(with_model=True)).total == 1
        upgraded.dismiss(item.id, 1, "false")
        assert upgraded.load(item.id).findings[0].dismissed == "false"


def test_an_answer_from_the_cache_carries_its_dismissals(store):
    blob = png_like("cached")
    key = "a" * 64
    saved = store.save(make_review([blob]), [blob], request_key=key)
    store.dismiss(saved.id, 1, "false")
    cached = store.find_cached(key)
    assert cached.cached and cached.findings[0].dismissed == "false"
