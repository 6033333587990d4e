// The client's address, as throttles and audit entries record it. Behind a
// reverse proxy (the usual TLS set-up) every request comes from the proxy;
// with the proxy named as trusted (serve --trusted-proxy), the address is
// the one the proxy saw, from X-Forwarded-For. Only the proxy's own entry
// is believed: the rightmost address not itself a trusted proxy, since
// anything to its left was written by the client.
#pragma once

#include <httplib.h>

#include <string>
#include <vector>

namespace deskgate::http {

// Set once at startup, before serving.
void SetTrustedProxies(std::vector<std::string> addresses);

std::string ClientAddress(const httplib::Request& req);

// Whether `address` is one of the trusted proxies.
bool IsTrusted(const std::string& address);

}  // namespace deskgate::http
