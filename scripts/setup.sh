#!/usr/bin/env bash
# irdoc set-up: installs (only what is missing) everything needed to build,
# serve and test the app, and writes .tools/env.sh for the other scripts.
#
# Works on a laptop with rustup (wasm32 target available) and on machines
# where rustup cannot fetch the wasm32 standard library: there it uses
# Debian's rustc-web toolchain and builds std for wasm32 itself (-Zbuild-std).
# See README.md ("What setup does") and the variables below.
#
# Safe to run again: a second run on a set-up machine installs nothing.
#
# Environment:
#   IRDOC_TOOLCHAIN=auto|rustup|debian  force a toolchain route (default auto)
#   IRDOC_CHROMIUM=/path/to/chromium    browser for the e2e tests (default: found on PATH)
#   IRDOC_SKIP_BROWSER=1                skip Chromium and the e2e node modules
#   IRDOC_SKIP_WIKI=1                   skip php + MediaWiki for the test wiki (the wiki tests skip too)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
LOGS="$TOOLS/logs"
ENV_FILE="$TOOLS/env.sh"
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"

TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132"
RUSTUP_TIMEOUT="${IRDOC_RUSTUP_TIMEOUT:-60}"
DEBIAN_RUST_PKGS=(rustc-web cargo-web rust-web-src lld-22)

START=$SECONDS
mkdir -p "$LOGS"

# ---------------------------------------------------------------- helpers --
say() { printf '[setup] %s\n' "$*"; }
ok() { printf '[setup] %-34s ok (%s)\n' "$1" "$2"; }
fail() {
  local what="$1"
  shift
  printf '[setup] FAILED: %s\n' "$what" >&2
  local line
  for line in "$@"; do printf '[setup]   %s\n' "$line" >&2; done
  exit 1
}
# run_logged NAME CMD...: run CMD with its output in .tools/logs/NAME.log;
# on failure print the log's tail.
run_logged() {
  local name="$1"
  shift
  local log="$LOGS/$name.log"
  if "$@" >"$log" 2>&1; then
    return 0
  fi
  printf '[setup] --- last lines of %s ---\n' "$log" >&2
  tail -n 25 "$log" >&2 || true
  return 1
}

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
APT_UPDATED=0
have_apt() { command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; }
deb_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}
# deb_missing PKG...: prints the packages that are not installed.
deb_missing() {
  local p out=""
  for p in "$@"; do deb_installed "$p" || out="${out:+$out }$p"; done
  printf '%s' "$out"
}
apt_update_once() {
  have_apt || return 1
  if [ "$APT_UPDATED" -eq 0 ]; then
    say "apt-get update"
    run_logged apt-update $SUDO apt-get update || return 1
    APT_UPDATED=1
  fi
}
apt_install() {
  apt_update_once || return 1
  say "apt-get install $*"
  run_logged apt-install $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}
# apt_ensure LABEL DETAIL PKG...: installs the packages that are missing and says which, or
# says they were all there (with DETAIL, such as a version, when given).
apt_ensure() {
  local label="$1" detail="$2" missing
  shift 2
  missing="$(deb_missing "$@")"
  if [ -n "$missing" ]; then
    # shellcheck disable=SC2086 # word splitting of the package list is intended
    apt_install $missing || fail "installing $missing" \
      "Fix: apt-get update && apt-get install -y $missing" "Log: $LOGS/apt-install.log"
    ok "$label" "installed: $missing"
  else
    ok "$label" "already installed${detail:+: $detail}"
  fi
}

has_wasm_std() { # has_wasm_std RUSTC
  local sysroot
  sysroot="$("$1" --print sysroot 2>/dev/null)" || return 1
  [ -d "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib" ]
}

