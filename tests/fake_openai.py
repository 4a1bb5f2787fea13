"""A local OpenAI-compatible server for tests and manual runs: scripted replies and faults.

Hand-written on ``http.server`` because the openai SDK 3.x talks through httpx2, which
respx-style transport mocks do not patch, and because faults such as a socket cut mid-stream
or a reset before any reply only exist on a real socket.

    fake = FakeOpenAI().start()
    fake.script(StatusError(429, headers={"Retry-After": "1"}), Reply("ok"))
    ... Settings(base_url=fake.base_url) ...
    fake.requests[-1].body["model"]
    fake.stop()

POST /v1/chat/completions takes the next behaviour from the queue (``script``), or
``fake.default`` when the queue is empty. GET /v1/models serves ``fake.models`` (404 when
``None``, or ``fake.models_behaviour`` when set). ``fake.latency`` delays every request.

Today's xAI, on request (``fake.use_catalogue(todays_catalogue())``): GET
/v1/language-models lists models with ``input_modalities`` and prices (404 while
``fake.language_models`` is ``None``, as on any non-xAI server); a chat naming a model in
``fake.retired`` answers 404 in xAI's words; a chat sending an image to a model listed as
text-only answers 400; ``RefuseResponseFormat(refuse=("json_schema",))`` plays an endpoint
without structured outputs.

Standalone: ``python -m tests.fake_openai --port 8765 --reply-file reply.json``.
"""

from __future__ import annotations

import argparse
import json
import socket
import struct
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

# Upper bound for any scripted sleep, so a forgotten hang cannot stall a test run.
MAX_SLEEP = 30.0


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # keys lower-cased
    body: Any  # parsed JSON, or None
    raw: bytes = b""

    @property
    def wants_stream(self) -> bool:
        return isinstance(self.body, dict) and bool(self.body.get("stream"))

    @property
    def wants_usage(self) -> bool:
        options = self.body.get("stream_options") if isinstance(self.body, dict) else None
        return isinstance(options, dict) and bool(options.get("include_usage"))

    @property
    def has_response_format(self) -> bool:
        return isinstance(self.body, dict) and "response_format" in self.body

    @property
    def response_format_type(self) -> str | None:
        fmt = self.body.get("response_format") if isinstance(self.body, dict) else None
        return fmt.get("type") if isinstance(fmt, dict) else None

    @property
    def image_parts(self) -> list[dict]:
        """Every image_url part's ``image_url`` object (url and detail), in order."""
        out = []
        for message in (self.body or {}).get("messages") or []:
            content = message.get("content") if isinstance(message, dict) else None
            for part in content if isinstance(content, list) else []:
                if isinstance(part, dict) and part.get("type") == "image_url":
                    out.append(part.get("image_url") or {})
        return out

    @property
    def image_urls(self) -> list[str]:
        """Every image URL sent (data URIs for our requests)."""
        return [part.get("url", "") for part in self.image_parts]


class Behaviour:
    """One scripted answer to one POST /v1/chat/completions."""

    def respond(self, h: _Handler, req: RecordedRequest) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


# --- wire helpers -------------------------------------------------------------------------


