// The origin people reach deskgate at (serve --public-url, else the address
// it listens on). Set once at startup, before serving; read by the cookie
// and same-origin checks. Over https, cookies carry Secure.
#pragma once

#include <string>

namespace deskgate::http {

void SetPublicOrigin(std::string origin);
const std::string& PublicOrigin();
bool ServedOverTls();

// "; Secure" when served over TLS, else "": for every Set-Cookie.
const char* SecureCookieFlag();

// A cookie's name as deskgate sets and reads it: over TLS with the
// __Host- prefix (browsers then take it only with Secure, Path=/ and no
// Domain, so neither a sibling subdomain nor plain http can plant one).
std::string CookieName(const char* base);

}  // namespace deskgate::http
