#!/usr/bin/env bash
# Installs promtool at .tmp/tools/bin/promtool for the alert rule tests. It is taken from Debian's prometheus
# package, which is downloaded and unpacked instead of installed, so no Prometheus server or system user
# is set up. Running it again does nothing once promtool is in place.
set -euo pipefail
cd "$(dirname "$0")/.."

target='.tmp/tools/bin/promtool'

if [[ -x "$target" ]] && "$target" --version >/dev/null 2>&1; then
  echo "promtool is installed: $target ($("$target" --version 2>&1 | head -n 1))"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# apt-get download drops privileges to the _apt user, which cannot write to a folder that mktemp made
# for root.
chmod 0777 "$work"

echo "Downloading Debian's prometheus package for promtool"
if ! (cd "$work" && apt-get download -qq prometheus >/dev/null 2>&1); then
  # A fresh machine may have no package lists yet.
  apt-get update -qq
  (cd "$work" && apt-get download -qq prometheus >/dev/null)
fi

dpkg-deb -x "$work"/prometheus_*.deb "$work/root"
mkdir -p "$(dirname "$target")"
install -m 0755 "$work/root/usr/bin/promtool" "$target"
echo "promtool is installed: $target ($("$target" --version 2>&1 | head -n 1))"
