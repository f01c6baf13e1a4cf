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
echo "== pytest"; .venv/bin/python -m pytest "$@"
