"""Provider against a real local HTTP server: exact requests sent, streaming, and every fault."""

from __future__ import annotations

import base64
import io
import logging
import socket
import time
import traceback

import openai
import pytest
from PIL import Image

from tests.conftest import TEST_KEY, TEST_MODEL
from tests.fake_openai import (
    CutStream,
    Empty,
    Hang,
    MalformedChunk,
    RefuseResponseFormat,
    Reply,
    Reset,
    StatusError,
    split_text,
)
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
)
from uireview.provider import Provider, parse_retry_after


def png_data_uri(width: int = 24, height: int = 16) -> str:
    image = Image.new("RGB", (width, height), (240, 240, 240))
    image.paste((30, 90, 200), (4, 4, 12, 10))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def review_messages(uri: str | None = None) -> list[dict]:
    return [
        {"role": "system", "content": "You review UI screenshots. Reply in JSON."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "Review spacing."},
                {
                    "type": "image_url",
                    "image_url": {"url": uri or png_data_uri(), "detail": "high"},
                },
            ],
        },
    ]


def key_leaks(error: BaseException) -> bool:
    texts = [str(error), repr(error), str(getattr(error, "detail", ""))]
    texts += traceback.format_exception(error)
    return any(TEST_KEY in t for t in texts)


# --- the request ----------------------------------------------------------------------


def test_chat_sends_model_messages_with_image_json_mode_stream_and_bearer_key(
    fake_openai, fake_settings_for
):
    messages = review_messages()
    Provider(fake_settings_for()).chat(messages)

    [request] = fake_openai.chat_requests
    assert request.method == "POST"
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {TEST_KEY}"
    assert request.body == {
        "model": TEST_MODEL,
        "messages": messages,
        "stream": True,
        "stream_options": {"include_usage": True},
        "response_format": {"type": "json_object"},
    }


def test_chat_without_json_mode_sends_no_response_format_and_passes_max_tokens(
    fake_openai, fake_settings_for
):
    Provider(fake_settings_for()).chat(review_messages(), json_mode=False, max_tokens=900)

    body = fake_openai.chat_requests[0].body
    assert "response_format" not in body
    assert body["max_tokens"] == 900


def test_streamed_deltas_reach_on_text_in_order_and_usage_is_parsed(fake_openai, fake_settings_for):
    content = '{"findings": [{"title": "Cards 2 and 3 are 4 px closer than the rest"}]}'
    fake_openai.script(Reply(content, chunks=6, model="grok-test-vision-0125"))
    deltas: list[str] = []

    result = Provider(fake_settings_for()).chat(review_messages(), on_text=deltas.append)

    assert deltas == split_text(content, 6)
    assert len(deltas) == 6
    assert result.text == content
    assert result.model == "grok-test-vision-0125"
    assert result.finish_reason == "stop"
    assert result.json_mode is True
    assert result.partial is False and result.error is None
    # The fake counts 4 characters per token.
    assert result.usage is not None
    assert result.usage.completion_tokens == len(content) // 4
    assert result.usage.prompt_tokens > 0
    assert result.usage.total_tokens == result.usage.prompt_tokens + len(content) // 4


def test_model_is_the_requested_one_when_the_server_names_none(fake_openai, fake_settings_for):
    fake_openai.script(Reply("{}", model=""))
    result = Provider(fake_settings_for()).chat(review_messages())
    assert result.model == TEST_MODEL


def test_missing_key_raises_before_any_request(fake_openai, fake_settings_for):
    with pytest.raises(MissingKey, match="XAI_API_KEY"):
        Provider(fake_settings_for(api_key=None)).chat(review_messages())
    assert fake_openai.requests == []


def test_on_text_exceptions_propagate_unchanged(fake_openai, fake_settings_for):
    def explode(delta: str) -> None:
        raise KeyError("page went away")

    with pytest.raises(KeyError, match="page went away"):
        Provider(fake_settings_for()).chat(review_messages(), on_text=explode)


