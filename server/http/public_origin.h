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

}  // namespace deskgate::http
