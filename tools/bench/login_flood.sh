#!/usr/bin/env bash
# A 60-second flood of wrong-password logins (wrk -t2 -c64) against one
# server; prints the server's resident memory every 5 seconds. Expected:
# flat (hashes are bounded by a semaphore; throttling answers 429 early).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
seconds=${1:-60}

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
echo 'plum orchard lantern 42' | build/native/bin/deskgate user add --portal agent \
  --email victim@example.com --db "$work/flood.db" >/dev/null
build/native/bin/deskgate serve --db "$work/flood.db" --port "$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do grep -q 'serving at' "$work/serve.log" && break; sleep 0.1; done

cat >"$work/flood.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  -- Alternate a real account and unknown ones: both take the hashing path.
  local email = (n % 2 == 0) and "victim@example.com" or ("nobody" .. n .. "@example.com")
  return wrk.format(nil, "/api/agent/login", nil,
                    '{"email":"' .. email .. '","password":"wrong password ' .. n .. '"}')
end
LUA

rss() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }
echo "== login flood for ${seconds}s: server RSS in KiB every 5 s"
echo "start: $(rss)"
wrk -t2 -c64 -d"${seconds}s" -s "$work/flood.lua" "http://127.0.0.1:$port" >"$work/wrk.txt" &
flood=$!
for ((t = 5; t <= seconds; t += 5)); do sleep 5; echo "t=${t}s: $(rss)"; done
wait "$flood"
grep -E "Requests/sec|Non-2xx" "$work/wrk.txt"
echo "end: $(rss)"
