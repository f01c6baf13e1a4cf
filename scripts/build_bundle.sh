#!/usr/bin/env bash
# Build the one-folder bundle (dist/pser-desk), run its self-test offscreen and check the
# Windows installer script against it (docs/packaging.md).
#
#   bash scripts/build_bundle.sh             build + self-test + makensis check
#   bash scripts/build_bundle.sh --installer also compile the real (LZMA) installer
#                                            dist/pser-desk-VERSION-setup.exe (on Windows)
# DIST_DIR / WORK_DIR change where the bundle and PyInstaller's work files go.
set -euo pipefail
cd "$(dirname "$0")/.."
DIST_DIR=${DIST_DIR:-dist}
WORK_DIR=${WORK_DIR:-build}
PY=${PY:-.venv/bin/python}
[ -x "$PY" ] || PY=.venv/Scripts/python.exe   # Git Bash on Windows

version=$(tr -d '[:space:]' < pser_desk/VERSION)
"$PY" scripts/build_ui.py --qm-only

start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST_DIR" --workpath "$WORK_DIR" pser_desk.spec
built=$(( $(date +%s) - start ))
bundle="$DIST_DIR/pser-desk"
echo "bundle: $bundle built in ${built} s, $(du -sm "$bundle" | cut -f1) MB"

exe="$bundle/pser-desk"
[ -x "$bundle/pser-desk-cli.exe" ] && exe="$bundle/pser-desk-cli.exe"
echo "== self-test of the frozen app"
QT_QPA_PLATFORM=offscreen "$exe" --self-test

if command -v makensis >/dev/null; then
  if [ "${1:-}" = "--installer" ]; then
    makensis -V2 -WX "-DVERSION=$version" "-DBUNDLE_DIR=$bundle" installer/pser-desk.nsi
    echo "installer: $DIST_DIR/pser-desk-$version-setup.exe"
  else
    # Only a check of the script (uncompressed, thrown away): a broken script fails here.
    out="$WORK_DIR/installer-check.exe"
    makensis -V2 -WX "-DVERSION=$version" "-DBUNDLE_DIR=$bundle" -DNOCOMPRESS \
      "-DOUTFILE=$out" installer/pser-desk.nsi
    rm -f "$out"
    echo "installer script: compiles against $bundle"
  fi
else
  echo "makensis not found (apt-get install nsis; on Windows: the NSIS installer)" >&2
  exit 1
fi
