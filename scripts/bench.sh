#!/usr/bin/env bash
# scripts/bench.sh — the load benchmark of tenant-api, in one command, against a yardstick.
#
# Builds the release binaries of tenant-api and of bench/bare-axum (a bare axum server with the
# same axum, tokio, allocator and release profile, answering the same 3-row JSON as a 3-row page
# of GET /api/items/, with no middleware, authentication or database). Starts both on 127.0.0.1;
# tenant-api on the embedded defaults (in-process Cognito stand-in, SQLite) in a fresh temporary
# data directory. Creates a user, completes the NEW_PASSWORD_REQUIRED login, seeds data, then
# measures each case with wrk at 16 and 256 connections, alternating with the yardstick: for
# every case and round, the bare server's run comes right before the case's run, so that the
# machine's noise hits both alike. Reported per case (medians over the rounds): req/s, p50, p99,
# errors (non-2xx + socket errors), the server's peak RSS (and its anonymous part) and CPU time
# per request, each set against the yardstick's runs paired with it (% of the baseline).
# A scale case compares one tenant's first page and a deep cursor page on 1,000,000 items across
# 1,000 tenants with the same requests on a nearly empty database. --postgres URL repeats the
# data cases on PostgreSQL, and pairs the 3-row list and item create (16 connections) with
# pgbench running the same transaction on the same database (BEGIN; set_config; the statement;
# COMMIT; prepared), reporting tenant-api's req/s as a % of pgbench's and the CPU per request of
# tenant-api and of PostgreSQL; --postgres-before BIN measures an older build there in the same
# rounds (before/after).
#
# Traffic goes to 127.0.0.1 only, every loop is bounded, and the EXIT trap stops every process
# the script started. Figures from a shared machine are noisy: compare ratios within one run.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: scripts/bench.sh [options]
  --quick             2 s per run, 1 round (default 5 s, 3 rounds)
  --duration SECS     seconds per measured run
  --rounds N          runs per case, each paired with a run of the bare baseline (median kept)
  --connections "N…"  connection counts (default "16 256")
  --postgres URL      also run the data cases on PostgreSQL (loopback URL only), with pgbench
                      running the same transactions as a yardstick (items_list_3, items_create)
  --postgres-before BIN
                      with --postgres: also measure this older tenant-api binary on PostgreSQL,
                      in the same rounds (label postgres-before)
  --workers N         WORKER_THREADS for the measured tenant-api servers (default: unset, one
                      worker thread per core)
  --before-workers N  WORKER_THREADS for the --postgres-before server (the same binary with
                      another count makes a same-run A/B of the runtime's size)
  --no-build          use the existing target/release/tenant-api
  --binary PATH       measure this tenant-api binary instead (implies --no-build), e.g. an
                      older build kept for an A/B comparison in the same session
  --bare PATH         the bare-axum baseline binary (default target/release/bare-axum)
  --no-scale          skip the 1,000,000-item scale case
  --profile DIR       also record perf cpu-clock profiles (health, items lists of 50 and of 3
                      rows, the bare baseline) into DIR
  --out FILE          also write the result tables (markdown) to FILE
  --external-idp      run the Cognito stand-in as its own process (`tenant-api idp`), so the
                      server's RSS excludes the stand-in's argon2 password hashing
  --keep              keep the temporary directory (databases, logs)
  --only "CASE …"     run only these load cases (health items_list_3 items_list_3_cookie
                      items_list_3_member items_list alert_get
                      items_create login)
EOF
}

duration=5
rounds=3
connections="16 256"
pg_url=""
pg_before_bin=""
build=1
scale=1
profile_dir=""
out=""
keep=0
external_idp=0
bin_override=""
bare_override=""
only=""
workers=""
before_workers=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) duration=2; rounds=1 ;;
    --duration) duration=${2:?}; shift ;;
    --rounds) rounds=${2:?}; shift ;;
    --bare) bare_override=${2:?}; shift ;;
    --connections) connections=${2:?}; shift ;;
    --postgres) pg_url=${2:?}; shift ;;
    --postgres-before) pg_before_bin=${2:?}; shift ;;
    --workers) workers=${2:?}; shift ;;
    --before-workers) before_workers=${2:?}; shift ;;
    --no-build) build=0 ;;
    --binary) bin_override=${2:?}; build=0; shift ;;
    --no-scale) scale=0 ;;
    --profile) profile_dir=${2:?}; shift ;;
    --out) out=${2:?}; shift ;;
    --keep) keep=1 ;;
    --only) only=${2:?}; shift ;;
    --external-idp) external_idp=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
case "$duration" in ''|*[!0-9]*|0) echo "--duration must be a positive integer" >&2; exit 2 ;; esac
case "$rounds" in ''|*[!0-9]*|0) echo "--rounds must be a positive integer" >&2; exit 2 ;; esac
for n in "$workers" "$before_workers"; do
  case "$n" in ''|[1-9]|[1-9][0-9]) ;; *) echo "--workers must be a count from 1 to 99" >&2; exit 2 ;; esac
done
if [ -n "$pg_url" ]; then
  # Benchmark traffic stays on this machine.
  host=$(printf '%s' "$pg_url" | sed -E 's#^[a-z]+://([^@/]*@)?(\[[^]]*\]|[^:/?]*).*#\2#')
  case "$host" in
    127.*|localhost|'[::1]') ;;
    *) echo "--postgres must point at a loopback address (got host '$host')" >&2; exit 2 ;;
  esac
fi

