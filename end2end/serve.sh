#!/usr/bin/env bash
# Starts the release server for the end-to-end tests on a fresh SQLite database with demo data.
set -euo pipefail
port="${1:-3100}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="${OWSO_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/owso-target}/release/owso}"
dir="$(mktemp -d)"
export DATABASE_URL="sqlite://$dir/owso.db"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$here/../target/site}"
export OWSO_ADDR="127.0.0.1:$port"
export OWSO_NOTICE_LOG=true
# Every browser of the suite looks cases up from 127.0.0.1, about 40 lookups in one run: under the
# default 20 per 10 minutes the later ones were refused, depending on where the fixed windows fell.
# The limit itself is tested in server/tests (portal.rs).
export OWSO_TRACK_RATE_LIMIT=100000/10m
# A bot whose API is unreachable: links and the webhook work; sends fail and are retried.
export OWSO_TELEGRAM_BOT_TOKEN=e2e-bot-token OWSO_TELEGRAM_WEBHOOK_SECRET=e2e-webhook-secret
export OWSO_TELEGRAM_BOT_NAME=owso_e2e_bot OWSO_TELEGRAM_API=http://127.0.0.1:9
"$bin" migrate up >/dev/null
"$bin" seed --demo --cases 3000 >/dev/null
exec "$bin" serve
