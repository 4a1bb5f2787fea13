"""The JSON the model must fill, and how we read what it actually sends.

Models wrap JSON in code fences, stop mid-object when they run out of tokens, and name
severities their own way. We validate with pydantic, keep every finding that arrived whole,
and report what we dropped; a reply with nothing usable is shown as text by the caller.

The same pydantic model gives the strict JSON schema sent as ``response_format``
(:func:`response_schema`), so what we ask for and what we accept cannot drift apart.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, Field, ValidationError, field_validator

from uireview.findings import SEVERITY_ORDER, Severity

_SEVERITY_ALIASES = {
    "critical": "critical",
    "blocker": "critical",
    "severe": "critical",
    "high": "major",
    "major": "major",
    "medium": "minor",
    "moderate": "minor",
    "minor": "minor",
    "low": "minor",
    "info": "info",
    "informational": "info",
    "suggestion": "info",
    "note": "info",
}


class ModelFinding(BaseModel):
    """One finding as the model writes it (see prompts/_system.md for the shape asked)."""

    title: str = Field(min_length=1, max_length=300)
    # Any spelling is read (see _SEVERITY_ALIASES); the schema asks for ours.
    severity: Severity = Field("minor", json_schema_extra={"enum": list(SEVERITY_ORDER)})
    category: str = "general"
    image: int = 1  # 1-based, as the images are numbered to the model
    marks: list[str] = Field(default_factory=list)
    cells: list[str] = Field(default_factory=list)
    evidence: str = ""
    detail: str = ""
    suggestion: str = ""

    @field_validator("severity", mode="before")
    @classmethod
    def _severity(cls, v: Any) -> str:
        return _SEVERITY_ALIASES.get(str(v).strip().lower(), "minor")

    @field_validator("marks", "cells", mode="before")
    @classmethod
    def _names(cls, v: Any) -> list[str]:
        if v is None:
            return []
        if isinstance(v, str | int):
            v = re.split(r"[,\s]+", str(v))
        return [str(x).strip() for x in v if str(x).strip()]

    @field_validator("image", mode="before")
    @classmethod
    def _image(cls, v: Any) -> int:
        m = re.search(r"\d+", str(v))
        return int(m.group()) if m else 1

    @field_validator("category", "evidence", "detail", "suggestion", mode="before")
    @classmethod
    def _text(cls, v: Any) -> str:
        return "" if v is None else str(v)


class FindingsReply(BaseModel):
    """The whole reply: ``{"findings": [...]}``."""

    findings: list[ModelFinding] = Field(default_factory=list)


# Keywords strict structured outputs reject or ignore (OpenAI's subset, which xAI follows);
# the pydantic validators still enforce them on what arrives.
_NOT_STRICT = {"default", "title", "minLength", "maxLength", "description"}


def _strict(node: Any, defs: dict[str, Any]) -> Any:
    """``node`` with $refs inlined, every property required and no extra properties."""
    if isinstance(node, list):
        return [_strict(n, defs) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _strict(copy.deepcopy(defs[node["$ref"].rsplit("/", 1)[-1]]), defs)
    out = {k: _strict(v, defs) for k, v in node.items() if k not in _NOT_STRICT | {"$defs"}}
    if isinstance(node.get("properties"), dict):  # property names are data, not keywords
        out["properties"] = {k: _strict(v, defs) for k, v in node["properties"].items()}
    if out.get("type") == "object":
        out["required"] = list(out.get("properties", {}))
        out["additionalProperties"] = False
    return out


@lru_cache(maxsize=1)
def findings_schema() -> dict[str, Any]:
    """The strict JSON schema of a reply, derived from :class:`FindingsReply`."""
    raw = FindingsReply.model_json_schema()
    return _strict(raw, raw.get("$defs", {}))


def response_schema() -> dict[str, Any]:
    """The ``json_schema`` member of a strict structured-output ``response_format``."""
    return {"name": "ui_review_findings", "strict": True, "schema": findings_schema()}


@dataclass
class ParsedReply:
    findings: list[ModelFinding] = field(default_factory=list)
    # True when the reply had to be salvaged (cut off, fenced, wrapped in prose).
    repaired: bool = False
    dropped: int = 0  # findings present but invalid
    usable: bool = True  # False when nothing could be read as findings


def _strip_fences(text: str) -> str:
    m = re.search(r"```(?:json)?\s*(.*?)(?:```|$)", text, re.S)
    return m.group(1) if m else text


def whole_items(text: str) -> list[str]:
    """The whole JSON objects inside the first array of ``text``, even if the text is cut off.

    Hand-written because we want exactly the items that arrived whole; generic JSON
    repairers close a cut-off item with invented ends.
    """
    start = text.find("[")
    if start < 0:
        return []
    items, depth, in_str, esc, item_start = [], 0, False, False, None
    for i in range(start + 1, len(text)):
        ch = text[i]
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
            continue
        if ch == '"':
            in_str = True
        elif ch in "{[":
            if depth == 0 and ch == "{":
                item_start = i
            depth += 1
        elif ch in "}]":
            if depth == 0:  # the array itself closed
                break
            depth -= 1
            if depth == 0 and item_start is not None:
                items.append(text[item_start : i + 1])
                item_start = None
    return items


def _validate(items: list[Any]) -> tuple[list[ModelFinding], int]:
    found, dropped = [], 0
    for item in items:
        try:
            found.append(ModelFinding.model_validate(item))
        except ValidationError:
            dropped += 1
    return found, dropped


def parse_reply(text: str) -> ParsedReply:
    """Findings from the model's reply text; never raises."""
    body = _strip_fences(text or "").strip()
    try:
        data = json.loads(body)
    except json.JSONDecodeError:
        data = None
        brace = body.find("{")
        if brace > 0:  # prose before the JSON
            try:
                data = json.loads(body[brace : body.rfind("}") + 1])
            except json.JSONDecodeError:
                data = None
    if isinstance(data, dict):
        items = data.get("findings")
        if items is None:
            items = next((v for v in data.values() if isinstance(v, list)), [])
        if isinstance(items, list):
            found, dropped = _validate(items)
            repaired = body != (text or "").strip()
            return ParsedReply(found, repaired, dropped, usable=bool(found) or not dropped)
    if isinstance(data, list):
        found, dropped = _validate(data)
        return ParsedReply(found, True, dropped, usable=bool(found) or not dropped)
    # Cut off or otherwise broken: keep the findings that arrived whole.
    items = []
    for raw in whole_items(body):
        try:
            items.append(json.loads(raw))
        except json.JSONDecodeError:
            continue
    if items:
        found, dropped = _validate(items)
        return ParsedReply(found, True, dropped, usable=bool(found))
    return ParsedReply([], True, 0, usable=False)
