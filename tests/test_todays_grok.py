"""Today's xAI: a model that exists, structured replies, what xAI accepts, listed prices.

Against the fake endpoint serving today's catalogue (tests/fake_openai.py): what is chosen,
what is sent, how refusals are survived and what a review costs. The real API is not
reachable from here; the catalogue's shape and the error wording follow xAI's docs.
"""

from __future__ import annotations

import base64
import io
import json
from dataclasses import replace

import pytest
from PIL import Image

from tests.conftest import endpoint_env, fake_settings
from tests.fake_openai import (
    TEXT_ONLY_MODEL,
    RefuseResponseFormat,
    Reply,
    StatusError,
    language_model,
    todays_catalogue,
)
from tests.imagegen import encode, screenshot
from tests.test_cli import run_cli
from uireview import pipeline
from uireview.catalogue import Catalogue, ModelInfo, choose, parse_language_models
from uireview.costs import Prices, cost, estimate, prices_for
from uireview.errors import ModelUnavailable
from uireview.findings import Usage
from uireview.images import XAI_MIMES, encode_original, load_image
from uireview.modelreply import FindingsReply, ModelFinding, parse_reply, response_schema
from uireview.presets import load_presets
from uireview.provider import Provider
from uireview.settings import DEFAULT_MODEL, load_settings

ONE = {"title": "Upgrade reads as secondary", "severity": "major", "marks": ["1"]}
WHOLE = {"title": "The screen has no clear purpose", "severity": "minor", "marks": []}


def findings_reply(*items: dict, **kw) -> Reply:
    return Reply(json.dumps({"findings": list(items)}), **kw)


def default_settings(fake, **env: str):
    """Settings as a designer who set only the key (and the test endpoint) gets them."""
    values = endpoint_env(fake)
    del values["XAI_MODEL"]
    values.update(env)
    return load_settings(env=values)


def without(model: str) -> list[dict]:
    return [m for m in todays_catalogue() if m["id"] != model]


def shot(name="shot.png", fmt="PNG"):
    return load_image(encode(screenshot(), fmt), name)


def sent_image(request) -> tuple[str, Image.Image]:
    [url] = request.image_urls
    head, data = url.split(",", 1)
    return head, Image.open(io.BytesIO(base64.b64decode(data)))


# --- a model that exists ------------------------------------------------------------------


def test_the_default_names_a_model_from_todays_catalogue():
    assert DEFAULT_MODEL in {m["id"] for m in todays_catalogue()}
    assert not DEFAULT_MODEL.startswith("grok-2")


def test_unset_model_missing_default_takes_the_newest_listed_image_model(fake_openai):
    # grok-code-fast-1 is listed newer still, but reads text only.
    fake_openai.use_catalogue(without(DEFAULT_MODEL))
    fake_openai.script(findings_reply(ONE))
    settings = default_settings(fake_openai)

    choice = pipeline.choose_model(settings)
    review = pipeline.review([shot()], "general", settings=choice.settings)

    assert choice.settings.model == "grok-4.7"
    assert choice.notice is not None and "\n" not in choice.notice
    assert "grok-4.7" in choice.notice and DEFAULT_MODEL in choice.notice
    assert fake_openai.chat_requests[-1].body["model"] == "grok-4.7"
    assert review.error is None and review.model == "grok-4.7"


def test_unset_model_with_the_default_listed_uses_it_without_a_notice(fake_openai):
    fake_openai.use_catalogue(todays_catalogue())
    choice = pipeline.choose_model(default_settings(fake_openai))
    assert choice.settings.model == DEFAULT_MODEL
    assert choice.notice is None and choice.problem is None


def test_the_cli_with_only_a_key_reviews_with_a_listed_image_model_and_says_which(
    tmp_path, fake_openai
):
    fake_openai.use_catalogue(without(DEFAULT_MODEL))
    fake_openai.script(findings_reply(ONE))
    path = tmp_path / "shot.png"
    path.write_bytes(encode(screenshot()))
    env = endpoint_env(fake_openai)
    del env["XAI_MODEL"]

    out = run_cli("review", str(path), "--json", env_extra=env)

    assert out.returncode == 0, out.stderr
    assert fake_openai.chat_requests[-1].body["model"] == "grok-4.7"
    notices = [line for line in out.stderr.splitlines() if "grok-4.7" in line]
    assert len(notices) == 1 and "XAI_MODEL is not set" in notices[0]
    assert json.loads(out.stdout)["model"] == "grok-4.7"


