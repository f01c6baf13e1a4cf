"""The wheel's build backend: setuptools, plus the resources that live outside the package.

``pip install .`` (and ``pip wheel .``, ``python -m build``) builds through this module
(pyproject.toml: ``build-backend = "pser_build"``, ``backend-path = ["scripts"]``). The
repository keeps the run-time resources at its top (``resources/``, DESIGN.md's fixed
layout); a wheel must carry them, so :class:`BuildPy` copies them into the built package
as ``pser_desk/resources/`` and compiles the Urdu translation there (``.ts`` to ``.qm``
with PySide6's lrelease, which is why a wheel build asks for PySide6-Essentials).
``pser_desk/paths.py`` finds them through :mod:`importlib.resources`. An editable install
(``pip install -e .``, scripts/setup.sh) copies nothing: it reads the checkout's folders.
"""

from __future__ import annotations

import shutil
import sys
import tomllib
from pathlib import Path
from typing import Any

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403 - the PEP 517 hooks we do not change
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
# Copied as they are (translations are compiled; .ts sources and READMEs stay behind).
RESOURCE_FOLDERS = ("forms", "geography", "fonts", "samples", "icons", "style")
LEFT_OUT = ("README.md", "*.ts", "*.qm", "__pycache__")


def _pyside_requirement() -> str:
    with (ROOT / "pyproject.toml").open("rb") as f:
        dependencies = tomllib.load(f)["project"]["dependencies"]
    return next(d for d in dependencies if d.lower().startswith("pyside6-essentials"))


def get_requires_for_build_wheel(config_settings: dict[str, Any] | None = None) -> list[str]:
    """setuptools' needs, and PySide6 for lrelease (editable installs do not ask this)."""
    return [*_setuptools.get_requires_for_build_wheel(config_settings), _pyside_requirement()]


class BuildPy(build_py):
    """setuptools' build_py, then ``pser_desk/resources/`` with the compiled translation."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "pser_desk" / "resources"
        shutil.rmtree(target, ignore_errors=True)
        for name in RESOURCE_FOLDERS:
            if (RESOURCES / name).is_dir():
                shutil.copytree(
                    RESOURCES / name, target / name, ignore=shutil.ignore_patterns(*LEFT_OUT)
                )
        sys.path.insert(0, str(ROOT / "scripts"))
        try:
            from build_ui import build_translations
        finally:
            sys.path.remove(str(ROOT / "scripts"))
        if not build_translations(target / "translations"):
            raise SystemExit("pser_build: no translation was compiled into the wheel")
