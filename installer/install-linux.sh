#!/usr/bin/env bash
# Install the Linux bundle system-wide: the program in /opt/pser-desk, the command
# /usr/local/bin/pser-desk, the desktop entry, the icon and the background sender's
# systemd user unit (pser-desk-agent.service, enabled for every user's session). The data folder
# (~/.local/share/pser-desk) is never touched; --uninstall removes only the program.
#
#   sudo bash installer/install-linux.sh [--uninstall] [BUNDLE_DIR]   (default dist/pser-desk)
#
# DESTDIR=/some/root installs under that root instead of / (packaging and tests).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="${DESTDIR:-}"
opt="$root/opt/pser-desk"
bin="$root/usr/local/bin/pser-desk"
apps="$root/usr/share/applications/pser-desk.desktop"
icon="$root/usr/share/icons/hicolor/256x256/apps/pser-desk.png"
svg="$root/usr/share/icons/hicolor/scalable/apps/pser-desk.svg"
unit="$root/usr/lib/systemd/user/pser-desk-agent.service"
wants="$root/etc/systemd/user/default.target.wants/pser-desk-agent.service"

if [ "${1:-}" = "--uninstall" ]; then
  if [ -z "$root" ] && command -v systemctl >/dev/null; then
    systemctl --global disable pser-desk-agent.service >/dev/null 2>&1 || true
  fi
  rm -rf "$opt"
  rm -f "$bin" "$apps" "$icon" "$svg" "$unit" "$wants"
  echo "pser-desk: removed the program; the data folder is kept"
  exit 0
fi

bundle="${1:-$here/../dist/pser-desk}"
if [ ! -x "$bundle/pser-desk" ]; then
  echo "install-linux: no bundle at $bundle (build it: bash scripts/build_bundle.sh)" >&2
  exit 1
fi
rm -rf "$opt.new"
mkdir -p "$(dirname "$opt")"
cp -a "$bundle" "$opt.new"
rm -rf "$opt"
mv "$opt.new" "$opt"
install -d "$(dirname "$bin")" "$(dirname "$apps")" "$(dirname "$icon")" "$(dirname "$svg")"
ln -sfn /opt/pser-desk/pser-desk "$bin"
install -m 0644 "$here/pser-desk.desktop" "$apps"
install -m 0644 "$opt/_internal/resources/icons/pser-desk.png" "$icon"
install -m 0644 "$opt/_internal/resources/icons/pser-desk.svg" "$svg"
install -d "$(dirname "$unit")" "$(dirname "$wants")"
install -m 0644 "$here/pser-desk-agent.service" "$unit"
# What 'systemctl --global enable' makes, also under DESTDIR: every user's session starts it.
ln -sfn /usr/lib/systemd/user/pser-desk-agent.service "$wants"
if [ -z "$root" ]; then
  command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q /usr/share/icons/hicolor || true
fi
echo "pser-desk: installed in /opt/pser-desk ($("$opt/pser-desk" --version))"
