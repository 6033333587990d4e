// Site: how people reach this server. It knows the public origin (the
// address in the browser's bar: serve --public-url, else the address
// listened on) and the reverse proxies whose X-Forwarded-For is believed
// (serve --trusted-proxy). Cookie flags, the same-origin rule, HSTS and the
// client address that throttles and audit entries record all follow from
// those two facts.
//
// One Site per HttpServer, handed to the routes. It is written before
// serving starts (the origin may wait for Bind to learn the port) and only
// read afterwards, so any thread may read it without locking.
#pragma once

#include <httplib.h>

#include <string>
#include <vector>

namespace deskgate::http {

class Site {
 public:
  Site(std::string public_url, std::vector<std::string> trusted_proxies);

  // With no public URL, the origin is the listening address; called once
  // the port is known.
  void UseListeningAddress(const std::string& host, int port);

  const std::string& origin() const { return origin_; }
  bool ServedOverTls() const;

  // "; Secure" when served over TLS, else "": for every Set-Cookie.
  const char* SecureCookieFlag() const;

  // A cookie's name as deskgate sets and reads it: over TLS with the
  // __Host- prefix (browsers then take it only with Secure, Path=/ and no
  // Domain, so neither a sibling subdomain nor plain http can plant one).
  std::string CookieName(const char* base) const;

  // Whether a request the browser sent names this site as its Origin.
  // Requests without an Origin header (curl, same-origin GETs) pass.
  bool IsSameOrigin(const httplib::Request& req) const;

  bool IsTrustedProxy(const std::string& address) const;

  // The client's address. Behind a trusted proxy it is the one the proxy
  // saw, from X-Forwarded-For: the rightmost address not itself a trusted
  // proxy, since anything to its left was written by the client.
  std::string ClientAddress(const httplib::Request& req) const;

 private:
  std::string origin_;
  bool explicit_origin_;
  std::vector<std::string> trusted_proxies_;
};

}  // namespace deskgate::http