def test_an_explicit_retired_model_is_never_replaced_and_xai_names_its_successor(
    tmp_path, fake_openai
):
    fake_openai.use_catalogue(todays_catalogue())
    path = tmp_path / "shot.png"
    path.write_bytes(encode(screenshot()))
    env = endpoint_env(fake_openai, XAI_MODEL="grok-2-vision-latest")

    out = run_cli("review", str(path), "--json", env_extra=env)

    assert out.returncode == 3
    assert fake_openai.chat_requests[-1].body["model"] == "grok-2-vision-latest"
    assert "XAI_MODEL=grok-4.3" in out.stderr and "retired" in out.stderr
    assert "Traceback" not in out.stderr


def test_an_explicit_missing_model_lists_only_image_models_to_pick(fake_openai):
    fake_openai.use_catalogue(todays_catalogue())
    settings = replace(default_settings(fake_openai), model="grok-9", model_is_default=False)
    choice = pipeline.choose_model(settings)
    assert choice.settings.model == "grok-9"
    assert isinstance(choice.problem, ModelUnavailable)
    assert TEXT_ONLY_MODEL not in choice.problem.available
    assert "grok-4.7" in choice.problem.available and DEFAULT_MODEL in choice.problem.available


def test_without_modalities_the_newest_vision_named_model_is_taken():
    models = (
        ModelInfo("mistral-small", created=300),
        ModelInfo("llava-1.6", created=200),
        ModelInfo("qwen2.5-vl-7b", created=250),
    )
    settings = replace(load_settings(env={}), base_url="http://127.0.0.1:1/v1")
    choice = choose(settings, Catalogue(models, "models"))
    assert choice.settings.model == "qwen2.5-vl-7b"
    # Nothing looks like it takes images: no guess, the whole list to pick from.
    text_only = Catalogue((ModelInfo("mistral-small"), ModelInfo("phi-3")), "models")
    problem = choose(settings, text_only).problem
    assert problem is not None and problem.available == ["mistral-small", "phi-3"]


def test_a_text_only_model_gets_a_message_and_no_image_leaves(tmp_path, fake_openai):
    fake_openai.use_catalogue(todays_catalogue())
    path = tmp_path / "shot.png"
    path.write_bytes(encode(screenshot()))
    env = endpoint_env(fake_openai, XAI_MODEL=TEXT_ONLY_MODEL)

    out = run_cli("review", str(path), "--json", env_extra=env)

    assert out.returncode == 3
    assert "reads text only" in out.stderr and "grok-4.7" in out.stderr
    assert fake_openai.chat_requests == []
    data = json.loads(out.stdout)
    assert data["error"] and data["findings"], "measured findings still come back"


def test_the_xai_catalogue_is_read_with_modalities_prices_and_aliases(fake_openai):
    fake_openai.use_catalogue(todays_catalogue())
    catalogue = Provider(fake_settings(fake_openai)).catalogue()
    assert catalogue.source == "language-models"
    info = catalogue.find("grok-4.3-latest")
    assert info is not None and info.id == "grok-4.3"
    assert info.takes_images is True and catalogue.find(TEXT_ONLY_MODEL).takes_images is False
    # 20000 cents per 100 M tokens is $2.00 per million.
    assert info.price_input_per_m == pytest.approx(2.0)
    assert info.price_output_per_m == pytest.approx(10.0)


def test_a_broken_catalogue_entry_is_skipped_not_fatal():
    models = parse_language_models(
        {"models": [{"id": 7}, {"id": "grok-4.3", "prompt_text_token_price": "free"}]}
    )
    assert [m.id for m in models] == ["grok-4.3"]
    assert models[0].price_input_per_m is None and models[0].takes_images is None


# --- structured replies -------------------------------------------------------------------


def test_the_review_asks_for_the_strict_findings_schema_at_temperature_0(fake_openai):
    fake_openai.script(findings_reply(ONE))
    pipeline.review([shot()], "general", settings=fake_settings(fake_openai))
    body = fake_openai.chat_requests[-1].body
    assert body["temperature"] == 0
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"] == response_schema()
    item = fmt["json_schema"]["schema"]["properties"]["findings"]["items"]
    assert set(item["required"]) == set(ModelFinding.model_fields)
    assert item["additionalProperties"] is False
    assert item["properties"]["severity"]["enum"] == ["critical", "major", "minor", "info"]