repo=$(cd "$(dirname "$0")/.." && pwd)
bin="${bin_override:-${CARGO_TARGET_DIR:-$repo/target}/release/tenant-api}"
bare_bin="${bare_override:-${CARGO_TARGET_DIR:-$repo/target}/release/bare-axum}"
warmup=1
email="bench@example.com"
temp_password='Temp-Passw0rd!'
password='Bench-Passw0rd!'
tenant="t0001"
# A person at home in another tenant, invited into $tenant: proven by membership there.
member_email="bench-member@example.com"
member_home="t0002"

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# Tools
need_apt() {
  local pkg=$1
  log "installing $pkg (apt-get)"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null 2>&1; then
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null || die "cannot install $pkg"
  fi
}
command -v wrk >/dev/null || need_apt wrk
command -v curl >/dev/null || need_apt curl
if [ -n "$pg_url" ]; then
  command -v pgbench >/dev/null || need_apt postgresql-client
  command -v ss >/dev/null || need_apt iproute2
fi
if [ "$scale" = 1 ]; then command -v sqlite3 >/dev/null || need_apt sqlite3; fi
if [ -n "$profile_dir" ] && ! command -v perf >/dev/null; then
  log "perf not found: --profile ignored"
  profile_dir=""
fi

if [ "$build" = 1 ]; then
  log "building tenant-api and the bare-axum baseline (release)"
  (cd "$repo" && cargo build --release -p tenant-api -p bare-axum)
fi
[ -x "$bin" ] || die "$bin not found (build it, or drop --no-build)"
[ -x "$bare_bin" ] || die "$bare_bin not found (cargo build --release -p bare-axum)"

# ---------------------------------------------------------------------------------------------
# Processes and cleanup
work=$(mktemp -d /tmp/tenant-api-bench.XXXXXX)
server_pid=""
base=""
started_pids=()

