#include "server/http/security_headers.h"

#include <string_view>

namespace deskgate::http {
namespace {

bool IsDataPath(std::string_view path) {
  return path.starts_with("/api/") || path == "/healthz";
}

}  // namespace

void AddSecurityHeaders(const Site& site, const httplib::Request& req, httplib::Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  // Served over TLS (a proxy in front, --public-url https://…): browsers
  // are told to use nothing else for a year.
  if (site.ServedOverTls()) res.set_header("Strict-Transport-Security", "max-age=31536000");
  res.set_header("Cross-Origin-Resource-Policy", "same-origin");
  if (IsDataPath(req.path)) {
    res.set_header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    return;
  }
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
                 "img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'self'; "
                 "base-uri 'none'; frame-ancestors 'none'");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Cross-Origin-Opener-Policy", "same-origin");
  res.set_header("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
}

}  // namespace deskgate::http