def test_a_reply_that_fills_the_schema_validates_with_the_pydantic_model():
    full = {name: "" for name in ModelFinding.model_fields}
    full.update(title="Vague label", severity="minor", image=1, marks=["2"], cells=[])
    text = json.dumps({"findings": [full]})
    FindingsReply.model_validate_json(text)
    parsed = parse_reply(text)
    assert parsed.usable and [f.title for f in parsed.findings] == ["Vague label"]


def test_after_a_json_schema_400_the_retry_sends_json_object_and_it_is_remembered(fake_openai):
    fake_openai.default = RefuseResponseFormat(refuse=("json_schema",), then=findings_reply(ONE))
    settings = fake_settings(fake_openai)

    first = pipeline.review([shot()], "general", settings=settings)
    second = pipeline.review([shot()], "general", settings=settings)

    kinds = [r.body["response_format"]["type"] for r in fake_openai.chat_requests]
    assert kinds == ["json_schema", "json_object", "json_object"]
    assert first.error is None and second.error is None
    assert [f.title for f in first.findings if f.source == "model"] == [ONE["title"]]
    assert first.extra["response_format"] == "json_object"


def test_an_endpoint_refusing_every_format_gets_plain_text_and_the_reply_still_validates(
    fake_openai,
):
    fake_openai.default = RefuseResponseFormat(then=findings_reply(ONE))
    review = pipeline.review([shot()], "general", settings=fake_settings(fake_openai))
    requests = fake_openai.chat_requests
    assert [r.response_format_type for r in requests] == ["json_schema", "json_object", None]
    assert review.error is None
    assert [f.title for f in review.findings if f.source == "model"] == [ONE["title"]]


def test_a_refused_temperature_is_dropped_once(fake_openai, fake_settings_for):
    fake_openai.script(
        StatusError(400, "Unsupported value: 'temperature' does not support 0 with this model"),
        findings_reply(ONE),
    )
    review = pipeline.review([shot()], "general", settings=fake_settings_for())
    first, second = fake_openai.chat_requests
    assert first.body["temperature"] == 0 and "temperature" not in second.body
    assert review.error is None


# --- what xAI accepts ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["WEBP", "GIF"])
def test_a_webp_or_gif_upload_reaches_the_server_as_png_with_high_detail(fake_openai, fmt):
    upload = shot(f"shot.{fmt.lower()}", fmt=fmt)
    assert upload.mime in ("image/webp", "image/gif")
    fake_openai.script(findings_reply(ONE))

    pipeline.review([upload], "general", settings=fake_settings(fake_openai))

    request = fake_openai.chat_requests[-1]
    head, image = sent_image(request)
    assert head == "data:image/png;base64"
    assert image.format == "PNG" and image.size == (upload.width, upload.height)
    assert request.image_parts[0]["detail"] == "high"


def test_the_original_webp_is_re_encoded_losslessly_for_xai():
    upload = load_image(encode(screenshot(), "WEBP", lossless=True), "shot.webp")
    sent = encode_original(upload, accepts=XAI_MIMES)
    assert sent.mime == "image/png"
    pixels = Image.open(io.BytesIO(sent.data)).convert("RGBA")
    assert pixels.tobytes() == Image.fromarray(upload.rgba).tobytes()
    # Elsewhere the upload goes as it is.
    assert encode_original(upload).data == upload.data


# --- prices from the catalogue ------------------------------------------------------------


def test_the_cost_is_the_tokens_times_the_listed_prices(fake_openai):
    fake_openai.use_catalogue(todays_catalogue())
    fake_openai.script(findings_reply(ONE))
    settings = replace(fake_settings(fake_openai), model="grok-4.7")

    review = pipeline.review([shot()], "general", settings=settings)

    usage = review.usage
    assert usage is not None and usage.prompt_tokens > 0 and usage.completion_tokens > 0
    # grok-4.7 is listed at 35000 and 175000 cents per 100 M tokens: $3.50 and $17.50 per M.
    expected = (usage.prompt_tokens * 3.5 + usage.completion_tokens * 17.5) / 1_000_000
    assert usage.cost_usd == pytest.approx(expected)
    assert json.loads(review.model_dump_json())["usage"]["cost_usd"] == pytest.approx(expected)


