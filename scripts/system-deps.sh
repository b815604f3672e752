#!/usr/bin/env bash
# Install the Debian packages the service and its tests need, if any is missing.
#   run:  pango (WeasyPrint), harfbuzz subsetting, fonts with German characters
#   test: PostgreSQL and Redis servers, Chromium for browser tests, poppler for PDF pages,
#         node (npm) to install axe-core for the accessibility tests
set -euo pipefail

want=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
if [[ "${1:-}" == "--test" ]]; then
  want+=(postgresql redis-server chromium poppler-utils nodejs)
fi

missing=()
for pkg in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing system packages: ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  echo "ERROR: not root; install them yourself: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
