#!/usr/bin/env bash
# Session-authenticated GET /api/me under wrk -t2 -c64 -d10s on loopback,
# against nginx serving a static file of the same size in the same script.
# Budget (docs/budgets.md): >= 50% of nginx's requests/s, p99 <= 50 ms.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/lib/vs_nginx.sh
start_deskgate
compare_with_nginx "GET /api/me" /api/me 0.50
