"""Bounded pixel work: reviews share a budget, one too large is refused alone, one that
cannot get its share in time fails alone with a sentence."""

from __future__ import annotations

import threading
import time

import pytest

from tests.imagegen import png_bytes
from uireview import pipeline, workload
from uireview.errors import BadImage, ServerBusy
from uireview.images import load_image
from uireview.settings import Settings
from uireview.workload import PixelBudget


def _shot(w: int = 400, h: int = 300):
    return load_image(png_bytes(width=w, height=h), "shot.png")


def test_small_holds_share_the_budget_at_once():
    budget = PixelBudget(100)
    with budget.hold(40, wait=0), budget.hold(60, wait=0):
        assert budget.in_use == 100
    assert budget.in_use == 0


def test_a_hold_that_does_not_fit_waits_for_the_others_to_finish():
    budget = PixelBudget(100)
    release = threading.Event()

    def big():
        with budget.hold(90):
            release.wait(5)

    worker = threading.Thread(target=big)
    worker.start()
    while budget.in_use == 0:
        time.sleep(0.01)
    threading.Timer(0.3, release.set).start()
    started = time.monotonic()
    with budget.hold(50, wait=5):
        waited = time.monotonic() - started
    worker.join()
    assert 0.2 <= waited < 5


def test_a_hold_that_never_fits_fails_alone_with_a_sentence():
    budget = PixelBudget(100)
    with budget.hold(100, wait=0):
        with pytest.raises(ServerBusy, match="busy with other large reviews"):
            with budget.hold(1, wait=0.2):
                pass
        assert budget.in_use == 100  # the holder is untouched
    assert budget.in_use == 0


def test_one_oversized_hold_runs_alone_instead_of_never():
    budget = PixelBudget(100)
    with budget.hold(10_000, wait=0):
        assert budget.in_use == 100


def test_a_review_over_the_pixel_limit_is_refused_before_any_work(monkeypatch):
    monkeypatch.setattr(workload, "MAX_REVIEW_PIXELS", 200_000)
    ran = []
    monkeypatch.setattr(pipeline, "run_checks", lambda *a: ran.append(1) or ([], []))
    with pytest.raises(BadImage, match="one review takes at most"):
        pipeline.review([_shot(), _shot()], "general", settings=Settings(), use_model=False)
    assert not ran


def test_a_review_waiting_past_the_limit_fails_and_the_holder_finishes(monkeypatch):
    monkeypatch.setattr(workload, "WAIT_S", 0.3)
    monkeypatch.setattr(workload, "BUDGET", PixelBudget(1_000_000))
    monkeypatch.setattr(pipeline, "BUDGET", workload.BUDGET)
    with workload.BUDGET.hold(1_000_000):
        with pytest.raises(ServerBusy):
            pipeline.review([_shot()], "general", settings=Settings(), use_model=False)
    review = pipeline.review([_shot()], "general", settings=Settings(), use_model=False)
    assert review.timings["checks"] >= 0
