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

One module per job: ``endpoint`` (Provider: models and chat), ``clients`` (SDK clients),
``stream`` (reading a reply), ``failures`` (errors), ``memory`` (what endpoints refused).
"""

from uireview.provider.clients import retry_after_patience
from uireview.provider.endpoint import CATALOGUE_TTL, LIST_TIMEOUT, Provider
from uireview.provider.failures import parse_retry_after
from uireview.provider.memory import forget_endpoints
from uireview.provider.stream import FORMATS, ChatResult

__all__ = [
    "CATALOGUE_TTL",
    "FORMATS",
    "LIST_TIMEOUT",
    "ChatResult",
    "Provider",
    "forget_endpoints",
    "parse_retry_after",
    "retry_after_patience",
]
