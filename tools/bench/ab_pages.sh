#!/usr/bin/env bash
# Two deskgate builds side by side on the same seeded database: uncached
# GET /api/assets at random offsets, wrk -t2 -c64, alternating short runs so
# both meet the same neighbours on the VM (and each goes first in every
# other round); prints each round and the median of B's pages/s over A's.
#   A_BIN=old/deskgate B_BIN=build/native/bin/deskgate tools/bench/ab_pages.sh
# Env: ROWS (1000000), SORT (name), ROUNDS (6), SECS (5), A_ENV / B_ENV
# (VAR=value settings for one server, e.g. B_ENV=LD_PRELOAD=/usr/lib/...).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/lib/vs_nginx.sh
: "${A_BIN:?A_BIN: the first deskgate binary}" "${B_BIN:=$deskgate_bin}"
rows=${ROWS:-1000000}
"$A_BIN" seed --assets "$rows" --software 100 --db "$work/A.db" >/dev/null
cp "$work/A.db" "$work/B.db"

# Starts server A or B (a job of this shell, so the exit trap stops it):
# sets ${name}_port and ${name}_cookie.
start() {  # A|B binary env
  local name=$1 bin=$2 env=$3 port
  echo "$bench_password" | "$bin" user add --portal agent --email bench@example.com \
    --name 'Bench Agent' --role Administrator --db "$work/$name.db" >/dev/null
  port=$(free_port)
  # shellcheck disable=SC2086  # $env: VAR=value words
  env $env "$bin" serve --db "$work/$name.db" --port "$port" >"$work/$name.log" 2>&1 &
  for _ in $(seq 100); do grep -q 'serving at' "$work/$name.log" && break; sleep 0.1; done
  printf -v "${name}_port" '%s' "$port"
  printf -v "${name}_cookie" '%s' "$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"email\":\"bench@example.com\",\"password\":\"$bench_password\"}" \
    "http://127.0.0.1:$port/api/agent/login" | sed -n 's/^Set-Cookie: \([^;]*\).*/\1/p')"
}
start A "$A_BIN" "${A_ENV:-}"
start B "$B_BIN" "${B_ENV:-}"

cat >"$work/pages.lua" <<LUA
request = function()
  local offset = math.random(0, $rows - 50)
  return wrk.format("GET", "/api/assets?limit=50&sort=${SORT:-name}&offset=" .. offset)
end
LUA
run() {  # port cookie: "pages/s p99"
  wrk -t2 -c64 -d"${SECS:-5}"s --latency -H "Cookie: $2" -s "$work/pages.lua" \
    "http://127.0.0.1:$1" | awk '/Requests\/sec/ { r = $2 } $1 == "99%" { p = $2 } END { print r, p }'
}
run "$A_port" "$A_cookie" >/dev/null  # warm both (indexes built, pages mapped)
run "$B_port" "$B_cookie" >/dev/null
echo "== sort=${SORT:-name} over $rows assets: A $A_BIN ${A_ENV:-}, B $B_BIN ${B_ENV:-}"
for round in $(seq "${ROUNDS:-6}"); do
  # Each goes first in every other round. Even so the second server runs
  # slower on this VM: A against itself gave 0.84-0.88, so run A against A
  # too and compare B/A with that.
  if ((round % 2)); then
    a=$(run "$A_port" "$A_cookie")
    b=$(run "$B_port" "$B_cookie")
  else
    b=$(run "$B_port" "$B_cookie")
    a=$(run "$A_port" "$A_cookie")
  fi
  echo "round $round: A ${a% *} pages/s (p99 ${a#* }), B ${b% *} pages/s (p99 ${b#* })"
  awk -v a="${a% *}" -v b="${b% *}" 'BEGIN { print b / a }' >>"$work/ratios.txt"
done
echo "B/A pages/s, median of rounds: $(median <"$work/ratios.txt")"
