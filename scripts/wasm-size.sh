#!/usr/bin/env bash
# Size of the app's .wasm in dist/ (after wasm-opt), raw and gzip -9, checked against the
# budget: the .wasm must stay under IRDOC_WASM_BUDGET bytes gzipped (default 400,000).
# Build it first: scripts/test.sh, or `. .tools/env.sh && irdoc_wasm trunk build --release --offline`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="${1:-$ROOT/dist}"
BUDGET="${IRDOC_WASM_BUDGET:-400000}"

shopt -s nullglob
files=("$DIST"/*.wasm)
if [ ${#files[@]} -eq 0 ]; then
  echo "[wasm-size] no .wasm in $DIST: run a release build first (trunk build --release --offline)" >&2
  exit 1
fi
kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }
over=0
for f in "${files[@]}"; do
  raw=$(wc -c <"$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  echo "[wasm-size] $(basename "$f"): $raw bytes ($(kib "$raw")), gzip -9: $gz bytes ($(kib "$gz")); budget $BUDGET bytes"
  if [ "$gz" -ge "$BUDGET" ]; then
    echo "[wasm-size] over budget by $((gz - BUDGET)) bytes gzipped: see README.md, Size" >&2
    over=1
  fi
done
for f in "$DIST"/*.js; do
  raw=$(wc -c <"$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  echo "[wasm-size] $(basename "$f"): $raw bytes ($(kib "$raw")), gzip -9: $gz bytes ($(kib "$gz"))"
done
exit "$over"