def test_logs_carry_neither_the_key_nor_image_data(fake_openai, fake_settings_for, caplog):
    uri = png_data_uri(64, 64)
    fake_openai.script(StatusError(500, f"boom for key {TEST_KEY}"), Reply("{}"))
    with caplog.at_level(logging.DEBUG):
        Provider(fake_settings_for()).chat(review_messages(uri))
    assert "chat request" in caplog.text and '"images": 1' in caplog.text
    assert TEST_KEY not in caplog.text
    assert uri.split(",", 1)[1][:40] not in caplog.text


def test_one_client_per_connection_settings(fake_openai, fake_settings_for):
    a = Provider(fake_settings_for()).client
    b = Provider(fake_settings_for()).client
    c = Provider(fake_settings_for(timeout=3.0)).client
    assert a is b
    assert c is not a


# --- status errors ----------------------------------------------------------------------


def test_401_is_bad_key_and_the_key_appears_nowhere(fake_openai, fake_settings_for, caplog):
    fake_openai.script(StatusError(401, f"Incorrect API key provided: {TEST_KEY}."))
    with caplog.at_level(logging.DEBUG), pytest.raises(BadKey) as caught:
        Provider(fake_settings_for()).chat(review_messages())

    error = caught.value
    assert error.http_status == 401
    assert str(error) == (
        "The API key was refused. Check XAI_API_KEY in the environment or .streamlit/secrets.toml."
    )
    assert "Incorrect API key provided" in error.detail
    assert not key_leaks(error)
    assert TEST_KEY not in caplog.text
    assert len(fake_openai.chat_requests) == 1  # 401 is not retried


def test_403_is_bad_key_with_its_status(fake_openai, fake_settings_for):
    fake_openai.script(StatusError(403, "This team has no access to the model."))
    with pytest.raises(BadKey) as caught:
        Provider(fake_settings_for()).chat(review_messages())
    assert caught.value.http_status == 403


def test_404_model_is_model_unavailable_listing_what_is_available(fake_openai, fake_settings_for):
    fake_openai.models = ["grok-2-vision-1212", "grok-3"]
    fake_openai.script(StatusError(404, "The model grok-test-vision does not exist."))
    with pytest.raises(ModelUnavailable) as caught:
        Provider(fake_settings_for()).chat(review_messages())

    error = caught.value
    assert error.model == TEST_MODEL
    assert error.available == ["grok-2-vision-1212", "grok-3"]
    assert error.http_status == 404
    assert "grok-2-vision-1212" in str(error) and "XAI_MODEL" in str(error)


def test_429_with_retry_after_1_is_retried_and_succeeds(fake_openai, fake_settings_for):
    fake_openai.script(StatusError(429, "Slow down", headers={"Retry-After": "1"}), Reply("{}"))
    started = time.monotonic()

    result = Provider(fake_settings_for(max_retries=1)).chat(review_messages())

    assert result.text == "{}"
    assert len(fake_openai.chat_requests) == 2
    # The SDK slept the server's second, not its own 0.5 s backoff.
    assert time.monotonic() - started >= 0.95
    retry = fake_openai.chat_requests[1]
    assert retry.headers["x-stainless-retry-count"] == "1"
    assert retry.body == fake_openai.chat_requests[0].body


@pytest.mark.parametrize("retry_after", ["30", "3600"])
def test_429_with_retry_after_past_our_patience_is_rate_limited_at_once(
    fake_openai, fake_settings_for, retry_after
):
    # Patience is min(timeout, 120 s) = 2 s here; 3600 is also past the SDK's own 120 s cap.
    fake_openai.script(StatusError(429, "Slow down", headers={"Retry-After": retry_after}))
    started = time.monotonic()

    with pytest.raises(RateLimited) as caught:
        Provider(fake_settings_for(max_retries=2)).chat(review_messages())

    assert caught.value.retry_after == float(retry_after)
    assert caught.value.http_status == 429
    assert len(fake_openai.chat_requests) == 1
    assert time.monotonic() - started < 1.5
    assert "Try again in" in str(caught.value)


def test_persistent_429_without_retry_after_is_rate_limited_after_retries(
    fake_openai, fake_settings_for
):
    fake_openai.default = StatusError(429, "Rate limit reached")
    with pytest.raises(RateLimited) as caught:
        Provider(fake_settings_for(max_retries=1)).chat(review_messages())
    assert caught.value.retry_after is None
    assert len(fake_openai.chat_requests) == 2


