#!/usr/bin/env bash
# The performance figures (P1 to P5), measured on this machine and written to BENCHMARKS.md.
# Builds the release, generates data, starts servers, and runs:
#   P1 status lookup page under oha at 64 connections, 100k cases, SQLite
#   P2 dashboard server time at each size on SQLite (default 100k,1M,5M; OWSO_BENCH_SIZES) and
#      PostgreSQL (default the same; OWSO_BENCH_PG_SIZES) (cargo bench --bench dashboard)
#   P3 hydrate bundle raw / gzip / brotli; P3a the entry a phone needs for /track, P3b each
#      lazily loaded area (bench/chunks.mjs)
#   P4 /track result page bytes after compression
#   P5 complete workflows per second through the API on SQLite and PostgreSQL
#      (cargo bench --bench writes)
#   P7 time until /track (and the inbox after sign-in) is usable on a first visit, 4x CPU
#      slowdown, 1.6 Mbit/s down, 750 kbit/s up, 150 ms RTT (bench/p7.mjs, Chromium)
#   floor the same lookup on a bare axum + SQLite server (bench/floor), for the P1 ratio
#   staff 32 signed-in officers browsing inbox -> case -> act (cargo bench --bench staff)
#   P6 clean clone with empty caches: ./run.sh until it serves, then ./test.sh (bench/p6.sh;
#      about 90 minutes, so only when asked for: OWSO_BENCH_PARTS="p6")
# Usage: bench/run.sh            (all but P6; about 100 minutes on 2 cores, most of it generating 5M cases twice)
#        OWSO_BENCH_SIZES=100000,1000000 bench/run.sh
#        OWSO_BENCH_PARTS="p1 p3 p4" bench/run.sh   (only some figures; the others say so)
source "$(dirname "${BASH_SOURCE[0]}")/../.ci/lib.sh"

OHA_VERSION=1.16.0
ensure_rust_tools
ensure_npm_packages
ensure_postgres
if [ "$(oha --version 2>/dev/null)" != "oha $OHA_VERSION" ]; then
  step "installing oha $OHA_VERSION (HTTP load generator)"
  cargo install oha --version "$OHA_VERSION" --locked
fi
build_release

SIZES="${OWSO_BENCH_SIZES:-100000,1000000,5000000}"
# The generator makes ~2,600 cases/s on PostgreSQL here (one backend inserting), so 5M there
# takes about 35 minutes; OWSO_BENCH_PG_SIZES=100000,1000000 skips it.
PG_SIZES="${OWSO_BENCH_PG_SIZES:-$SIZES}"
PARTS=" ${OWSO_BENCH_PARTS:-p1 p2 p3 p4 p5 p7 staff} "
want() { [[ "$PARTS" == *" $1 "* ]]; }
WORK="$(mktemp -d)"
RESULTS="$WORK/results"
mkdir -p "$RESULTS"
PORT="${OWSO_BENCH_PORT:-3300}"
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

for part in p1 p2 p3 p3ab p4 p5 p6 p7 floor staff; do echo "not measured in this run" >"$RESULTS/$part"; done

# "figure goal verdict" lines, printed at the end and written to BENCHMARKS.md.
verdict() { printf '%-34s %-34s %s\n' "$1" "$2" "$3" >>"$RESULTS/verdicts"; }

if want p6; then
step "P6: a clean clone with empty caches, ./run.sh then ./test.sh"
bash bench/p6.sh both | tee "$RESULTS/p6"
fi

if want p3; then
step "P3: hydrate bundle size"
node bench/sizes.mjs "$ROOT/target/site/pkg" | tee "$RESULTS/p3"
node bench/chunks.mjs "$ROOT/target/site/pkg" | tee "$RESULTS/p3ab"
fi

if want p1 || want p4 || want p7; then
step "P1, P4 and P7: status lookups on 100,000 cases (SQLite)"
export DATABASE_URL="sqlite://$WORK/lookup.db"
export OWSO_ADDR="127.0.0.1:$PORT"
export LEPTOS_SITE_ROOT="$ROOT/target/site"
# The lookup limit is a setting; the bench raises it instead of using another code path.
export OWSO_TRACK_RATE_LIMIT="1000000000/1m"
"$BIN" seed --demo --cases 100000 | tail -n 1
TOKEN="$("$BIN" token create --username desk.1201 --label bench)"
RUST_LOG=warn "$BIN" serve >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -fsS "http://$OWSO_ADDR/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
SERVICE="$(python3 - "$WORK/lookup.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("select s.id from services s where s.fee_riel > 0 and "
                 "(select count(*) from workflow_steps w where w.service_id = s.id) = 10 "
                 "order by s.id limit 1").fetchone()[0])
