# Shared set-up for run.sh and test.sh: installs each tool only when it is missing, so both
# commands are idempotent and fast on a machine that already has everything.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Build outputs live outside the clone so that a fresh clone reuses an earlier build.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/owso-target}"
# Every clean clone is a new path, so its incremental state is never reused, yet it stayed in the
# shared target directory: 30 GB after two days of clean-clone runs filled the disk mid-build.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
BIN="$CARGO_TARGET_DIR/release/owso"

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130
CARGO_DENY_VERSION=0.20.2

step() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then
    as_root apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# Build tools run for seconds per build, so they are compiled for compile speed: no LTO, many
# codegen units and no debug info. They keep opt-level 1, not 0, because wasm-split and
# wasm-bindgen walk the multi-megabyte wasm on every release build.
tool_profile() {
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=0 \
    CARGO_PROFILE_RELEASE_INCREMENTAL=false "$@"
}

ensure_rust_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(cargo leptos --version 2>/dev/null)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
    step "installing cargo-leptos $CARGO_LEPTOS_VERSION"
    # Its own release profile (fat LTO, one codegen unit) took 18 minutes on 2 cores; a build
    # tool gains nothing from that.
    tool_profile cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    # One of its locked dependencies is gone from the registry, so it installs unlocked.
    CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback \
      tool_profile cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
}

ensure_npm_packages() {
  if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/@playwright/test ] \
     || [ ! -d node_modules/bakong-khqr ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "installing npm packages (wasm-opt, Playwright)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    step "installing Debian's Chromium"
    apt_install chromium
  fi
}

# Installs and starts PostgreSQL, with a superuser `owso` the tests use to create their databases.
ensure_postgres() {
  if ! command -v pg_ctlcluster >/dev/null || [ ! -d /usr/lib/postgresql ]; then
    step "installing PostgreSQL"
    apt_install postgresql
  fi
  local version
  version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
    as_root pg_createcluster "$version" main >/dev/null
  fi
  if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -qx online; then
    step "starting PostgreSQL $version"
    as_root pg_ctlcluster "$version" main start
  fi
  for _ in $(seq 1 30); do
    if su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1; then break; fi
    sleep 1
  done
  su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname='owso'\"" | grep -q 1 \
    || su postgres -c "psql -qc \"create role owso login superuser password 'owso'\""
  export OWSO_TEST_PG_URL="${OWSO_TEST_PG_URL:-postgres://owso:owso@127.0.0.1:5432/postgres}"
}

build_release() {
  step "building the release (server and hydrate bundle)"
  # --precompress writes .br and .gz beside each bundle file; the server sends those as they are.
  # --split cuts the lazy routes out of the entry wasm into chunks fetched on first visit.
  cargo leptos build --release --precompress --split
}

ensure_cargo_deny() {
  if [ "$(cargo deny --version 2>/dev/null)" != "cargo-deny $CARGO_DENY_VERSION" ]; then
    step "installing cargo-deny $CARGO_DENY_VERSION (several minutes on 2 cores)"
    tool_profile cargo install cargo-deny --version "$CARGO_DENY_VERSION" --locked
  fi
}

# Runs cargo-deny with deny.toml. The RustSec advisory database is a git repository that
# cargo-deny clones from GitHub into deny.toml's db-path; where GitHub cannot be reached, the
# last clone in that folder is used, and OWSO_ADVISORY_DB may name a local copy of the database
# (any git clone of it, bare or not) to install there first. cargo-deny reads the database's
# date from git, so a copy must be a git repository. With no database at all, the advisories are
# NOT checked, and the step says so; licenses, bans and sources are checked all the same.
cargo_deny_check() {
  # cargo-deny 0.20 keeps the RustSec database in <db-path>/advisory-db-<hash of its URL>.
  local db="$HOME/.cache/owso-advisory-dbs/advisory-db-3157b0e258782691"
  if [ -n "${OWSO_ADVISORY_DB:-}" ]; then
    local want
    want="$(git -C "$OWSO_ADVISORY_DB" rev-parse HEAD)"
    if [ "$(git -C "$db" rev-parse HEAD 2>/dev/null)" != "$want" ]; then
      echo "installing the advisory database from $OWSO_ADVISORY_DB ($want)"
      rm -rf "$db"
      mkdir -p "$(dirname "$db")"
      git clone --quiet --no-hardlinks "$OWSO_ADVISORY_DB" "$db"
      # cargo-deny updates the clone from its origin: the real database, not the local copy.
      git -C "$db" remote set-url origin https://github.com/RustSec/advisory-db
    fi
  fi
  # cargo-deny reads `cargo metadata` offline, which needs every locked crate on disk, those of
  # other platforms too; a fresh machine's builds download only this platform's.
  cargo fetch --locked --quiet
  if timeout 300 cargo deny --log-level error fetch db 2>/dev/null; then
    echo "advisory database: fetched from RustSec"
  elif git -C "$db" rev-parse --verify --quiet HEAD >/dev/null 2>&1; then
    echo "advisory database: could not be fetched; using the local copy of" \
      "$(git -C "$db" log -1 --format=%cs) ($(git -C "$db" rev-parse --short HEAD))"
  else
    echo "WARNING: no advisory database (GitHub unreachable, no local copy, OWSO_ADVISORY_DB unset):" \
      "advisories are NOT checked; licenses, bans and sources are."
    cargo deny --offline --locked check --hide-inclusion-graph licenses bans sources
    return
  fi
  cargo deny --offline --locked check --hide-inclusion-graph
}
