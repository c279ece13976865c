#!/usr/bin/env bash
# Fuzzes the JSON API from its own OpenAPI document with schemathesis (from PyPI): every
# operation gets generated valid and invalid requests, signed in once as a front-desk user (who
# registers cases) and once as an office chief (who reads statistics), and the run fails on any
# 5xx answer. Usage: .ci/schemathesis.sh [max-examples-per-operation]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SCHEMATHESIS_VERSION=4.32.5
VENV="$HOME/.cache/owso-schemathesis"
if [ "$("$VENV/bin/schemathesis" --version 2>/dev/null)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
  step "installing schemathesis $SCHEMATHESIS_VERSION from PyPI"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

EXAMPLES="${1:-60}"
WORK="$(mktemp -d)"
PORT="${OWSO_SCHEMATHESIS_PORT:-3200}"
export DATABASE_URL="sqlite://$WORK/owso.db"
export OWSO_ADDR="127.0.0.1:$PORT"
export LEPTOS_SITE_ROOT="$ROOT/target/site"
# Generated lookups would otherwise hit the per-IP limit at once; the limit is a setting.
export OWSO_TRACK_RATE_LIMIT="100000/1m"
"$BIN" seed --demo --cases 300 >/dev/null
"$BIN" serve >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://$OWSO_ADDR/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

status=0
for user in desk.1201 chief.1201; do
  TOKEN="$("$BIN" token create --username "$user" --label schemathesis)"
  step "schemathesis as $user: $EXAMPLES examples per operation, failing on any server error"
  set +e
  "$VENV/bin/schemathesis" run "http://$OWSO_ADDR/api/v1/openapi.json" \
    --checks not_a_server_error \
    --header "Authorization: Bearer $TOKEN" \
    --max-examples "$EXAMPLES" \
    --seed 20261130 \
    --generation-database none \
    --no-color \
    --report junit --report-junit-path "$WORK/junit-$user.xml"
  run=$?
  set -e
  if [ "$run" != 0 ]; then status=$run; fi
done
if [ "$status" != 0 ]; then
  echo "--- server log (last 40 lines) ---"
  tail -n 40 "$WORK/server.log"
fi
exit "$status"
