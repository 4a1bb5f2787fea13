"""Shared fixtures: a fake OpenAI-compatible server per test, and settings pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from tests.fake_openai import FakeOpenAI
from uireview.settings import Settings

TEST_KEY = "test-key-not-secret"
TEST_MODEL = "grok-test-vision"


def fake_settings(fake: FakeOpenAI, **overrides: Any) -> Settings:
    """Settings aimed at ``fake``: test key and model, 2 s timeout, one retry."""
    settings = Settings(
        api_key=TEST_KEY,
        base_url=fake.base_url,
        model=TEST_MODEL,
        timeout=2.0,
        max_retries=1,
    )
    return replace(settings, **overrides)


def endpoint_env(fake: FakeOpenAI, **overrides: str) -> dict[str, str]:
    """Environment that points the app or the CLI at ``fake`` (the env form of fake_settings)."""
    env = {
        "XAI_API_KEY": TEST_KEY,
        "XAI_BASE_URL": fake.base_url,
        "XAI_MODEL": TEST_MODEL,
        "UIREVIEW_MAX_RETRIES": "0",
    }
    env.update(overrides)
    return env


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """A fresh fake endpoint for this test, stopped afterwards."""
    fake = FakeOpenAI(models=[TEST_MODEL, "grok-test-text"]).start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def fake_settings_for(fake_openai: FakeOpenAI):
    """``fake_settings_for(**overrides)``: Settings for the ``fake_openai`` of this test."""

    def build(**overrides: Any) -> Settings:
        return fake_settings(fake_openai, **overrides)

    return build


@pytest.fixture(autouse=True)
def _fresh_endpoint_memory():
    """No test sees what another taught the provider (refused formats, model lists)."""
    from uireview.provider import forget_endpoints

    forget_endpoints()
    yield
    forget_endpoints()


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory, monkeypatch):
    """Every test stores reviews in its own folder, never in the repo's data/."""
    monkeypatch.setenv("UIREVIEW_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("UIREVIEW_DATABASE_URL", raising=False)
