"""The desk's side of an update: what is offered, and a verified download of it.

:meth:`UpdateClient.check` runs TUF's client workflow (root -> timestamp -> snapshot ->
targets) from the ``root.json`` shipped with this program (never from a file a user could
change: the cached metadata is only ever checked against it), then picks the newest
release of this PC's platform on its channel. :meth:`UpdateClient.download` fetches it (a
patch from the running version when there is one) and keeps it only once its length and
SHA-256 are the signed ones. Whatever TUF refuses becomes an
:class:`~pser_desk.update.refusals.UpdateRefused` naming the attack; a repository that
cannot be reached is :class:`~pser_desk.update.refusals.UpdateUnavailable`.

Files, under ``<data dir>/updates/``: ``metadata/`` (TUF's trusted metadata),
``downloads/`` (targets and ``.part`` files), ``state.json`` (what is downloaded).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests
from tuf.api import exceptions
from tuf.api.metadata import Metadata, Root, TargetFile, Targets
from tuf.ngclient import Updater, UpdaterConfig

from pser_desk.domain.central_config import version_numbers
from pser_desk.domain.releases import Channel, version_key
from pser_desk.update.fetch import Progress, TargetDownload, TufFetcher
from pser_desk.update.refusals import ROLES, Attack, UpdateRefused, UpdateUnavailable, classify
from pser_desk.update.releases import Patch, Release, catalogue, newest
from pser_desk.update.state import Downloaded, UpdateState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Offer:
    """What :meth:`UpdateClient.check` found (``update check --json`` prints the first four)."""

    current: str
    available: Release | None
    channel: Channel
    required: bool
    patch: Patch | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "current": self.current,
            "available": None if self.available is None else self.available.version,
            "channel": self.channel.value,
            "required": self.required,
        }

    @property
    def download_bytes(self) -> int:
        if self.patch is not None:
            return self.patch.length
        return 0 if self.available is None else self.available.length


class UpdateClient:
    def __init__(
        self,
        updates_dir: Path,
        base_url: str,
        root: bytes,
        *,
        current: str,
        platform: str,
        session: requests.Session,
    ) -> None:
        self.dir = updates_dir
        self.metadata_dir = updates_dir / "metadata"
        self.downloads_dir = updates_dir / "downloads"
        self.base_url = base_url.rstrip("/")
        self.root = root
        self.current = current
        self.platform = platform
        self.session = session
        self.state = UpdateState(updates_dir / "state.json")
        self._updater: Updater | None = None
        self._fetcher: TufFetcher | None = None

    # ------------------------------------------------------------------ check
    def check(self, channel: Channel, min_app_version: str | None = None) -> Offer:
        """The newest release for this PC, verified from the shipped root; raises
        UpdateRefused (an attack) or UpdateUnavailable (try later)."""
        targets = self._refresh()
        releases, patches = catalogue(targets)
        mine = [r for r in releases if r.platform == self.platform]
        offered = newest(r for r in mine if r.channels & channel.rings())
        required = min_app_version is not None and version_numbers(self.current) < version_numbers(
            min_app_version
        )
        if offered is None or version_key(offered.version) == version_key(self.current):
            return Offer(self.current, None, channel, required)
        if version_key(offered.version) < version_key(self.current):
            if any(version_key(r.version) == version_key(self.current) for r in mine):
                return Offer(self.current, None, channel, required)  # this channel is behind
            raise UpdateRefused(
                Attack.ROLLBACK, f"rollback to {offered.version} from {self.current}"
            )
        patch = next(
            (p for p in patches if p.platform == self.platform and p.version == offered.version
             and p.from_version == self.current and p.tree_sha256 == offered.tree_sha256
             and not self.state.patch_failed(p.path)),
            None,
        )  # fmt: skip
        return Offer(self.current, offered, channel, required, patch)

    def _refresh(self) -> dict[str, TargetFile]:
        self.metadata_dir.mkdir(parents=True, exist_ok=True)
        cached = _cached_versions(self.metadata_dir)
        self._fetcher = TufFetcher(self.session)
        try:
            self._updater = Updater(
                str(self.metadata_dir),
                f"{self.base_url}/updates/metadata/",
                str(self.downloads_dir),
                f"{self.base_url}/updates/targets/",
                self._fetcher,
                UpdaterConfig(max_root_rotations=64),
                bootstrap=self.root,
            )
            self._updater.refresh()
        except (exceptions.RepositoryError, exceptions.DownloadError) as exc:
            refusal = classify(
                exc, self._fetcher.downloaded, cached, _trusted_root(self.metadata_dir)
            )
            if refusal is not None:
                raise refusal from None
            raise UpdateUnavailable(_unreachable(exc)) from None
        return _verified_targets(self.metadata_dir)

    # ------------------------------------------------------------------ download
    def download(
        self,
        offer: Offer,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        *,
        full: bool = False,
    ) -> Downloaded:
        """Fetch what *offer* needs (the patch unless *full*), verified; remembered in
        ``state.json`` for :mod:`~pser_desk.update.install`."""
        if offer.available is None or self._updater is None:
            raise ValueError("nothing to download: check first")
        release = offer.available
        item: Release | Patch = release if full or offer.patch is None else offer.patch
        info = self._trusted_info(item.path)
        url = f"{self.base_url}/updates/targets/{item.path}"
        dest = self.downloads_dir / item.path.rsplit("/", 1)[-1]
        path = TargetDownload(self.session, url, info, dest, progress, cancelled).run()
        downloaded = Downloaded(
            version=release.version,
            kind="patch" if isinstance(item, Patch) else "full",
            file=str(path),
            length=info.length,
            sha256=info.hashes["sha256"],
            format=release.format if isinstance(item, Release) else "pser-patch-1",
            tree_sha256=release.tree_sha256,
            from_version=item.from_version if isinstance(item, Patch) else None,
            from_tree_sha256=item.from_tree_sha256 if isinstance(item, Patch) else None,
            target=item.path,
            platform=release.platform,
        )
        self.state.set_downloaded(downloaded)
        self._tidy(keep=path)
        return downloaded

    def _trusted_info(self, path: str) -> TargetFile:
        assert self._updater is not None
        try:
            info = self._updater.get_targetinfo(path)
        except (exceptions.RepositoryError, exceptions.DownloadError) as exc:
            raise UpdateUnavailable(_unreachable(exc)) from None
        if info is None:
            raise UpdateUnavailable(f"{path} is no longer in the update repository")
        return info

    def _tidy(self, keep: Path) -> None:
        """Drop older downloads (finished or partial) but the one just made."""
        for path in self.downloads_dir.iterdir():
            if path != keep and not path.name.startswith(keep.name):
                path.unlink(missing_ok=True)


def _cached_versions(metadata_dir: Path) -> dict[str, int]:
    versions: dict[str, int] = {}
    for role in ROLES:
        try:
            raw = json.loads((metadata_dir / f"{role}.json").read_bytes())
            versions[role] = int(raw["signed"]["version"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return versions


def _trusted_root(metadata_dir: Path) -> Metadata[Root] | None:
    try:
        md = Metadata.from_bytes((metadata_dir / "root.json").read_bytes())
    except Exception:  # noqa: BLE001 - no root to judge with
        return None
    return md if isinstance(md.signed, Root) else None


def _verified_targets(metadata_dir: Path) -> dict[str, TargetFile]:
    """The targets TUF has just verified and written (read back to list them; the chosen
    one's length and hashes come again from TUF's trusted set before downloading)."""
    md = Metadata.from_bytes((metadata_dir / "targets.json").read_bytes())
    assert isinstance(md.signed, Targets)
    return dict(md.signed.targets)


def _unreachable(exc: Exception) -> str:
    if isinstance(exc, exceptions.DownloadHTTPError):
        return f"the update repository answered HTTP {exc.status_code}"
    return "the update repository cannot be reached; updates are checked again later"
