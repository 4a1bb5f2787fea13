"""Provider: the models an endpoint offers and one streamed chat, its failures mapped."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import openai

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
from uireview.errors import MissingKey, ProviderFailed, UIReviewError
from uireview.findings import Usage
from uireview.provider.clients import client_for
from uireview.provider.failures import about, about_response_format, map_error
from uireview.provider.memory import Quirks, catalogues, memory_lock, quirks_by_endpoint
from uireview.provider.requests import summarise
from uireview.provider.stream import FORMATS, ChatResult, read_stream
from uireview.settings import Settings

log = logging.getLogger(__name__)

# Status codes on GET /models meaning "this endpoint has no model list", not "you're wrong".
_NO_MODEL_LIST = {404, 405, 501}
CATALOGUE_TTL = 300.0  # seconds a fetched model list is trusted
LIST_TIMEOUT = 15.0  # seconds for GET /language-models or /models


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
            self._client = client_for(self.settings)
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
        with memory_lock:
            kept = catalogues.get(key)
        if kept is not None and now - kept[0] < CATALOGUE_TTL:
            return kept[1]
        try:
            catalogue = self._fetch_catalogue()
        except openai.OpenAIError as err:
            raise self._failed(err, during="models") from None
        with memory_lock:
            catalogues[key] = (now, catalogue)
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

    def _failed(
        self, err: BaseException, *, during: str, since: float | None = None
    ) -> UIReviewError:
        return map_error(
            err, self.settings, during=during, since=since, available=self._available_quietly
        )

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
                summarise(self.settings.model, messages, fmt, max_tokens),
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
                if fmt != "text" and about_response_format(err):
                    log.warning("endpoint refused response_format %s; asking again without", fmt)
                    level += 1
                    with memory_lock:
                        quirks.format_floor = max(quirks.format_floor, level)
                    continue
                if use_temperature and about(err, "temperature"):
                    log.warning("endpoint refused temperature; asking again without it")
                    use_temperature = False
                    with memory_lock:
                        quirks.temperature = False
                    continue
                raise self._failed(err, during="chat", since=started) from None
            except openai.OpenAIError as err:
                raise self._failed(err, during="chat", since=started) from None

        result = read_stream(
            stream,
            fmt,
            on_text,
            settings=self.settings,
            failed=lambda err: self._failed(err, during="stream"),
        )
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

    def _quirks(self) -> Quirks:
        key = (self.settings.base_url, self.settings.model)
        with memory_lock:
            return quirks_by_endpoint.setdefault(key, Quirks())

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