def test_retry_after_ms_wins_over_retry_after_and_dates_parse():
    assert parse_retry_after({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert parse_retry_after({"retry-after": "7"}) == 7.0
    assert parse_retry_after({}) is None
    when = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 60))
    assert 55 <= parse_retry_after({"retry-after": when}) <= 61


@pytest.mark.parametrize("status", [500, 503])
def test_5xx_is_retried_then_provider_failed(fake_openai, fake_settings_for, status):
    fake_openai.default = StatusError(status, "upstream exploded", type="server_error")
    with pytest.raises(ProviderFailed) as caught:
        Provider(fake_settings_for(max_retries=1)).chat(review_messages())
    assert caught.value.http_status == status
    assert "2 attempts" in str(caught.value)
    assert len(fake_openai.chat_requests) == 2


def test_503_once_then_success_is_invisible_to_the_caller(fake_openai, fake_settings_for):
    fake_openai.script(StatusError(503, "overloaded"), Reply('{"findings": []}'))
    result = Provider(fake_settings_for(max_retries=1)).chat(review_messages())
    assert result.text == '{"findings": []}'
    assert len(fake_openai.chat_requests) == 2


def test_413_is_image_refused(fake_openai, fake_settings_for):
    fake_openai.script(StatusError(413, "Request Entity Too Large"))
    with pytest.raises(ImageRefused) as caught:
        Provider(fake_settings_for()).chat(review_messages())
    assert caught.value.http_status == 413
    assert "smaller" in str(caught.value)


def test_400_about_the_image_is_image_refused_without_json_fallback(fake_openai, fake_settings_for):
    fake_openai.script(StatusError(400, "Image could not be decoded: unsupported format"))
    with pytest.raises(ImageRefused) as caught:
        Provider(fake_settings_for()).chat(review_messages())
    assert caught.value.http_status == 400
    assert len(fake_openai.chat_requests) == 1


def test_400_saying_the_model_cannot_see_images_is_model_unavailable(
    fake_openai, fake_settings_for
):
    fake_openai.script(StatusError(400, "Model grok-test-text does not support image input"))
    with pytest.raises(ModelUnavailable, match="vision model"):
        Provider(fake_settings_for(model="grok-test-text")).chat(review_messages())


# --- JSON mode fallback -----------------------------------------------------------------


def test_refused_response_format_falls_back_once_without_it(fake_openai, fake_settings_for):
    fake_openai.default = RefuseResponseFormat(then=Reply('{"findings": []}'))
    result = Provider(fake_settings_for()).chat(review_messages())

    assert result.json_mode is False
    assert result.text == '{"findings": []}'
    first, second = fake_openai.chat_requests
    assert first.body["response_format"] == {"type": "json_object"}
    assert "response_format" not in second.body
    assert second.body["messages"] == first.body["messages"]


def test_a_schema_is_sent_strict_and_a_400_steps_down_to_json_object_once(
    fake_openai, fake_settings_for
):
    schema = {"name": "s", "strict": True, "schema": {"type": "object"}}
    fake_openai.default = RefuseResponseFormat(refuse=("json_schema",), then=Reply("{}"))
    provider = Provider(fake_settings_for())

    first = provider.chat(review_messages(), schema=schema)
    again = Provider(fake_settings_for()).chat(review_messages(), schema=schema)

    kinds = [r.body["response_format"] for r in fake_openai.chat_requests]
    assert kinds == [
        {"type": "json_schema", "json_schema": schema},
        {"type": "json_object"},
        {"type": "json_object"},  # remembered for this endpoint: no second refusal
    ]
    assert first.response_format == again.response_format == "json_object"
    assert first.json_mode is True


def test_a_400_about_something_else_is_not_taken_for_a_format_refusal(
    fake_openai, fake_settings_for
):
    fake_openai.script(StatusError(400, "messages[1] is too long"))
    with pytest.raises(ImageRefused):
        Provider(fake_settings_for()).chat(review_messages(), schema={"name": "s", "schema": {}})
    assert len(fake_openai.chat_requests) == 1


