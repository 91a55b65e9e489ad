#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine that has the Rust toolchain and
# Python 3.11: Debian packages (apt-get) and a virtualenv `.venv` with the Python packages.
set -euo pipefail
cd "$(dirname "$0")/.."

want=()
while read -r pkg; do
  pkg="${pkg%%#*}"; pkg="${pkg//[[:space:]]/}"
  [ -n "$pkg" ] || continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || want+=("$pkg")
done < scripts/deps/apt.txt
if [ ${#want[@]} -gt 0 ]; then
  echo "==> apt-get install ${want[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -r scripts/deps/pip.txt
