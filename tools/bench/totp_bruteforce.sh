#!/usr/bin/env bash
# Brute force against the second sign-in step: wrk -t2 -c64 -d10s posting
# random 6-digit codes to POST /api/agent/mfa/verify for one signed-in-by-
# password agent. Prints wrk's figures (the refusal path under load), then
# checks the throttle held: no code accepted, exactly the allowed wrong
# attempts audited, and the right code refused while blocked.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d); [[ -n ${KEEP:-} ]] && echo "work: $work"
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; [[ -n ${KEEP:-} ]] || rm -rf "$work"' EXIT
seconds=${1:-10}
password='plum orchard lantern 42'
db="$work/brute.db"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
for who in admin:Administrator victim:Agent; do
  echo "$password" | build/native/bin/deskgate user add --portal agent --role "${who#*:}" \
    --email "${who%%:*}@example.com" --db "$db" >/dev/null
done
build/native/bin/deskgate serve --db "$db" --port "$port" >"$work/serve.log" 2>&1 &
for _ in $(seq 100); do grep -q 'serving at' "$work/serve.log" && break; sleep 0.1; done
base="http://127.0.0.1:$port"

# curl with a cookie jar per person; prints the body.
call() {  # jar method path [json]
  curl -sS -b "$work/$1" -c "$work/$1" -X "$2" -H 'Content-Type: application/json' \
    --data "${4:-{\}}" "$base$3"
}
login() { call "$1" POST /api/agent/login "{\"email\":\"$1@example.com\",\"password\":\"$password\"}"; }
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

login admin >/dev/null
call admin PUT /api/settings/authentication/agent '{"mfa":{"authenticator_app":true}}' >/dev/null
login victim >/dev/null
secret=$(call victim POST /api/agent/mfa/totp/setup | field secret)
call victim POST /api/agent/mfa/totp/confirm "{\"code\":\"$(oathtool --totp -b "$secret")\"}" >/dev/null
sleep $((31 - $(date +%s) % 30))  # the next step, so the right code is not a replay
login victim >/dev/null
cookie=$(awk '$6 == "deskgate_session" {print $7}' "$work/victim")

cat >"$work/brute.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "deskgate_session=$cookie"
local threads = {}
setup = function(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
init = function()
  math.randomseed(os.time() * 100 + id)  -- each thread its own guesses
  statuses = {}
end
response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end
done = function()
  local total = {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses")) do total[status] = (total[status] or 0) + n end
  end
  for status, n in pairs(total) do io.write("HTTP ", status, ": ", n, "\n") end
end
request = function()
  local code = string.format("%06d", math.random(0, 999999))
  return wrk.format(nil, "/api/agent/mfa/verify", nil,
                    '{"method":"totp","code":"' .. code .. '"}')
end
LUA

echo "== TOTP brute force: wrk -t2 -c64 -d${seconds}s on POST /api/agent/mfa/verify"
wrk -t2 -c64 -d"${seconds}s" --latency -s "$work/brute.lua" "$base" >"$work/wrk.txt"
grep -E "^ +(50|99)%|Requests/sec|^HTTP" "$work/wrk.txt"

right=$(oathtool --totp -b "$secret")
status=$(curl -s -o /dev/null -w '%{http_code}' -b "$work/victim" -H 'Content-Type: application/json' \
  --data "{\"method\":\"totp\",\"code\":\"$right\"}" "$base/api/agent/mfa/verify")
read -r failures successes < <(python3 - "$db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
count = lambda q: db.execute(q).fetchone()[0]
print(count("SELECT COUNT(*) FROM audit_log WHERE event = 'mfa.failure'"),
      count("SELECT COUNT(*) FROM audit_log WHERE event = 'login.success' AND details LIKE '%mfa%'"))
PY
)
# Concurrent guesses are counted in each scope atomically but not as one
# unit, so a burst may be cut off before the pair limit (never after it).
echo "wrong codes checked: $failures (at most 5 allowed), codes accepted: $successes (expected 1, the enrollment)"
echo "the right code while blocked: HTTP $status (expected 429)"
[[ $failures -ge 1 && $failures -le 5 && $successes == 1 && $status == 429 ]] && echo "throttle held" || { echo "THROTTLE FAILED"; exit 1; }