# Start from a PATH without our own shims so detection sees the real tools.
strip_path() {
  local out="" part
  local IFS=':'
  for part in $PATH; do
    case "$part" in "$TOOLS"/*) continue ;; esac
    out="${out:+$out:}$part"
  done
  printf '%s' "$out"
}
PATH="$(strip_path)"
case ":$PATH:" in *":$CARGO_BIN:"*) ;; *) PATH="$CARGO_BIN:$PATH" ;; esac
export PATH
unset RUSTC RUSTDOC RUSTC_BOOTSTRAP CARGO_UNSTABLE_BUILD_STD

# ------------------------------------------------------ 1. rust toolchain --
route="${IRDOC_TOOLCHAIN:-auto}"
debian_route_ready() { have_apt && [ -z "$(deb_missing "${DEBIAN_RUST_PKGS[@]}")" ]; }

# The release wasm builds std itself (-Zbuild-std, see README "Size"), from the toolchain's
# own copy of its source: rustup's rust-src component, Debian's rust-web-src.
has_std_source() { [ -f "$("$1" --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml" ]; }

if [ "$route" = auto ]; then
  if command -v rustc >/dev/null 2>&1 && has_wasm_std rustc && has_std_source rustc; then
    route=rustup
    ok "rust wasm32 target" "$(rustc --version | cut -d' ' -f1-2), wasm32 std and std source present"
  elif debian_route_ready; then
    route=debian
    ok "rust wasm32 route" "Debian rustc-web already installed"
  else
    if command -v rustup >/dev/null 2>&1; then
      say "rustup target add wasm32-unknown-unknown, component add rust-src (timeout ${RUSTUP_TIMEOUT}s each) ..."
      if command -v timeout >/dev/null 2>&1; then
        to=(timeout "$RUSTUP_TIMEOUT")
      else
        to=()
      fi
      if run_logged rustup-target "${to[@]}" rustup target add wasm32-unknown-unknown &&
        run_logged rustup-src "${to[@]}" rustup component add rust-src &&
        has_wasm_std rustc && has_std_source rustc; then
        route=rustup
        ok "rust wasm32 target" "installed with rustup"
      else
        say "rustup could not add the wasm32 target; falling back to Debian's rustc-web"
      fi
    fi
    if [ "$route" = auto ]; then
      have_apt || fail "rust toolchain for wasm32" \
        "No toolchain with the wasm32-unknown-unknown std, rustup could not add it, and apt-get is not available." \
        "Fix: install Rust with rustup (https://rustup.rs) and run: rustup target add wasm32-unknown-unknown"
      apt_install "${DEBIAN_RUST_PKGS[@]}" || fail "installing Debian's rustc-web toolchain" \
        "Fix: run as root (or with sudo): apt-get update && apt-get install -y ${DEBIAN_RUST_PKGS[*]}" \
        "Log: $LOGS/apt-install.log"
      route=debian
      ok "rust wasm32 route" "Debian rustc-web installed"
    fi
  fi
fi

case "$route" in
rustup)
  command -v cargo >/dev/null 2>&1 || fail "cargo" "cargo is not on PATH. Fix: install Rust with rustup."
  if ! cargo clippy --version >/dev/null 2>&1 || ! cargo fmt --version >/dev/null 2>&1; then
    say "rustup component add clippy rustfmt ..."
    run_logged rustup-components rustup component add clippy rustfmt ||
      fail "clippy/rustfmt" "Fix: rustup component add clippy rustfmt"
  fi
  ok "clippy + rustfmt" "$(cargo clippy --version 2>/dev/null | cut -d' ' -f1-2)"
  if ! has_std_source rustc; then
    say "rustup component add rust-src ..."
    run_logged rustup-src rustup component add rust-src ||
      fail "rust-src (std's source, for the wasm build)" "Fix: rustup component add rust-src"
  fi
  ;;
debian)
  apt_ensure "debian rust packages" "" "${DEBIAN_RUST_PKGS[@]}" rust-web-clippy rustfmt-web
  # One toolchain for everything: shims for Debian's tools come first on PATH.
  mkdir -p "$TOOLS/bin"
  for tool in cargo rustc rustdoc cargo-clippy clippy-driver cargo-fmt rustfmt; do
    if [ -x "/usr/bin/$tool" ]; then
      ln -sfn "/usr/bin/$tool" "$TOOLS/bin/$tool"
    fi
  done
  ;;
*)
  fail "IRDOC_TOOLCHAIN=$route" "Use auto, rustup or debian."
  ;;
esac

# ------------------------------------------------------------ 2. env file --
write_env() {
  local tmp="$ENV_FILE.tmp"
  {
    echo "# Written by scripts/setup.sh; sourced by scripts/*.sh. Do not edit."
    echo "export IRDOC_ROOT='$ROOT'"
    echo "export IRDOC_TOOLCHAIN='$route'"
    if [ "$route" = debian ]; then
      echo "export PATH='$TOOLS/bin:$CARGO_BIN:$TOOLS/node_modules/.bin':\"\$PATH\""
      echo "export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1"
    else
      echo "export PATH='$CARGO_BIN:$TOOLS/node_modules/.bin':\"\$PATH\""
    fi
    echo "# Only wasm builds (trunk, wasm tests) build std for wasm32, for size (README, Size);"
    echo "# native builds must not."
    echo "export IRDOC_WASM_ENV='RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size'"
    echo "export IRDOC_CHROMIUM='${chromium_path:-}'"
    echo "# irdoc_wasm CMD...: run CMD (trunk, cargo test --target wasm32...) with the wasm build settings."
    echo "irdoc_wasm() { env \$IRDOC_WASM_ENV \"\$@\"; }"
  } >"$tmp"
  mv "$tmp" "$ENV_FILE"
}
chromium_path="${IRDOC_CHROMIUM:-}"
write_env
# shellcheck source=/dev/null
. "$ENV_FILE"

rust_version="$(rustc --version | cut -d' ' -f2)"
ok "toolchain ($route)" "$(command -v cargo), rustc $rust_version"

# -------------------------------------------------------- 3. cargo tools --
# ensure_cargo_tool BIN VERSION CRATE [cargo install flags...]
ensure_cargo_tool() {
  local bin="$1" version="$2" crate="$3"
  shift 3
  local have
  have="$("$bin" --version 2>/dev/null | head -n1 | cut -d' ' -f2 || true)"
  if [ "$have" = "$version" ]; then
    ok "$bin $version ..." "already installed"
    return 0
  fi
  say "$bin $version ... installing with cargo install (found: ${have:-none}; takes a few minutes)"
  run_logged "install-$bin" cargo install "$@" "$crate@$version" ||
    fail "cargo install $crate@$version" \
      "Fix: check the log $LOGS/install-$bin.log, then run: cargo install $* $crate@$version"
  have="$("$bin" --version 2>/dev/null | head -n1 | cut -d' ' -f2 || true)"
  [ "$have" = "$version" ] || fail "$bin $version" \
    "Installed, but '$bin --version' says '${have:-nothing}'. Another $bin earlier on PATH? ($(command -v "$bin" || true))" \
    "Fix: remove it or put $CARGO_BIN first on PATH."
  ok "$bin $version ..." "installed"
}

ensure_cargo_tool trunk "$TRUNK_VERSION" trunk --locked

wb_version="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/"/, "", $3); print $3; exit }' "$ROOT/Cargo.lock")"
[ -n "$wb_version" ] || fail "reading the wasm-bindgen version from Cargo.lock" \
  "Fix: run 'cargo generate-lockfile' (wasm-bindgen must be in the dependency graph)."
# --locked fails for some wasm-bindgen-cli releases (a yanked transitive pin): install without it.
ensure_cargo_tool wasm-bindgen "$wb_version" wasm-bindgen-cli

# Keep Trunk.toml's [tools] pin in step with Cargo.lock.
if ! grep -q "^wasm_bindgen = \"$wb_version\"" "$ROOT/Trunk.toml"; then
  fail "Trunk.toml [tools] wasm_bindgen" \
    "Cargo.lock has wasm-bindgen $wb_version but Trunk.toml pins another version." \
    "Fix: set wasm_bindgen = \"$wb_version\" under [tools] in Trunk.toml."
fi

# ------------------------------------------------------------ 4. node ----
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt_install nodejs npm || fail "node and npm" "Fix: install Node.js 20 or newer (with npm)."
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 18 ] || fail "node $(node --version)" "Node.js 18 or newer is needed. Fix: install a newer Node.js."
ok "node $(node --version)" "npm $(npm --version 2>/dev/null)"

# ---------------------------------------------------- 5. wasm-opt (npm) --
wasm_opt_version() { "$TOOLS/node_modules/.bin/wasm-opt" --version 2>/dev/null | cut -d' ' -f3 || true; }
if [ "$(wasm_opt_version)" = "$BINARYEN_VERSION" ]; then
  ok "wasm-opt $BINARYEN_VERSION ..." "already installed"
else
  say "wasm-opt $BINARYEN_VERSION ... installing binaryen@$BINARYEN_VERSION from npm into .tools/"
  [ -f "$TOOLS/package.json" ] || echo '{ "name": "irdoc-tools", "private": true }' >"$TOOLS/package.json"
  run_logged install-binaryen npm install --prefix "$TOOLS" --no-audit --no-fund --save-exact "binaryen@$BINARYEN_VERSION" ||
    fail "npm install binaryen@$BINARYEN_VERSION" "Fix: check $LOGS/install-binaryen.log (is the npm registry reachable?)"
  [ "$(wasm_opt_version)" = "$BINARYEN_VERSION" ] || fail "wasm-opt $BINARYEN_VERSION" \
    "$TOOLS/node_modules/.bin/wasm-opt --version does not report $BINARYEN_VERSION."
  ok "wasm-opt $BINARYEN_VERSION ..." "installed"
fi

# ---------------------------------------------------------- 6. chromium --
if [ "${IRDOC_SKIP_BROWSER:-0}" = 1 ]; then
  say "chromium + e2e node modules ... skipped (IRDOC_SKIP_BROWSER=1)"
else
  found=""
  for c in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$c" >/dev/null 2>&1; then
      found="$(command -v "$c")"
      break
    fi
  done
  if [ -n "$chromium_path" ]; then
    [ -x "$chromium_path" ] || fail "chromium" "IRDOC_CHROMIUM=$chromium_path is not an executable."
    ok "chromium ..." "IRDOC_CHROMIUM=$chromium_path"
  elif have_apt && { deb_installed chromium || [ -z "$found" ]; }; then
    # Debian's chromium and its chromedriver (the latter for wasm-bindgen-test).
    apt_ensure "chromium ..." "$(/usr/bin/chromium --version 2>/dev/null | head -n1)" chromium chromium-driver
    chromium_path=/usr/bin/chromium
  elif [ -n "$found" ]; then
    chromium_path="$found"
    ok "chromium ..." "already installed: $found"
  else
    fail "chromium" "No Chromium or Chrome found and apt-get is not available." \
      "Fix: install Chromium or Chrome, or set IRDOC_CHROMIUM=/path/to/chrome."
  fi
  write_env

  # ------------------------------------------------ 7. e2e node modules --
  E2E="$ROOT/tests/e2e"
  if (cd "$E2E" && npm ls --depth=0 >/dev/null 2>&1); then
    ok "e2e node modules ..." "already installed ($(cd "$E2E" && node -p 'require("playwright-core/package.json").version' 2>/dev/null | sed 's/^/playwright-core /'))"
  else
    say "e2e node modules ... installing (npm ci in tests/e2e)"
    if [ -f "$E2E/package-lock.json" ]; then
      run_logged install-e2e npm ci --prefix "$E2E" --no-audit --no-fund || fail "npm ci in tests/e2e" \
        "Fix: check $LOGS/install-e2e.log; run (cd tests/e2e && npm ci)."
    else
      run_logged install-e2e npm install --prefix "$E2E" --no-audit --no-fund || fail "npm install in tests/e2e" \
        "Fix: check $LOGS/install-e2e.log; run (cd tests/e2e && npm install)."
    fi
    ok "e2e node modules ..." "installed"
  fi
fi

# --------------------------------------------------------- 8. test wiki --
# tests/e2e/wiki.test.mjs runs a real MediaWiki (Debian's 1.39) on php's built-in
# server with SQLite: php from apt without recommends (no web server, no database
# server). Debian's mediawiki package itself is unpacked into .tools/mediawiki with
# apt-get download + dpkg-deb, because installing it would pull in apache2 (it
# depends on apache2 | httpd). A missing piece does not stop set-up: it says so,
# and the wiki tests then fail with the same advice (or IRDOC_SKIP_WIKI=1 skips them).
WIKI_PHP_PKGS=(php-cli php-sqlite3 php-intl php-mbstring php-xml)
MW_DIR="$TOOLS/mediawiki"
php_wiki_ready() {
  command -v php >/dev/null 2>&1 &&
    php -r 'foreach (["pdo_sqlite", "intl", "mbstring", "dom", "xml"] as $m) if (!extension_loaded($m)) exit(1);' 2>/dev/null
}
mw_version() { sed -n "s/^define( 'MW_VERSION', '\(.*\)' );/\1/p" "$1/includes/Defines.php" 2>/dev/null; }
wiki_unavailable() {
  printf '[setup] %-34s NOT AVAILABLE: %s\n' "$1" "$2" >&2
  printf '[setup]   the wiki tests (tests/e2e/wiki.test.mjs) will fail until this is fixed; IRDOC_SKIP_WIKI=1 skips them\n' >&2
}
unpack_mediawiki() {
  local tmp="$MW_DIR.tmp" deb
  rm -rf "$tmp"
  mkdir -p "$tmp/debs" "$tmp/root"
  apt_update_once || return 1
  # apt-get download needs no root; as root it warns that it downloads unsandboxed.
  (cd "$tmp/debs" && run_logged mediawiki-download apt-get download mediawiki mediawiki-classes) || return 1
  for deb in "$tmp"/debs/*.deb; do
    run_logged mediawiki-unpack dpkg-deb -x "$deb" "$tmp/root" || return 1
  done
  [ -n "$(mw_version "$tmp/root/usr/share/mediawiki")" ] || return 1
  rm -rf "$MW_DIR"
  mv "$tmp/root" "$MW_DIR"
  rm -rf "$tmp"
}
if [ "${IRDOC_SKIP_WIKI:-0}" = 1 ]; then
  say "test wiki (php + MediaWiki) ... skipped (IRDOC_SKIP_WIKI=1; the wiki tests are skipped too)"
else
  wiki_php=0
  if php_wiki_ready; then
    ok "test wiki: php ..." "already installed: php $(php -r 'echo PHP_VERSION;')"
    wiki_php=1
  elif have_apt; then
    missing="$(deb_missing "${WIKI_PHP_PKGS[@]}")"
    # shellcheck disable=SC2086 # word splitting of the package list is intended
    if [ -n "$missing" ] && apt_install --no-install-recommends $missing && php_wiki_ready; then
      ok "test wiki: php ..." "installed: $missing (php $(php -r 'echo PHP_VERSION;'))"
      wiki_php=1
    else
      wiki_unavailable "test wiki: php ..." \
        "php with pdo_sqlite, intl, mbstring and xml could not be installed (${missing:-all packages present}; log: $LOGS/apt-install.log). Fix: apt-get install --no-install-recommends ${WIKI_PHP_PKGS[*]}"
    fi
  else
    wiki_unavailable "test wiki: php ..." \
      "no php with pdo_sqlite, intl, mbstring and xml, and no apt-get. Fix: install PHP 8 with those extensions"
  fi
  if [ "$wiki_php" = 1 ]; then
    if [ -n "$(mw_version "$MW_DIR/usr/share/mediawiki")" ]; then
      ok "test wiki: MediaWiki ..." "already unpacked: $(mw_version "$MW_DIR/usr/share/mediawiki") in .tools/mediawiki"
    elif [ -n "$(mw_version /usr/share/mediawiki)" ]; then
      ok "test wiki: MediaWiki ..." "Debian package installed: $(mw_version /usr/share/mediawiki) in /usr/share/mediawiki"
    elif ! have_apt; then
      wiki_unavailable "test wiki: MediaWiki ..." \
        "apt-get is not available to fetch Debian's mediawiki package. Fix: set IRDOC_MEDIAWIKI=/path/to/mediawiki-1.39"
    else
      say "test wiki: MediaWiki ... unpacking Debian's mediawiki package into .tools/mediawiki (about 38 MB)"
      if unpack_mediawiki; then
        ok "test wiki: MediaWiki ..." "unpacked: $(mw_version "$MW_DIR/usr/share/mediawiki") in .tools/mediawiki"
      else
        wiki_unavailable "test wiki: MediaWiki ..." \
          "fetching Debian's mediawiki package failed (logs: $LOGS/mediawiki-download.log, $LOGS/mediawiki-unpack.log)"
      fi
    fi
  fi
fi

# ------------------------------------------------------ 9. crate sources --
# Trunk runs cargo with --offline, so fetch the crates first (instant when cached).
run_logged cargo-fetch cargo fetch || fail "cargo fetch" \
  "Fix: check $LOGS/cargo-fetch.log (is crates.io reachable? does the workspace parse?)"
# -Zbuild-std compiles std from the toolchain's source, with crates of its own (dlmalloc, ...).
std_manifest="$(rustc --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"
run_logged cargo-fetch-std env RUSTC_BOOTSTRAP=1 cargo fetch --manifest-path "$std_manifest" || fail "cargo fetch (std)" \
  "Fix: check $LOGS/cargo-fetch-std.log (is crates.io reachable? is rust-src / rust-web-src installed?)"

ok "crate sources ..." "fetched"

say "done in $((SECONDS - START))s (toolchain: $route, rustc $rust_version). Tools: source .tools/env.sh"
