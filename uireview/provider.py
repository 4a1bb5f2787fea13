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

Replies are asked for as ``json_schema`` (strict) when the caller gives a schema. An endpoint
that refuses it with a 400 is asked again with ``json_object``, then with plain text; what it
refused is remembered for the process, so each endpoint pays for the refusal once. The same
goes for ``temperature``, which some servers (reasoning models) refuse.
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import openai
import pydantic
from openai._constants import MAX_RETRY_AFTER_DELAY

from uireview.catalogue import (
    Catalogue,
    ModelChoice,
    ModelInfo,
    choose,
    parse_language_models,
    parse_models,
    text_only_problem,
)
from uireview.costs import Prices, cost, prices_for
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
# How we ask for the reply's shape, strictest first.
FORMATS = ("json_schema", "json_object", "text")
CATALOGUE_TTL = 300.0  # seconds a fetched model list is trusted
LIST_TIMEOUT = 15.0  # seconds for GET /language-models or /models


@dataclass
class ChatResult:
    text: str  # full (or partial) assistant text
    usage: Usage | None
    model: str  # model name the server reported, else the requested one
    finish_reason: str | None
    response_format: str  # the format the endpoint accepted: one of FORMATS
    partial: bool  # True when the stream broke off after some text arrived
    error: UIReviewError | None = None  # set when partial

    @property
    def json_mode(self) -> bool:
        """Whether the endpoint accepted a JSON response_format (schema or object)."""
        return self.response_format != "text"


@dataclass
class _Quirks:
    """What one endpoint and model refused, learnt from its 400s."""

    format_floor: int = 0  # index into FORMATS of the strictest format it accepts
    temperature: bool = True


_quirks: dict[tuple[str, str], _Quirks] = {}
_catalogues: dict[tuple[str, str | None], tuple[float, Catalogue]] = {}
_memory_lock = threading.Lock()


