"""HTTP for updates: TUF's metadata fetcher and a resumable, checked target download.

Both use one ``requests`` session with the desk's transport rules (``sync.transport``:
https verified, optionally pinned, plain http only to loopback, no proxies or redirects
from the environment) and section 9's timeouts (10 s to connect, 30 s between bytes).

A target is downloaded into ``<name>.part`` beside a small note of what it must be (its
signed length and SHA-256, the server's ETag). When the repository stops answering, the
part stays; the next attempt asks for the rest (``Range`` with ``If-Range``) and starts
over only if the server's file changed. No byte beyond the signed length is ever
written, and the finished file is checked against TUF's signed length and hashes
before it is kept.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import requests
import urllib3
from tuf.api import exceptions
from tuf.api.metadata import TargetFile
from tuf.ngclient import FetcherInterface

from pser_desk.sync.transport import CONNECT_TIMEOUT, READ_TIMEOUT, make_session
from pser_desk.update.refusals import Attack, UpdateRefused, UpdateUnavailable, role_in

log = logging.getLogger(__name__)
CHUNK = 64 * 1024
Progress = Callable[[int, int], None]  # (bytes so far, bytes in all)


class DownloadCancelled(Exception):
    """The caller asked to stop; the part downloaded so far is kept."""


class TufFetcher(FetcherInterface):
    """TUF's metadata downloads over the desk's session; keeps the last bytes of each role
    (:mod:`~pser_desk.update.refusals` reads them to name an attack)."""

    def __init__(self, session: requests.Session) -> None:
        self.session = session
        self.downloaded: dict[str, bytes] = {}

    def _fetch(self, url: str) -> Iterator[bytes]:
        try:
            response = self.session.get(
                url, stream=True, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT), allow_redirects=False
            )
        except requests.RequestException as exc:
            raise exceptions.DownloadError(f"{url}: {exc.__class__.__name__}") from None
        if response.status_code != 200:
            response.close()
            raise exceptions.DownloadHTTPError(
                f"{url}: HTTP {response.status_code}", response.status_code
            )
        return self._chunks(url, response)

    def _chunks(self, url: str, response: requests.Response) -> Iterator[bytes]:
        kept: list[bytes] = []
        try:
            for chunk in response.iter_content(CHUNK):
                kept.append(chunk)
                yield chunk
        except requests.RequestException as exc:
            raise exceptions.DownloadError(f"{url}: {exc.__class__.__name__}") from None
        finally:
            response.close()
        name = url.rsplit("/", 1)[-1]
        self.downloaded[role_in(name.split(".")[-2] if "." in name else name)] = b"".join(kept)


@dataclass(frozen=True)
class PartNote:
    url: str
    length: int
    sha256: str
    etag: str | None

    def to_json(self) -> dict[str, object]:
        return {"url": self.url, "length": self.length, "sha256": self.sha256, "etag": self.etag}


def _read_note(path: Path) -> PartNote | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        etag = raw.get("etag")
        return PartNote(str(raw["url"]), int(raw["length"]), str(raw["sha256"]),
                        etag if isinstance(etag, str) else None)  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_note(path: Path, note: PartNote) -> None:
    path.write_text(json.dumps(note.to_json()), encoding="utf-8")


class TargetDownload:
    """Download *target* from *url* to *dest*, resuming a part left by an earlier try."""

    def __init__(
        self,
        session: requests.Session,
        url: str,
        target: TargetFile,
        dest: Path,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        self.session, self.url, self.target, self.dest = session, url, target, dest
        self.part = dest.with_name(dest.name + ".part")
        self.note_path = dest.with_name(dest.name + ".part.json")
        self.progress = progress or (lambda done, total: None)
        self.cancelled = cancelled or (lambda: False)
        self.sha256 = target.hashes.get("sha256", "")

    def run(self, attempts: int = 3) -> Path:
        """The verified file; UpdateUnavailable when the repository stops answering (the
        part is kept), UpdateRefused when the file is not the signed one (part removed)."""
        if self._complete(self.dest):
            return self.dest
        self.dest.parent.mkdir(parents=True, exist_ok=True)
        for attempt in range(1, attempts + 1):
            before = self._have()
            try:
                self._fetch()
                break
            except UpdateUnavailable:
                if attempt == attempts or self._have() <= before:
                    raise
                log.info("update download interrupted; resuming (attempt %d)", attempt + 1)
        self._verify()
        os.replace(self.part, self.dest)
        self.note_path.unlink(missing_ok=True)
        return self.dest

    def _complete(self, path: Path) -> bool:
        if not path.is_file():
            return False
        with path.open("rb") as handle:
            try:
                self.target.verify_length_and_hashes(handle)
            except exceptions.LengthOrHashMismatchError:
                return False
        return True

    def _have(self) -> int:
        note = _read_note(self.note_path)
        if note is None or note.sha256 != self.sha256 or note.length != self.target.length:
            self.part.unlink(missing_ok=True)
            return 0
        try:
            return min(self.part.stat().st_size, self.target.length)
        except FileNotFoundError:
            return 0

    def _fetch(self) -> None:
        have = self._have()
        note = _read_note(self.note_path)
        headers = {"Accept-Encoding": "identity"}
        if have:
            headers["Range"] = f"bytes={have}-"
            if note is not None and note.etag:
                headers["If-Range"] = note.etag
        try:
            response = self.session.get(
                self.url, headers=headers, stream=True,
                timeout=(CONNECT_TIMEOUT, READ_TIMEOUT), allow_redirects=False,
            )  # fmt: skip
        except requests.RequestException as exc:
            raise UpdateUnavailable(
                f"the update repository cannot be reached ({exc.__class__.__name__})"
            ) from None
        with response:
            have = self._start(response, have)
            self._receive(response, have)

    def _start(self, response: requests.Response, have: int) -> int:
        status = response.status_code
        if status == 416 and have >= self.target.length:
            return have
        if (
            status == 206
            and have
            and response.headers.get("Content-Range", "").startswith(f"bytes {have}-")
        ):
            return have
        if status == 200:
            self.part.unlink(missing_ok=True)
            etag = response.headers.get("ETag")
            _write_note(self.note_path, PartNote(self.url, self.target.length, self.sha256, etag))
            return 0
        if status == 416:
            self.part.unlink(missing_ok=True)
            self.note_path.unlink(missing_ok=True)
        if status == 404:
            raise UpdateUnavailable(f"the update repository has no {self.target.path} (404)")
        raise UpdateUnavailable(f"the update repository answered HTTP {status}")

    def _receive(self, response: requests.Response, have: int) -> None:
        total = self.target.length
        self.progress(have, total)
        if have >= total:
            return  # the part is whole (a 416 to its range): its body is not the file's
        try:
            with self.part.open("ab") as out:
                out.truncate(have)
                for chunk in _pieces(response):
                    if have + len(chunk) > total:
                        out.close()
                        self._discard()
                        raise UpdateRefused(
                            Attack.HASH, f"{self._name()} is longer than its signed length"
                        )
                    out.write(chunk)
                    have += len(chunk)
                    self.progress(have, total)
                    if self.cancelled() and have < total:  # a whole file is kept whole
                        raise DownloadCancelled()
        except (requests.RequestException, urllib3.exceptions.HTTPError, OSError):
            pass  # the repository stopped answering: what came is kept
        if have < total:
            raise UpdateUnavailable(
                f"the update repository stopped answering after {_mb(have)} of {_mb(total)} MB; "
                "the download resumes from there next time"
            )

    def _verify(self) -> None:
        with self.part.open("rb") as handle:
            try:
                self.target.verify_length_and_hashes(handle)
                return
            except exceptions.LengthOrHashMismatchError:
                pass
        self._discard()  # once closed: Windows cannot delete a file that is open
        raise UpdateRefused(Attack.HASH, f"{self._name()} differs from its signed SHA-256")

    def _discard(self) -> None:
        self.part.unlink(missing_ok=True)
        self.note_path.unlink(missing_ok=True)

    def _name(self) -> str:
        return self.target.path.rsplit("/", 1)[-1]


def _pieces(response: requests.Response) -> Iterator[bytes]:
    """The body as it arrives: ``read1`` hands over every byte received before a cut,
    where ``iter_content`` would drop a last piece shorter than its chunk size."""
    while chunk := response.raw.read1(CHUNK):
        yield chunk


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f}"


def new_session(
    ca_bundle: str | None = None, pins: frozenset[bytes] = frozenset()
) -> requests.Session:
    return make_session(ca_bundle, pins)
