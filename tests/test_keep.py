"""Reviews are saved before they are shown, and an identical request is answered from the store."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.fake_openai import Reply, StatusError
from tests.imagegen import png_bytes
from uireview import pipeline
from uireview.costs import estimate, image_tokens, price
from uireview.findings import Usage
from uireview.images import load_image
from uireview.settings import Settings
from uireview.store import Store

REPLY = Reply(json.dumps({"findings": [{"title": "Vague label", "marks": ["1"], "cells": ["A1"]}]}))


@pytest.fixture
def store(tmp_path):
    with Store.open(data_dir=tmp_path) as s:
        yield s


def shot():
    return [load_image(png_bytes(), "shot.png")]


def test_a_review_is_saved_and_reloads_the_same(fake_openai, fake_settings_for, store):
    fake_openai.script(REPLY)
    out = pipeline.review_and_keep(shot(), "general", settings=fake_settings_for(), store=store)
    assert out.review.id and out.delete_token
    loaded = store.load(out.review.id)
    assert loaded.findings == out.review.findings
    assert loaded.raw_reply == out.review.raw_reply
    assert store.images_for(loaded) == [shot()[0].data]


def test_an_identical_request_makes_no_call_and_is_marked_cached(
    fake_openai, fake_settings_for, store
):
    fake_openai.script(REPLY)
    settings = fake_settings_for()
    first = pipeline.review_and_keep(shot(), "general", settings=settings, store=store)
    second = pipeline.review_and_keep(shot(), "general", settings=settings, store=store)
    assert len(fake_openai.chat_requests) == 1
    assert second.review.cached and second.review.id == first.review.id
    assert second.delete_token is None
    again = pipeline.review_and_keep(
        shot(), "general", settings=settings, store=store, run_again=True
    )
    assert len(fake_openai.chat_requests) == 2
    assert not again.review.cached and again.review.id != first.review.id


def test_a_different_note_or_preset_is_a_new_request(fake_openai, fake_settings_for, store):
    settings = fake_settings_for()
    pipeline.review_and_keep(shot(), "general", settings=settings, store=store)
    pipeline.review_and_keep(shot(), "general", settings=settings, store=store, note="admins")
    pipeline.review_and_keep(shot(), "spacing", settings=settings, store=store)
    assert len(fake_openai.chat_requests) == 3


def test_a_failed_model_call_is_shown_but_not_saved(fake_openai, fake_settings_for, store):
    fake_openai.script(StatusError(500, "boom"), StatusError(500, "boom"))
    out = pipeline.review_and_keep(
        shot(), "general", settings=fake_settings_for(max_retries=0), store=store
    )
    assert out.review.error and out.review.id is None and out.delete_token is None
    assert store.list_reviews().total == 0


def test_measured_only_reviews_are_kept_too(store):
    out = pipeline.review_and_keep(shot(), "contrast", settings=Settings(api_key=None), store=store)
    assert out.review.id and store.load(out.review.id) is not None


def test_the_estimate_counts_tiles_and_the_price_uses_the_configured_rates():
    assert image_tokens(448, 448) == 2 * 256
    assert image_tokens(1440, 900) == (4 * 3 + 1) * 256
    est = estimate([(1440, 900), (448, 448)], note="x" * 400)
    assert est.images == 2 and est.image_tokens == 13 * 256 + 2 * 256 and est.prompt_tokens > 900
    usage = Usage(prompt_tokens=1_000_000, completion_tokens=500_000, total_tokens=1_500_000)
    assert price(usage, Settings(price_input_per_m=2.0, price_output_per_m=10.0)) == 7.0
    assert price(usage, Settings()) is None


def test_reviews_expire_after_the_configured_days(tmp_path):

    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    with Store.open(data_dir=tmp_path, clock=lambda: now[0]) as store:
        out = pipeline.review_and_keep(
            shot(), "contrast", settings=Settings(api_key=None, keep_days=7), store=store
        )
        assert store.load(out.review.id) is not None
        now[0] += timedelta(days=8)
        assert store.load(out.review.id) is None
        assert store.list_reviews().total == 0


def test_a_measured_only_rerun_is_recomputed_and_moves_its_entry_instead_of_copying_it(
    tmp_path, monkeypatch
):
    runs = []
    real = pipeline.run_checks
    monkeypatch.setattr(pipeline, "run_checks", lambda *a: runs.append(1) or real(*a))
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    settings = Settings(api_key=None)
    with Store.open(data_dir=tmp_path, clock=lambda: now[0]) as store:
        first = pipeline.review_and_keep(shot(), "contrast", settings=settings, store=store)
        now[0] += timedelta(hours=3)
        second = pipeline.review_and_keep(shot(), "contrast", settings=settings, store=store)
        assert len(runs) == 2  # recomputed, never served from the store
        assert not second.review.cached and second.review.id == first.review.id
        assert second.delete_token is None
        page = store.list_reviews()
        assert page.total == 1 and page.items[0].created_at == now[0]
        again = pipeline.review_and_keep(
            shot(), "contrast", settings=settings, store=store, run_again=True
        )
        assert again.review.id != first.review.id and store.list_reviews().total == 2
