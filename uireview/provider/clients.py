"""One openai SDK client per endpoint, key, timeout and retries, with our Retry-After patience."""

from __future__ import annotations

import logging
import threading
from typing import Any

import openai
from openai._constants import MAX_RETRY_AFTER_DELAY

from uireview.settings import Settings

log = logging.getLogger(__name__)


class _Client(openai.OpenAI):
    """The SDK client with a shorter Retry-After patience than its built-in 120 s."""

    retry_after_patience: float = MAX_RETRY_AFTER_DELAY

    def _should_retry(self, response: Any) -> bool:
        retry_after = self._parse_retry_after_header(response.headers)
        if retry_after is not None and retry_after > self.retry_after_patience:
            log.info(
                "not retrying: Retry-After %.0f s is past our patience of %.0f s",
                retry_after,
                self.retry_after_patience,
            )
            return False
        return super()._should_retry(response)


clients_by_key: dict[tuple[Any, ...], openai.OpenAI] = {}
clients_lock = threading.Lock()
_MAX_CLIENTS = 16


def client_for(settings: Settings) -> openai.OpenAI:
    """One SDK client (and so one connection pool) per endpoint, key, timeout and retries."""
    key = (settings.base_url, settings.api_key, settings.timeout, settings.max_retries)
    with clients_lock:
        client = clients_by_key.get(key)
        if client is None:
            if len(clients_by_key) >= _MAX_CLIENTS:  # drop the oldest; settings rarely change
                clients_by_key.pop(next(iter(clients_by_key)))
            client = _Client(
                api_key=settings.api_key,
                base_url=settings.base_url,
                timeout=settings.timeout,
                max_retries=settings.max_retries,
            )
            client.retry_after_patience = retry_after_patience(settings)
            clients_by_key[key] = client
        return client


def retry_after_patience(settings: Settings) -> float:
    """Longest Retry-After (seconds) the SDK may sleep before retrying for us."""
    return float(min(settings.timeout, MAX_RETRY_AFTER_DELAY))
