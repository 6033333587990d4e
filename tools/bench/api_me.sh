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

# One wrk run; prints "requests/s p99-ms".
measure() {  # url [header]
  local out
  if [[ -n "${2:-}" ]]; then
    out=$(wrk -t2 -c64 -d10s --latency -H "$2" "$1")
  else
    out=$(wrk -t2 -c64 -d10s --latency "$1")
  fi
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0;
                           else if (v ~ /s$/) v = v * 1000; print v }' <<<"$out")
  echo "$rps $p99"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# Both servers share two cores with wrk, and neighbours on the VM make
# single runs swing by a quarter. Rounds alternate the two, and the ratio
# reported is the median of each round's ratio: the two halves of a round
# run ten seconds apart, under the same neighbours.
rounds=${ROUNDS:-5}
echo "== GET /api/me ($size bytes) vs nginx static file of the same size, wrk -t2 -c64 -d10s, $rounds rounds"
: >"$work/nginx.txt"
: >"$work/me.txt"
: >"$work/ratio.txt"
for round in $(seq "$rounds"); do
  n=$(measure "http://127.0.0.1:$nginx_port/me.json")
  m=$(measure "http://127.0.0.1:$port/api/me" "Cookie: $cookie")
  echo "round $round: nginx ${n% *} requests/s (p99 ${n#* } ms), deskgate ${m% *} requests/s (p99 ${m#* } ms)"
  echo "$n" >>"$work/nginx.txt"
  echo "$m" >>"$work/me.txt"
  awk -v a="${m% *}" -v b="${n% *}" 'BEGIN { printf "%.3f\n", a / b }' >>"$work/ratio.txt"
done
nginx_rps=$(cut -d' ' -f1 "$work/nginx.txt" | median)
me_rps=$(cut -d' ' -f1 "$work/me.txt" | median)
me_p99=$(cut -d' ' -f2 "$work/me.txt" | median)
nginx_p99=$(cut -d' ' -f2 "$work/nginx.txt" | median)
echo "median nginx: $nginx_rps requests/s, p99 $nginx_p99 ms"
echo "median deskgate /api/me: $me_rps requests/s, p99 $me_p99 ms (budget <= 50 ms)"
echo "round ratios: $(tr '\n' ' ' <"$work/ratio.txt")"
echo "ratio (median of the rounds) $(median <"$work/ratio.txt") (budget >= 0.50)"
