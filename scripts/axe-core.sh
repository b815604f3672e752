#!/usr/bin/env bash
# Install axe-core (the npm package) into .axe/, where the browser tests read it from.
# The tests inject it into each page from that file; no page ever fetches it.
set -euo pipefail
VERSION=4.10.3
cd "$(dirname "$0")/.."
if [[ -f .axe/node_modules/axe-core/axe.min.js ]] && \
   grep -q "\"version\": \"$VERSION\"" .axe/node_modules/axe-core/package.json; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "ERROR: npm is missing; install it (apt-get install npm) for the accessibility tests" >&2
  exit 1
fi
npm install --no-save --no-audit --no-fund --silent --prefix .axe "axe-core@$VERSION"
