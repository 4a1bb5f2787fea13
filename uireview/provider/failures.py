"""Which :mod:`uireview.errors` type each SDK failure becomes, in words a user can act on."""

from __future__ import annotations

import email.utils
import logging
import math
import re
import time
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

import openai
import pydantic

from uireview.errors import (
    BadKey,
    BadReply,
    EndpointUnreachable,
    ImageRefused,
    ModelUnavailable,
    ProviderFailed,
    ProviderTimeout,
    RateLimited,
    UIReviewError,
    scrub,
)
from uireview.settings import Settings

log = logging.getLogger(__name__)


def map_error(
    err: BaseException,
    settings: Settings,
    *,
    during: str,
    since: float | None = None,
    available: Callable[[], list[str] | None] = lambda: None,
) -> UIReviewError:
    """The user-facing error for an SDK (or decoding) failure; never carries the key.

    ``since`` (time.monotonic() at the start) lets a timeout say how long the SDK's
    retries took in all, not only one try's limit.
    """
    key = settings.api_key
    detail = scrub(server_words(err), key)
    host = urlsplit(settings.public_base_url).netloc or settings.public_base_url
    log.warning("provider error during %s: %s: %s", during, type(err).__name__, detail)

    if isinstance(err, openai.APITimeoutError):
        if during == "stream":
            message = (
                f"The model stopped sending for over {settings.timeout:g} s "
                "before finishing. Try again."
            )
        else:
            waited = time.monotonic() - since if since is not None else 0.0
            tries = settings.max_retries + 1
            within = f"within {settings.timeout:g} s"
            if tries > 1 and waited > settings.timeout * 1.2:
                within = f"in {tries} tries of {settings.timeout:g} s each ({waited:.0f} s in all)"
            message = (
                f"The model did not answer {within}. Try again "
                "with fewer or smaller screenshots, or raise UIREVIEW_TIMEOUT."
            )
        return ProviderTimeout(message, detail=detail)
    if isinstance(err, openai.APIConnectionError):
        if during == "stream":
            message = f"The connection to {host} broke off while the reply was arriving. Try again."
        else:
            message = (
                f"Could not reach the model endpoint at {host}. "
                "Check your network connection and XAI_BASE_URL."
            )
        return EndpointUnreachable(message, detail=detail)
    if isinstance(err, openai.APIStatusError):
        return _map_status(err, detail, during, settings, available)
    if isinstance(err, (ValueError, pydantic.ValidationError, openai.APIResponseValidationError)):
        return BadReply("The provider sent a reply we could not read. Try again.", detail=detail)
    if isinstance(err, openai.APIError):  # an error event inside the stream
        return ProviderFailed(
            "The model provider reported an error while answering. Try again.",
            detail=detail,
        )
    return ProviderFailed(detail=detail)


def _map_status(
    err: openai.APIStatusError,
    detail: str,
    during: str,
    settings: Settings,
    available: Callable[[], list[str] | None],
) -> UIReviewError:
    status = err.status_code
    text = detail.lower()
    if status in (401, 403):
        return BadKey(http_status=status, detail=detail)
    if status == 429:
        return RateLimited(retry_after=parse_retry_after(err.response.headers), detail=detail)
    if status == 404:
        if during == "models":
            return ProviderFailed(
                f"The endpoint {settings.public_base_url} has no model list. Check XAI_BASE_URL.",
                http_status=404,
                detail=detail,
            )
        listed = available()
        replacement = _replacement(detail)
        message = None
        if replacement:
            # xAI's words for a retired model: "... Please use grok-4.3 instead."
            message = (
                f"The model {settings.model!r} is retired at this endpoint, which "
                f"names {replacement} as its replacement. Set XAI_MODEL={replacement}."
            )
        return ModelUnavailable(
            settings.model,
            available=listed,
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
                settings.model,
                message=(
                    f"The model {settings.model!r} cannot review images. "
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
        attempts = settings.max_retries + 1
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


def server_words(err: BaseException) -> str:
    """What the server said, xAI's error sentence included.

    xAI's error body is ``{"code": ..., "error": "<sentence>"}``; the SDK keeps the sentence
    as ``body`` and leaves it out of ``message`` ("Error code: 404").
    """
    message = str(getattr(err, "message", None) or err)
    body = getattr(err, "body", None)
    if isinstance(body, str) and body and body not in message:
        return f"{message}: {body}"
    return message


def about(err: openai.APIStatusError, *words: str) -> bool:
    text = f"{server_words(err)} {err.param or ''} {err.code or ''}".lower()
    return any(word in text for word in words)


def about_response_format(err: openai.APIStatusError) -> bool:
    return about(err, "response_format", "json", "schema", "structured output")


_REPLACEMENT = re.compile(r"\buse\s+[`'\"]?([A-Za-z0-9][\w.\-]*\w)[`'\"]?\s+instead", re.I)


def _replacement(detail: str) -> str | None:
    """The model a retirement message names instead ("Please use grok-4.3 instead")."""
    found = _REPLACEMENT.search(detail)
    return found.group(1) if found else None
