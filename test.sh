#!/usr/bin/env bash
# Runs every test: formatting and lints, unit tests, integration tests on SQLite and on a real
# PostgreSQL (installed and started here), and Playwright end-to-end tests in Debian Chromium.
source "$(dirname "${BASH_SOURCE[0]}")/.ci/lib.sh"

ensure_rust_tools
ensure_cargo_deny
ensure_npm_packages
ensure_chromium
ensure_postgres

step "cargo fmt --check"
cargo fmt --all -- --check
step "clippy (server build: ssr)"
cargo clippy --workspace --all-targets -- -D warnings
step "clippy (browser build: hydrate)"
cargo clippy -p app --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings
step "cargo deny (advisories, licenses, bans, sources)"
cargo_deny_check

build_release

step "unit and integration tests (SQLite and PostgreSQL), crash and backup tests"
cargo test --workspace

bash .ci/schemathesis.sh

step "end-to-end tests (Playwright, Debian Chromium)"
export OWSO_BIN="$BIN"
export LEPTOS_SITE_ROOT="$ROOT/target/site"
cd end2end
npx playwright test
