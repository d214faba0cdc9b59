#!/usr/bin/env bash
# Rebuild the RealtimeAudio Gradio component's frontend:
#   frontend/realtime_audio/ (+ the shared modules in workbench/app/browser/static/)
#   -> workbench/app/ui/realtime_audio/templates/component/{index.js,style.css,...}
# and stamp the sources' digest in templates/build.json (a test checks it).
#
# This is the frontend step of `gradio cc build`: Gradio's own builder (@gradio/preview,
# pinned in package-lock.json) run the way `gradio cc build` runs it. The rest of that
# command (docs, a wheel) does not apply: the component ships inside the workbench
# package. Needs node >= 18 and npm; running the app does not (the bundle is committed).
#   PYTHON=/path/to/python  the Python with gradio installed (default: .venv/bin/python)
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
py="${PYTHON:-$repo/.venv/bin/python}"
fe="$repo/frontend/realtime_audio"
command -v node >/dev/null || { echo "build_component: node is needed (apt-get install nodejs npm)" >&2; exit 1; }
"$py" -c 'import gradio' || { echo "build_component: $py has no gradio (set PYTHON=...)" >&2; exit 1; }

echo "build_component: npm ci in frontend/realtime_audio" >&2
(cd "$fe" && npm ci --no-audit --no-fund --loglevel=error)

# Gradio's builder expects a component project (pyproject.toml naming the Python package,
# backend/, frontend/); a throwaway one points it at our package and sources.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/backend"
ln -s "$fe" "$work/frontend"
cat >"$work/pyproject.toml" <<'TOML'
[project]
name = "workbench.app.ui.realtime_audio"
version = "0.0.0"
keywords = ["gradio-custom-component"]

[tool.hatch.build]
artifacts = []
TOML
root="$("$py" -c 'import gradio, pathlib; print(pathlib.Path(gradio.__file__).parent / "templates" / "frontend")')"
echo "build_component: building with $(node --version), gradio $("$py" -c 'import gradio; print(gradio.__version__)')" >&2
# PYTHONPATH: the builder imports the component class from this checkout.
PYTHONPATH="$repo" node "$fe/node_modules/@gradio/preview/dist/index.js" \
  --component-directory "$work" --root "$root" --mode build --python-path "$py"
test -s workbench/app/ui/realtime_audio/templates/component/index.js
PYTHONPATH="$repo" "$py" -m workbench.app.ui.realtime_audio.build_stamp write
ls -l workbench/app/ui/realtime_audio/templates/component >&2
