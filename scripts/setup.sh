#!/usr/bin/env bash
# Create .venv (Python >= 3.11) and install the workbench into it.
#   scripts/setup.sh          runtime dependencies
#   scripts/setup.sh --test   + test, lint and notebook tools, and Chromium for browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

py="${PYTHON:-python3}"
if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "setup: need Python >= 3.11 (set PYTHON=/path/to/python3.11)" >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$py" -m venv .venv

extras=""
[ "$want_test" = 1 ] && extras="[test]"
# Reinstall only when pyproject.toml changed since the last install of these extras.
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)${extras:+-test}"
if [ ! -f "$stamp" ]; then
  echo "setup: installing realtime-workbench${extras} into .venv ..." >&2
  .venv/bin/python -m pip install -q --disable-pip-version-check -U pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}"
  touch "$stamp"
fi

if [ "$want_test" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
  # Browser tests drive Debian's Chromium through Playwright (no browser download).
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing chromium (Debian package) for browser tests ..." >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: chromium not found and cannot apt-get install it; browser tests will be skipped" >&2
  fi
fi
