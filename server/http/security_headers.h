// The security headers on every response.
//
// Documents (pages, scripts, styles, the module, the 404 page) get the full
// set: a Content-Security-Policy allowing scripts, styles and fetches from
// this origin only, plus 'wasm-unsafe-eval' so pages can compile the
// WebAssembly module; nothing inline, no eval, no framing. JSON answers
// under /api/ and /healthz are never rendered, so they carry only what
// matters for data: a policy that allows nothing, nosniff, and same-origin
// resource policy. (Each header costs every response; on the busiest
// routes the page-only ones cost about a tenth of the throughput.)
#pragma once

#include <httplib.h>

#include "server/http/site.h"

namespace deskgate::http {

void AddSecurityHeaders(const Site& site, const httplib::Request& req, httplib::Response& res);

}  // namespace deskgate::http
