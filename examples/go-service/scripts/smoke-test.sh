#!/usr/bin/env bash
# Smoke test of a deployed orders-api. CI runs it against staging after each release
# (bash scripts/smoke-test.sh https://<staging host>), and its result becomes the commit
# status "runway/staging-verification" that promotion to production requires. Add the
# requests that prove your service works; it stops at the first that fails.
set -euo pipefail
base=${1:?usage: smoke-test.sh <base URL>}
base=${base%/}

# expect <path> <status>: retried a few times, since a fresh release may still be warming up.
expect() {
  local status=000
  for _ in 1 2 3 4 5; do
    status=$(curl --silent --output /dev/null --write-out '%{http_code}' --max-time 10 "$base$1") || status=000
    if [ "$status" = "$2" ]; then
      echo "ok   GET $1 -> $status"
      return 0
    fi
    sleep "${SMOKE_RETRY_SECONDS:-3}"
  done
  echo "FAIL GET $1 -> $status (expected $2)" >&2
  return 1
}

expect /healthz 200
expect /readyz 200
