#!/usr/bin/env bash
# Serve irdoc for development on http://127.0.0.1:PORT/ (rebuilds on change).
#
#   scripts/serve.sh               port 8080
#   PORT=9000 scripts/serve.sh     another port (or: scripts/serve.sh --port 9000)
#   scripts/serve.sh --release     a release build
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/setup.sh
# shellcheck source=/dev/null
. .tools/env.sh

PORT="${PORT:-8080}"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
  --port) PORT="$2"; shift 2 ;;
  --port=*) PORT="${1#--port=}"; shift ;;
  *) args+=("$1"); shift ;;
  esac
done

echo "[serve] irdoc will be at http://127.0.0.1:$PORT/ (first build takes a few minutes; Ctrl-C stops)"
irdoc_wasm trunk serve --offline --address 127.0.0.1 --port "$PORT" "${args[@]}"