PY
)"
CASE="$(curl -fsS -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -d "{\"service_id\":$SERVICE,\"quantity\":1,\"applicant_kind\":\"person\",\"name_km\":\"សុខ ដារ៉ា\",\"name_latin\":\"SOK DARA\",\"sex\":\"F\",\"phone\":\"012345678\",\"village_code\":\"12010101\"}" \
  "http://$OWSO_ADDR/api/v1/cases")"
CODE="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])' <<<"$CASE")"
PIN="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["pin"])' <<<"$CASE")"
# The page a citizen lands on after typing the PIN: /track/{code}, opened by the lookup grant
# that the form's POST leaves in a cookie (the PIN is never in a URL).
GRANT="$(curl -fsS -o /dev/null -D - -H 'accept: text/html' --data-urlencode "code=$CODE" \
  --data-urlencode "pin=$PIN" "http://$OWSO_ADDR/api/track/lookup" \
  | sed -n 's/^set-cookie: *\(owso_track=[^;]*\).*/\1/Ip' | head -n 1)"
URL="http://$OWSO_ADDR/track/$CODE"
oha -c 64 -z 5s --no-tui -H "cookie: $GRANT" "$URL" >/dev/null   # warm-up
summary() {
python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
s, p = r["summary"], r["latencyPercentiles"]
codes = r.get("statusCodeDistribution", {})
print(f"{s['requestsPerSec']:.0f} req/s; p50 {p['p50']*1000:.1f} ms, p99 {p['p99']*1000:.1f} ms; "
      f"success rate {s['successRate']*100:.1f}%; status codes {codes}")
PY
}
statements() { curl -fsS "http://$OWSO_ADDR/metrics" | awk '/^owso_db_statements_total/{print $2}'; }
S0="$(statements)"
oha -c 64 -z 20s --no-tui -H "cookie: $GRANT" --output-format json "$URL" >"$RESULTS/p1.json"
S1="$(statements)"
N="$(python3 -c 'import json,sys; print(sum(json.load(open(sys.argv[1]))["statusCodeDistribution"].values()))' "$RESULTS/p1.json")"
{ summary "$RESULTS/p1.json"; echo "database statements per lookup page: $(python3 -c "print(f'{($S1-$S0)/$N:.2f}')")"; } | tee "$RESULTS/p1"
for enc in br gzip identity; do
  printf '%s %s\n' "$enc" "$(curl -s -o /dev/null -H "cookie: $GRANT" -H "accept-encoding: $enc" -w '%{size_download}' "$URL")"
done | tee "$RESULTS/p4"
if want p7; then
  ensure_chromium
  node bench/p7.mjs "http://$OWSO_ADDR" "$ROOT/target/site/pkg" 5 | tee "$RESULTS/p7"
fi
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
step "P1 floor: the same lookup on a bare axum + SQLite server (bench/floor)"
cargo build --release --quiet --manifest-path bench/floor/Cargo.toml --target-dir "$CARGO_TARGET_DIR/floor"
"$CARGO_TARGET_DIR/floor/release/owso-lookup-floor" "$WORK/lookup.db" "$OWSO_ADDR" &
SERVER=$!
for _ in $(seq 1 100); do curl -fsS -o /dev/null "$URL" 2>/dev/null && break; sleep 0.2; done
oha -c 64 -z 5s --no-tui "$URL" >/dev/null
oha -c 64 -z 20s --no-tui --output-format json "$URL" >"$RESULTS/floor.json"
summary "$RESULTS/floor.json" | tee "$RESULTS/floor"
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
python3 - "$RESULTS/p1.json" "$RESULTS/floor.json" <<'PY' | tee -a "$RESULTS/floor"
import json, sys
p1, floor = (json.load(open(f)) for f in sys.argv[1:3])
ratio = p1["summary"]["requestsPerSec"] / floor["summary"]["requestsPerSec"]
print(f"P1 / floor: {ratio:.3f} (long-term goal >= 0.5)")
PY
P1_RPS="$(python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["summary"]["requestsPerSec"]))' "$RESULTS/p1.json")"
P1_P99="$(python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["latencyPercentiles"]["p99"]*1000, 1))' "$RESULTS/p1.json")"
verdict "P1 lookup page, 64 conn, 100k" ">= 5000 req/s, p99 < 20 ms" \
  "$P1_RPS req/s, p99 $P1_P99 ms: $(python3 -c "print('met' if $P1_RPS >= 5000 and $P1_P99 < 20 else 'missed')")"
verdict "P1 / floor" ">= 0.5 (long term)" "$(sed -n 's/^P1 \/ floor: \([0-9.]*\).*/\1/p' "$RESULTS/floor")"
fi

