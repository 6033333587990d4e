# Shared by the API benchmarks: a deskgate server on a temporary database,
# an administrator's session cookie, and wrk runs of an authenticated GET
# against nginx serving a static file of the same size, in alternating
# rounds. Source it after `set -euo pipefail` and `cd` to the repository.

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
deskgate_bin=${DESKGATE_BIN:-build/native/bin/deskgate}  # another build to compare
bench_password='plum orchard lantern 42'

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Starts `deskgate serve` on $work/bench.db (seed it first if needed), adds
# an administrator and signs in: sets $port and $cookie.
start_deskgate() {
  echo "$bench_password" | "$deskgate_bin" user add --portal agent \
    --email bench@example.com --name 'Bench Agent' --role Administrator --db "$work/bench.db" >/dev/null
  port=$(free_port)
  "$deskgate_bin" serve --db "$work/bench.db" --port "$port" >"$work/serve.log" 2>&1 &
  for _ in $(seq 100); do grep -q 'serving at' "$work/serve.log" && break; sleep 0.1; done
  cookie=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"email\":\"bench@example.com\",\"password\":\"$bench_password\"}" \
    "http://127.0.0.1:$port/api/agent/login" | sed -n 's/^Set-Cookie: \([^;]*\).*/\1/p')
}

# Starts nginx serving a file of `size` bytes: sets $nginx_port.
start_nginx() {  # size
  nginx_port=$(free_port)
  mkdir -p "$work/www" "$work/nginx"
  head -c "$1" /dev/zero | tr '\0' 'x' >"$work/www/static.json"
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
}

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
compare_with_nginx() {  # label path ratio-budget
  local label=$1 path=$2 budget=$3 rounds=${ROUNDS:-5} size
  size=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port$path" | wc -c)
  start_nginx "$size"
  echo "== $label ($size bytes) vs nginx static file of the same size, wrk -t2 -c64 -d10s, $rounds rounds"
  : >"$work/nginx.txt"
  : >"$work/deskgate.txt"
  : >"$work/ratio.txt"
  for round in $(seq "$rounds"); do
    local n m
    n=$(measure "http://127.0.0.1:$nginx_port/static.json")
    m=$(measure "http://127.0.0.1:$port$path" "Cookie: $cookie")
    echo "round $round: nginx ${n% *} requests/s (p99 ${n#* } ms), deskgate ${m% *} requests/s (p99 ${m#* } ms)"
    echo "$n" >>"$work/nginx.txt"
    echo "$m" >>"$work/deskgate.txt"
    awk -v a="${m% *}" -v b="${n% *}" 'BEGIN { printf "%.3f\n", a / b }' >>"$work/ratio.txt"
  done
  echo "median nginx: $(cut -d' ' -f1 "$work/nginx.txt" | median) requests/s, p99 $(cut -d' ' -f2 "$work/nginx.txt" | median) ms"
  echo "median deskgate $label: $(cut -d' ' -f1 "$work/deskgate.txt" | median) requests/s, p99 $(cut -d' ' -f2 "$work/deskgate.txt" | median) ms (budget <= 50 ms)"
  echo "round ratios: $(tr '\n' ' ' <"$work/ratio.txt")"
  echo "ratio (median of the rounds) $(median <"$work/ratio.txt") (budget >= $budget)"
}
