"""What an endpoint says it serves: model ids, which take images, and their prices.

xAI answers ``GET /v1/language-models`` with each model's ``input_modalities`` and prices
(USD cents per 100 million tokens); any OpenAI-compatible server answers ``GET /v1/models``
with ids, sometimes with modalities in an extra field. This module reads both shapes into one
:class:`Catalogue` and decides, without any I/O, which model a review uses (:func:`choose`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from uireview.errors import ModelUnavailable, UIReviewError
from uireview.settings import Settings

# xAI lists prices in USD cents per 100 million tokens: 20000 = $200 / 100 M = $2.00 per M.
_CENTS_PER_100M_TO_USD_PER_M = 1 / 10_000
# Names that take images, for endpoints that list ids without modalities: today's xAI
# catalogue, and the words other servers put in vision models' names.
KNOWN_IMAGE_MODELS = (
    "grok-4.3",
    "grok-4.5",
    "grok-4.6",
    "grok-4.7",
    "grok-4.20-0309-reasoning",
    "grok-4.20-0309-non-reasoning",
)
_VISION_WORDS = re.compile(r"vision|[-_.]vl\b|[-_.]vl[-_.]|llava", re.I)


@dataclass(frozen=True)
class ModelInfo:
    """One model as the endpoint lists it."""

    id: str
    aliases: tuple[str, ...] = ()
    # None when the endpoint does not say; otherwise e.g. ("text", "image").
    input_modalities: tuple[str, ...] | None = None
    created: int | None = None  # Unix seconds, when listed
    # USD per million tokens, when the endpoint lists prices.
    price_input_per_m: float | None = None
    price_output_per_m: float | None = None

    @property
    def takes_images(self) -> bool | None:
        """True or False when the endpoint says, None when it does not."""
        if self.input_modalities is None:
            return None
        return "image" in self.input_modalities

    @property
    def looks_like_vision(self) -> bool:
        """A guess from the name, for lists without modalities."""
        name = self.id.lower()
        known = any(name == k or name.startswith(k + "-") for k in KNOWN_IMAGE_MODELS)
        return known or bool(_VISION_WORDS.search(name))

    @property
    def names(self) -> tuple[str, ...]:
        return (self.id, *self.aliases)


@dataclass(frozen=True)
class Catalogue:
    """The endpoint's models; ``source`` says which list they came from."""

    models: tuple[ModelInfo, ...] = ()
    # "language-models" (xAI's list with modalities and prices), "models" (the OpenAI
    # list), or "none" (the endpoint has no model list: chat will tell).
    source: str = "none"
    _by_name: dict[str, ModelInfo] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        for info in self.models:
            for name in info.names:
                self._by_name.setdefault(name, info)

    @property
    def listed(self) -> bool:
        return self.source != "none"

    @property
    def knows_modalities(self) -> bool:
        return any(m.input_modalities is not None for m in self.models)

    def find(self, name: str) -> ModelInfo | None:
        return self._by_name.get(name)

    def ids(self) -> list[str]:
        return sorted(m.id for m in self.models)

    def image_models(self) -> list[ModelInfo]:
        """Models that take images: by the endpoint's word when it gives it, else by name."""
        if self.knows_modalities:
            return [m for m in self.models if m.takes_images]
        return [m for m in self.models if m.looks_like_vision]

    def pickable(self) -> list[str]:
        """Ids a designer may pick: only image models when the endpoint says which they are."""
        if self.knows_modalities:
            return sorted(m.id for m in self.image_models())
        return self.ids()

    def newest_image_model(self) -> ModelInfo | None:
        """The most recently created model that takes images (by name when no dates)."""
        candidates = self.image_models()
        if not candidates:
            return None
        return max(candidates, key=lambda m: (m.created or 0, _natural(m.id)))