cleanup() {
  local pid
  for pid in "${started_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${started_pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$keep" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The embedded identity provider is used: no COGNITO_* variables, no real AWS anywhere.
unset COGNITO_USER_POOL_ID COGNITO_APP_CLIENT_ID COGNITO_ENDPOINT COGNITO_ISSUER COGNITO_JWKS_URL \
  COGNITO_APP_CLIENT_SECRET DATABASE_URL BIND_ADDR PORT TENANT_MODE MULTI_TENANT_ENABLED
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
export AWS_ENDPOINT_URL=http://127.0.0.1:9
export DATA_DIR="$work/data" LOCAL_COGNITO_ADDR=127.0.0.1:0
export LOGIN_RATE_PER_IP=0 LOGIN_RATE_PER_ACCOUNT=0 SHUTDOWN_GRACE_SECS=1
mkdir -p "$DATA_DIR"

if [ "$external_idp" = 1 ]; then
  # The same stand-in as the embedded one, in a process of its own; tenant-api then talks to it
  # as it would to Amazon Cognito (COGNITO_* variables).
  "$bin" idp --addr 127.0.0.1:0 >"$work/idp.log" 2>&1 &
  started_pids+=("$!")
  for _ in $(seq 1 600); do grep -q '^ *AWS_REGION=' "$work/idp.log" && break; sleep 0.1; done
  for key in COGNITO_ENDPOINT COGNITO_USER_POOL_ID COGNITO_APP_CLIENT_ID COGNITO_ISSUER; do
    value=$(sed -n "s/^ *$key=//p" "$work/idp.log" | head -n 1)
    [ -n "$value" ] || { cat "$work/idp.log" >&2; die "the identity provider did not print $key"; }
    export "$key=$value"
  done
  case "$COGNITO_ENDPOINT" in http://127.0.0.1:*) ;; *) die "unexpected IdP address $COGNITO_ENDPOINT" ;; esac
  log "identity provider at $COGNITO_ENDPOINT (separate process)"
fi

# listen_url PID LOG PROGRAM: the http://127.0.0.1:PORT that PROGRAM (pid PID) prints in LOG as
# "PROGRAM listening on URL", waiting up to 60 s; dies if it exits or never says.
listen_url() {
  local pid=$1 logf=$2 program=$3 url=""
  for _ in $(seq 1 600); do
    url=$(sed -n "s/^$program listening on \(http:[^ ]*\).*/\1/p" "$logf" | head -n 1)
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$logf" >&2; die "$program exited"; }
    sleep 0.1
  done
  case "$url" in http://127.0.0.1:*) ;; *) cat "$logf" >&2; die "$program did not start on 127.0.0.1 (got '$url')" ;; esac
  printf '%s' "$url"
}

# start_server NAME DATABASE_URL: starts tenant-api, sets server_pid and base.
start_server() {
  local name=$1 url=$2 logf="$work/server-$1.log"
  WORKER_THREADS="$workers" DATABASE_URL="$url" BIND_ADDR=127.0.0.1:0 "$bin" serve >"$logf" 2>&1 &
  server_pid=$!
  started_pids+=("$server_pid")
  base=$(listen_url "$server_pid" "$logf" tenant-api) || exit 1
  log "server '$name' (pid $server_pid) at $base"
}

stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

# The yardstick: bare-axum, running for the whole benchmark; sets bare_pid and bare_base.
start_bare() {
  local logf="$work/bare.log"
  "$bare_bin" 127.0.0.1:0 >"$logf" 2>&1 &
  bare_pid=$!
  started_pids+=("$bare_pid")
  bare_base=$(listen_url "$bare_pid" "$logf" bare-axum) || exit 1
  log "bare-axum baseline (pid $bare_pid) at $bare_base"
}

# ---------------------------------------------------------------------------------------------
# HTTP helpers (curl, bounded)
json_str() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
json_int() { sed -n "s/.*\"$1\":\([0-9][0-9]*\).*/\1/p"; }

post_json() { # PATH BODY [TOKEN] -> body; fails on non-2xx
  local path=$1 body=$2 token=${3:-}
  local args=(-sS --fail-with-body --max-time 30 -H 'Content-Type: application/json' -d "$body")
  [ -n "$token" ] && args+=(-H "Authorization: Bearer $token" -H "X-Tenant-Id: $tenant")
  curl "${args[@]}" "$base$path"
}

sign_in() { # -> access token (password already permanent)
  local body
  body=$(post_json /api/user/login "{\"email\":\"$email\",\"password\":\"$password\"}") \
    || die "login failed: $body"
  printf '%s' "$body" | json_str access_token
}

bff_session() { # -> a BFF session cookie's value, signed in through the Hosted UI (password permanent)
  local jar="$work/bff.jar" page login origin csrf action
  rm -f "$jar"
  page=$(curl -sS -L --max-time 30 -c "$jar" -b "$jar" -w '\n%{url_effective}' "$base/auth/login") \
    || die "GET /auth/login failed"
  login=$(printf '%s' "$page" | tail -n 1)
  origin=$(printf '%s' "$login" | sed -n 's#^\(https\{0,1\}://[^/]*\).*#\1#p')
  csrf=$(printf '%s' "$page" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
  action=$(printf '%s' "$page" | sed -n 's/.*action="\([^"]*\)".*/\1/p' | head -n 1 | sed 's/&amp;/\&/g')
  [ -n "$csrf" ] && [ -n "$action" ] || die "no Hosted UI login form at $login"
  case "$action" in /*) action="$origin$action" ;; esac
  curl -sS -L --max-time 30 -c "$jar" -b "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" \
    --data-urlencode "username=$email" --data-urlencode "password=$password" "$action" \
    || die "Hosted UI sign-in failed"
  awk '$6 == "tenant-api-session" { print $7 }' "$jar" | tail -n 1
}

first_sign_in() { # temporary password -> NEW_PASSWORD_REQUIRED -> tokens
  local body session
  body=$(post_json /api/user/login "{\"email\":\"$email\",\"password\":\"$temp_password\"}") \
    || die "first login failed: $body"
  session=$(printf '%s' "$body" | json_str session)
  [ -n "$session" ] || die "no NEW_PASSWORD_REQUIRED session in: $body"
  body=$(post_json /api/user/new-password \
    "{\"email\":\"$email\",\"new_password\":\"$password\",\"session\":\"$session\"}") \
    || die "new-password failed: $body"
  printf '%s' "$body" | json_str access_token
}

# ---------------------------------------------------------------------------------------------
# wrk cases
# write_lua FILE METHOD BODY TOKEN: request setup plus a machine-readable summary line.
write_lua() {
  local file=$1 method=$2 body=$3 token=$4
  {
    printf 'wrk.method = "%s"\n' "$method"
    if [ -n "$body" ]; then
      printf "wrk.body = '%s'\n" "$body"
      printf 'wrk.headers["Content-Type"] = "application/json"\n'
    fi
    case "$token" in
      "") ;;
      cookie=*) # a BFF session: its cookie and the custom header instead of a bearer token
        printf 'wrk.headers["Cookie"] = "tenant-api-session=%s"\n' "${token#cookie=}"
        printf 'wrk.headers["X-CSRF"] = "1"\n'
        printf 'wrk.headers["X-Tenant-Id"] = "%s"\n' "$tenant" ;;
      *)
        printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$token"
        printf 'wrk.headers["X-Tenant-Id"] = "%s"\n' "$tenant" ;;
    esac
    cat <<'EOF'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d status=%d socket=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
EOF
  } >"$file"
}

rss_kib() { # PID FIELD
  local k v _
  while read -r k v _; do
    [ "$k" = "$2:" ] && { printf '%s' "$v"; return; }
  done <"/proc/$1/status"
  printf '0'
}

cpu_ticks() { # PID: user + system CPU clock ticks the process has used so far
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || { printf '0'; return; }
  # Fields after "(comm) ": state is field 3, so utime (14) and stime (15) are the 12th and 13th.
  # shellcheck disable=SC2086
  set -- ${stat##*) }
  printf '%s' "$(( ${12} + ${13} ))"
}
clk_tck=$(getconf CLK_TCK)

# The PostgreSQL server's postmaster (set in the PostgreSQL section); while set, every run also
# records the CPU PostgreSQL spent (all its processes) per request.
pg_pm=""
pg_cpu_ticks() { # PID of the postmaster: its CPU, its reaped children's, and its live children's
  local pm=$1 stat total child
  stat=$(cat "/proc/$pm/stat" 2>/dev/null) || { printf '0'; return; }
  # shellcheck disable=SC2086
  set -- ${stat##*) }
  # utime stime cutime cstime: a backend that exits mid-run moves into cutime/cstime.
  total=$(( ${12} + ${13} + ${14} + ${15} ))
  for child in $(cat "/proc/$pm/task/$pm/children" 2>/dev/null); do
    total=$(( total + $(cpu_ticks "$child") ))
  done
  printf '%s' "$total"
}

results="$work/results.tsv"
: >"$results"

# run_once LABEL PID BASE CONNS NAME ROUND METHOD PATH BODY TOKEN: one measured wrk run against
# the server PID listening at BASE, appended to results.tsv under LABEL.
run_once() {
  local backend=$1 pid=$2 url=$3 conns=$4 name=$5 round=$6 method=$7 path=$8 body=$9 token=${10}
  local lua="$work/$backend-$name.lua" wout="$work/wrk-$backend-$name-$conns-$round.txt"
  write_lua "$lua" "$method" "$body" "$token"
  local threads=2
  [ "$conns" -lt 2 ] && threads=1
  # Unmeasured warm-up: connections, caches, pools.
  wrk -t"$threads" -c"$conns" -d"${warmup}s" --timeout 10s -s "$lua" "$url$path" >/dev/null 2>&1 || true
  # Per-case peak RSS: reset the high-water mark (clear_refs 5), and also poll VmRSS.
  local hwm_reset=0
  if echo 5 2>/dev/null >"/proc/$pid/clear_refs"; then hwm_reset=1; fi
  local peak_file="$work/peak" anon_file="$work/peak.anon" stop_file="$work/peak.stop"
  rm -f "$stop_file"; echo 0 >"$peak_file"; echo 0 >"$anon_file"
  (
    max=0 max_anon=0
    for _ in $(seq 1 $(( (duration + 10) * 5 ))); do
      [ -e "$stop_file" ] && break
      kill -0 "$pid" 2>/dev/null || break
      cur=$(rss_kib "$pid" VmRSS)
      [ "$cur" -gt "$max" ] && { max=$cur; echo "$max" >"$peak_file"; }
      cur=$(rss_kib "$pid" RssAnon)
      [ "$cur" -gt "$max_anon" ] && { max_anon=$cur; echo "$max_anon" >"$anon_file"; }
      sleep 0.2
    done
  ) &
  local poller=$!
  local cpu_before pg_before=0
  cpu_before=$(cpu_ticks "$pid")
  [ -n "$pg_pm" ] && pg_before=$(pg_cpu_ticks "$pg_pm")
  wrk -t"$threads" -c"$conns" -d"${duration}s" --timeout 10s -s "$lua" "$url$path" >"$wout" 2>&1 || true
  local cpu_used=$(( $(cpu_ticks "$pid") - cpu_before )) pg_used=0
  [ -n "$pg_pm" ] && pg_used=$(( $(pg_cpu_ticks "$pg_pm") - pg_before ))
  touch "$stop_file"
  wait "$poller" 2>/dev/null || true
  local peak polled anon
  polled=$(cat "$peak_file")
  anon=$(cat "$anon_file")
  peak=$polled
  if [ "$hwm_reset" = 1 ]; then
    local hwm
    hwm=$(rss_kib "$pid" VmHWM)
    [ "$hwm" -gt "$peak" ] && peak=$hwm
  fi
  local line
  line=$(grep '^RESULT ' "$wout" || true)
  [ -n "$line" ] || { cat "$wout" >&2; die "wrk gave no result for $name"; }
  # shellcheck disable=SC2086
  local requests duration_us p50_us p99_us status socket
  eval "$(printf '%s' "${line#RESULT }" | tr ' ' '\n' | sed 's/^/local /')"
  local rps cpu_us pg_us
  rps=$(awk -v r="$requests" -v d="$duration_us" 'BEGIN { printf "%.0f", r / (d / 1e6) }')
  # Server CPU time (user + system) per request: less sensitive than req/s to the load
  # generator sharing the cores, though still to other tenants of a shared machine.
  cpu_us=$(awk -v t="$cpu_used" -v hz="$clk_tck" -v r="$requests" \
    'BEGIN { printf "%.1f", (r > 0 ? t / hz * 1e6 / r : 0) }')
  pg_us=$(awk -v t="$pg_used" -v hz="$clk_tck" -v r="$requests" \
    'BEGIN { printf "%.1f", (r > 0 ? t / hz * 1e6 / r : 0) }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$backend" "$conns" "$name" "$rps" "$p50_us" "$p99_us" \
    "$((status + socket))" "$peak" "$cpu_us" "$anon" "$round" "$pg_us" >>"$results"
  printf '  %-12s %4s conns  %-13s %9s req/s  p50 %7s µs  p99 %8s µs  errors %s (non-2xx %s, socket %s)  peak RSS %s KiB (anonymous %s KiB)  server CPU %s µs/req\n' \
    "$backend" "$conns" "$name" "$rps" "$p50_us" "$p99_us" "$((status + socket))" "$status" "$socket" "$peak" "$anon" "$cpu_us" >&2
}

# run_case BACKEND CONNS NAME METHOD PATH BODY TOKEN: the case, ROUNDS times, each run right
# after a run of the bare baseline (recorded as bare@BACKEND under the case's name).
run_case() {
  local backend=$1 conns=$2 name=$3 method=$4 path=$5 body=$6 token=$7 round
  if [ -n "$only" ] && [[ " $only " != *" $name "* ]]; then return 0; fi
  for round in $(seq 1 "$rounds"); do
    run_once "bare@$backend" "$bare_pid" "$bare_base" "$conns" "$name" "$round" GET /items "" ""
    if [ "$backend" = postgres ]; then
      [ "$conns" = 16 ] && run_pgbench "$conns" "$name" "$round"
      # The older build has neither the BFF nor memberships: it runs the other cases only.
      if [ -n "$before_pid" ] && [[ "$name" != *_cookie && "$name" != *_member ]]; then
        run_once postgres-before "$before_pid" "$before_base" "$conns" "$name" "$round" \
          "$method" "$path" "$body" "$before_token"
      fi
    fi
    run_once "$backend" "$server_pid" "$base" "$conns" "$name" "$round" "$method" "$path" "$body" "$token"
  done
}

# The transaction tenant-api runs for a case, as a pgbench script: the same statements with the
# same parameters (-M prepared binds every :variable as one). The list fetches limit + 1 rows, as
# the API does to know whether a next page exists. Its `after` and `limit` must be parameters, as
# tenant-api's are: written as literals they let PostgreSQL keep one generic plan, while with them
# as parameters it plans every execution anew (docs/postgres.md, "Plans"), a different workload.
pgbench_script() { # NAME -> script on stdout, or nothing for a case without one
  local columns="id, tenant_id, owner_sub, name, created_at, updated_at"
  case "$1" in
    items_list_3) printf '%s\n' "BEGIN;" "SELECT set_config('app.tenant_id', :tenant, true);" \
      "SELECT $columns FROM items WHERE tenant_id = :tenant AND id > :after ORDER BY id LIMIT :limit;" \
      "COMMIT;" ;;
    items_create) printf '%s\n' "BEGIN;" "SELECT set_config('app.tenant_id', :tenant, true);" \
      "INSERT INTO items (tenant_id, owner_sub, name, created_at, updated_at) VALUES (:tenant, :owner, 'bench item', now(), now()) RETURNING $columns;" \
      "COMMIT;" ;;
  esac
}

# run_pgbench CONNS NAME ROUND: pgbench -M prepared, one thread, the case's transaction, as long
# as a wrk run; recorded as pgbench@postgres (transactions/s as req/s, with PostgreSQL's CPU).
run_pgbench() {
  local conns=$1 name=$2 round=$3 script="$work/pgbench-$2.sql" out="$work/pgbench-$2-$1-$3.txt"
  pgbench_script "$name" >"$script"
  [ -s "$script" ] || return 0
  local args=(-n -M prepared -c "$conns" -j 1 -f "$script" -D "tenant=$tenant" -D owner=pgbench -D after=0 -D limit=4)
  pgbench "${args[@]}" -T "$warmup" "$pg_url" >/dev/null 2>&1 || true
  local pg_before
  pg_before=$(pg_cpu_ticks "$pg_pm")
  pgbench "${args[@]}" -T "$duration" "$pg_url" >"$out" 2>&1 || { cat "$out" >&2; die "pgbench failed for $name"; }
  local pg_used=$(( $(pg_cpu_ticks "$pg_pm") - pg_before ))
  local tps latency failed txns
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$out" | tail -n 1)
  latency=$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' "$out" | head -n 1)
  txns=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$out" | head -n 1)
  failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$out" | head -n 1)
  [ -n "$tps" ] && [ -n "$txns" ] || { cat "$out" >&2; die "pgbench gave no result for $name"; }
  local pg_us
  pg_us=$(awk -v t="$pg_used" -v hz="$clk_tck" -v r="$txns" \
    'BEGIN { printf "%.1f", (r > 0 ? t / hz * 1e6 / r : 0) }')
  # Columns as run_once's: p50 holds pgbench's average latency; no p99, RSS or client CPU.
  printf '%s\t%s\t%s\t%.0f\t%.0f\t0\t%s\t0\t0\t0\t%s\t%s\n' "pgbench@postgres" "$conns" "$name" "$tps" \
    "$(awk -v l="${latency:-0}" 'BEGIN { print l * 1000 }')" "${failed:-0}" "$round" "$pg_us" >>"$results"
  printf '  %-12s %4s conns  %-13s %9.0f tx/s   avg latency %s ms  failed %s  PostgreSQL CPU %s µs/tx\n' \
    pgbench "$conns" "$name" "$tps" "${latency:-?}" "${failed:-0}" "$pg_us" >&2
}

check_ok() { # METHOD PATH BODY TOKEN: one request, must be 2xx
  local method=$1 path=$2 body=$3 token=$4 code
  local args=(-s -o "$work/check.out" -w '%{http_code}' --max-time 30 -X "$method")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' -d "$body")
  case "$token" in
    "") ;;
    cookie=*) args+=(-H "Cookie: tenant-api-session=${token#cookie=}" -H "X-CSRF: 1" -H "X-Tenant-Id: $tenant") ;;
    *) args+=(-H "Authorization: Bearer $token" -H "X-Tenant-Id: $tenant") ;;
  esac
  code=$(curl "${args[@]}" "$base$path")
  case "$code" in 2*) ;; *) cat "$work/check.out" >&2; die "$method $path answered $code" ;; esac
}

# run_suite BACKEND TOKEN ALERT_ID WITH_SIGN_IN
run_suite() {
  local backend=$1 token=$2 alert=$3 sign_in=$4 conns
  local login_body="{\"email\":\"$email\",\"password\":\"$password\"}"
  check_ok GET /health "" ""
  check_ok GET "/api/items/?limit=3" "" "$token"
  check_ok GET "/api/alerts/$alert" "" "$token"
  check_ok POST /api/items/ '{"name":"bench item"}' "$token"
  [ "$sign_in" = 1 ] && check_ok POST /api/user/login "$login_body" ""
  local session=""
  if [ -z "$only" ] || [[ " $only " == *" items_list_3_cookie "* ]]; then
    session=$(bff_session)
    [ -n "$session" ] || die "no BFF session cookie after the Hosted UI sign-in"
    check_ok GET "/api/items/?limit=3" "" "cookie=$session"
  fi
  local member=""
  if [ -z "$only" ] || [[ " $only " == *" items_list_3_member "* ]]; then
    # The admin (the bench user, first of $tenant) invites the member; their first request to
    # $tenant activates the membership; from then on the proof is cached per token.
    post_json /api/tenant/members "{\"email\":\"$member_email\",\"role\":\"member\"}" "$token" \
      >/dev/null || die "inviting $member_email failed"
    member=$(email=$member_email sign_in)
    [ -n "$member" ] || die "no access token for $member_email"
    check_ok GET "/api/items/?limit=3" "" "$member"
  fi
  for conns in $connections; do
    run_case "$backend" "$conns" health GET /health "" ""
    # A 3-row page: the same JSON as the baseline's, behind authentication, tenant proof and SQL.
    run_case "$backend" "$conns" items_list_3 GET "/api/items/?limit=3" "" "$token"
    # The same page for a browser signed in through the BFF: session cookie and X-CSRF.
    [ -n "$session" ] && run_case "$backend" "$conns" items_list_3_cookie GET "/api/items/?limit=3" "" "cookie=$session"
    # The same page for a member of the tenant proven by membership, not by their attribute.
    [ -n "$member" ] && run_case "$backend" "$conns" items_list_3_member GET "/api/items/?limit=3" "" "$member"
    run_case "$backend" "$conns" items_list GET /api/items/ "" "$token"
    run_case "$backend" "$conns" alert_get GET "/api/alerts/$alert" "" "$token"
    run_case "$backend" "$conns" items_create POST /api/items/ '{"name":"bench item"}' "$token"
  done
  # Sign-in last, at every connection count: each attempt hashes a password with argon2 (7 MiB
  # apiece, at most one per core at a time), which would inflate the later cases' peak RSS.
  if [ "$sign_in" = 1 ]; then
    for conns in $connections; do
      run_case "$backend" "$conns" login POST /api/user/login "$login_body" ""
    done
  fi
}

seed_via_api() { # TOKEN -> prints the id of one alert; 100 items
  local token=$1 i
  for i in $(seq 1 100); do
    post_json /api/items/ "{\"name\":\"seed item $i\"}" "$token" >/dev/null || die "seeding items failed"
  done
  post_json /api/alerts/ '{"title":"bench alert","severity":"warning"}' "$token" | json_int id
}

profile() { # NAME PATH TOKEN [PID BASE]: perf cpu-clock samples of a server under 16 connections
  local name=$1 path=$2 token=$3 pid=${4:-$server_pid} url=${5:-$base} lua="$work/profile-$1.lua"
  mkdir -p "$profile_dir"
  write_lua "$lua" GET "" "$token"
  log "profiling $name (perf record -e cpu-clock, ${duration}s)"
  perf record -q -e cpu-clock -F 2000 -p "$pid" -o "$work/perf-$name.data" -- sleep "$duration" \
    >/dev/null 2>&1 &
  local perf_pid=$!
  started_pids+=("$perf_pid")
  wrk -t2 -c16 -d"${duration}s" --timeout 10s -s "$lua" "$url$path" >/dev/null 2>&1 || true
  wait "$perf_pid" 2>/dev/null || true
  perf report -i "$work/perf-$name.data" --stdio --no-children --sort dso,symbol 2>/dev/null \
    | grep -v '^$' | head -n 400 >"$profile_dir/perf-$name.txt" || true
  perf report -i "$work/perf-$name.data" --stdio --no-children --sort dso 2>/dev/null \
    | grep -v '^#' | grep -v '^$' | head -n 40 >"$profile_dir/perf-$name-dso.txt" || true
  log "wrote $profile_dir/perf-$name.txt"
}

# ---------------------------------------------------------------------------------------------
# Main run: SQLite on the embedded defaults
log "work dir $work; ${duration}s per run, $rounds rounds; connections: $connections; worker threads: ${workers:-one per core}${pg_before_bin:+ (before: ${before_workers:-one per core})}"
start_bare
start_server sqlite "sqlite://$work/main.db?mode=rwc"
log "creating user $email in tenant $tenant"
"$bin" users create --email "$email" --tenant "$tenant" --temporary-password "$temp_password" \
  >"$work/users-create.log" 2>&1 || { cat "$work/users-create.log" >&2; die "users create failed"; }
token=$(first_sign_in)
[ -n "$token" ] || die "no access token after new-password"
"$bin" users create --email "$member_email" --tenant "$member_home" \
  --temporary-password "$temp_password" >>"$work/users-create.log" 2>&1 \
  || { cat "$work/users-create.log" >&2; die "users create $member_email failed"; }
email=$member_email first_sign_in >/dev/null || die "first sign-in of $member_email failed"
log "seeding 100 items and 1 alert"
alert_id=$(seed_via_api "$token")
[ -n "$alert_id" ] || die "could not create the alert"
run_suite sqlite "$token" "$alert_id" 1
if [ -n "$profile_dir" ]; then
  profile items_list /api/items/ "$token"
  profile items_list_3 "/api/items/?limit=3" "$token"
  profile health /health ""
  profile bare /items "" "$bare_pid" "$bare_base"
fi
stop_server

# ---------------------------------------------------------------------------------------------
# PostgreSQL: the data cases again (plus /health as the baseline of this server)
before_pid=""
if [ -n "$pg_url" ]; then
  pg_port=$(printf '%s' "$pg_url" | sed -nE 's#^[a-z]+://([^@/]*@)?(\[[^]]*\]|[^:/?]*):([0-9]+).*#\3#p')
  pg_pm=$(ss -Hltnp "sport = :${pg_port:-5432}" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n 1)
  [ -n "$pg_pm" ] || log "PostgreSQL's postmaster not found on port ${pg_port:-5432}: no PostgreSQL CPU figures"
  if [ -n "$pg_before_bin" ]; then
    # The older build, on the same database (it applies the same migrations), with a copy of
    # the identity provider's state (the same user) so the two servers share no files.
    cp -a "$DATA_DIR" "$work/data-before"
    WORKER_THREADS="$before_workers" DATA_DIR="$work/data-before" DATABASE_URL="$pg_url" \
      BIND_ADDR=127.0.0.1:0 "$pg_before_bin" serve >"$work/server-before.log" 2>&1 &
    before_pid=$!
    started_pids+=("$before_pid")
    before_base=$(listen_url "$before_pid" "$work/server-before.log" tenant-api) || exit 1
    log "server 'postgres-before' (pid $before_pid) at $before_base"
  fi
  start_server postgres "$pg_url"
  token=$(sign_in)
  [ -n "$token" ] || die "no access token on the PostgreSQL server"
  # Tokens are verified by the identity provider's keys; each server has its own embedded one.
  if [ -n "$before_pid" ]; then
    before_token=$(base=$before_base sign_in)
    [ -n "$before_token" ] || die "no access token on the older PostgreSQL server"
  fi
  alert_id=$(seed_via_api "$token")
  run_suite postgres "$token" "$alert_id" 0
  stop_server
  if [ -n "$before_pid" ]; then kill -TERM "$before_pid" 2>/dev/null || true; fi
  pg_pm=""
fi

# ---------------------------------------------------------------------------------------------
# Scale: one tenant's pages on 1,000,000 items (1,000 tenants) vs a nearly empty database
scale_results="$work/scale.tsv"
: >"$scale_results"
if [ "$scale" = 1 ]; then
  ts="strftime('%Y-%m-%dT%H:%M:%fZ','now')"
  # FILE ROWS TENANTS: ROWS items dealt round-robin to tenants t0001..tNNNN, so one tenant's
  # items are spread over the whole id range (the worst case for locality).
  seed_sqlite() {
    local file=$1 rows=$2 tenants=$3
    DATABASE_URL="sqlite://$file?mode=rwc" "$bin" migrate >/dev/null || die "migrate failed for $file"
    sqlite3 "$file" <<SQL || die "seeding $file failed"
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $rows - 1)
INSERT INTO items (tenant_id, owner_sub, name, created_at, updated_at)
SELECT printf('t%04d', i % $tenants + 1),
       'seed-owner', 'seed item ' || i, $ts, $ts
FROM n;
COMMIT;
SQL
  }
  log "seeding the scale databases (sqlite3)"
  t0=$(date +%s.%N)
  seed_sqlite "$work/scale-small.db" 1000 1
  t1=$(date +%s.%N)
  seed_sqlite "$work/scale-big.db" 1000000 1000
  t2=$(date +%s.%N)
  small_rows=$(sqlite3 "$work/scale-small.db" "SELECT count(*) FROM items WHERE tenant_id = '$tenant'")
  big_rows=$(sqlite3 "$work/scale-big.db" "SELECT count(*) FROM items")
  big_tenant_rows=$(sqlite3 "$work/scale-big.db" "SELECT count(*) FROM items WHERE tenant_id = '$tenant'")
  big_tenants=$(sqlite3 "$work/scale-big.db" "SELECT count(DISTINCT tenant_id) FROM items")
  log "small: $small_rows items ($(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s); big: $big_rows items in $big_tenants tenants, $big_tenant_rows in $tenant ($(awk -v a="$t1" -v b="$t2" 'BEGIN{printf "%.1f", b-a}') s)"
  [ "$big_tenant_rows" = "$small_rows" ] || die "scale databases hold different counts for $tenant"

  deep_cursor() { # TOKEN -> the X-Next-Cursor after 900 of the tenant's items (9 pages of 100)
    local token=$1 cursor="" page code
    for page in $(seq 1 9); do
      code=$(curl -s -o /dev/null -D "$work/page.h" -w '%{http_code}' --max-time 30 \
        -H "Authorization: Bearer $token" -H "X-Tenant-Id: $tenant" \
        "$base/api/items/?limit=100${cursor:+&cursor=$cursor}")
      [ "$code" = 200 ] || die "page $page answered $code"
      cursor=$(tr -d '\r' <"$work/page.h" | sed -n 's/^[Xx]-[Nn]ext-[Cc]ursor: *//p')
      [ -n "$cursor" ] || die "page $page had no X-Next-Cursor"
    done
    printf '%s' "$cursor"
  }

  for db in small big; do
    start_server "scale-$db" "sqlite://$work/scale-$db.db?mode=rwc"
    token=$(sign_in)
    [ -n "$token" ] || die "no access token on the scale-$db server"
    cursor=$(deep_cursor "$token")
    for conns in 16; do
      run_once "scale-$db" "$server_pid" "$base" "$conns" first_page 1 GET /api/items/ "" "$token"
      run_once "scale-$db" "$server_pid" "$base" "$conns" deep_page 1 GET "/api/items/?cursor=$cursor" "" "$token"
    done
    stop_server
  done
fi

# ---------------------------------------------------------------------------------------------
# Report
report() {
  echo "### Load cases ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, ${duration}s per run, median of $rounds rounds, each paired with a bare-axum run; tenant-api worker threads: ${workers:-one per core}${pg_before_bin:+, before: ${before_workers:-one per core}})"
  echo
  echo "| backend | conns | case | req/s | baseline req/s | **% of baseline** | p50 (ms) | p99 (ms) | baseline p99 (ms) | server CPU (µs/req) | baseline CPU (µs/req) | CPU: baseline ÷ case | errors | peak RSS (MiB) | of it anonymous (MiB) |"
  echo "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' '
    function median(list,    v, n, i, j, t) {
      n = split(list, v, " ")
      for (i = 2; i <= n; i++) { t = v[i] + 0; for (j = i - 1; j >= 1 && v[j] + 0 > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
      return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    function pct(x) { return sprintf(x < 10 ? "%.1f %%" : "%.0f %%", x) }
    $1 ~ /^scale-/ || $1 ~ /^pgbench@/ { next }
    {
      k = $1 FS $2 FS $3
      if (!(k in seen)) { seen[k] = 1; order[++n] = k }
      rps[k] = rps[k] " " $4; p50[k] = p50[k] " " $5; p99[k] = p99[k] " " $6; cpu[k] = cpu[k] " " $9
      err[k] += $7; if ($8 > peak[k]) peak[k] = $8; if ($10 > anon[k]) anon[k] = $10
    }
    END {
      for (i = 1; i <= n; i++) {
        k = order[i]; split(k, f, FS)
        if (f[1] ~ /^bare@/) continue
        b = "bare@" f[1] FS f[2] FS f[3]
        r = median(rps[k]); c = median(cpu[k])
        br = (b in seen) ? median(rps[b]) : 0; bc = (b in seen) ? median(cpu[b]) : 0
        printf "| %s | %s | %s | %.0f | %s | **%s** | %.2f | %.2f | %s | %.1f | %s | %s | %s | %.1f | %.1f |\n", f[1], f[2], f[3], r,
          (br > 0 ? sprintf("%.0f", br) : "-"), (br > 0 ? pct(100 * r / br) : "-"), median(p50[k]) / 1000, median(p99[k]) / 1000,
          (b in seen ? sprintf("%.2f", median(p99[b]) / 1000) : "-"), c, (bc > 0 ? sprintf("%.1f", bc) : "-"),
          (bc > 0 && c > 0 ? pct(100 * bc / c) : "-"), err[k], peak[k] / 1024, anon[k] / 1024
      }
    }' "$results"
  if grep -q '^pgbench@' "$results"; then
    echo
    echo "### PostgreSQL against pgbench running the same transaction (BEGIN; set_config; the statement; COMMIT; -M prepared, -j1), same database, same rounds (median of $rounds)"
    echo
    echo "| case | conns | pgbench tx/s | tenant-api req/s | **% of pgbench** | tenant-api CPU (µs/req) | PostgreSQL CPU (µs/tx): pgbench | PostgreSQL CPU: tenant-api | before req/s | before % of pgbench | before CPU (µs/req) | PostgreSQL CPU: before |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    awk -F'\t' '
      function median(list,    v, n, i, j, t) {
        n = split(list, v, " ")
        for (i = 2; i <= n; i++) { t = v[i] + 0; for (j = i - 1; j >= 1 && v[j] + 0 > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
        return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
      }
      function pct(x) { return sprintf("%.0f %%", x) }
      $1 == "pgbench@postgres" || $1 == "postgres" || $1 == "postgres-before" {
        k = $1 FS $2 FS $3
        rps[k] = rps[k] " " $4; cpu[k] = cpu[k] " " $9; pg[k] = pg[k] " " $12; seen[k] = 1
        if ($1 == "pgbench@postgres" && !(($2 FS $3) in cases)) { cases[$2 FS $3] = 1; order[++n] = $2 FS $3 }
      }
      END {
        for (i = 1; i <= n; i++) {
          c = order[i]; split(c, f, FS)
          p = "pgbench@postgres" FS c; a = "postgres" FS c; b = "postgres-before" FS c
          pr = median(rps[p]); ar = (a in seen) ? median(rps[a]) : 0; br = (b in seen) ? median(rps[b]) : 0
          printf "| %s | %s | %.0f | %.0f | **%s** | %.1f | %.1f | %.1f | %s | %s | %s | %s |\n", f[2], f[1], pr, ar,
            pct(100 * ar / pr), (a in seen) ? median(cpu[a]) : 0, median(pg[p]), (a in seen) ? median(pg[a]) : 0,
            (br > 0 ? sprintf("%.0f", br) : "-"), (br > 0 ? pct(100 * br / pr) : "-"),
            (br > 0 ? sprintf("%.1f", median(cpu[b])) : "-"), (br > 0 ? sprintf("%.1f", median(pg[b])) : "-")
        }
      }' "$results"
  fi
  if [ "$scale" = 1 ]; then
    echo
    echo "### Scale: tenant $tenant, 1,000 of its items; 1,000,000 items in 1,000 tenants vs 1,000 items in 1 tenant (16 conns)"
    echo
    echo "| request | small req/s | big req/s | req/s small÷big | small p99 (ms) | big p99 (ms) | p99 big÷small | errors (small/big) |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    awk -F'\t' '
      $1 == "scale-small" { s[$3] = $0 } $1 == "scale-big" { b[$3] = $0 }
      END {
        n = split("first_page deep_page", names, " ")
        for (i = 1; i <= n; i++) {
          k = names[i]
          if (!(k in s) || !(k in b)) continue
          split(s[k], x, "\t"); split(b[k], y, "\t")
          printf "| %s | %s | %s | %.2f× | %.2f | %.2f | %.2f× | %s/%s |\n", k, x[4], y[4],
            x[4] / y[4], x[6] / 1000, y[6] / 1000, y[6] / x[6], x[7], y[7]
        }
      }' "$results"
  fi
}
echo
report
if [ -n "$out" ]; then
  report >"$out"
  log "tables written to $out"
fi
