"""A streamed chat reply read into a ChatResult: text, usage, model, and how it ended."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import openai
import pydantic

from uireview.errors import BadReply, UIReviewError, scrub
from uireview.findings import Usage
from uireview.settings import Settings

log = logging.getLogger(__name__)

# How we ask for the reply's shape, strictest first.
FORMATS = ("json_schema", "json_object", "text")


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


def read_stream(
    stream: Any,
    fmt: str,
    on_text: Callable[[str], None] | None,
    *,
    settings: Settings,
    failed: Callable[[BaseException], UIReviewError],
) -> ChatResult:
    """Collect a streamed reply; ``failed`` turns an SDK error mid-stream into ours."""
    parts: list[str] = []
    refusal: list[str] = []
    usage: Usage | None = None
    model = settings.model
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
                broke = failed(err)
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
                detail=scrub("".join(refusal), settings.api_key),
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
