"""Errors a user can act on: one type per failure, each saying what happened and what to do.

``str(error)`` is the sentence to show a designer. ``detail`` holds what the server said
(scrubbed of secrets) for logs or a "details" expander; it is never needed to act.
Nothing here may carry the API key: build ``detail`` with :func:`scrub`.
"""

from __future__ import annotations

import re

# Things that look like credentials, scrubbed even when we do not know the exact key.
_SECRET_PATTERNS = [
    re.compile(r"(?i)bearer\s+[^\s\"',;]+"),
    re.compile(r"\b(?:xai|sk)-[A-Za-z0-9_\-]{8,}"),
]
_DETAIL_LIMIT = 300
# user:password@ (or token@) in a URL: what XAI_BASE_URL may carry for a proxy.
_URL_USERINFO = re.compile(r"(?<=://)[^/\s@]+@")


def without_credentials(url: str) -> str:
    """``url`` without the user info (``user:pass@``) it may carry, for showing or saving."""
    return _URL_USERINFO.sub("", url or "")


def scrub(text: object, *secrets: str | None) -> str:
    """``text`` with every given secret and anything key-shaped replaced by ``***``, shortened."""
    out = str(text)
    for secret in secrets:
        if secret:
            out = out.replace(secret, "***")
    out = without_credentials(out)
    for pattern in _SECRET_PATTERNS:
        out = pattern.sub("***", out)
    out = " ".join(out.split())
    if len(out) > _DETAIL_LIMIT:
        out = out[: _DETAIL_LIMIT - 1] + "…"
    return out


class UIReviewError(Exception):
    """Base of every error the app shows to a user; ``str()`` is one actionable sentence."""

    default_message = "Something went wrong while reviewing. Try again."

    def __init__(
        self,
        message: str | None = None,
        *,
        http_status: int | None = None,
        detail: str | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.http_status = http_status
        self.detail = detail
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        status = f", http_status={self.http_status}" if self.http_status is not None else ""
        return f"{type(self).__name__}({self.message!r}{status})"


class BadImage(UIReviewError):
    """An uploaded file is not an image we can review (wrong type, broken, too small/large)."""

    default_message = (
        "This file is not an image we can review. Upload a PNG, JPEG or WebP screenshot."
    )


class MissingKey(UIReviewError):
    default_message = (
        "No API key is set. Add XAI_API_KEY to the environment or .streamlit/secrets.toml."
    )


class BadKey(UIReviewError):
    default_message = (
        "The API key was refused. Check XAI_API_KEY in the environment or .streamlit/secrets.toml."
    )


class RateLimited(UIReviewError):
    """429: too many requests (or no credit left); ``retry_after`` is in seconds when known."""

    def __init__(
        self,
        message: str | None = None,
        *,
        retry_after: float | None = None,
        http_status: int | None = 429,
        detail: str | None = None,
    ) -> None:
        self.retry_after = retry_after
        if message is None:
            if retry_after is not None and retry_after > 0:
                wait = _human_seconds(retry_after)
                message = f"The provider is rate limiting us. Try again in {wait}."
            else:
                message = "The provider is rate limiting us. Wait a minute and try again."
        super().__init__(message, http_status=http_status, detail=detail)


class ModelUnavailable(UIReviewError):
    """The model is unknown to the endpoint; ``available`` lists what it offers when known."""

    def __init__(
        self,
        model: str,
        *,
        available: list[str] | None = None,
        message: str | None = None,
        http_status: int | None = None,
        detail: str | None = None,
    ) -> None:
        self.model = model
        self.available = available
        if message is None:
            if available:
                shown = ", ".join(available[:8]) + (", …" if len(available) > 8 else "")
                message = (
                    f"The model {model!r} is not available at this endpoint. "
                    f"Set XAI_MODEL to one of: {shown}."
                )
            else:
                message = (
                    f"The model {model!r} is not available at this endpoint. "
                    "Check XAI_MODEL (and XAI_BASE_URL)."
                )
        super().__init__(message, http_status=http_status, detail=detail)


class EndpointUnreachable(UIReviewError):
    default_message = (
        "Could not reach the model endpoint. Check your network connection and XAI_BASE_URL."
    )


class ProviderTimeout(UIReviewError):
    default_message = (
        "The model took too long to answer. Try again, with fewer or smaller screenshots, "
        "or raise UIREVIEW_TIMEOUT."
    )


class ImageRefused(UIReviewError):
    """400/413 about the image or the request size."""

    default_message = (
        "The provider refused the screenshots. Try fewer or smaller images (PNG or JPEG)."
    )


class ProviderFailed(UIReviewError):
    """The provider failed (5xx after retries) or refused for a reason the user cannot pin down."""

    default_message = "The model provider had a problem answering. Try again in a minute."


class BadReply(UIReviewError):
    """The reply was empty, refused, or could not be read."""

    default_message = "The model sent back an empty reply. Try again."


class ServerBusy(UIReviewError):
    """Other reviews hold the server's pixel budget for longer than a review waits."""

    default_message = (
        "The server is busy with other large reviews. Try again in a minute, or with "
        "fewer or smaller screenshots."
    )


class StorageFailed(UIReviewError):
    """The review store could not be opened or written; the review itself is complete.

    ``why`` is a short reason in our words ("the disk is full"), never SQL or a driver's text.
    """

    def __init__(self, why: str, *, message: str | None = None, detail: str | None = None):
        self.why = why
        super().__init__(message or f"This review could not be saved: {why}.", detail=detail)


def _human_seconds(seconds: float) -> str:
    seconds = max(1, round(seconds))
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = round(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class BaselineNotFound(UIReviewError):
    """The review named as the baseline is not in the store (mistyped, expired or deleted)."""

    default_message = (
        "The baseline review was not found: it may be mistyped, expired or deleted. "
        "Pick another from History or review without a baseline."
    )