def forget_endpoints() -> None:
    """Drop what this process learnt about endpoints (refusals, model lists); for tests."""
    with _memory_lock:
        _quirks.clear()
        _catalogues.clear()


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

    def catalogue(self) -> Catalogue:
        """The endpoint's models, from ``/language-models`` when it has one, else ``/models``.

        Kept for CATALOGUE_TTL seconds per endpoint and key. An endpoint with neither list
        gives an empty catalogue (``source="none"``); other failures raise a
        :mod:`uireview.errors` type.
        """
        key = (self.settings.base_url, self.settings.api_key)
        now = time.monotonic()
        with _memory_lock:
            kept = _catalogues.get(key)
        if kept is not None and now - kept[0] < CATALOGUE_TTL:
            return kept[1]
        try:
            catalogue = self._fetch_catalogue()
        except openai.OpenAIError as err:
            raise self._map_error(err, during="models") from None
        with _memory_lock:
            _catalogues[key] = (now, catalogue)
        return catalogue

    def _fetch_catalogue(self) -> Catalogue:
        # A model list is small: an endpoint that cannot send it in seconds is not going to
        # answer a review quickly either, and the review's own request will say so.
        lister = self.client.with_options(
            timeout=min(self.settings.timeout, LIST_TIMEOUT),
            max_retries=min(self.settings.max_retries, 1),
        )
        try:
            body = lister.get("/language-models", cast_to=object)
        except openai.APIStatusError as err:
            # xAI's own list; elsewhere any refusal of this path (404, 400, 401 from a proxy)
            # means "ask /models", which gives the real answer or the real error.
            if err.status_code == 429 or err.status_code >= 500:
                raise
            body = None
        models = parse_language_models(body)
        if models:
            return Catalogue(models, "language-models")
        try:
            listed = parse_models(lister.models.list())
        except openai.APIStatusError as err:
            if err.status_code in _NO_MODEL_LIST:
                log.info("endpoint has no model list (HTTP %s)", err.status_code)
                return Catalogue((), "none")
            raise
        return Catalogue(listed, "models")

    def list_models(self) -> list[str]:
        """Ids the endpoint lists, sorted; raises a :mod:`uireview.errors` type on failure."""
        catalogue = self.catalogue()
        if not catalogue.listed:
            raise ProviderFailed(
                f"The endpoint {self.settings.base_url} has no model list. Check XAI_BASE_URL.",
                http_status=404,
            )
        return catalogue.ids()

    def choose_model(self) -> ModelChoice:
        """The model a review uses here (see :func:`uireview.catalogue.choose`)."""
        return choose(self.settings, self.catalogue())

    def check_model(self) -> None:
        """Raise ModelUnavailable when the endpoint lacks our model or says it takes no images.

        An endpoint without a model list (404/405/501 on /models) passes: chat will tell.
        """
        problem = choose(self.settings.with_model(self.settings.model), self.catalogue()).problem
        if problem is not None:
            raise problem

    def ensure_sees_images(self) -> None:
        """Raise ModelUnavailable, before any image is sent, for a model listed as text-only.

        A model list we cannot fetch says nothing: the chat request will tell.
        """
        try:
            catalogue = self.catalogue()
        except UIReviewError as err:
            log.info("no catalogue to check image input against: %s", type(err).__name__)
            return
        problem = text_only_problem(self.settings.model, catalogue)
        if problem is not None:
            raise problem

    def listed(self, model: str) -> ModelInfo | None:
        """The catalogue entry of ``model`` when one was fetched or can be; never raises."""
        try:
            return self.catalogue().find(model)
        except UIReviewError:
            return None

    def prices(self, *models: str) -> Prices | None:
        """Prices for the first of ``models`` the endpoint lists; UIREVIEW_PRICE_* win."""
        listed = next((info for m in models if m and (info := self.listed(m))), None)
        return prices_for(self.settings, listed)

    def priced(self, usage: Usage | None, *models: str) -> Usage | None:
        """``usage`` with ``cost_usd`` at the prices for ``models``, when known."""
        if usage is None:
            return None
        return usage.model_copy(update={"cost_usd": cost(usage, self.prices(*models))})

    def _available_quietly(self) -> list[str] | None:
        """The endpoint's pickable model ids, or None if it cannot say; used to enrich a 404."""
        try:
            catalogue = self.catalogue()
        except UIReviewError:
            return None
        return catalogue.pickable() or None

    # --- chat -------------------------------------------------------------------------

    def chat(
        self,
        messages: list[dict],
        *,
        schema: dict | None = None,
        json_mode: bool = True,
        temperature: float | None = None,
        on_text: Callable[[str], None] | None = None,
        max_tokens: int | None = None,
    ) -> ChatResult:
        """Stream one chat completion, passing each text delta to ``on_text`` as it arrives.

        Asks for ``schema`` (a strict ``json_schema`` response_format) when given, else JSON
        mode when ``json_mode``; steps down to the next format, once, when the endpoint
        refuses one. Returns a partial result (``partial=True``, ``error`` set) when the
        stream breaks after some text; raises a :mod:`uireview.errors` type when nothing
        usable arrived.
        """
        client = self.client
        started = time.monotonic()
        quirks = self._quirks()
        wanted = 0 if schema is not None else 1 if json_mode else 2
        level = max(wanted, quirks.format_floor)
        use_temperature = temperature is not None and quirks.temperature
        while True:
            fmt = FORMATS[level]
            log.info(
                "chat request: %s",
                _summarise(self.settings.model, messages, fmt, max_tokens),
            )
            try:
                stream = self._create(
                    client,
                    messages,
                    fmt,
                    schema,
                    max_tokens,
                    temperature if use_temperature else None,
                )
                break
            except (openai.BadRequestError, openai.UnprocessableEntityError) as err:
                if fmt != "text" and _about_response_format(err):
                    log.warning("endpoint refused response_format %s; asking again without", fmt)
                    level += 1
                    with _memory_lock:
                        quirks.format_floor = max(quirks.format_floor, level)
                    continue
                if use_temperature and _about(err, "temperature"):
                    log.warning("endpoint refused temperature; asking again without it")
                    use_temperature = False
                    with _memory_lock:
                        quirks.temperature = False
                    continue
                raise self._map_error(err, during="chat") from None
            except openai.OpenAIError as err:
                raise self._map_error(err, during="chat") from None

        result = self._read_stream(stream, fmt, on_text)
        log.info(
            "chat reply: model=%s finish=%s chars=%d usage=%s partial=%s format=%s in %.1f s",
            result.model,
            result.finish_reason,
            len(result.text),
            result.usage.model_dump() if result.usage else None,
            result.partial,
            fmt,
            time.monotonic() - started,
        )
        return result

    def _quirks(self) -> _Quirks:
        key = (self.settings.base_url, self.settings.model)
        with _memory_lock:
            return _quirks.setdefault(key, _Quirks())

    def _create(
        self,
        client: openai.OpenAI,
        messages: list[dict],
        fmt: str,
        schema: dict | None,
        max_tokens: int | None,
        temperature: float | None,
    ) -> Any:
        kwargs: dict[str, Any] = {
            "model": self.settings.model,
            "messages": messages,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if fmt == "json_schema" and schema is not None:
            kwargs["response_format"] = {"type": "json_schema", "json_schema": schema}
        elif fmt == "json_object":
            kwargs["response_format"] = {"type": "json_object"}
        if temperature is not None:
            kwargs["temperature"] = temperature
        if max_tokens is not None:
            kwargs["max_tokens"] = max_tokens
        return client.chat.completions.create(**kwargs)

    def _read_stream(
        self, stream: Any, fmt: str, on_text: Callable[[str], None] | None
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
            return ChatResult(text, usage, model, finish_reason, fmt, True, broke)
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
            return ChatResult(text, usage, model, None, fmt, True, error)
        if finish_reason == "length":
            # The model ran out of tokens mid-answer: the text is a fragment, not a reply.
            error = BadReply(
                "The reply hit the model's length limit before it finished. Try again, or "
                "review fewer screenshots at once."
            )
            return ChatResult(text, usage, model, finish_reason, fmt, True, error)
        return ChatResult(text, usage, model, finish_reason, fmt, False, None)

    # --- errors -----------------------------------------------------------------------

    def _map_error(self, err: BaseException, *, during: str) -> UIReviewError:
        """The user-facing error for an SDK (or decoding) failure; never carries the key."""
        key = self.settings.api_key
        detail = scrub(_server_words(err), key)
        host = urlsplit(self.settings.base_url).netloc or self.settings.base_url
        log.warning("provider error during %s: %s: %s", during, type(err).__name__, detail)

        if isinstance(err, openai.APITimeoutError):
            if during == "stream":
                message = (
                    f"The model stopped sending for over {self.settings.timeout:g} s "
                    "before finishing. Try again."
                )
            else:
                message = (
                    f"The model did not answer within {self.settings.timeout:g} s. Try again "
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
                    f"The endpoint {self.settings.base_url} has no model list. Check XAI_BASE_URL.",
                    http_status=404,
                    detail=detail,
                )
            available = self._available_quietly()
            replacement = _replacement(detail)
            message = None
            if replacement:
                # xAI's words for a retired model: "... Please use grok-4.3 instead."
                message = (
                    f"The model {self.settings.model!r} is retired at this endpoint, which "
                    f"names {replacement} as its replacement. Set XAI_MODEL={replacement}."
                )
            return ModelUnavailable(
                self.settings.model,
                available=available,
                message=message,
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


def _server_words(err: BaseException) -> str:
    """What the server said, xAI's error sentence included.

    xAI's error body is ``{"code": ..., "error": "<sentence>"}``; the SDK keeps the sentence
    as ``body`` and leaves it out of ``message`` ("Error code: 404").
    """
    message = str(getattr(err, "message", None) or err)
    body = getattr(err, "body", None)
    if isinstance(body, str) and body and body not in message:
        return f"{message}: {body}"
    return message


def _about(err: openai.APIStatusError, *words: str) -> bool:
    text = f"{_server_words(err)} {err.param or ''} {err.code or ''}".lower()
    return any(word in text for word in words)


def _about_response_format(err: openai.APIStatusError) -> bool:
    return _about(err, "response_format", "json", "schema", "structured output")


_REPLACEMENT = re.compile(r"\buse\s+[`'\"]?([A-Za-z0-9][\w.\-]*\w)[`'\"]?\s+instead", re.I)


def _replacement(detail: str) -> str | None:
    """The model a retirement message names instead ("Please use grok-4.3 instead")."""
    found = _REPLACEMENT.search(detail)
    return found.group(1) if found else None


def _summarise(model: str, messages: list[dict], fmt: str, max_tokens: int | None) -> str:
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
            "response_format": fmt,
            "max_tokens": max_tokens,
        }
    )
