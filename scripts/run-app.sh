#!/usr/bin/env bash
# Quick start, command 1: set up, then start pser_desk on its embedded defaults
# (SQLite in the data directory, the built-in reference central service, a simulated camera).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "run-app: no screen found; starting on a virtual screen (xvfb-run). Use a desktop session to see the window." >&2
  exec xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/pser-desk --demo "$@"
fi
exec .venv/bin/pser-desk --demo "$@"
