#!/usr/bin/env bash
# The inventory at a million rows (issue 17's targets), on 1,000,000 assets
# made by `deskgate seed`:
#  1. uncached GET /api/assets at random offsets across the whole list, for
#     every sort column, under wrk -t2 -c64 -d10s, against nginx serving a
#     static file of the same size in the same script (ratio, p99);
#  2. substring search: median time of 20 different searches;
#  3. CSV export of all 1,000,000 rows: time, and the server's RSS growth;
#  4. CSV import of 100,000 rows (dry run, then for real);
#  5. a bulk retirement of every asset matching a filter (~600,000 rows),
#     their restore, and a bulk change of as many;
#  6. the database's size.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/lib/vs_nginx.sh
rows=${ROWS:-1000000}
echo "== seeding $rows assets"
/usr/bin/time -f "seeded in %e s" build/native/bin/deskgate seed --assets "$rows" --software 1000 \
  --db "$work/bench.db" >/dev/null
start_deskgate
rss() { ps -o rss= -p "$(pgrep -f "serve --db $work/bench.db" | head -1)" | tr -d ' '; }

size=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/api/assets?limit=50&offset=500000" | wc -c)
start_nginx "$size"
echo
echo "== GET /api/assets?limit=50 at random offsets over all $rows rows ($size bytes), every sort"
nginx=$(measure "http://127.0.0.1:$nginx_port/static.json")
echo "nginx static file: ${nginx% *} requests/s (p99 ${nginx#* } ms)"
# SORTS picks columns.
for sort in ${SORTS:-name asset_tag type impact updated_at location managed_by_group managed_by_agent}; do
  cat >"$work/pages.lua" <<LUA
math.randomseed(7)
request = function()
  local offset = math.random(0, $rows - 50)
  return wrk.format("GET", "/api/assets?limit=50&sort=$sort&offset=" .. offset)
end
LUA
  out=$(wrk -t2 -c64 -d10s --latency -H "Cookie: $cookie" -s "$work/pages.lua" "http://127.0.0.1:$port")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  ratio=$(awk -v a="$rps" -v b="${nginx% *}" 'BEGIN { printf "%.3f", a / b }')
  echo "sort=$sort: $rps requests/s, p99 $p99, ratio to nginx $ratio (target >= 0.15, p99 <= 50 ms)"
done

echo
echo "== substring search, 20 different words, server time (curl time_starttransfer)"
for q in Dell Lenovo MacBook ThinkPad 7440 LT-0001 DT-00 SRV Latitude Pro X1 Elite 9000 Optiplex \
  Surface iPad Mac 14 Book Carbon; do
  curl -s -o /dev/null -w '%{time_starttransfer}\n' -H "Cookie: $cookie" \
    "http://127.0.0.1:$port/api/assets?limit=50&q=$q"
done | sort -n | awk '{ a[NR] = $1 } END { printf "median %.1f ms, slowest %.1f ms (target: median <= 30 ms)\n", a[int((NR + 1) / 2)] * 1000, a[NR] * 1000 }'

echo
echo "== CSV export of all $rows assets"
before=$(rss)
start=$(date +%s.%N)
curl -s -H "Cookie: $cookie" -o "$work/export.csv" "http://127.0.0.1:$port/api/assets.csv"
end=$(date +%s.%N)
after=$(rss)
echo "$(($(wc -l <"$work/export.csv") - 1)) rows, $(du -m "$work/export.csv" | cut -f1) MB in $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') s; server RSS $((before / 1024)) MB -> $((after / 1024)) MB (targets: <= 5 s, growth <= 50 MB)"

echo
echo "== CSV import of 100,000 rows (new asset tags; an upload may be 32 MiB)"
python3 - "$port" "$cookie" <<'PY'
import json, sys, time, urllib.request
port, cookie = sys.argv[1], sys.argv[2]
lines = ["name,asset_tag,type,serial_number,status,impact"]
lines += [f"Bench laptop {i},BENCH-{i:06d},Laptop,SN{i},in_use,medium" for i in range(100000)]
csv = "\r\n".join(lines) + "\r\n"
def run(dry):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/assets/import", method="POST",
                                 data=json.dumps({"csv": csv, "dry_run": dry}).encode(),
                                 headers={"Cookie": cookie, "Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(req) as r:
        report = json.load(r)
    return time.perf_counter() - start, report
t, r = run(True)
print(f"dry run: {t * 1000:.0f} ms, {r['created']} would be added, {len(r['problems'])} problems")
t, r = run(False)
print(f"import: {t * 1000:.0f} ms, {r['created']} added (target: <= 5 s)")
PY

echo
echo "== bulk actions over every asset a filter matches, one transaction each"
python3 - "$port" "$cookie" <<'PY'
import json, sys, time, urllib.request
port, cookie = sys.argv[1], sys.argv[2]
def post(path, body):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method="POST",
                                 data=json.dumps(body).encode(),
                                 headers={"Cookie": cookie, "Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(req) as r:
        raw = r.read()
    return time.perf_counter() - start, json.loads(raw), len(raw)
for label, path, body in [
    ("retire impact low", "/api/assets/bulk/retire",
     {"selection": {"filter": {"impact": "low"}, "except": []}}),
    ("restore them", "/api/assets/bulk/restore",
     {"selection": {"filter": {"retired": True}, "except": []}}),
    ("impact low -> high", "/api/assets/bulk",
     {"selection": {"filter": {"impact": "low"}, "except": []}, "change": {"impact": "high"}}),
]:
    took, reply, size = post(path, body)
    per = took * 500_000 / max(reply["updated"], 1)
    print(f"{label}: {reply['updated']} updated in {took:.2f} s ({per:.2f} s per 500,000), "
          f"reply {size} bytes (summary: {reply.get('summary', False)}; target: 500,000 rows <= 5 s)")
PY

echo
echo "== database size"
sqlite3 "$work/bench.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
echo "$(du -m "$work/bench.db" | cut -f1) MB for $rows assets (+ 100,000 imported, 1,000 software)"
