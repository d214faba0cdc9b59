#!/usr/bin/env bash
# Create .venv (Python >= 3.11) and install the workbench into it.
#   scripts/setup.sh          runtime dependencies
#   scripts/setup.sh --test   + test, lint and notebook tools, Chromium and nginx for tests
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

# Debian packages the tests use: Chromium (browser tests, driven through Playwright: no
# browser download) and nginx (the load-balancer tests and `workbench bench scaleout`,
# run as the current user from a temporary prefix: no root needed at run time; the
# package's own service, where an init system starts it, is not used).
apt_missing=""
if [ "$want_test" = 1 ]; then
  command -v chromium >/dev/null 2>&1 || apt_missing="$apt_missing chromium"
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || apt_missing="$apt_missing nginx"
fi
if [ -n "$apt_missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing$apt_missing (Debian packages) for tests ..." >&2
    apt-get update -qq >/dev/null
    # shellcheck disable=SC2086  # one word per package
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $apt_missing >/dev/null
  else
    echo "setup:$apt_missing not found and cannot apt-get install; those tests will be skipped" >&2
  fi
fi
