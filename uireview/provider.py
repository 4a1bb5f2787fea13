"""The model provider: one openai client per settings, streaming chat, errors users can act on.

xAI speaks the OpenAI chat.completions API, so the openai SDK does the HTTP, the retries
(``settings.max_retries``; 408/409/429/5xx and connection errors, exponential backoff, honouring
``Retry-After``) and the SSE parsing. This module only decides what to send, what to keep and
which :mod:`uireview.errors` type each failure becomes.

Retry-After: the SDK (3.57) sleeps exactly the server's Retry-After when it is at most
``MAX_RETRY_AFTER_DELAY`` (120 s) and does not retry at all when it is longer. We tighten that
limit to our patience, ``min(settings.timeout, 120 s)``: a user looking at a spinner will not
wait longer for one retry than for the whole reply. Past it, :class:`RateLimited` is raised
with ``retry_after`` so the page can say when to come back.
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import openai
import pydantic
from openai._constants import MAX_RETRY_AFTER_DELAY

from uireview.errors import (
    BadKey,
    BadReply,
    EndpointUnreachable,
    ImageRefused,
    MissingKey,
    ModelUnavailable,
    ProviderFailed,
    ProviderTimeout,
    RateLimited,
    UIReviewError,
    scrub,
)
from uireview.findings import Usage
from uireview.settings import Settings

log = logging.getLogger(__name__)

# Status codes on GET /models meaning "this endpoint has no model list", not "you're wrong".
_NO_MODEL_LIST = {404, 405, 501}


@dataclass
class ChatResult:
    text: str  # full (or partial) assistant text
    usage: Usage | None
    model: str  # model name the server reported, else the requested one
    finish_reason: str | None
    json_mode: bool  # whether response_format json_object was accepted
    partial: bool  # True when the stream broke off after some text arrived
    error: UIReviewError | None = None  # set when partial


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


_clients: dict[tuple[Any, ...], openai.OpenAI] = {}
_clients_lock = threading.Lock()
_MAX_CLIENTS = 16


def _client_for(settings: Settings) -> openai.OpenAI:
    """One SDK client (and so one connection pool) per endpoint, key, timeout and retries."""
    key = (settings.base_url, settings.api_key, settings.timeout, settings.max_retries)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            if len(_clients) >= _MAX_CLIENTS:  # drop the oldest; settings rarely change
                _clients.pop(next(iter(_clients)))
            client = _Client(
                api_key=settings.api_key,
                base_url=settings.base_url,
                timeout=settings.timeout,
                max_retries=settings.max_retries,
            )
            client.retry_after_patience = retry_after_patience(settings)
            _clients[key] = client
        return client


def retry_after_patience(settings: Settings) -> float:
    """Longest Retry-After (seconds) the SDK may sleep before retrying for us."""
    return float(min(settings.timeout, MAX_RETRY_AFTER_DELAY))


class Provider:
    """Talks to the OpenAI-compatible endpoint described by ``settings``."""

    def __init__(self, settings: Settings, *, client: openai.OpenAI | None = None) -> None:
        self.settings = settings
        self._client = client

    def __repr__(self) -> str:
        return f"Provider({self.settings!r})"

    @property
    def client(self) -> openai.OpenAI:
        if self._client is None:
            if not self.settings.api_key:
                raise MissingKey()
            self._client = _client_for(self.settings)
        return self._client

    # --- models -----------------------------------------------------------------------

    def list_models(self) -> list[str]:
        """Ids served by GET /models, sorted; raises a :mod:`uireview.errors` type on failure."""
        try:
            ids, _ = self._list_models()
        except openai.OpenAIError as err:
            raise self._map_error(err, during="models") from None
        return ids

    def check_model(self) -> None:
        """Raise ModelUnavailable when the endpoint lists models and ours is not among them.

        An endpoint without a model list (404/405/501 on /models) passes: chat will tell.
        """
        try:
            ids, aliases = self._list_models()
        except openai.APIStatusError as err:
            if err.status_code in _NO_MODEL_LIST:
                log.info("endpoint has no model list (HTTP %s); skipping check", err.status_code)
                return
            raise self._map_error(err, during="models") from None
        except openai.OpenAIError as err:
            raise self._map_error(err, during="models") from None
        if self.settings.model not in ids and self.settings.model not in aliases:
            raise ModelUnavailable(self.settings.model, available=ids)

    def _list_models(self) -> tuple[list[str], set[str]]:
        ids: list[str] = []
        aliases: set[str] = set()
        for model in self.client.models.list():
            ids.append(model.id)
            # xAI may list a model once with its aliases ("...-latest") in an extra field.
            extra = getattr(model, "aliases", None)
            if isinstance(extra, list):
                aliases.update(a for a in extra if isinstance(a, str))
        return sorted(ids), aliases

    # --- chat -------------------------------------------------------------------------

    def chat(
        self,
        messages: list[dict],
        *,
        json_mode: bool = True,
        on_text: Callable[[str], None] | None = None,
        max_tokens: int | None = None,
    ) -> ChatResult:
        """Stream one chat completion, passing each text delta to ``on_text`` as it arrives.

        Falls back to plain text once when the endpoint refuses ``json_mode``. Returns a
        partial result (``partial=True``, ``error`` set) when the stream breaks after some
        text; raises a :mod:`uireview.errors` type when nothing usable arrived.
        """
        client = self.client
        started = time.monotonic()
        log.info(
            "chat request: %s", _summarise(self.settings.model, messages, json_mode, max_tokens)
        )
        try:
            stream = self._create(client, messages, json_mode, max_tokens)
        except openai.BadRequestError as err:
            if not (json_mode and _about_response_format(err)):
                raise self._map_error(err, during="chat", since=started) from None
            log.warning("endpoint refused response_format json_object; retrying without it")
            json_mode = False
            try:
                stream = self._create(client, messages, json_mode, max_tokens)
            except openai.OpenAIError as err2:
                raise self._map_error(err2, during="chat", since=started) from None
        except openai.OpenAIError as err:
            raise self._map_error(err, during="chat", since=started) from None

        result = self._read_stream(stream, json_mode, on_text)
        log.info(
            "chat reply: model=%s finish=%s chars=%d usage=%s partial=%s in %.1f s",
            result.model,
            result.finish_reason,
            len(result.text),
            result.usage.model_dump() if result.usage else None,
            result.partial,
            time.monotonic() - started,
        )
        return result

    def _create(
        self,
        client: openai.OpenAI,
        messages: list[dict],
        json_mode: bool,
        max_tokens: int | None,
    ) -> Any:
        kwargs: dict[str, Any] = {
            "model": self.settings.model,
            "messages": messages,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if json_mode:
            kwargs["response_format"] = {"type": "json_object"}
        if max_tokens is not None:
            kwargs["max_tokens"] = max_tokens
        return client.chat.completions.create(**kwargs)

    def _read_stream(
        self, stream: Any, json_mode: bool, on_text: Callable[[str], None] | None
    ) -> ChatResult:
        parts: list[str] = []
        refusal: list[str] = []
        usage: Usage | None = None
        model = self.settings.model
        finish_reason: str | None = None
        broke: UIReviewError | None = None
        iterator = iter(stream)
        try:
            while True:
                # Only the SDK's iteration is guarded: an exception from on_text is the
                # caller's and must propagate unchanged.
                try:
                    chunk = next(iterator)
                except StopIteration:
                    break
                except (openai.OpenAIError, ValueError, pydantic.ValidationError) as err:
                    broke = self._map_error(err, during="stream")
                    break
                if getattr(chunk, "model", None):
                    model = chunk.model
                if chunk.usage is not None:
                    usage = Usage(
                        prompt_tokens=chunk.usage.prompt_tokens or 0,
                        completion_tokens=chunk.usage.completion_tokens or 0,
                        total_tokens=chunk.usage.total_tokens or 0,
                    )
                for choice in chunk.choices or []:
                    if choice.finish_reason:
                        finish_reason = choice.finish_reason
                    delta = choice.delta
                    if delta is None:
                        continue
                    if getattr(delta, "refusal", None):
                        refusal.append(delta.refusal)
                    if delta.content:
                        parts.append(delta.content)
                        if on_text is not None:
                            on_text(delta.content)
        finally:
            stream.close()

        text = "".join(parts)
        if broke is not None:
            if not text:
                raise broke
            log.warning("stream broke off after %d chars: %s", len(text), type(broke).__name__)
            return ChatResult(text, usage, model, finish_reason, json_mode, True, broke)
        if not text.strip():
            if refusal:
                raise BadReply(
                    "The model declined to review these screenshots. "
                    "Try other screenshots or another preset.",
                    detail=scrub("".join(refusal), self.settings.api_key),
                )
            if finish_reason == "content_filter":
                raise BadReply(
                    "The provider's content filter blocked the reply. Try other screenshots."
                )
            raise BadReply()
        if finish_reason is None:
            # A stream that ends cleanly without a finish reason was cut by a proxy or server.
            error = BadReply("The reply stopped before the model finished. Try again.")
            return ChatResult(text, usage, model, None, json_mode, True, error)
        if finish_reason == "length":
            # The model ran out of tokens mid-answer: the text is a fragment, not a reply.
            error = BadReply(
                "The reply hit the model's length limit before it finished. Try again, or "
                "review fewer screenshots at once."
            )
            return ChatResult(text, usage, model, finish_reason, json_mode, True, error)
        return ChatResult(text, usage, model, finish_reason, json_mode, False, None)

    # --- errors -----------------------------------------------------------------------

    def _map_error(
        self, err: BaseException, *, during: str, since: float | None = None
    ) -> UIReviewError:
        """The user-facing error for an SDK (or decoding) failure; never carries the key.

        ``since`` (time.monotonic() at the start) lets a timeout say how long the SDK's
        retries took in all, not only one try's limit.
        """
        key = self.settings.api_key
        detail = scrub(getattr(err, "message", None) or err, key)
        host = urlsplit(self.settings.public_base_url).netloc or self.settings.public_base_url
        log.warning("provider error during %s: %s: %s", during, type(err).__name__, detail)

        if isinstance(err, openai.APITimeoutError):
            if during == "stream":
                message = (
                    f"The model stopped sending for over {self.settings.timeout:g} s "
                    "before finishing. Try again."
                )
            else:
                waited = time.monotonic() - since if since is not None else 0.0
                tries = self.settings.max_retries + 1
                within = f"within {self.settings.timeout:g} s"
                if tries > 1 and waited > self.settings.timeout * 1.2:
                    within = (
                        f"in {tries} tries of {self.settings.timeout:g} s each "
                        f"({waited:.0f} s in all)"
                    )
                message = (
                    f"The model did not answer {within}. Try again "
                    "with fewer or smaller screenshots, or raise UIREVIEW_TIMEOUT."
                )
            return ProviderTimeout(message, detail=detail)
        if isinstance(err, openai.APIConnectionError):
            if during == "stream":
                message = (
                    f"The connection to {host} broke off while the reply was arriving. Try again."
                )
            else:
                message = (
                    f"Could not reach the model endpoint at {host}. "
                    "Check your network connection and XAI_BASE_URL."
                )
            return EndpointUnreachable(message, detail=detail)
        if isinstance(err, openai.APIStatusError):
            return self._map_status(err, detail, during)
        if isinstance(
            err, (ValueError, pydantic.ValidationError, openai.APIResponseValidationError)
        ):
            return BadReply(
                "The provider sent a reply we could not read. Try again.", detail=detail
            )
        if isinstance(err, openai.APIError):  # an error event inside the stream
            return ProviderFailed(
                "The model provider reported an error while answering. Try again.",
                detail=detail,
            )
        return ProviderFailed(detail=detail)

    def _map_status(self, err: openai.APIStatusError, detail: str, during: str) -> UIReviewError:
        status = err.status_code
        text = detail.lower()
        if status in (401, 403):
            return BadKey(http_status=status, detail=detail)
        if status == 429:
            return RateLimited(retry_after=parse_retry_after(err.response.headers), detail=detail)
        if status == 404:
            if during == "models":
                return ProviderFailed(
                    f"The endpoint {self.settings.public_base_url} has no model list. "
                    "Check XAI_BASE_URL.",
                    http_status=404,
                    detail=detail,
                )
            return ModelUnavailable(
                self.settings.model,
                available=self._available_quietly(),
                http_status=404,
                detail=detail,
            )
        if status == 413:
            return ImageRefused(
                "The screenshots are too large for the provider. Send fewer or smaller images.",
                http_status=413,
                detail=detail,
            )
        if status in (408, 504):
            return ProviderTimeout(http_status=status, detail=detail)
        if status in (400, 422):
            if "model" in text and ("image" in text or "vision" in text or "not found" in text):
                return ModelUnavailable(
                    self.settings.model,
                    message=(
                        f"The model {self.settings.model!r} cannot review images. "
                        "Set XAI_MODEL to a vision model."
                    ),
                    http_status=status,
                    detail=detail,
                )
            if any(word in text for word in ("image", "too large", "too long", "payload", "size")):
                return ImageRefused(http_status=status, detail=detail)
            return ProviderFailed(
                f"The provider rejected the request (HTTP {status}). "
                "Try again; if it persists, report it with the details.",
                http_status=status,
                detail=detail,
            )
        if status >= 500:
            attempts = self.settings.max_retries + 1
            return ProviderFailed(
                f"The model provider failed (HTTP {status}) after {attempts} "
                f"attempt{'s' if attempts != 1 else ''}. Try again in a minute.",
                http_status=status,
                detail=detail,
            )
        return ProviderFailed(
            f"The provider answered with an unexpected error (HTTP {status}). Try again.",
            http_status=status,
            detail=detail,
        )

    def _available_quietly(self) -> list[str] | None:
        """The endpoint's model ids, or None if it cannot say; used to enrich a 404."""
        try:
            ids, _ = self._list_models()
        except openai.OpenAIError:
            return None
        return ids or None


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from ``retry-after-ms`` or ``retry-after`` (number or HTTP date), if any."""
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) / divisor
        except ValueError:
            continue
        if math.isfinite(seconds) and seconds >= 0:
            return seconds
    value = headers.get("retry-after")
    if value:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, when.timestamp() - time.time())
    return None


def _about_response_format(err: openai.APIStatusError) -> bool:
    text = f"{getattr(err, 'message', '')} {err.param or ''} {err.code or ''}".lower()
    return "response_format" in text or "json" in text


def _summarise(model: str, messages: list[dict], json_mode: bool, max_tokens: int | None) -> str:
    """A log line for a request: counts and sizes, never text, image data or the key."""
    images = 0
    image_chars = 0
    text_chars = 0
    for message in messages:
        content = message.get("content")
        if isinstance(content, str):
            text_chars += len(content)
            continue
        for part in content or []:
            if not isinstance(part, dict):
                continue
            if part.get("type") == "image_url":
                images += 1
                url = (part.get("image_url") or {}).get("url", "")
                image_chars += len(url) if isinstance(url, str) else 0
            elif isinstance(part.get("text"), str):
                text_chars += len(part["text"])
    return json.dumps(
        {
            "model": model,
            "messages": len(messages),
            "images": images,
            "image_kb": round(image_chars / 1024),
            "text_chars": text_chars,
            "json_mode": json_mode,
            "max_tokens": max_tokens,
        }
    )
