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
echo "== import contracts"; .venv/bin/lint-imports
# -- packaging (issue 8) ------------------------------------------------------------
# The Linux bundle is built from pser_desk.spec (~1 min), its frozen --self-test run
# offscreen and installer/pser-desk.nsi compiled with makensis against it by
# tests/packaging/test_bundle.py, inside the one pytest run below (docs/packaging.md).
# -----------------------------------------------------------------------------------
echo "== pytest"; .venv/bin/python -m pytest "$@"