def test_a_retired_model_in_xais_words_names_its_replacement(fake_openai, fake_settings_for):
    from tests.fake_openai import todays_catalogue

    fake_openai.use_catalogue(todays_catalogue())
    with pytest.raises(ModelUnavailable) as caught:
        Provider(fake_settings_for(model="grok-2-vision-1212")).chat(review_messages())
    assert caught.value.http_status == 404
    assert "retired" in str(caught.value) and "XAI_MODEL=grok-4.3" in str(caught.value)
    assert "grok-code-fast-1" not in (caught.value.available or []), "only image models offered"


# --- transport faults -------------------------------------------------------------------


def test_hang_past_the_timeout_is_provider_timeout_quickly(fake_openai, fake_settings_for):
    fake_openai.script(Hang(10))
    started = time.monotonic()
    with pytest.raises(ProviderTimeout) as caught:
        Provider(fake_settings_for(timeout=1.0, max_retries=0)).chat(review_messages())
    assert time.monotonic() - started < 3
    assert "1 s" in str(caught.value)


def test_connection_reset_is_endpoint_unreachable_after_a_retry(fake_openai, fake_settings_for):
    fake_openai.default = Reset()
    with pytest.raises(EndpointUnreachable, match="XAI_BASE_URL"):
        Provider(fake_settings_for(max_retries=1)).chat(review_messages())
    assert len(fake_openai.chat_requests) == 2


def test_nothing_listening_is_endpoint_unreachable(fake_settings_for):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = fake_settings_for(base_url=f"http://127.0.0.1:{port}/v1", max_retries=0)
    with pytest.raises(EndpointUnreachable) as caught:
        Provider(settings).chat(review_messages())
    assert f"127.0.0.1:{port}" in str(caught.value)


def test_stream_cut_halfway_returns_the_text_so_far_as_partial(fake_openai, fake_settings_for):
    cut = CutStream(
        '{"findings": [{"title": "Uneven gap between cards"}]}', chunks=6, after_chunks=3
    )
    fake_openai.script(cut)
    deltas: list[str] = []

    result = Provider(fake_settings_for()).chat(review_messages(), on_text=deltas.append)

    assert result.partial is True
    assert result.text == cut.sent_text() != ""
    assert "".join(deltas) == result.text
    assert isinstance(result.error, EndpointUnreachable)
    assert "broke off" in str(result.error)
    assert len(fake_openai.chat_requests) == 1  # a started stream is never replayed


def test_stream_that_goes_silent_midway_is_partial_with_a_timeout(fake_openai, fake_settings_for):
    content = '{"findings": []}'
    fake_openai.script(Reply(content, chunks=4, stall_after=2, stall=5))
    started = time.monotonic()
    result = Provider(fake_settings_for(timeout=1.0, max_retries=0)).chat(review_messages())
    assert time.monotonic() - started < 3
    assert result.partial is True
    assert result.text == "".join(split_text(content, 4)[:2])
    assert isinstance(result.error, ProviderTimeout)
    assert "stopped sending" in str(result.error)


def test_malformed_chunk_after_text_is_partial_bad_reply(fake_openai, fake_settings_for):
    fake_openai.script(MalformedChunk(before='{"findings": '))
    result = Provider(fake_settings_for()).chat(review_messages())
    assert result.partial is True
    assert result.text == '{"findings": '
    assert isinstance(result.error, BadReply)


def test_malformed_first_chunk_is_bad_reply(fake_openai, fake_settings_for):
    fake_openai.script(MalformedChunk(before=""))
    with pytest.raises(BadReply, match="could not read"):
        Provider(fake_settings_for()).chat(review_messages())


def test_stream_ending_without_a_finish_reason_is_partial(fake_openai, fake_settings_for):
    fake_openai.script(Reply('{"findings": []}', finish_reason=None))
    result = Provider(fake_settings_for()).chat(review_messages())
    assert result.partial is True
    assert result.text == '{"findings": []}'
    assert isinstance(result.error, BadReply)


# --- empty and refused replies ----------------------------------------------------------