if want p5; then
step "P5: complete workflows per second through the API"
cargo bench -p server --bench writes 2>/dev/null | tee "$RESULTS/p5"
P5_SQLITE="$(sed -n 's/^P5 writes (Sqlite): \([0-9]*\) complete.*/\1/p' "$RESULTS/p5")"
verdict "P5 workflows/s, SQLite, 32 clients" ">= 300" "${P5_SQLITE:-?}: $([ "${P5_SQLITE:-0}" -ge 300 ] && echo met || echo missed)"
fi

if want staff; then
step "Staff pages: 32 signed-in officers, inbox -> case -> act"
cargo bench -p server --bench staff 2>/dev/null | tee "$RESULTS/staff"
fi

if want p6; then
P6_RUN="$(sed -n 's/^P6 run: .*served after \(.*\) from.*(goal <= 20 min: \(.*\))/\1: \2/p' "$RESULTS/p6")"
P6_TEST="$(sed -n 's/^P6 test: .* after \(.*\), .*(goal <= 60 min: \(.*\))/\1: \2/p' "$RESULTS/p6")"
verdict "P6 ./run.sh, empty caches" "<= 20 min" "${P6_RUN:-not measured}"
verdict "P6 ./test.sh, first run" "<= 60 min" "${P6_TEST:-not measured}"
fi

if want p2; then
step "P2: dashboard server time at $SIZES cases on SQLite, $PG_SIZES on PostgreSQL"
PG_DB="owso_bench_$(date +%s)"
su postgres -c "psql -qc 'create database $PG_DB owner owso'"
OWSO_BENCH_SIZES="$SIZES" OWSO_BENCH_PG_SIZES="$PG_SIZES" OWSO_BENCH_PG_URL="postgres://owso:owso@127.0.0.1:5432/$PG_DB" \
  cargo bench -p server --bench dashboard 2>/dev/null | tee "$RESULTS/p2"
su postgres -c "psql -qc 'drop database $PG_DB with (force)'"
fi

step "goals and verdicts"
touch "$RESULTS/verdicts"
cat "$RESULTS/verdicts"

step "writing BENCHMARKS.md"
{
  echo "# OWSO benchmarks"
  echo
  echo "Measured by \`bench/run.sh\` on $(date -u +'%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)."
  echo
  echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GiB RAM, $(uname -sr), $(rustc --version | cut -d' ' -f1-2)."
  echo
  echo "## Goals and verdicts of this run"
  echo; echo '```'; cat "$RESULTS/verdicts"; echo '```'; echo
  echo "## P6 set-up time from a clean clone with empty caches (\`bash bench/p6.sh\`)"
  echo; echo '```'; cat "$RESULTS/p6"; echo '```'; echo
  echo "## P1 status lookup page (\`GET /track/{code}\` with the lookup grant, 64 connections, 20 s, 100k cases, SQLite)"
  echo; echo "oha $OHA_VERSION:"; echo '```'; cat "$RESULTS/p1"; echo '```'; echo
  echo "Floor (\`bench/floor\`: axum, one indexed query on a thread-owned SQLite connection, a small page):"
  echo; echo '```'; cat "$RESULTS/floor"; echo '```'; echo
  echo "## Staff pages under load (\`cargo bench -p server --bench staff\`)"
  echo; echo '```'; cat "$RESULTS/staff"; echo '```'; echo
  echo "## P2 dashboard server time (national viewer unless said; median of 20 after 3 warm-ups)"
  echo; echo '```'; cat "$RESULTS/p2"; echo '```'; echo
  echo "## P3a, P3b what a phone downloads: the entry, each lazily loaded area, the whole app"
  echo; echo '```'; cat "$RESULTS/p3ab"; echo '```'; echo
  echo "## P7 first visit until usable (Chromium, 4x CPU slowdown, 1.6 Mbit/s, 150 ms RTT)"
  echo; echo '```'; cat "$RESULTS/p7"; echo '```'; echo
  echo "## P3 hydrate bundle, every file"
  echo; echo "| file | raw | gzip -9 | brotli 11 |"; echo "|---|---|---|---|"; cat "$RESULTS/p3"; echo
  echo "## P4 \`/track\` result page, bytes on the wire by \`Accept-Encoding\`"
  echo; echo '```'; cat "$RESULTS/p4"; echo '```'; echo
  echo "## P5 writes through the JSON API"
  echo; echo '```'; cat "$RESULTS/p5"; echo '```'
  echo
  # Goals, profiles and fixes are written by hand; the figures above are regenerated.
  cat "$ROOT/bench/ANALYSIS.md"
} > "$ROOT/BENCHMARKS.md.new"
mv "$ROOT/BENCHMARKS.md.new" "$ROOT/BENCHMARKS.md"
echo "figures written to BENCHMARKS.md"