def test_reasoning_tokens_reported_apart_are_billed_as_output(fake_openai):
    fake_openai.use_catalogue(todays_catalogue())
    fake_openai.script(findings_reply(ONE, reasoning_tokens=4000))
    review = pipeline.review(
        [shot()], "general", settings=fake_settings(fake_openai, model="grok-4.3")
    )
    usage = review.usage
    expected = (usage.prompt_tokens * 2.0 + (usage.completion_tokens + 4000) * 10.0) / 1e6
    assert usage.cost_usd == pytest.approx(expected)


def test_uireview_price_settings_override_the_listed_prices_one_at_a_time(fake_openai):
    fake_openai.use_catalogue(todays_catalogue())
    fake_openai.script(findings_reply(ONE))
    settings = default_settings(fake_openai, UIREVIEW_PRICE_INPUT_PER_M="1.0")
    review = pipeline.review([shot()], "general", settings=settings)
    usage = review.usage
    expected = (usage.prompt_tokens * 1.0 + usage.completion_tokens * 10.0) / 1_000_000
    assert usage.cost_usd == pytest.approx(expected)


def test_without_listed_or_configured_prices_there_is_no_cost(fake_openai, fake_settings_for):
    fake_openai.script(findings_reply(ONE))
    review = pipeline.review([shot()], "general", settings=fake_settings_for())
    assert review.usage is not None and review.usage.cost_usd is None


def test_the_estimate_before_sending_uses_the_listed_prices(fake_openai):
    fake_openai.use_catalogue(todays_catalogue())
    est = pipeline.estimate_review([(1440, 900)], "", default_settings(fake_openai))
    tokens = est.image_tokens + est.prompt_tokens
    assert est.cost_usd == pytest.approx((tokens * 2.0 + est.output_tokens * 10.0) / 1e6)
    assert estimate([(1440, 900)]).cost_usd is None


def test_cost_arithmetic_in_both_usage_conventions():
    prices = Prices(2.0, 10.0)
    openai_style = Usage(prompt_tokens=1_000_000, completion_tokens=500_000, total_tokens=1_500_000)
    assert cost(openai_style, prices) == pytest.approx(7.0)
    xai_style = Usage(prompt_tokens=1_000_000, completion_tokens=500_000, total_tokens=2_000_000)
    assert cost(xai_style, prices) == pytest.approx(12.0)
    listed = ModelInfo("m", price_input_per_m=2.0, price_output_per_m=None)
    assert prices_for(load_settings(env={}), listed) is None


# --- presets and notices ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["contrast", "spacing", "hierarchy", "general", "diff"])
def test_each_preset_carries_two_or_three_worked_examples_that_validate(name):
    instruction = load_presets()[name].instruction
    examples = [line for line in instruction.splitlines() if line.startswith('{"findings"')]
    assert 2 <= len(examples) <= 3
    assert instruction.count("Example ") == len(examples)
    named = 0
    for line in examples:
        data = json.loads(line)
        FindingsReply.model_validate(data)
        named += sum(1 for f in data["findings"] if f["marks"])
        for finding in data["findings"]:
            assert set(finding) == set(ModelFinding.model_fields), "examples fill the schema"
    assert named >= 2, "worked examples name their marks"


def test_a_model_finding_without_a_mark_is_named_by_its_number_in_plain_words(fake_openai):
    fake_openai.script(findings_reply(ONE, WHOLE))
    review = pipeline.review([shot()], "general", settings=fake_settings(fake_openai))
    number = next(n for n, f in enumerate(review.findings, 1) if f.title == WHOLE["title"])
    sentence = f"Grok's finding {number} is about the whole screen"
    assert any(n.startswith(sentence) for n in review.notices)
    assert not any("mark we drew" in n or "not pinned" in n for n in review.notices)


def test_fake_catalogue_prices_are_in_xais_unit():
    entry = language_model("grok-x", 1, prompt_price=20000)
    assert parse_language_models({"models": [entry]})[0].price_input_per_m == 2.0


def test_a_finding_naming_a_mark_that_is_not_drawn_is_told_apart_from_a_whole_screen_one(
    fake_openai,
):
    stray = {"title": "Badge overlaps the avatar", "severity": "minor", "marks": ["97"]}
    fake_openai.script(findings_reply(stray, WHOLE))
    review = pipeline.review([shot()], "general", settings=fake_settings(fake_openai))
    number = {f.title: n for n, f in enumerate(review.findings, 1)}
    [notice] = [n for n in review.notices if n.startswith("Grok's")]
    assert f"finding {number[WHOLE['title']]} is about the whole screen" in notice
    assert f"finding {number[stray['title']]} points at a mark that is not on the image" in notice
