#include "server/http/public_origin.h"

namespace deskgate::http {
namespace {

std::string& Origin() {
  static std::string origin;
  return origin;
}

}  // namespace

void SetPublicOrigin(std::string origin) {
  while (!origin.empty() && origin.back() == '/') origin.pop_back();
  Origin() = std::move(origin);
}

const std::string& PublicOrigin() {
  return Origin();
}

bool ServedOverTls() {
  return Origin().rfind("https://", 0) == 0;
}

const char* SecureCookieFlag() {
  return ServedOverTls() ? "; Secure" : "";
}

std::string CookieName(const char* base) {
  return ServedOverTls() ? std::string("__Host-") + base : std::string(base);
}

}  // namespace deskgate::http
