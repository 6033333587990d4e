#!/usr/bin/env bash
# Session-authenticated GET /api/me under wrk -t2 -c64 -d10s on loopback,
# against nginx serving a static file of the same size in the same script.
# Budget (DESIGN.md): >= 50% of nginx's requests/s, p99 <= 50 ms.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
password='plum orchard lantern 42'
echo "$password" | build/native/bin/deskgate user add --portal agent --email bench@example.com \
  --name 'Bench Agent' --role Administrator --db "$work/bench.db" >/dev/null

port=$(free_port)
build/native/bin/deskgate serve --db "$work/bench.db" --port "$port" >"$work/serve.log" 2>&1 &
for _ in $(seq 100); do grep -q 'serving at' "$work/serve.log" && break; sleep 0.1; done
cookie=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"email\":\"bench@example.com\",\"password\":\"$password\"}" \
  "http://127.0.0.1:$port/api/agent/login" | sed -n 's/^Set-Cookie: \([^;]*\).*/\1/p')
curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/api/me" >"$work/me.json"
size=$(wc -c <"$work/me.json")

nginx_port=$(free_port)
mkdir -p "$work/www" "$work/nginx"
head -c "$size" /dev/zero | tr '\0' 'x' >"$work/www/me.json"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server { listen 127.0.0.1:$nginx_port; root $work/www; }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
sleep 0.5

measure() {  # label url [header]
  local out
  if [[ -n "${3:-}" ]]; then
    out=$(wrk -t2 -c64 -d10s --latency -H "$3" "$2")
  else
    out=$(wrk -t2 -c64 -d10s --latency "$2")
  fi
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  echo "$1: $rps requests/s, p99 $p99" >&2
  echo "$rps"
}

echo "== GET /api/me ($size bytes) vs nginx static file of the same size, wrk -t2 -c64 -d10s"
nginx_rps=$(measure "nginx static" "http://127.0.0.1:$nginx_port/me.json")
me_rps=$(measure "deskgate /api/me" "http://127.0.0.1:$port/api/me" "Cookie: $cookie")
awk -v a="$me_rps" -v b="$nginx_rps" 'BEGIN { printf "ratio %.2f (budget >= 0.50)\n", a / b }'
