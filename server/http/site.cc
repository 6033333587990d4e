#include "server/http/site.h"

#include <algorithm>
#include <string_view>

namespace deskgate::http {
namespace {

std::string Trim(std::string_view text) {
  const size_t start = text.find_first_not_of(" \t");
  if (start == std::string_view::npos) return "";
  const size_t end = text.find_last_not_of(" \t");
  return std::string(text.substr(start, end - start + 1));
}

std::string WithoutTrailingSlashes(std::string origin) {
  while (!origin.empty() && origin.back() == '/') origin.pop_back();
  return origin;
}

}  // namespace

Site::Site(std::string public_url, std::vector<std::string> trusted_proxies)
    : origin_(WithoutTrailingSlashes(std::move(public_url))),
      explicit_origin_(!origin_.empty()),
      trusted_proxies_(std::move(trusted_proxies)) {}

void Site::UseListeningAddress(const std::string& host, int port) {
  if (!explicit_origin_) origin_ = "http://" + host + ":" + std::to_string(port);
}

bool Site::ServedOverTls() const {
  return origin_.starts_with("https://");
}

const char* Site::SecureCookieFlag() const {
  return ServedOverTls() ? "; Secure" : "";
}

std::string Site::CookieName(const char* base) const {
  return ServedOverTls() ? std::string("__Host-") + base : std::string(base);
}

bool Site::IsSameOrigin(const httplib::Request& req) const {
  const std::string origin = req.get_header_value("Origin");
  // Behind a TLS proxy the browser's origin is the public one; directly,
  // it is this server's own address.
  return origin.empty() || origin == origin_ || origin == "http://" + req.get_header_value("Host");
}

bool Site::IsTrustedProxy(const std::string& address) const {
  return std::find(trusted_proxies_.begin(), trusted_proxies_.end(), address) !=
         trusted_proxies_.end();
}

std::string Site::ClientAddress(const httplib::Request& req) const {
  if (trusted_proxies_.empty() || !IsTrustedProxy(req.remote_addr)) return req.remote_addr;
  // Every X-Forwarded-For header, in order, as one comma-separated list.
  std::string chain;
  const size_t headers = req.get_header_value_count("X-Forwarded-For");
  for (size_t i = 0; i < headers; ++i) {
    if (!chain.empty()) chain += ',';
    chain += req.get_header_value("X-Forwarded-For", i);
  }
  std::string_view rest(chain);
  while (!rest.empty()) {
    const size_t comma = rest.rfind(',');
    const std::string hop = Trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    if (hop.empty() || hop.size() > 64) break;
    if (!IsTrustedProxy(hop)) return hop;
  }
  return req.remote_addr;
}

}  // namespace deskgate::http
