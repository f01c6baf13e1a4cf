#!/usr/bin/env bash
# Set up pser_desk on a fresh Debian/Ubuntu machine: system libraries, a virtual
# environment in .venv and the package with its test tools. Safe to run again: it
# installs only what is missing. Run as root or as a user with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # Qt offscreen and printing (ENVIRONMENT.md)
  libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 libcups2
  # a real window under X11 and Xvfb for screenshots, with a window manager (title bars,
  # focus, maximising: scripts/screenshots.py --real) and xdotool to type into it
  xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 openbox xdotool
  # barcode decoder library for pyzbar (benchmark comparison)
  libzbar0
  # PDFs to text and pictures (tests), Urdu and Latin fonts (slips)
  poppler-utils fonts-noto-core
  # the throwaway PostgreSQL server of the tests
  postgresql
  # a real print queue that writes PDFs (printing tests)
  cups cups-client printer-driver-cups-pdf
  # packaging: the Windows installer script is compiled in CI, the desktop entry checked
  nsis desktop-file-utils
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup: need root (or sudo) to install: $*" >&2; return 1; fi
}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null; then
    echo "setup: installing system packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: not a Debian/Ubuntu system; install these yourself: ${missing[*]}" >&2
  fi
fi

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: Python 3.11 or newer is needed ($PYTHON is $("$PYTHON" --version 2>&1))" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv || { as_root apt-get install -y -qq --no-install-recommends python3-venv >/dev/null && "$PYTHON" -m venv .venv; }
fi
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[${EXTRAS:-test}]"
  rm -f .venv/.installed-*; touch "$stamp"
fi
# Qt translations: the .qm files are built, never committed (gui helper).
.venv/bin/python scripts/build_ui.py --qm-only
# Byte-code for the package, as a wheel install would make it: an editable install
# otherwise recompiles every module at each start where PYTHONDONTWRITEBYTECODE is set.
.venv/bin/python -m compileall -q pser_desk >/dev/null