def _natural(name: str) -> tuple:
    """Sort key reading digit runs as numbers: grok-4.10 after grok-4.9."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name))


def _modalities(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v.lower() for v in value)
    return None


def _price(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return None
    return float(value) * _CENTS_PER_100M_TO_USD_PER_M


def _aliases(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(a for a in value if isinstance(a, str) and a)
    return ()


def _created(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def parse_language_models(body: Any) -> tuple[ModelInfo, ...] | None:
    """Models from xAI's ``/v1/language-models`` body, or None when it is not that shape."""
    if not isinstance(body, Mapping):
        return None
    items = body.get("models", body.get("data"))
    if not isinstance(items, list):
        return None
    out = []
    for item in items:
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
            continue
        out.append(
            ModelInfo(
                id=item["id"],
                aliases=_aliases(item.get("aliases")),
                input_modalities=_modalities(item.get("input_modalities")),
                created=_created(item.get("created")),
                price_input_per_m=_price(item.get("prompt_text_token_price")),
                price_output_per_m=_price(item.get("completion_text_token_price")),
            )
        )
    return tuple(out)


def parse_models(items: Iterable[Any]) -> tuple[ModelInfo, ...]:
    """Models from the OpenAI ``/v1/models`` list (SDK objects or dicts), extras included."""
    out = []
    for item in items:
        data = item if isinstance(item, Mapping) else _as_dict(item)
        if not isinstance(data.get("id"), str):
            continue
        modalities = _modalities(data.get("input_modalities"))
        architecture = data.get("architecture")
        if modalities is None and isinstance(architecture, Mapping):  # OpenRouter's shape
            modalities = _modalities(architecture.get("input_modalities"))
        out.append(
            ModelInfo(
                id=data["id"],
                # xAI may list a model once with its aliases ("...-latest") in an extra field.
                aliases=_aliases(data.get("aliases")),
                input_modalities=modalities,
                created=_created(data.get("created")),
                price_input_per_m=_price(data.get("prompt_text_token_price")),
                price_output_per_m=_price(data.get("completion_text_token_price")),
            )
        )
    return tuple(out)


def _as_dict(item: Any) -> dict[str, Any]:
    dump = getattr(item, "model_dump", None)
    if callable(dump):
        data = dump()
        if isinstance(data, dict):
            return data
    return {"id": getattr(item, "id", None)}


# --- which model a review uses ---------------------------------------------------------


@dataclass(frozen=True)
class ModelChoice:
    """The settings a review runs with, a one-line notice when we chose, or the problem.

    ``problem`` is a ModelUnavailable (with ``available`` to pick from) when the endpoint
    lacks the model or says it reads text only, or whatever stopped us asking it.
    """

    settings: Settings
    notice: str | None = None
    problem: UIReviewError | None = None


def text_only_problem(model: str, catalogue: Catalogue) -> ModelUnavailable | None:
    """The error for a model the endpoint says takes no images; None when it does or may."""
    info = catalogue.find(model)
    if info is None or info.takes_images is not False:
        return None
    pickable = catalogue.pickable()
    shown = ", ".join(pickable[:8]) + (", …" if len(pickable) > 8 else "")
    message = (
        f"The model {model!r} reads text only, so it cannot look at screenshots. "
        + (f"Set XAI_MODEL to one that takes images: {shown}." if shown else "")
    ).strip()
    return ModelUnavailable(model, available=pickable, message=message)


def choose(settings: Settings, catalogue: Catalogue) -> ModelChoice:
    """Which model to use: the configured one, or, for the default, the newest image model.

    An explicitly set XAI_MODEL is never replaced: when the endpoint lacks it, the problem
    names what it offers (only image models when it says which take images).
    """
    if not catalogue.listed:
        return ModelChoice(settings)  # no list to check against: the chat request will tell
    if catalogue.find(settings.model) is not None:
        return ModelChoice(settings, problem=text_only_problem(settings.model, catalogue))
    if settings.model_is_default:
        pick = catalogue.newest_image_model()
        if pick is not None:
            host = urlsplit(settings.base_url).netloc or settings.base_url
            notice = (
                f"XAI_MODEL is not set and {host} does not offer {settings.model}, so this "
                f"review uses {pick.id}, the newest model there that takes images."
            )
            return ModelChoice(settings.with_model(pick.id, chosen_by_us=True), notice=notice)
    return ModelChoice(
        settings, problem=ModelUnavailable(settings.model, available=catalogue.pickable())
    )