def test_empty_reply_is_bad_reply(fake_openai, fake_settings_for):
    fake_openai.script(Empty())
    with pytest.raises(BadReply, match="empty reply"):
        Provider(fake_settings_for()).chat(review_messages())


def test_refusal_is_bad_reply_saying_the_model_declined(fake_openai, fake_settings_for):
    fake_openai.script(Reply("", refusal="I can't help with that."))
    with pytest.raises(BadReply, match="declined") as caught:
        Provider(fake_settings_for()).chat(review_messages())
    assert caught.value.detail == "I can't help with that."


# --- models -----------------------------------------------------------------------------


def test_list_models_returns_the_served_ids_sorted(fake_openai, fake_settings_for):
    fake_openai.models = ["grok-3", "grok-2-vision-1212"]
    assert Provider(fake_settings_for()).list_models() == ["grok-2-vision-1212", "grok-3"]
    # xAI's list first; this endpoint has none (404), so the OpenAI list answers.
    first, second = fake_openai.requests
    assert (first.method, first.path) == ("GET", "/v1/language-models")
    assert (second.method, second.path) == ("GET", "/v1/models")
    assert second.headers["authorization"] == f"Bearer {TEST_KEY}"


def test_check_model_passes_when_the_model_is_listed(fake_openai, fake_settings_for):
    Provider(fake_settings_for()).check_model()


def test_check_model_with_a_missing_model_lists_the_available_ones(fake_openai, fake_settings_for):
    fake_openai.models = ["grok-2-vision-1212", "grok-3"]
    with pytest.raises(ModelUnavailable) as caught:
        Provider(fake_settings_for(model="grok-9-vision")).check_model()
    assert caught.value.model == "grok-9-vision"
    assert caught.value.available == ["grok-2-vision-1212", "grok-3"]
    assert "grok-2-vision-1212, grok-3" in str(caught.value)


def test_check_model_is_tolerant_when_the_endpoint_has_no_model_list(
    fake_openai, fake_settings_for
):
    fake_openai.models = None
    Provider(fake_settings_for(model="anything")).check_model()
    assert [r.path for r in fake_openai.requests] == ["/v1/language-models", "/v1/models"]
    with pytest.raises(UIReviewError):
        Provider(fake_settings_for()).list_models()


def test_list_models_with_a_refused_key_is_bad_key(fake_openai, fake_settings_for):
    fake_openai.models_behaviour = StatusError(401, f"bad key {TEST_KEY}")
    with pytest.raises(BadKey) as caught:
        Provider(fake_settings_for()).check_model()
    assert not key_leaks(caught.value)


def test_an_injected_client_is_used_as_is(fake_openai, fake_settings_for):
    client = openai.OpenAI(
        api_key="injected-key", base_url=fake_openai.base_url, default_headers={"X-Probe": "1"}
    )
    Provider(fake_settings_for(api_key=None), client=client).chat(review_messages())
    [request] = fake_openai.chat_requests
    assert request.headers["authorization"] == "Bearer injected-key"
    assert request.headers["x-probe"] == "1"


# --- the fake itself (others build on it) -----------------------------------------------


def test_fake_answers_without_streaming_as_one_json_body_after_its_latency(fake_openai):
    fake_openai.latency = 0.3
    client = openai.OpenAI(api_key=TEST_KEY, base_url=fake_openai.base_url, max_retries=0)
    started = time.monotonic()
    completion = client.chat.completions.create(
        model=TEST_MODEL, messages=[{"role": "user", "content": "hi"}]
    )
    assert time.monotonic() - started >= 0.3
    assert completion.choices[0].message.content == '{"findings": []}'
    assert completion.usage is not None and completion.usage.total_tokens > 0
    assert fake_openai.requests[0].wants_stream is False


def test_a_reply_cut_by_the_length_limit_is_partial(fake_openai, fake_settings_for):
    from tests.fake_openai import Reply as _Reply
    from uireview.provider import Provider as _Provider

    fake_openai.script(_Reply('{"findings": [{"title": "A"}, {"tit', finish_reason="length"))
    result = _Provider(fake_settings_for()).chat([{"role": "user", "content": "hi"}])
    assert result.partial and result.finish_reason == "length"
    assert "length limit" in str(result.error)
