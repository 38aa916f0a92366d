#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ for a bounded time (IRDOC_FUZZ_SECONDS each, default 30),
# seeded with the real pages, share links and drafts of the tests. Exits non-zero when a
# target finds a crash, a failed check or an input that takes over 10 s (a freeze); the
# input is saved in fuzz/artifacts/TARGET/ (`fuzz/target/.../TARGET that-file` replays it).
#
#   scripts/fuzz.sh                 all targets
#   scripts/fuzz.sh import render   some
#
# libFuzzer's instrumentation is what `cargo fuzz` passes (without a sanitizer), so plain
# stable cargo builds it and cargo-fuzz need not be installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FUZZ="$ROOT/fuzz"
SECONDS_EACH="${IRDOC_FUZZ_SECONDS:-30}"
TRIPLE="$(rustc -vV | sed -n 's/^host: //p')"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(import render share drafts paste wiki convert)

cd "$FUZZ"
# --target keeps the instrumentation out of build scripts and proc macros.
RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions -Coverflow-checks" \
  CARGO_TARGET_DIR="$FUZZ/target" cargo build --release --locked --target "$TRIPLE" --bins

# Seeds, made afresh from the test data each run (not kept in git).
pages=("$ROOT"/crates/core/tests/data/wikitech/*.txt)
seed() {
  local dir="$FUZZ/corpus/$1"
  mkdir -p "$dir"
  case "$1" in
    import | render | paste) cp "${pages[@]}" "$dir/" ;;
    wiki)
      # Action API answers carrying the test pages, and a few refusals.
      for p in "${pages[@]}"; do
        node -e 'const fs = require("fs"); const content = fs.readFileSync(process.argv[1], "utf8");
          process.stdout.write(JSON.stringify({ batchcomplete: true, curtimestamp: "2025-04-02T08:00:00Z", query: { pages: [{ pageid: 1, ns: 0, title: "Incidents/X",
            revisions: [{ revid: 12, timestamp: "2025-04-01T10:00:00Z", slots: { main: { contentmodel: "wikitext", contentformat: "text/x-wiki", content } } }] }] } }));' "$p" >"$dir/$(basename "$p").json"
      done
      printf '%s' '{"query":{"pages":[{"ns":0,"title":"Incidents/X","missing":true}]}}' >"$dir/missing.json"
      printf '%s' '{"query":{"redirects":[{"from":"A","to":"B"}],"pages":[]}}' >"$dir/redirect.json"
      printf '%s' '{"error":{"code":"badvalue","info":"x"}}' >"$dir/error.json"
      printf '%s' '{"continue":{"apcontinue":"Incidents/2019"},"query":{"allpages":[{"title":"Incidents/2025-03-31 x"}]}}' >"$dir/list.json"
      printf '%s' 'https://wikitech.wikimedia.org/w/index.php?title=Incidents/2025-03-31_x&oldid=12' >"$dir/url.txt"
      ;;
    convert)
      # The mode byte and offset come first in libFuzzer's bytes: the documents seed each mode.
      cp "$ROOT"/crates/core/tests/data/rendered/*.html "$ROOT"/crates/core/tests/data/rendered/*.txt \
        "$ROOT"/crates/core/tests/data/seeds/*.txt "$ROOT"/crates/core/tests/data/convert/*.html "$dir/"
      ;;
    share)
      for p in "${pages[@]}"; do
        cargo run -q --manifest-path "$ROOT/Cargo.toml" -p irdoc-cli -- share "$p" >"$dir/$(basename "$p").link" 2>/dev/null
      done
      ;;
    drafts)
      cp "$ROOT"/crates/core/tests/data/drafts/*.json "$dir/"
      for p in "${pages[@]}"; do
        cargo run -q --manifest-path "$ROOT/Cargo.toml" -p irdoc-cli -- import "$p" >"$dir/$(basename "$p").json" 2>/dev/null
      done
      ;;
  esac
}

status=0
for t in "${targets[@]}"; do
  seed "$t"
  mkdir -p "$FUZZ/artifacts/$t"
  echo "[fuzz] $t: ${SECONDS_EACH}s"
  log="$FUZZ/artifacts/$t.log"
  if "$FUZZ/target/$TRIPLE/release/$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -artifact_prefix="$FUZZ/artifacts/$t/" -print_final_stats=1 "$FUZZ/corpus/$t" >"$log" 2>&1; then
    echo "[fuzz] $t: ok, $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') inputs, corpus $(ls "$FUZZ/corpus/$t" | wc -l) files"
  else
    status=1
    echo "[fuzz] $t: FAILED, see $log and fuzz/artifacts/$t/" >&2
    grep -E "panicked|ERROR|SUMMARY|Test unit written" -A3 "$log" | head -30 >&2 || true
  fi
done
exit "$status"
