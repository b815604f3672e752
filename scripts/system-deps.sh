#!/usr/bin/env bash
# Install the Debian packages the service and its tests need, if any is missing.
#   run:  pango (WeasyPrint), harfbuzz subsetting, fonts with German characters
#   test: PostgreSQL and Redis servers, Chromium for browser tests, poppler for PDF pages,
#         node (npm) to install axe-core for the accessibility tests, nginx for the test
#         that runs several app servers behind it, systemd-analyze to check the units (tests/deploy/)
set -euo pipefail

want=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
if [[ "${1:-}" == "--test" ]]; then
  want+=(postgresql redis-server chromium poppler-utils nodejs nginx systemd)
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
# The tests start their own servers on loopback ports. Debian would start the packages'
# system services on installing them (nginx on port 80, where another server may already
# listen and so fail the install): a policy-rc.d that answers 101 forbids that, for the
# length of this install only, unless the machine has one of its own.
policy=/usr/sbin/policy-rc.d
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\n# Written by intake scripts/system-deps.sh while it installs.\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  trap 'rm -f "$policy"' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if [[ " ${missing[*]} " == *" nginx "* ]] && command -v systemctl >/dev/null; then
  # Installed for the tests only: nor should it start with the machine and take port 80.
  systemctl disable nginx.service >/dev/null 2>&1 || true
fi
