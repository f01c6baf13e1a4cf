"""Every path the application reads or writes, from one place.

Resources (form definitions, geography, fonts, translations) come from the source
tree or, in a PyInstaller bundle, from ``sys._MEIPASS``. Everything the application
writes lives under the data directory: ``--data-dir``, else ``PSER_DESK_DATA_DIR``,
else the platform's user data directory.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "pser-desk"
APP_AUTHOR = "PSER"
DATA_DIR_ENV = "PSER_DESK_DATA_DIR"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def bundle_root() -> Path:
    """The folder holding ``resources/`` and ``ui/``: the checkout, or the frozen bundle."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return bundle_root() / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def forms_dir() -> Path:
    return resource("forms")


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: *explicit*, else the environment, else the platform default."""
    chosen = explicit or os.environ.get(DATA_DIR_ENV) or default_data_dir()
    return Path(chosen).expanduser().resolve()


def ensure_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
