#!/usr/bin/env bash
# Set up (first run only) and run every check: lint, types, tests (browser tests
# included; every benchmark suite with tiny parameters in tests/bench), notebooks.
# Exits non-zero on any failure, and when pytest collects no tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$PWD/.venv/bin:$PATH"

# A test run must leave the tree as it found it: tests write only to temp dirs,
# results/ and reports/ (ignored); generated docs assets come from `workbench docs`.
tree_state() { git status --porcelain=v1 2>/dev/null; git diff 2>/dev/null | sha256sum; }
before="$(tree_state)"

# One command a line: with `set -e`, a failure inside an `a && b` list would not stop us.
echo "== ruff"
ruff check workbench tests scripts
ruff format --check workbench tests scripts
echo "== mypy"
mypy
echo "== layering (import-linter contracts in pyproject.toml)"
lint-imports --no-cache

echo "== pytest"
set +e
if [ "$#" = 0 ]; then
  # Measurement-only runs (docs' latency figures) are left to their documented command.
  pytest -q -p no:cacheprovider --durations=10 -m "not latency"
else
  pytest -q -p no:cacheprovider "$@"
fi
status=$?
set -e
if [ "$status" = 5 ]; then
  echo "test: pytest collected no tests -- that is a failure" >&2
  exit 1
fi
[ "$status" = 0 ] || exit "$status"

# With pytest arguments (e.g. `-k my_case`) only those tests run.
if [ "$#" = 0 ]; then
  echo "== notebooks (quick parameters)"
  workbench notebooks --quick --out reports/notebooks
  # No separate benchmark smoke run: tests/bench runs every suite with tiny parameters.
fi
after="$(tree_state)"
if [ "$before" != "$after" ]; then
  echo "test: the run changed the tree (tests must not write tracked files):" >&2
  diff <(echo "$before") <(echo "$after") >&2 || true
  exit 1
fi
echo "test: all checks passed"
