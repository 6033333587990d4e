#include "server/http/client_address.h"

#include <algorithm>

namespace deskgate::http {
namespace {

std::vector<std::string>& Trusted() {
  static std::vector<std::string> trusted;
  return trusted;
}

std::string Trim(std::string_view text) {
  const size_t start = text.find_first_not_of(" \t");
  if (start == std::string_view::npos) return "";
  const size_t end = text.find_last_not_of(" \t");
  return std::string(text.substr(start, end - start + 1));
}

}  // namespace

bool IsTrusted(const std::string& address) {
  const auto& trusted = Trusted();
  return std::find(trusted.begin(), trusted.end(), address) != trusted.end();
}

void SetTrustedProxies(std::vector<std::string> addresses) {
  Trusted() = std::move(addresses);
}

std::string ClientAddress(const httplib::Request& req) {
  if (Trusted().empty() || !IsTrusted(req.remote_addr)) return req.remote_addr;
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
    if (!IsTrusted(hop)) return hop;
  }
  return req.remote_addr;
}

}  // namespace deskgate::http