def _send_json(h: _Handler, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
    data = json.dumps(body).encode()
    h.send_response(status)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", str(len(data)))
    for name, value in (headers or {}).items():
        h.send_header(name, value)
    h.end_headers()
    h.wfile.write(data)


def _start_sse(h: _Handler) -> None:
    # Chunked, so that closing the socket early is a broken body, not a clean end.
    h.send_response(200)
    h.send_header("Content-Type", "text/event-stream")
    h.send_header("Cache-Control", "no-cache")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()


def _write_chunk(h: _Handler, data: bytes) -> None:
    h.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
    h.wfile.flush()


def _sse_event(h: _Handler, payload: Any) -> None:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    _write_chunk(h, f"data: {text}\n\n".encode())


def _end_chunked(h: _Handler) -> None:
    h.wfile.write(b"0\r\n\r\n")
    h.wfile.flush()


def _cut(h: _Handler, *, reset: bool = False) -> None:
    """Close the client socket now: FIN mid-body, or RST when ``reset``."""
    sock = h.connection
    if reset:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    else:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    sock.close()
    h.close_connection = True


def split_text(text: str, parts: int) -> list[str]:
    """``text`` in ``parts`` roughly equal pieces (fewer when the text is short)."""
    if not text:
        return []
    parts = max(1, min(parts, len(text)))
    size = -(-len(text) // parts)
    return [text[i : i + size] for i in range(0, len(text), size)]


def _usage(req: RecordedRequest, content: str, reasoning: int = 0) -> dict[str, Any]:
    prompt = max(1, len(json.dumps(req.body)) // 4) if req.body else 1
    completion = max(1, len(content) // 4) if content else 0
    usage: dict[str, Any] = {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion + reasoning,
    }
    if reasoning:  # xAI's way: reasoning counted apart from completion, inside the total
        usage["completion_tokens_details"] = {"reasoning_tokens": reasoning}
    return usage


def _chunk(model: str, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


# --- behaviours ---------------------------------------------------------------------------


@dataclass
class Reply(Behaviour):
    """A normal reply: SSE in ``chunks`` pieces when streaming, else one JSON body."""

    content: str = '{"findings": []}'
    model: str | None = None  # reported model; defaults to the requested one
    chunks: int = 4
    finish_reason: str | None = "stop"
    usage: bool = True  # include usage when the request asks for it
    delay: float = 0.0  # before the status line
    chunk_delay: float = 0.0  # between SSE chunks
    refusal: str | None = None  # sent as delta.refusal instead of content
    stall_after: int | None = None  # go silent for ``stall`` s after this many content chunks
    stall: float = 0.0
    reasoning_tokens: int = 0  # reported apart from completion tokens, as xAI does

    def respond(self, h: _Handler, req: RecordedRequest) -> None:
        h.pause(self.delay)
        model = self.model or (req.body or {}).get("model") or "fake-model"
        if not req.wants_stream:
            message: dict[str, Any] = {"role": "assistant", "content": self.content}
            if self.refusal is not None:
                message = {"role": "assistant", "content": None, "refusal": self.refusal}
            body = {
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [{"index": 0, "message": message, "finish_reason": self.finish_reason}],
                "usage": _usage(req, self.content, self.reasoning_tokens),
            }
            _send_json(h, 200, body)
            return
        _start_sse(h)
        _sse_event(h, _chunk(model, {"role": "assistant", "content": ""}))
        if self.refusal is not None:
            _sse_event(h, _chunk(model, {"refusal": self.refusal}))
        for i, piece in enumerate(split_text(self.content, self.chunks)):
            if i and not h.pause(self.chunk_delay):
                return _cut(h)
            if i == self.stall_after and not h.pause(self.stall):
                return _cut(h)
            _sse_event(h, _chunk(model, {"content": piece}))
        _sse_event(h, _chunk(model, {}, self.finish_reason))
        if self.usage and req.wants_usage:
            final = _chunk(model, {})
            final["choices"] = []
            final["usage"] = _usage(req, self.content, self.reasoning_tokens)
            _sse_event(h, final)
        _sse_event(h, "[DONE]")
        _end_chunked(h)


def Empty(**kwargs: Any) -> Reply:  # noqa: N802 - reads like the other behaviours
    """A reply with no text at all."""
    return Reply(content="", **kwargs)


@dataclass
class StatusError(Behaviour):
    """An HTTP error with an OpenAI-style ``{"error": {...}}`` body and optional headers."""

    status: int
    message: str = "scripted error"
    headers: dict[str, str] = field(default_factory=dict)
    type: str = "invalid_request_error"
    code: str | None = None
    body: Any = None  # replaces the OpenAI-style body when given

    def respond(self, h: _Handler, req: RecordedRequest) -> None:
        body = self.body
        if body is None:
            body = {
                "error": {
                    "message": self.message,
                    "type": self.type,
                    "param": None,
                    "code": self.code,
                }
            }
        _send_json(h, self.status, body, self.headers)


@dataclass
class Hang(Behaviour):
    """Say nothing for ``seconds`` (bounded by MAX_SLEEP), then answer with ``then``."""

    seconds: float
    then: Behaviour | None = None

    def respond(self, h: _Handler, req: RecordedRequest) -> None:
        if h.pause(self.seconds):
            (self.then or Reply()).respond(h, req)
        else:
            _cut(h)


@dataclass
class CutStream(Behaviour):
    """Stream ``after_chunks`` content chunks of ``content``, then close the socket mid-body."""

    content: str = '{"findings": [{"title": "Uneven gap"}]}'
    chunks: int = 6
    after_chunks: int = 3

    def respond(self, h: _Handler, req: RecordedRequest) -> None:
        model = (req.body or {}).get("model") or "fake-model"
        _start_sse(h)
        _sse_event(h, _chunk(model, {"role": "assistant", "content": ""}))
        for piece in split_text(self.content, self.chunks)[: self.after_chunks]:
            _sse_event(h, _chunk(model, {"content": piece}))
        _cut(h)

    def sent_text(self) -> str:
        return "".join(split_text(self.content, self.chunks)[: self.after_chunks])


@dataclass
class MalformedChunk(Behaviour):
    """Stream ``before`` as good chunks, then an SSE event whose data is not JSON."""

    before: str = '{"findings": '
    garbage: str = '{"id": "chatcmpl-fake", "choices": [{"delta": {"content": "oops'
    chunks: int = 2

    def respond(self, h: _Handler, req: RecordedRequest) -> None:
        model = (req.body or {}).get("model") or "fake-model"
        _start_sse(h)
        for piece in split_text(self.before, self.chunks):
            _sse_event(h, _chunk(model, {"content": piece}))
        _sse_event(h, self.garbage)
        _sse_event(h, _chunk(model, {"content": " after garbage"}))
        _sse_event(h, _chunk(model, {}, "stop"))
        _sse_event(h, "[DONE]")
        _end_chunked(h)


@dataclass
class Reset(Behaviour):
    """Read the request, then reset the connection before any response byte."""

    def respond(self, h: _Handler, req: RecordedRequest) -> None:
        _cut(h, reset=True)


@dataclass
class RefuseResponseFormat(Behaviour):
    """400 about response_format when the request asks for a refused type; else ``then``.

    ``refuse`` names the refused types (None: every type). As ``fake.default`` it plays an
    endpoint that never supports JSON mode, or (``refuse=("json_schema",)``) one without
    structured outputs.
    """

    message: str | None = None
    then: Behaviour | None = None
    refuse: tuple[str, ...] | None = None

    def respond(self, h: _Handler, req: RecordedRequest) -> None:
        kind = req.response_format_type
        if req.has_response_format and (self.refuse is None or kind in self.refuse):
            message = self.message or (
                f"Invalid request: response_format of type {kind} is not supported"
            )
            StatusError(400, message, code="invalid_response_format").respond(h, req)
        else:
            (self.then or Reply()).respond(h, req)


# --- today's xAI catalogue ------------------------------------------------------------------

# As GET /v1/language-models lists them in late 2026 (ids and modalities from xAI's docs;
# dates and prices are made up for tests, in xAI's unit: USD cents per 100 million tokens).
TEXT_ONLY_MODEL = "grok-code-fast-1"
RETIRED = {"grok-2-vision-latest": "grok-4.3", "grok-2-vision-1212": "grok-4.3"}


def language_model(
    id: str,
    created: int,
    *,
    images: bool = True,
    prompt_price: int = 20000,
    completion_price: int = 100000,
    aliases: tuple[str, ...] = (),
) -> dict[str, Any]:
    """One entry of /v1/language-models in xAI's shape."""
    return {
        "id": id,
        "fingerprint": "fp_fake",
        "created": created,
        "object": "model",
        "owned_by": "xai",
        "version": "1.0",
        "input_modalities": ["text", "image"] if images else ["text"],
        "output_modalities": ["text"],
        "prompt_text_token_price": prompt_price,
        "cached_prompt_text_token_price": prompt_price // 4,
        "prompt_image_token_price": prompt_price,
        "completion_text_token_price": completion_price,
        "search_price": 0,
        "aliases": list(aliases),
    }


def todays_catalogue() -> list[dict[str, Any]]:
    return [
        language_model("grok-4.3", 1_770_000_000, aliases=("grok-4.3-latest",)),
        language_model("grok-4.5", 1_775_000_000, prompt_price=30000, completion_price=150000),
        language_model("grok-4.6", 1_780_000_000, prompt_price=30000, completion_price=150000),
        language_model("grok-4.7", 1_785_000_000, prompt_price=35000, completion_price=175000),
        language_model("grok-4.20-0309-reasoning", 1_772_000_000),
        language_model("grok-4.20-0309-non-reasoning", 1_772_000_000),
        language_model(
            TEXT_ONLY_MODEL, 1_790_000_000, images=False, prompt_price=2000, completion_price=15000
        ),
    ]


def retired_message(model: str, replacement: str) -> dict[str, str]:
    """xAI's error body for a model it shut down (``{"code", "error"}``, not OpenAI's shape)."""
    return {
        "code": "Some requested entity was not found",
        "error": (
            f"The model {model} was deprecated and is no longer accessible via the API. "
            f"Please use {replacement} instead."
        ),
    }


# --- server -------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked bodies, like a real endpoint
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass

    def pause(self, seconds: float) -> bool:
        """Sleep up to MAX_SLEEP; False when the server is stopping meanwhile."""
        if seconds <= 0:
            return True
        return not self.server.fake._stopping.wait(min(seconds, MAX_SLEEP))

    def _record(self) -> RecordedRequest:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        req = RecordedRequest(
            method=self.command,
            path=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            raw=raw,
        )
        fake = self.server.fake
        with fake._lock:
            fake.requests.append(req)
        return req

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        req = self._record()
        fake = self.server.fake
        self.pause(fake.latency)
        if req.path.rstrip("/").endswith("/language-models"):
            if fake.language_models is None:
                StatusError(404, f"No route for GET {req.path}", type="not_found").respond(
                    self, req
                )
            else:
                _send_json(self, 200, {"models": fake.language_models})
            return
        if req.path.rstrip("/").endswith("/models"):
            if fake.models_behaviour is not None:
                fake.models_behaviour.respond(self, req)
            elif fake.models is None:
                StatusError(404, "Not found", type="not_found").respond(self, req)
            else:
                data = [
                    {"id": m, "object": "model", "created": 0, "owned_by": "fake"}
                    for m in fake.models
                ]
                _send_json(self, 200, {"object": "list", "data": data})
            return
        StatusError(404, f"No route for GET {req.path}", type="not_found").respond(self, req)

    def do_POST(self) -> None:  # noqa: N802
        req = self._record()
        fake = self.server.fake
        self.pause(fake.latency)
        if req.path.rstrip("/").endswith("/chat/completions"):
            model = (req.body or {}).get("model") if isinstance(req.body, dict) else None
            if model in fake.retired:
                _send_json(self, 404, retired_message(model, fake.retired[model]))
                return
            if req.image_urls and model in fake.text_only():
                _send_json(
                    self,
                    400,
                    {
                        "code": "Client specified an invalid argument",
                        "error": f"Model {model} does not support image input.",
                    },
                )
                return
            fake._next().respond(self, req)
            return
        StatusError(404, f"No route for POST {req.path}", type="not_found").respond(self, req)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    fake: FakeOpenAI

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up (timeouts, cut streams) is part of the script, not news.
        if isinstance(sys.exc_info()[1], (ConnectionError, OSError)):
            return
        super().handle_error(request, client_address)


class FakeOpenAI:
    """An OpenAI-compatible server on 127.0.0.1 in a daemon thread."""

    def __init__(self, *, port: int = 0, models: list[str] | None = None) -> None:
        self.port = port
        self.models: list[str] | None = (
            list(models) if models is not None else ["grok-test-vision", "grok-test-text"]
        )
        self.models_behaviour: Behaviour | None = None
        # xAI's /v1/language-models entries; None answers 404, as non-xAI servers do.
        self.language_models: list[dict[str, Any]] | None = None
        self.retired: dict[str, str] = {}  # model -> the replacement xAI names
        self.default: Behaviour = Reply()
        self.latency = 0.0
        self.requests: list[RecordedRequest] = []
        self._queue: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> FakeOpenAI:
        self._stopping.clear()
        self._server = _Server(("127.0.0.1", self.port), _Handler)
        self._server.fake = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes any Hang
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def use_catalogue(
        self, entries: list[dict[str, Any]], *, retired: dict[str, str] | None = None
    ) -> FakeOpenAI:
        """Serve ``entries`` on /v1/language-models and their ids on /v1/models."""
        self.language_models = [dict(e) for e in entries]
        self.models = [e["id"] for e in entries]
        self.retired = dict(RETIRED if retired is None else retired)
        return self

    def text_only(self) -> set[str]:
        """Models the catalogue lists without image input (ids and aliases)."""
        out: set[str] = set()
        for entry in self.language_models or []:
            if "image" not in (entry.get("input_modalities") or []):
                out.update([entry["id"], *entry.get("aliases", [])])
        return out

    def script(self, *behaviours: Behaviour) -> FakeOpenAI:
        """Queue behaviours for the next chat requests, in order."""
        with self._lock:
            self._queue.extend(behaviours)
        return self

    def _next(self) -> Behaviour:
        with self._lock:
            return self._queue.popleft() if self._queue else self.default

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path.rstrip("/").endswith("/chat/completions")]


def _reply_content(text: str) -> str:
    """The assistant text in a reply file: a whole chat.completion body, or the text itself."""
    try:
        body = json.loads(text)
    except ValueError:
        return text
    if isinstance(body, dict) and isinstance(body.get("choices"), list) and body["choices"]:
        message = body["choices"][0].get("message") or {}
        if isinstance(message.get("content"), str):
            return message["content"]
    return text


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a fake OpenAI-compatible endpoint.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--reply-file", type=Path, help="text the model replies with")
    parser.add_argument("--models", default=None, help="comma-separated ids for GET /v1/models")
    parser.add_argument(
        "--todays-xai",
        action="store_true",
        help="serve today's xAI catalogue on /v1/language-models (modalities, prices)",
    )
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--chunk-delay", type=float, default=0.05, help="seconds between chunks")
    args = parser.parse_args(argv)

    models = args.models.split(",") if args.models else None
    fake = FakeOpenAI(port=args.port, models=models)
    if args.todays_xai:
        fake.use_catalogue(todays_catalogue())
    content = _reply_content(args.reply_file.read_text()) if args.reply_file else Reply().content
    fake.default = Reply(content=content, chunks=12, chunk_delay=args.chunk_delay)
    fake.latency = args.latency
    fake.start()
    print(f"Fake OpenAI endpoint at {fake.base_url} (models: {fake.models}). Ctrl-C to stop.")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
