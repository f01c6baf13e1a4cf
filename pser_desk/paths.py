"""Every path the application reads or writes, from one place.

Resources (form definitions, geography, fonts, translations, samples) come from one of
three places, looked up in this order:

- the frozen PyInstaller bundle: ``sys._MEIPASS/resources``;
- an installed wheel: ``pser_desk/resources`` inside the package, found through
  :mod:`importlib.resources` (the build backend ``scripts/pser_build.py`` copies the
  repository's top-level ``resources/`` there and compiles the Urdu ``.qm``);
- the checkout: the repository's ``resources/`` beside the package (an editable install).

Everything the application writes lives under the data directory: ``--data-dir``, else
``PSER_DESK_DATA_DIR``, else the platform's user data directory.
"""

from __future__ import annotations

import importlib.resources
import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "pser-desk"
APP_AUTHOR = "PSER"
DATA_DIR_ENV = "PSER_DESK_DATA_DIR"
PACKAGE = "pser_desk"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def _installed_resources() -> Path | None:
    """``pser_desk/resources`` when the package came from a wheel (a checkout has none)."""
    packaged = importlib.resources.files(PACKAGE) / "resources"
    # A wheel installs as plain files, so this is a real folder (not a zip's Traversable),
    # which Qt, reportlab and SQLite need.
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return None


def origin() -> str:
    """Where the resources come from: ``frozen bundle``, ``installed package`` or ``source``."""
    if is_frozen():
        return "frozen bundle"
    return "installed package" if _installed_resources() is not None else "source"


def resources_dir() -> Path:
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "resources"
    return _installed_resources() or Path(__file__).resolve().parent.parent / "resources"


def bundle_root() -> Path:
    """The folder holding ``resources/``: the frozen bundle, the installed package or the
    checkout."""
    return resources_dir().parent


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
