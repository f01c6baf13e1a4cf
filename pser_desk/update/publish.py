"""The publisher's side: a TUF repository of signed desk releases (``pser-desk release``).

Layout (central-api.md section 11; ``central serve --updates DIR`` serves ``metadata/``
and ``targets/``)::

    DIR/metadata/root.json, 1.root.json, 2.root.json ...   trust: the roles' keys
    DIR/metadata/targets.json    what may be installed (offline targets key)
    DIR/metadata/snapshot.json   which targets.json is current (online key)
    DIR/metadata/timestamp.json  which snapshot is current; short-lived (online key)
    DIR/targets/pser-desk/<platform>/<version>/...   full archives and patches
    DIR/publishing.json          lifetimes of each role (not served)

Files are written in the order a PC reads them backwards (targets, then targets.json,
snapshot.json, timestamp.json last), each atomically, so a PC never sees metadata that
names a file not there yet. Root and targets keys are meant to stay offline: every
command signs only what it must and says which key it lacks.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from tuf.api.metadata import (
    Metadata,
    MetaFile,
    Root,
    Signed,
    Snapshot,
    TargetFile,
    Targets,
    Timestamp,
)
from tuf.api.serialization.json import JSONSerializer

from pser_desk.domain.releases import Channel, check_release_version, newer, version_key
from pser_desk.update import keys as keyfiles
from pser_desk.update.archive import Compression, extract_archive, write_archive
from pser_desk.update.manifest import Manifest, scan
from pser_desk.update.patch import make_patch
from pser_desk.update.releases import (
    Patch,
    Release,
    bundle_platform,
    bundle_version,
    catalogue,
    full_path,
    newest,
    patch_path,
)

ROLES = ("root", "targets", "snapshot", "timestamp")
OFFLINE = ("root", "targets")
CONFIG = "publishing.json"
DEFAULT_LIFETIMES = {
    "root": timedelta(days=365),
    "targets": timedelta(days=365),
    "snapshot": timedelta(days=30),
    "timestamp": timedelta(days=2),
}
PATCH_WORTH = 0.8  # a patch is published only if smaller than this share of the full archive
_DURATION_RE = re.compile(r"^(\d+(?:\.\d+)?)([smhd]?)$")
_Role = TypeVar("_Role", Root, Targets, Snapshot, Timestamp)  # tuf's Metadata[T] kinds


class PublishError(Exception):
    """A publishing step refused; ``str()`` is one line for the release team."""


def parse_duration(text: str) -> timedelta:
    """``30s``, ``90m``, ``12h``, ``2d`` or a number of days."""
    match = _DURATION_RE.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a duration (30s, 90m, 12h, 2d)")
    unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "": "days"}[match[2]]
    duration = timedelta(**{unit: float(match[1])})
    if duration <= timedelta(0):
        raise ValueError(f"{text!r} is not a positive duration")
    return duration


@dataclass
class Published:
    """What a command did, for its one line of JSON."""

    facts: dict[str, object] = field(default_factory=dict)


class RoleFiles:
    """The repository's metadata files and the keys that sign them: read, sign, renew and
    write each role's file, and the chain targets -> snapshot -> timestamp."""

    def __init__(
        self, folder: Path, key_folders: list[Path], now: Callable[[], datetime] | None = None
    ) -> None:
        self.folder = folder
        self.metadata_dir = folder / "metadata"
        self.key_folders = key_folders
        self.now = now or (lambda: datetime.now(UTC))
        self._keys: dict[str, keyfiles.KeyFile] | None = None

    @property
    def keys(self) -> dict[str, keyfiles.KeyFile]:
        if self._keys is None:
            try:
                self._keys = keyfiles.load_folders(self.key_folders)
            except keyfiles.KeyFileError as exc:
                raise PublishError(str(exc)) from None
        return self._keys

    def forget_keys(self) -> None:
        """Read the key folders again (a new key is on disk)."""
        self._keys = None

    def lifetimes(self) -> dict[str, timedelta]:
        try:
            raw = json.loads((self.folder / CONFIG).read_text(encoding="utf-8"))
            return {role: timedelta(seconds=float(raw["lifetimes"][role])) for role in ROLES}
        except (OSError, ValueError, KeyError, TypeError):
            return dict(DEFAULT_LIFETIMES)

    def read(self, role: str, kind: type[_Role]) -> Metadata[_Role]:
        path = self.metadata_dir / f"{role}.json"
        try:
            md = Metadata.from_bytes(path.read_bytes())
        except FileNotFoundError:
            raise PublishError(
                f"{self.folder} is not a release repository (run release init)"
            ) from None
        except Exception as exc:  # noqa: BLE001 - any parse failure is one message
            raise PublishError(f"{path} cannot be read ({exc})") from None
        if not isinstance(md.signed, kind):
            raise PublishError(f"{path} is not {role} metadata")
        return md

    def signers(self, root: Root, role: str) -> list[keyfiles.KeyFile]:
        wanted = root.roles[role].keyids
        found = [self.keys[k] for k in wanted if k in self.keys]
        threshold = root.roles[role].threshold
        if len(found) < threshold:
            where = (
                " (kept offline: give the folder of the offline keys with --keys)"
                if role in OFFLINE
                else ""
            )
            raise PublishError(
                f"signing {role} needs {threshold} of its keys; --keys holds {len(found)}{where}"
            )
        return found

    def has(self, root: Root, role: str) -> bool:
        wanted = root.roles[role]
        return sum(1 for k in wanted.keyids if k in self.keys) >= wanted.threshold

    @staticmethod
    def sign(md: Metadata[_Role], signers: Iterable[keyfiles.KeyFile]) -> None:
        md.signatures.clear()
        for key in signers:
            md.sign(key.signer, append=True)

    def renew(self, signed: Signed, role: str, lifetime: timedelta | None = None) -> None:
        signed.version += 1
        signed.expires = self.expiry(role, lifetime)

    def expiry(self, role: str, lifetime: timedelta | None = None) -> datetime:
        moment = self.now() + (lifetime or self.lifetimes()[role])
        return moment.replace(microsecond=0)

    @staticmethod
    def to_bytes(md: Metadata[_Role]) -> bytes:
        return md.to_bytes(JSONSerializer(compact=False))

    def write(self, name: str, data: bytes) -> None:
        _write_atomic(self.metadata_dir / name, data)

    def write_root(self, root: Metadata[Root]) -> None:
        data = self.to_bytes(root)
        self.write(f"{root.signed.version}.root.json", data)
        self.write("root.json", data)

    def chain(
        self, root: Root, targets: Metadata[Targets] | None, *, snapshot: bool = True
    ) -> dict[str, object]:
        """Sign and write targets (if given), then a new snapshot and timestamp."""
        versions: dict[str, object] = {}
        snap = self.read("snapshot", Snapshot)
        if targets is not None:
            self.sign(targets, self.signers(root, "targets"))
            data = self.to_bytes(targets)
            snap.signed.meta["targets.json"] = _meta(targets.signed.version, data)
            self.write("targets.json", data)
            versions["targets"] = targets.signed.version
        if snapshot or targets is not None:
            self.renew(snap.signed, "snapshot")
            self.sign(snap, self.signers(root, "snapshot"))
            versions["snapshot"] = snap.signed.version
        self.timestamp(root, snap, versions)
        return versions

    def timestamp(
        self,
        root: Root,
        snap: Metadata[Snapshot],
        versions: dict[str, object],
        lifetime: timedelta | None = None,
    ) -> None:
        stamp = self.read("timestamp", Timestamp)
        snap_data = self.to_bytes(snap)
        stamp.signed.snapshot_meta = _meta(snap.signed.version, snap_data)
        self.renew(stamp.signed, "timestamp", lifetime)
        self.sign(stamp, self.signers(root, "timestamp"))
        if "snapshot" in versions:
            self.write("snapshot.json", snap_data)
        self.write("timestamp.json", self.to_bytes(stamp))
        versions["timestamp"] = stamp.signed.version
        versions["timestamp_expires"] = stamp.signed.expires.isoformat().replace("+00:00", "Z")


