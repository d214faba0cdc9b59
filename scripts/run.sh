#!/usr/bin/env bash
# Set up (first run only) and start the Gradio workbench on http://127.0.0.1:7860.
# With no OPENAI_API_KEY / AZURE_OPENAI_* set it talks to the built-in mock model.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/workbench serve "$@"
