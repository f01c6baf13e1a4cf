"""A request as central's logic sees it and the response it gives, free of HTTP plumbing."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Request:
    method: str
    path: str  # as on the request line: base path and query string included
    headers: Mapping[str, str]  # keys lower-case
    body: bytes = b""


@dataclass(frozen=True)
class FileSlice:
    """*length* bytes of the file at *path* from *start*: streamed by the server."""

    path: Path
    start: int
    length: int


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    committed: bool = False  # a submission was stored while answering this request
    file: FileSlice | None = None  # when set, the body is this part of a file (body is b"")

    @property
    def length(self) -> int:
        return self.file.length if self.file is not None else len(self.body)

    def json(self) -> object:
        return json.loads(self.body)


def json_response(status: int, obj: object, **headers: str) -> Response:
    body = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(status, body, dict(headers))


def error(status: int, code: str, **extra: object) -> Response:
    return json_response(status, {"error": code, **extra})


def validation_error(details: list[dict[str, str]]) -> Response:
    return json_response(422, {"error": "validation", "details": details})
