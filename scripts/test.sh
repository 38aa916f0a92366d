#!/usr/bin/env bash
# Everything CI checks, in order; stops at the first failure (non-zero exit).
#
#   1. set-up (scripts/setup.sh)   5. fuzz targets, 30 s each (scripts/fuzz.sh)
#   2. cargo fmt --check           6. release wasm build (trunk build --release)
#   3. cargo clippy -D warnings    7. browser tests (node --test in tests/e2e)
#   4. native tests (cargo test --workspace)
# The browser tests include the test wiki's (tests/e2e/wiki.test.mjs: a real
# MediaWiki on 127.0.0.1, which set-up installs; IRDOC_SKIP_WIKI=1 skips both).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

current="set-up"
on_exit() {
  local status=$?
  if [ "$status" -ne 0 ]; then echo "[test] FAILED at: $current (exit $status)" >&2; fi
}
trap on_exit EXIT
step() {
  current="$1"
  echo
  echo "[test] === $1 ==="
}

step "set-up (scripts/setup.sh)"
bash scripts/setup.sh
# shellcheck source=/dev/null
. .tools/env.sh

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test (native)"
cargo test --workspace

step "fuzz targets (scripts/fuzz.sh)"
bash scripts/fuzz.sh

step "trunk build --release"
irdoc_wasm trunk build --release --offline
bash scripts/wasm-size.sh

step "browser tests (node --test, tests/e2e)"
cd tests/e2e
node --test --test-concurrency=1
