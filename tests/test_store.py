"""The store keeps reviews and images across restarts, on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import base64
import hashlib
import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, func, inspect, select

import tests.postgres as pg
from tests.postgres import postgres_or_skip, running_postgres
from uireview.findings import Finding, ImageInfo, Review, Usage
from uireview.settings import Settings
from uireview.store import (
    MIGRATIONS_DIR,
    Store,
    images,
    is_valid_id,
    metadata,
    new_id,
    review_images,
    reviews,
    sqlite_url,
)
from uireview.store.requestkey import request_key, request_payload

START = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


class Clock:
    """A clock the test controls; each reading moves on 1 ms so saves have distinct times."""

    def __init__(self, start: datetime = START):
        self.current = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            self.current += timedelta(milliseconds=1)
            return self.current

    def advance(self, **delta: float) -> None:
        with self._lock:
            self.current += timedelta(**delta)


@pytest.fixture(scope="session")
def pg_server():
    postgres_or_skip()
    with running_postgres() as server:
        yield server


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    with request.getfixturevalue("pg_server").database() as url:
        yield url


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(db_url, clock):
    s = Store.open(db_url, clock=clock)
    yield s
    s.close()


def png_like(seed: str) -> bytes:
    """Distinct bytes standing in for an image; the store never decodes them."""
    return b"\x89PNG\r\n\x1a\n" + hashlib.sha256(seed.encode()).digest() * 8 + seed.encode()


def make_review(
    blobs: list[bytes],
    *,
    preset: str = "spacing",
    note: str = "",
    titles: tuple[str, ...] = ("Uneven gap between cards",),
    severities: tuple[str, ...] = ("major",),
    names: list[str] | None = None,
    kind: str = "review",
) -> Review:
    names = names or [f"screen-{i + 1}.png" for i in range(len(blobs))]
    return Review(
        kind=kind,
        preset=preset,
        note=note,
        images=[
            ImageInfo(
                name=name,
                width=1440,
                height=900,
                mime="image/png",
                sha256=hashlib.sha256(b).hexdigest(),
                bytes=len(b),
            )
            for name, b in zip(names, blobs, strict=True)
        ],
        findings=[
            Finding(
                source="model",
                category="spacing",
                severity=sev,
                title=title,
                detail="The gap is 24 px here and 16 px elsewhere.",
                box=(10, 20, 300, 140),
                related=[(320, 20, 600, 140)],
                evidence="marks 3, 4",
                metrics={"gap_px": [24, 16]},
                marks=["3", "4"],
            )
            for title, sev in zip(titles, severities, strict=True)
        ],
        model="grok-2-vision-latest",
        usage=Usage(prompt_tokens=1200, completion_tokens=300, total_tokens=1500),
        raw_reply='{"findings": [...]}',
        notices=["Measured checks ran on 1 image."],
        timings={"model": 3.25, "checks": 0.41},
        settings={"base_url": "https://api.x.ai/v1", "temperature": 0.2},
        extra={"grid": "numbered marks"},
    )


def count(store: Store, table) -> int:
    with store.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table))


# -- round trip -----------------------------------------------------------------------------


def test_saved_review_loads_back_whole_with_its_new_id_and_time(store, clock):
    blobs = [png_like("home"), png_like("settings")]
    review = make_review(
        blobs, note="Checkout redesign", titles=("A", "B"), severities=("critical", "minor")
    )

    saved = store.save(review, blobs)
    saved_at = clock.current  # the store read the clock once, to stamp the review
    loaded = store.load(saved.id)

    assert loaded == saved.review
    assert loaded.id == saved.id
    assert datetime.fromisoformat(loaded.created_at) == saved_at
    assert loaded.cached is False
    # Everything the review carried survives, boxes included.
    assert loaded.model_dump(exclude={"id", "created_at"}) == review.model_dump(
        exclude={"id", "created_at"}
    )
    assert loaded.findings[0].box == (10, 20, 300, 140)
    assert loaded.findings[0].related == [(320, 20, 600, 140)]
    assert review.id is None  # the caller's object is left alone: reviews are immutable


def test_images_come_back_in_review_order_and_by_hash(store):
    blobs = [png_like("before"), png_like("after")]
    review = make_review(blobs, kind="compare", titles=(), severities=())
    saved = store.save(review, blobs)

    assert store.images_for(store.load(saved.id)) == blobs
    assert store.image(hashlib.sha256(blobs[1]).hexdigest()) == blobs[1]
    assert store.image(hashlib.sha256(b"never stored").hexdigest()) is None
    assert store.image("not-a-hash") is None


def test_rerun_of_the_same_review_is_a_new_review(store):
    blobs = [png_like("home")]
    first = store.save(make_review(blobs), blobs)
    second = store.save(make_review(blobs), blobs)
    assert first.id != second.id
    assert first.delete_token != second.delete_token
    assert store.load(first.id) is not None and store.load(second.id) is not None


def test_same_image_bytes_are_stored_once(store):
    shared, other = png_like("shared"), png_like("other")
    store.save(make_review([shared]), [shared])
    store.save(make_review([shared, other]), [shared, other])
    # One comparison of an image with itself names it twice but stores it once.
    store.save(make_review([shared, shared], kind="compare"), [shared, shared])

    assert count(store, images) == 2
    assert count(store, review_images) == 5


def test_save_refuses_images_that_do_not_match_the_review(store):
    blobs = [png_like("a")]
    review = make_review(blobs)
    with pytest.raises(ValueError, match="does not match"):
        store.save(review, [png_like("b")])
    with pytest.raises(ValueError, match="2 image"):
        store.save(review, blobs * 2)
    assert count(store, reviews) == 0 and count(store, images) == 0


def test_failed_save_leaves_no_review_and_no_image_behind(store):
    blobs = [png_like("a"), png_like("b")]

    # Fail on the last insert of the transaction, after the images and the review went in.
    def explode(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO REVIEW_IMAGES"):
            raise RuntimeError("disk full")

    event.listen(store.engine, "before_cursor_execute", explode)
    try:
        with pytest.raises(RuntimeError, match="disk full"):
            store.save(make_review(blobs), blobs)
    finally:
        event.remove(store.engine, "before_cursor_execute", explode)

    assert (count(store, reviews), count(store, images), count(store, review_images)) == (0, 0, 0)
    assert store.list_reviews().total == 0
    # The store is still usable afterwards.
    saved = store.save(make_review(blobs), blobs)
    assert store.images_for(store.load(saved.id)) == blobs


# -- ids --------------------------------------------------------------------------------------


def _id_bytes(review_id: str) -> bytes:
    return base64.urlsafe_b64decode(review_id + "=" * (-len(review_id) % 4))


def test_ids_are_url_safe_with_at_least_128_random_bits(store):
    blob = png_like("x")
    saved_ids = [store.save(make_review([blob]), [blob]).id for _ in range(20)]
    for review_id in saved_ids:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", review_id)
        assert len(_id_bytes(review_id)) * 8 >= 128
        assert is_valid_id(review_id)
    assert len(set(saved_ids)) == len(saved_ids)

    # Every one of the 128 bit positions varies across ids: nothing fixed, counted or padded.
    sample = [int.from_bytes(_id_bytes(new_id()), "big") for _ in range(256)]
    ones = [any(v >> bit & 1 for v in sample) for bit in range(128)]
    zeros = [any(not (v >> bit & 1) for v in sample) for bit in range(128)]
    assert all(ones) and all(zeros)


def test_ids_never_start_with_a_dash_so_a_command_line_takes_them_as_ids():
    assert not any(new_id().startswith("-") for _ in range(5000))


@pytest.mark.parametrize(
    "bad_id",
    ["", "x", "../../etc/passwd", "' OR 1=1 --", "a" * 23 + "%", "a" * 500, None, 42, b"a" * 22],
)
def test_malformed_id_is_none_without_touching_the_database(store, bad_id):
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        assert store.load(bad_id) is None
        assert store.delete(bad_id, "token") is False
    finally:
        event.remove(store.engine, "before_cursor_execute", record)
    assert statements == []


def test_unknown_well_formed_id_is_none(store):
    blob = png_like("x")
    store.save(make_review([blob]), [blob])
    assert store.load(new_id()) is None


# -- expiry and deletion --------------------------------------------------------------------


def test_review_disappears_once_it_expires(store, clock):
    blob = png_like("x")
    lasting = store.save(make_review([blob], note="keeps"), [blob])
    brief = store.save(
        make_review([blob], note="brief"), [blob], expires_at=clock.current + timedelta(hours=1)
    )
    assert store.load(brief.id) is not None
    assert store.list_reviews().total == 2

    clock.advance(hours=2)

    assert store.load(brief.id) is None
    assert store.load(lasting.id) is not None
    assert [s.id for s in store.list_reviews().items] == [lasting.id]


def test_purge_removes_expired_reviews_and_their_unused_images(store, clock):
    kept_blob, gone_blob = png_like("kept"), png_like("gone")
    kept = store.save(make_review([kept_blob]), [kept_blob])
    store.save(
        make_review([kept_blob, gone_blob]),
        [kept_blob, gone_blob],
        expires_at=clock.current + timedelta(minutes=5),
    )
    assert store.purge_expired() == 0
    clock.advance(minutes=10)

    assert store.purge_expired() == 1
    assert count(store, reviews) == 1
    assert store.image(hashlib.sha256(gone_blob).hexdigest()) is None
    assert store.images_for(store.load(kept.id)) == [kept_blob]


def test_delete_needs_the_owners_token_and_drops_images_nothing_else_uses(store):
    shared, own = png_like("shared"), png_like("own")
    other = store.save(make_review([shared]), [shared])
    mine = store.save(make_review([shared, own]), [shared, own])

    assert store.delete(mine.id, "wrong-token") is False
    assert store.delete(mine.id, other.delete_token) is False
    assert store.delete(mine.id, "") is False
    assert store.load(mine.id) is not None

    assert store.delete(mine.id, mine.delete_token) is True
    assert store.load(mine.id) is None
    assert store.image(hashlib.sha256(own).hexdigest()) is None
    assert store.image(hashlib.sha256(shared).hexdigest()) == shared  # still used by `other`
    assert store.images_for(store.load(other.id)) == [shared]
    assert store.delete(mine.id, mine.delete_token) is False  # already gone


def test_delete_token_is_stored_only_as_a_hash(store):
    blob = png_like("x")
    saved = store.save(make_review([blob]), [blob])
    with store.engine.connect() as conn:
        row = conn.execute(select(reviews).where(reviews.c.id == saved.id)).one()
    assert saved.delete_token not in "".join(str(v) for v in row)
    assert row.delete_token_sha256 == hashlib.sha256(saved.delete_token.encode()).hexdigest()


# -- history --------------------------------------------------------------------------------


def test_history_is_newest_first_and_paginated(store):
    ids = []
    for i in range(7):
        blob = png_like(f"page-{i}")
        ids.append(store.save(make_review([blob], note=f"Review {i}"), [blob]).id)
    newest_first = ids[::-1]

    first = store.list_reviews(per_page=3)
    assert (first.total, first.page, first.pages) == (7, 1, 3)
    assert [s.id for s in first.items] == newest_first[:3]
    assert [s.id for s in store.list_reviews(page=2, per_page=3).items] == newest_first[3:6]
    last = store.list_reviews(page=3, per_page=3)
    assert [s.id for s in last.items] == newest_first[6:]
    # Past the end shows the last page rather than nothing.
    assert store.list_reviews(page=99, per_page=3).page == 3
    assert store.list_reviews(page=0, per_page=3).page == 1


def test_history_summary_has_counts_thumbnail_hash_and_title(store):
    blobs = [png_like("home"), png_like("cart")]
    review = make_review(
        blobs,
        preset="contrast",
        note="Sprint 12\nsecond line",
        titles=("a", "b", "c", "d"),
        severities=("critical", "major", "major", "info"),
    )
    saved = store.save(review, blobs)

    (summary,) = store.list_reviews().items
    assert summary.id == saved.id
    assert (summary.kind, summary.preset) == ("review", "contrast")
    assert summary.counts == {"critical": 1, "major": 2, "minor": 0, "info": 1}
    assert summary.first_image == hashlib.sha256(blobs[0]).hexdigest()
    assert summary.title == "Sprint 12"
    assert summary.created_at == datetime.fromisoformat(saved.review.created_at)


def test_history_search_matches_titles_note_and_names_ignoring_case(store):
    def add(note, titles, names):
        blob = png_like(note + "".join(names))
        return store.save(
            make_review(
                [blob], note=note, titles=titles, severities=("minor",) * len(titles), names=names
            ),
            [blob],
        ).id

    by_title = add("", ("Low contrast on Submit",), ["a.png"])
    by_note = add("Onboarding flow", ("x",), ["b.png"])
    by_name = add("", ("y",), ["Pricing_Page.png"])

    def found(query):
        return {s.id for s in store.list_reviews(query).items}

    assert found("submit") == {by_title}
    assert found("ONBOARDING") == {by_note}
    assert found("pricing_page") == {by_name}
    assert found("") == {by_title, by_note, by_name}
    assert found("no such words") == set()
    # LIKE wildcards in a query are plain characters.
    assert found("%") == set()
    assert found("pricing_") == {by_name}
    assert found("a_png") == set()


# -- cache ----------------------------------------------------------------------------------


def test_find_cached_returns_the_newest_live_review_for_the_key(store, clock):
    blob = png_like("home")
    key = request_key([blob], "spacing", "", "grok", {})
    other_key = request_key([blob], "contrast", "", "grok", {})
    assert store.find_cached(key) is None

    store.save(make_review([blob], note="old"), [blob], request_key=key)
    newer = store.save(make_review([blob], note="new"), [blob], request_key=key)
    store.save(make_review([blob], note="other"), [blob], request_key=other_key)
    store.save(make_review([blob], note="no key"), [blob])

    hit = store.find_cached(key)
    assert hit.id == newer.id and hit.note == "new"
    assert hit.cached is True
    assert store.load(newer.id).cached is False  # only the returned copy is marked

    latest = store.save(
        make_review([blob], note="latest"),
        [blob],
        request_key=key,
        expires_at=clock.current + timedelta(minutes=1),
    )
    assert store.find_cached(key).id == latest.id
    clock.advance(minutes=2)
    assert store.find_cached(key).id == newer.id  # the expired one is passed over
    assert store.find_cached("not a key") is None


# -- concurrency and migrations --------------------------------------------------------------


def test_concurrent_saves_from_many_threads_all_land(store):
    threads, per_thread = 8, 5
    shared = png_like("shared")
    barrier = threading.Barrier(threads)
    saved: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(n: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                own = png_like(f"t{n}-{i}")
                sid = store.save(make_review([shared, own]), [shared, own]).id
                assert store.load(sid) is not None
                with lock:
                    saved.append(sid)
        except BaseException as exc:  # collected: a thread's exception would vanish
            errors.append(exc)

    pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()

    assert errors == []
    assert len(set(saved)) == threads * per_thread
    assert store.list_reviews(per_page=100).total == threads * per_thread
    assert count(store, images) == threads * per_thread + 1


def _interleave(store: Store, hook: str, action) -> list:
    """Run ``action`` in another thread when this thread's save reaches its link insert.

    ``hook`` is "before" (the other transaction may finish first) or "after" (it runs while
    this one holds its rows, and may have to wait for our commit). Returns what it returned.
    """
    me = threading.get_ident()
    outcome: list = []
    fired = threading.Event()

    def run() -> None:
        try:
            outcome.append(action())
        except BaseException as exc:  # handed back to the test
            outcome.append(exc)

    def on_statement(conn, cursor, statement, *args) -> None:
        if threading.get_ident() != me or fired.is_set():
            return
        if not statement.lstrip().upper().startswith("INSERT INTO REVIEW_IMAGES"):
            return
        fired.set()
        other = threading.Thread(target=run)
        other.start()
        # "before": let it finish if it can (SQLite: it waits for our write lock, so give up
        # after a moment). "after": give it time to reach and block on our rows.
        other.join(timeout=1.0 if hook == "before" else 0.3)
        outcome.append(other)

    name = "before_cursor_execute" if hook == "before" else "after_cursor_execute"
    event.listen(store.engine, name, on_statement)
    return outcome, lambda: event.remove(store.engine, name, on_statement)


@pytest.mark.parametrize("hook", ["before", "after"])
def test_delete_racing_a_save_of_the_same_image_loses_neither(store, hook):
    # The image's only user is deleted while a new review of the same image is being saved:
    # "before" - the delete drops the image just before the save links it (the save retries);
    # "after" - the delete finds the image unused in its snapshot but linked once the save
    # commits (the foreign key stops it, the image stays).
    shared = png_like("shared")
    doomed = store.save(make_review([shared]), [shared])
    outcome, stop = _interleave(store, hook, lambda: store.delete(doomed.id, doomed.delete_token))
    try:
        fresh = store.save(make_review([shared]), [shared])
    finally:
        stop()
    other = next(o for o in outcome if isinstance(o, threading.Thread))
    other.join(timeout=30)
    results = [o for o in outcome if not isinstance(o, threading.Thread)]

    assert results == [True]  # the delete worked and raised nothing
    assert store.load(doomed.id) is None
    assert store.images_for(store.load(fresh.id)) == [shared]
    assert count(store, images) == 1


def _head() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config).get_current_head()


def _schema_state(url: str):
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            version = MigrationContext.configure(conn).get_current_revision()
            diffs = compare_metadata(MigrationContext.configure(conn), metadata)
            tables = set(inspect(conn).get_table_names())
        return version, diffs, tables
    finally:
        engine.dispose()


def test_fresh_database_is_migrated_to_head_matching_the_code(db_url):
    with Store.open(db_url):
        pass
    version, diffs, tables = _schema_state(db_url)
    assert version == _head()
    assert {"reviews", "images", "review_images", "alembic_version"} <= tables
    assert diffs == []  # the migrations build exactly the tables store.py queries


def test_opening_an_existing_store_again_keeps_its_reviews(db_url):
    first = Store.open(db_url)
    blob = png_like("x")
    saved = first.save(make_review([blob]), [blob])
    first.close()

    with Store.open(db_url) as again:
        assert again.load(saved.id) == saved.review
    assert _schema_state(db_url)[0] == _head()


def test_fresh_databases_opened_at_once_migrate_once(db_url):
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def open_close() -> None:
        try:
            barrier.wait()
            Store.open(db_url).close()
        except BaseException as exc:
            errors.append(exc)

    pool = [threading.Thread(target=open_close) for _ in range(4)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert errors == []
    assert _schema_state(db_url)[0] == _head()


# -- SQLite specifics ------------------------------------------------------------------------


def test_default_store_is_sqlite_in_the_data_dir_with_wal_and_busy_timeout(tmp_path):
    data_dir = tmp_path / "data"  # not created yet: the store makes it
    with Store.open(data_dir=data_dir) as store:
        assert (data_dir / "uireview.db").is_file()
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_in_memory_sqlite_is_one_database_whichever_thread_asks():
    with Store.open("sqlite://") as store:
        blob = png_like("x")
        saved = store.save(make_review([blob]), [blob])
        seen = []
        reader = threading.Thread(target=lambda: seen.append(store.load(saved.id)))
        reader.start()
        reader.join()
        assert seen == [saved.review]


def test_saved_reviews_survive_a_restart(tmp_path):
    blob = png_like("x")
    with Store.open(data_dir=tmp_path) as store:
        saved = store.save(make_review([blob]), [blob])
    with Store.open(data_dir=tmp_path) as store:
        assert store.load(saved.id) == saved.review
        assert store.images_for(saved.review) == [blob]


def test_open_without_a_url_follows_the_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("UIREVIEW_DATA_DIR", str(tmp_path / "from-env"))
    monkeypatch.delenv("UIREVIEW_DATABASE_URL", raising=False)
    with Store.open():
        pass
    assert (tmp_path / "from-env" / "uireview.db").is_file()

    explicit = Settings(data_dir=tmp_path / "ignored", database_url=sqlite_url(tmp_path / "x"))
    with Store.from_settings(explicit):
        pass
    assert (tmp_path / "x" / "uireview.db").is_file()
    assert not (tmp_path / "ignored").exists()


@pytest.mark.postgres
def test_plain_postgresql_url_uses_the_psycopg_driver(pg_server):
    with pg_server.database() as url:
        plain = url.replace("postgresql+psycopg://", "postgresql://")
        with Store.open(plain) as store:
            assert store.engine.dialect.driver == "psycopg"
            blob = png_like("x")
            assert store.load(store.save(make_review([blob]), [blob]).id) is not None


# -- request key ---------------------------------------------------------------------------

BASE = {
    "image_bytes": [png_like("a"), png_like("b")],
    "preset": "spacing",
    "note": "check the cards",
    "model": "grok-2-vision-latest",
    "settings": {"base_url": "https://api.x.ai/v1", "temperature": 0.2, "grid": {"cols": 8}},
}


def test_request_key_is_a_stable_sha256_hex():
    key = request_key(**BASE)
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert request_key(**BASE) == key
    reordered = {**BASE, "settings": dict(reversed(list(BASE["settings"].items())))}
    assert request_key(**reordered) == key
    # Pinned: an accidental change to the payload would silently empty everyone's cache.
    assert (
        request_key([b"img"], "spacing", "", "m", {})
        == hashlib.sha256(
            b'{"images":["'
            + hashlib.sha256(b"img").hexdigest().encode()
            + b'"],"model":"m","note":"","preset":"spacing","settings":{},"v":1}'
        ).hexdigest()
    )


@pytest.mark.parametrize(
    "change",
    [
        {"image_bytes": [png_like("a"), png_like("c")]},
        {"image_bytes": [png_like("b"), png_like("a")]},  # order numbers the images
        {"image_bytes": [png_like("a")]},
        {"preset": "contrast"},
        {"note": "check the cards."},
        {"note": ""},
        {"model": "grok-2-vision-1212"},
        {"settings": {**BASE["settings"], "temperature": 0.3}},
        {"settings": {**BASE["settings"], "grid": {"cols": 9}}},
        {"settings": {**BASE["settings"], "max_tokens": 2000}},
        {"settings": {}},
    ],
)
def test_request_key_changes_with_every_input(change):
    assert request_key(**{**BASE, **change}) != request_key(**BASE)


def test_request_key_never_includes_the_api_key():
    secret = "xai-SECRET-0123456789"
    plain = {**BASE, "settings": {**BASE["settings"], "api_key": secret}}
    assert request_key(**plain) == request_key(**BASE)

    everywhere = {
        **BASE["settings"],
        "api_key": secret,
        "XAI_API_KEY": secret,
        "apiKey": secret,
        "headers": {"Authorization": f"Bearer {secret}", "X-Trace": "on"},
    }
    rotated = {**everywhere, "api_key": "xai-other", "apiKey": "xai-other", "XAI_API_KEY": "k"}
    rotated["headers"] = {"Authorization": "Bearer xai-other", "X-Trace": "on"}
    assert request_key(**{**BASE, "settings": everywhere}) == request_key(
        **{**BASE, "settings": rotated}
    )
    assert secret not in request_payload(**{**BASE, "settings": everywhere})
    assert '"X-Trace":"on"' in request_payload(**{**BASE, "settings": everywhere})


# -- the PostgreSQL helper itself ------------------------------------------------------------


def test_missing_postgres_fails_under_ci_and_skips_elsewhere(monkeypatch):
    monkeypatch.setattr(pg, "find_bindir", lambda: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="PostgreSQL 15 is not installed"):
        postgres_or_skip()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y postgresql"):
        postgres_or_skip()


def test_history_shows_what_a_grok_review_cost_and_nothing_for_measured_ones(store):
    blobs = [png_like("home")]
    priced = make_review(blobs, preset="general").model_copy(
        update={
            "model": "grok-4.3",
            "usage": Usage(prompt_tokens=18492, completion_tokens=37, cost_usd=0.037354),
        }
    )
    store.save(priced, blobs)
    store.save(make_review(blobs, preset="contrast"), blobs)
    costs = {s.preset: s.cost_usd for s in store.list_reviews().items}
    assert costs == {"general": pytest.approx(0.037354), "contrast": None}
