#!/usr/bin/env bash
# Quick start, command 2: set up, then run the whole test suite: lint, types,
# layer contracts and every test (unit, integration with SQLite and PostgreSQL,
# real HTTP on loopback, Qt offscreen, PDFs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
echo "== ruff"; .venv/bin/ruff check pser_desk tests bench
.venv/bin/ruff format --check pser_desk tests bench
echo "== mypy"; .venv/bin/mypy pser_desk
# ... and as Windows sees it: names Windows lacks (os.fchmod, fcntl, signals) are errors.
echo "== mypy (win32)"; .venv/bin/mypy --platform win32 pser_desk
echo "== import contracts"; .venv/bin/lint-imports
# -- packaging (issues 8, 12) -------------------------------------------------------
# Inside the one pytest run below (docs/packaging.md): the Linux bundle is built from
# pser_desk.spec and checked (tests/packaging/test_bundle.py); a wheel is built and
# installed in a fresh venv (test_wheel.py); and the Windows bundle and installer are
# built under Wine by scripts/build_windows.sh (it installs wine, nsis, osslsigncode and
# mingw itself), in the background from the start of the run, then smoke-tested
# (tests/packaging/windows/). The run's summary ends with the Wine part's time.
# -----------------------------------------------------------------------------------
echo "== pytest"; .venv/bin/python -m pytest "$@"
