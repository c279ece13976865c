#!/usr/bin/env bash
# Runs OWSO on an embedded SQLite database with demo data at http://127.0.0.1:3000.
source "$(dirname "${BASH_SOURCE[0]}")/.ci/lib.sh"

ensure_rust_tools
ensure_npm_packages
build_release

export DATABASE_URL="${DATABASE_URL:-sqlite://data/owso.db}"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$ROOT/target/site}"
export OWSO_ADDR="${OWSO_ADDR:-127.0.0.1:3000}"
# The demo has no SMS gateway or Telegram bot: notices to citizens go to this log, phones masked.
export OWSO_NOTICE_LOG="${OWSO_NOTICE_LOG:-true}"

step "migrating $DATABASE_URL"
"$BIN" migrate up
step "loading demo data when the database is empty"
"$BIN" seed --demo

cat <<MSG

OWSO is starting at http://$OWSO_ADDR  (Ctrl-C stops it)
The service catalogue and the cases are DEMO DATA.

Demo logins at http://$OWSO_ADDR/login, password: owso-demo-2026
  office 1201 (Phnom Penh) and 0203 (Battambang), e.g. for 1201:
    desk.1201      front desk (registration, tax confirmation, hand-over)
    cashier.1201   cashier
    chief.1201     office chief
    tech.1201      technical officer (all sectors)
    director.1201  administration director
    decision.1201  decision maker
    admin.1201     office admin
  viewer.12 (province viewer, Phnom Penh), national (national viewer), sysadmin (system admin)
API token for the JSON API: $BIN token create --username desk.1201
MSG
exec "$BIN" serve