class Repository:
    """The release operations: init, add, refresh, rotate, promote (each one command)."""

    def __init__(
        self, folder: Path, key_folders: list[Path], *, now: Callable[[], datetime] | None = None
    ) -> None:
        self.folder = folder
        self.metadata_dir = folder / "metadata"
        self.targets_dir = folder / "targets"
        self.key_folders = key_folders
        self.files = RoleFiles(folder, key_folders, now)

    # ------------------------------------------------------------------ reading
    @property
    def keys(self) -> dict[str, keyfiles.KeyFile]:
        return self.files.keys

    def lifetimes(self) -> dict[str, timedelta]:
        return self.files.lifetimes()

    def root(self) -> Metadata[Root]:
        return self.files.read("root", Root)

    def targets(self) -> Metadata[Targets]:
        return self.files.read("targets", Targets)

    def catalogue(self) -> tuple[list[Release], list[Patch]]:
        return catalogue(self.targets().signed.targets)

    # ------------------------------------------------------------------ init
    @classmethod
    def init(
        cls,
        folder: Path,
        keys_folder: Path,
        *,
        root_keys: int = 3,
        root_threshold: int = 2,
        lifetimes: dict[str, timedelta] | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> Published:
        if not 1 <= root_threshold <= root_keys <= 9:
            raise PublishError(
                "the root threshold must be between 1 and the number of root keys (at most 9)"
            )
        if (folder / "metadata" / "root.json").exists():
            raise PublishError(f"{folder} is already a release repository")
        keys_folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if any(keys_folder.glob("*.pem")):
            raise PublishError(f"{keys_folder} already holds keys: give an empty folder")
        (folder / "metadata").mkdir(parents=True, exist_ok=True)
        (folder / "targets").mkdir(exist_ok=True)
        chosen = {**DEFAULT_LIFETIMES, **(lifetimes or {})}
        config = {"format": 1, "lifetimes": {r: chosen[r].total_seconds() for r in ROLES}}
        _write_atomic(folder / CONFIG, json.dumps(config, indent=2).encode("utf-8"))
        files = cls(folder, [keys_folder], now=now).files
        made = {
            role: [
                keyfiles.generate(role, keys_folder)
                for _ in range(root_keys if role == "root" else 1)
            ]
            for role in ROLES
        }
        root = Root(expires=files.expiry("root"), consistent_snapshot=False)
        for role, pairs in made.items():
            for pair in pairs:
                root.add_key(pair.public, role)
        root.roles["root"].threshold = root_threshold
        root_md = Metadata(root)
        files.sign(root_md, made["root"])
        root_data = files.to_bytes(root_md)
        targets = Metadata(Targets(expires=files.expiry("targets")))
        files.sign(targets, made["targets"])
        targets_data = files.to_bytes(targets)
        snap = Metadata(Snapshot(expires=files.expiry("snapshot")))
        snap.signed.meta["targets.json"] = _meta(1, targets_data)
        files.sign(snap, made["snapshot"])
        snap_data = files.to_bytes(snap)
        stamp = Metadata(Timestamp(expires=files.expiry("timestamp")))
        stamp.signed.snapshot_meta = _meta(1, snap_data)
        files.sign(stamp, made["timestamp"])
        for name, data in (("targets.json", targets_data), ("snapshot.json", snap_data),
                           ("1.root.json", root_data), ("root.json", root_data),
                           ("timestamp.json", files.to_bytes(stamp))):  # fmt: skip
            files.write(name, data)
        keys = {role: [p.keyid for p in pairs] for role, pairs in made.items()}
        return Published({
            "repository": str(folder), "keys": str(keys_folder), "root": str(folder / "metadata" / "root.json"),
            "root_threshold": root_threshold, "keyids": keys,
            "offline": [str(p.path.name) for role in OFFLINE for p in made[role]],
        })  # fmt: skip

    # ------------------------------------------------------------------ add
    def add(
        self,
        bundle: Path,
        version: str,
        channel: Channel = Channel.STABLE,
        compression: Compression = "xz",
        platform: str | None = None,
    ) -> Published:
        """Publish *bundle* as *version*; *platform* None: read from its executable."""
        return _Addition(self.files, self.targets_dir).add(
            bundle, version, channel, compression, platform
        )

    # ------------------------------------------------------------------ refresh
    def refresh(self, timestamp_lifetime: timedelta | None = None) -> Published:
        """A new timestamp; a new snapshot too when half of its life is gone; targets and
        root renewed when due and their (offline) keys are given."""
        files = self.files
        root = self.root()
        now = files.now()
        lifetimes = files.lifetimes()
        notes: list[str] = []
        versions: dict[str, object] = {}
        if _due(root.signed, lifetimes["root"], now):
            if files.has(root.signed, "root"):
                files.renew(root.signed, "root")
                files.sign(root, files.signers(root.signed, "root"))
                files.write_root(root)
                versions["root"] = root.signed.version
            else:
                notes.append(
                    f"root expires {root.signed.expires:%Y-%m-%d}: renew it with the root keys"
                )
        targets: Metadata[Targets] | None = None
        current = self.targets()
        if _due(current.signed, lifetimes["targets"], now):
            if files.has(root.signed, "targets"):
                targets = current
                files.renew(targets.signed, "targets")
            else:
                notes.append(
                    f"targets expires {current.signed.expires:%Y-%m-%d}: renew it with the targets key"
                )
        snap = files.read("snapshot", Snapshot)
        if targets is not None or _due(snap.signed, lifetimes["snapshot"], now):
            versions.update(files.chain(root.signed, targets))
        else:
            files.timestamp(root.signed, snap, versions, timestamp_lifetime)
        return Published({**versions, "notes": notes})

    # ------------------------------------------------------------------ rotate
    def rotate(self, role: str, keyid: str | None = None) -> Published:
        """Replace one key of *role* by a new one (root signs the change; the role's
        metadata is signed again with the new key)."""
        if role not in ROLES:
            raise PublishError(f"{role} is not a role ({', '.join(ROLES)})")
        files = self.files
        root = self.root()
        current = list(root.signed.roles[role].keyids)
        if keyid is None:
            if len(current) != 1:
                raise PublishError(
                    f"the {role} role has {len(current)} keys: name one with --key-id ({', '.join(k[:8] for k in current)})"
                )
            keyid = current[0]
        matches = [k for k in current if k.startswith(keyid)] if len(keyid) >= 8 else []
        if len(matches) != 1:
            raise PublishError(f"no single {role} key starts with {keyid}")
        old_id = matches[0]
        old_signers = files.signers(root.signed, "root")
        new = keyfiles.generate(role, self.key_folders[0])
        root.signed.revoke_key(old_id, role)
        root.signed.add_key(new.public, role)
        files.renew(root.signed, "root")
        files.forget_keys()  # the new key is on disk now
        new_signers = files.signers(root.signed, "root") if role == "root" else []
        by_id = {k.keyid: k for k in [*old_signers, *new_signers]}
        files.sign(root, by_id.values())
        files.write_root(root)
        targets = None
        if role == "targets":
            targets = self.targets()
            files.renew(targets.signed, "targets")
        versions = files.chain(root.signed, targets, snapshot=role in ("targets", "snapshot"))
        retired = files.keys.get(old_id) or keyfiles.load_folders(self.key_folders).get(old_id)
        moved = str(keyfiles.retire(retired)) if retired is not None else None
        return Published({
            "role": role, "retired_keyid": old_id, "new_keyid": new.keyid, "new_key": str(new.path),
            "retired_key": moved, "root": root.signed.version, **versions,
        })  # fmt: skip

    # ------------------------------------------------------------------ promote
    def promote(self, version: str, channel: Channel) -> Published:
        """Offer an existing release on one more channel (a pilot version to stable)."""
        root, targets = self.root(), self.targets()
        releases, _ = catalogue(targets.signed.targets)
        chosen = [r for r in releases if r.version == version]
        if not chosen:
            raise PublishError(f"{version} is not in the repository")
        for release in chosen:
            head = newest(
                r for r in releases if r.platform == release.platform and channel in r.channels
            )
            if channel in release.channels:
                raise PublishError(f"{version} is already offered on {channel}")
            if head is not None and not newer(version, head.version):
                raise PublishError(
                    f"{version} is not newer than {head.version}, the newest in {channel}"
                )
            updated = replace(release, channels=release.channels | {channel})
            targets.signed.targets[release.path].unrecognized_fields["custom"] = updated.custom()
        self.files.renew(targets.signed, "targets")
        versions = self.files.chain(root.signed, targets)
        return Published({"version": version, "channel": channel.value,
                          "platforms": sorted(r.platform for r in chosen), **versions})  # fmt: skip


class _Addition:
    """``release add``: the full archive of a bundle and its patches from earlier releases."""

    def __init__(self, files: RoleFiles, targets_dir: Path) -> None:
        self.files = files
        self.targets_dir = targets_dir

    def add(
        self,
        bundle: Path,
        version: str,
        channel: Channel,
        compression: Compression,
        platform: str | None,
    ) -> Published:
        files = self.files
        try:
            check_release_version(version)
            plat = platform or bundle_platform(bundle)
            says = bundle_version(bundle)
        except ValueError as exc:
            raise PublishError(str(exc)) from None
        if says != version:
            raise PublishError(
                f"the bundle says it is {says}, not {version}: build it as {version}"
            )
        root, targets = files.read("root", Root), files.read("targets", Targets)
        files.signers(root.signed, "targets")  # fail before the slow part if the key is missing
        releases, _ = catalogue(targets.signed.targets)
        mine = [r for r in releases if r.platform == plat]
        if any(r.version == version for r in mine):
            raise PublishError(f"{version} for {plat} is already in the repository")
        head = newest(r for r in mine if channel in r.channels)
        if head is not None and not newer(version, head.version):
            raise PublishError(
                f"{version} is not newer than {head.version}, the newest in {channel}"
            )
        manifest = scan(bundle)
        fmt = f"tar.{compression}"
        release_path = full_path(version, plat, fmt)
        full_file = self.targets_dir / release_path
        full_file.parent.mkdir(parents=True, exist_ok=True)
        _produce(full_file, lambda out: write_archive(bundle, manifest, out, compression))
        release = Release(release_path, version, plat, frozenset({channel}), fmt, manifest.digest(),
                          manifest.total_bytes, full_file.stat().st_size)  # fmt: skip
        entries: dict[str, TargetFile] = {
            release_path: _target(release_path, full_file, release.custom())
        }
        patches, skipped = self._patches(bundle, manifest, release, self._bases(mine, version))
        for item, path in patches:
            entries[item.path] = _target(item.path, path, item.custom())
        targets = files.read("targets", Targets)
        targets.signed.targets.update(entries)
        files.renew(targets.signed, "targets")
        versions = files.chain(root.signed, targets)
        return Published({
            "version": version, "platform": plat, "channel": channel.value,
            "full": {"path": release_path, "bytes": release.length, "tree_bytes": release.tree_bytes},
            "patches": [{"from": p.from_version, "path": p.path, "bytes": p.length} for p, _ in patches],
            "patches_skipped": skipped, **versions,
        })  # fmt: skip

    @staticmethod
    def _bases(mine: list[Release], version: str) -> list[Release]:
        """Earlier releases worth a patch: the newest older one of each channel."""
        bases: dict[str, Release] = {}
        for channel in Channel:
            older = newest(r for r in mine if channel in r.channels and newer(version, r.version))
            if older is not None:
                bases[older.version] = older
        return sorted(bases.values(), key=lambda r: version_key(r.version))

    def _patches(
        self, bundle: Path, manifest: Manifest, release: Release, bases: list[Release]
    ) -> tuple[list[tuple[Patch, Path]], list[dict[str, object]]]:
        made: list[tuple[Patch, Path]] = []
        skipped: list[dict[str, object]] = []
        for base in bases:
            path = patch_path(base.version, release.version, release.platform)
            out = self.targets_dir / path
            self._make_patch(base, release, bundle, manifest, out)
            size = out.stat().st_size
            if size >= PATCH_WORTH * release.length:
                out.unlink()
                skipped.append(
                    {
                        "from": base.version,
                        "bytes": size,
                        "reason": "not smaller than the full archive",
                    }
                )
                continue
            patch = Patch(path, release.version, base.version, release.platform, base.tree_sha256,
                          release.tree_sha256, size)  # fmt: skip
            made.append((patch, out))
        return made, skipped

    def _make_patch(
        self, base: Release, release: Release, bundle: Path, manifest: Manifest, out: Path
    ) -> None:
        with tempfile.TemporaryDirectory(prefix="pser-release-", dir=self.files.folder) as tmp:
            old_root = Path(tmp) / "old"
            old = extract_archive(self.targets_dir / base.path, old_root, base.tree_sha256)
            versions = (base.version, release.version)
            _produce(
                out, lambda target: make_patch(old_root, old, bundle, manifest, target, versions)
            )


def _due(signed: Signed, lifetime: timedelta, now: datetime) -> bool:
    return signed.expires - now < lifetime / 2


def _meta(version: int, data: bytes) -> MetaFile:
    return MetaFile(
        version=version, length=len(data), hashes={"sha256": hashlib.sha256(data).hexdigest()}
    )


def _target(path: str, local: Path, custom: dict[str, object]) -> TargetFile:
    target = TargetFile.from_file(path, str(local), ["sha256"])
    target.unrecognized_fields["custom"] = custom
    return target


def _produce(out: Path, make: Callable[[Path], object]) -> None:
    """Make *out* through a temporary file beside it (no half file under the real name)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        make(tmp)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
