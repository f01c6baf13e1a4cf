"""``GET /updates/metadata/{file}`` and ``GET /updates/targets/{path}`` (central-api.md 11).

Central serves a repository of The Update Framework from a folder (``central serve
--updates DIR``: ``DIR/metadata/*.json`` and ``DIR/targets/...``), as files, to enrolled
and unenrolled PCs alike and without section 3's signature (TUF's own signatures protect
them). Publishing the repository is not done here.

Path safety: a metadata name is one plain file name; a target path is one to eight
segments, each a plain name (letters, digits, ``.``, ``_``, ``-``, not starting with a
dot), checked after percent-decoding; the file found must be a regular file inside the
folder once symbolic links are resolved. Anything else is ``404``, as is a missing file.

Targets answer single HTTP byte ranges (``Range: bytes=A-B``, ``A-``, ``-N``) with ``206``
and ``Content-Range`` (``416`` when unsatisfiable), and ``If-Range`` with the ``ETag`` or
``Last-Modified`` they send, so an interrupted download resumes where it stopped. Several
ranges in one request are answered with the whole file (``200``), as RFC 9110 allows.
Files are streamed, never read whole into memory; ``HEAD`` answers the headers alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path
from urllib.parse import unquote

from pser_desk.central.protocol import FileSlice, Response, error

MAX_TARGET_DEPTH = 8
_SEGMENT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,254}$")
_RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")


@dataclass(frozen=True)
class FileInfo:
    path: Path
    size: int
    etag: str
    last_modified: str


class UpdatesRepository:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def respond(self, kind: str, raw_segments: list[str], headers: dict[str, str]) -> Response:
        """The answer to ``GET`` of ``/updates/<kind>/<segments>`` (kind: metadata, targets)."""
        limit = 1 if kind == "metadata" else MAX_TARGET_DEPTH
        segments = [unquote(part) for part in raw_segments]
        if not 0 < len(segments) <= limit or not all(_SEGMENT_RE.match(s) for s in segments):
            return error(404, "not_found")
        info = _find(self.root / kind, segments)
        if info is None:
            return error(404, "not_found")
        if kind == "metadata":
            return _whole(info, "application/json", {"Cache-Control": "no-store"})
        return _target(info, headers)


def _find(base: Path, segments: list[str]) -> FileInfo | None:
    try:
        base = base.resolve(strict=True)
        path = base.joinpath(*segments).resolve(strict=True)
        stat = path.stat()
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop
        return None
    if not path.is_relative_to(base) or not path.is_file():
        return None
    etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
    return FileInfo(path, stat.st_size, etag, formatdate(stat.st_mtime, usegmt=True))


def _whole(info: FileInfo, content_type: str, extra: dict[str, str]) -> Response:
    headers = {"Content-Type": content_type, **extra}
    return Response(200, b"", headers, file=FileSlice(info.path, 0, info.size))


def _target(info: FileInfo, headers: dict[str, str]) -> Response:
    validators = {
        "Accept-Ranges": "bytes",
        "ETag": info.etag,
        "Last-Modified": info.last_modified,
    }
    wanted = headers.get("range")
    if_range = headers.get("if-range")
    if wanted is None or (if_range is not None and if_range not in (info.etag, info.last_modified)):
        return _whole(info, "application/octet-stream", validators)
    span = parse_range(wanted, info.size)
    if span is None:
        return _whole(info, "application/octet-stream", validators)
    if span == (-1, -1):
        refused = error(416, "range_not_satisfiable", size=info.size)
        refused.headers.update({"Content-Range": f"bytes */{info.size}", **validators})
        return refused
    start, end = span
    headers_out = {
        "Content-Type": "application/octet-stream",
        "Content-Range": f"bytes {start}-{end}/{info.size}",
        **validators,
    }
    return Response(206, b"", headers_out, file=FileSlice(info.path, start, end - start + 1))


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """``(first, last)`` byte of a single range; ``(-1, -1)`` if unsatisfiable; None to
    ignore the header (not one byte range: the whole file is sent)."""
    match = _RANGE_RE.match(header.strip())
    if match is None or (not match[1] and not match[2]):
        return None
    if not match[1]:  # the last N bytes
        suffix = int(match[2])
        return (-1, -1) if suffix == 0 or size == 0 else (max(0, size - suffix), size - 1)
    first = int(match[1])
    if match[2] and int(match[2]) < first:
        return None  # invalid: ignored
    if first >= size:
        return (-1, -1)
    return first, min(int(match[2]), size - 1) if match[2] else size - 1
