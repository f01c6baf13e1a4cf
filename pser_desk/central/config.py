"""Central's configuration of the PCs (central-api.md section 10), from a JSON file.

``<state>/central-config.json`` (or ``central serve --config FILE``) holds a JSON object;
keys it leaves out take section 10's defaults. Known keys are checked with the PCs' own
range rules (:mod:`pser_desk.domain.central_config`); other keys are passed to the PCs
unchanged (a later version of the desk may read them). The file is read again whenever
it changes (its size, inode or modification time), so the configuration can be changed
while the service runs. A file that cannot be read or breaks a rule is refused: at start
``central serve`` stops with one line (:meth:`ConfigSource.check`); while running central
keeps serving the last good configuration (the defaults if there was none) and logs a
warning. A missing file means the defaults.

Every heartbeat answer carries the configuration and central's Ed25519 signature over its
canonical JSON (``pser_desk.security.form_signing``, as for form definitions). The file's
``pilot_centres`` (a list of centre codes) is central's own: the PCs of those centres get
``"channel": "pilot"`` (the update ring they are offered first), and no PC gets the list
(:func:`pser_desk.domain.releases.config_for_centre`).
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pser_desk.domain.central_config import DEFAULT_CONFIG, config_problems
from pser_desk.domain.releases import (
    channel_problem,
    config_for_centre,
    in_pilot,
    pilot_centres_problem,
)
from pser_desk.security.form_signing import canonical_json, sign_canonical

log = logging.getLogger(__name__)

CONFIG_FILE = "central-config.json"
MAX_CONFIG_BYTES = 64 * 1024

Stamp = tuple[int, int, int] | None


class ConfigError(ValueError):
    """A configuration file central refuses."""


def read_config_file(path: Path) -> dict[str, object]:
    """The configuration the PCs get from *path*: the defaults overlaid with the file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return DEFAULT_CONFIG.to_json()
    except OSError as exc:
        raise ConfigError(f"{path.name} cannot be read ({exc.strerror})") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path.name} is larger than {MAX_CONFIG_BYTES // 1024} KiB")
    try:
        raw = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise ConfigError(f"{path.name} is not valid JSON") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path.name} must hold a JSON object")
    problems = config_problems(raw)
    for extra in (channel_problem(raw), pilot_centres_problem(raw)):  # read by the updaters
        if extra is not None:
            problems.append(extra)
    if problems:
        raise ConfigError(f"{path.name}: " + "; ".join(problems))
    config = {**DEFAULT_CONFIG.to_json(), **raw}
    try:
        canonical_json(config)
    except ValueError:
        raise ConfigError(
            f"{path.name} holds a number JSON cannot carry (NaN or infinity)"
        ) from None
    return config


def _stamp(path: Path) -> Stamp:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


class ConfigSource:
    """The configuration in force and its signature, re-read when the file changes."""

    def __init__(self, path: Path, signing: Ed25519PrivateKey) -> None:
        self.path = path
        self._signing = signing
        self._lock = threading.Lock()
        self._stamp: Stamp | bool = False  # False: never read
        self._file = DEFAULT_CONFIG.to_json()
        self._sent: dict[bool, tuple[dict[str, object], str]] = {}  # by "a pilot centre"

    def check(self, *, must_exist: bool) -> None:
        """Raise :class:`ConfigError` if the file is missing (when it must exist) or bad."""
        if must_exist and not self.path.is_file():
            raise ConfigError(f"the configuration file {self.path} does not exist")
        read_config_file(self.path)

    def signed(self, centre_code: str | None = None) -> tuple[dict[str, object], str]:
        """The configuration in force for the PCs of *centre_code* (None: a centre the
        pilot list does not name) and its b64u signature (re-read if the file changed)."""
        stamp = _stamp(self.path)
        with self._lock:
            if stamp != self._stamp:
                self._reload(stamp)
            pilot = in_pilot(self._file, centre_code)
            if pilot not in self._sent:
                config = config_for_centre(self._file, centre_code)
                self._sent[pilot] = (config, sign_canonical(self._signing, config))
            return self._sent[pilot]

    def _reload(self, stamp: Stamp) -> None:
        self._stamp = stamp
        try:
            config = read_config_file(self.path)
        except ConfigError as exc:
            log.warning("central: configuration refused, the previous one stays in force: %s", exc)
            return
        self._file = config
        self._sent = {}
        log.info("central: configuration read again from %s", self.path.name)
