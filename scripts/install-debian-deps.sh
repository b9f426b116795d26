#!/usr/bin/env bash
# Installs the Debian packages cscperf needs, when run as root; otherwise says what is missing.
#   scripts/install-debian-deps.sh demo   # WeasyPrint's Pango, fonts, npm (to vendor GOV.UK Frontend)
#   scripts/install-debian-deps.sh test   # + PostgreSQL server, Chromium, poppler (PDF to PNG)
set -euo pipefail
purpose="${1:-test}"
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2 shared-mime-info nodejs npm)
if [ "$purpose" = "test" ]; then
  packages+=(postgresql chromium poppler-utils)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nodejs/npm may come from elsewhere on the machine; a working npm is what counts.
if command -v npm >/dev/null 2>&1; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<< "${missing[*]:-}"
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "cscperf needs these Debian packages; install them as root: apt-get install ${missing[*]}" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "installed Debian packages: ${missing[*]}"
