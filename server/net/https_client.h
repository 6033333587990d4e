// HttpsClient: the outbound requests of single sign-on (discovery, keys,
// token exchange). HTTPS only, certificates always verified (against the
// system's trust store, or a CA file for private providers), no redirects
// followed, bounded time and response size.
#pragma once

#include <string>

#include "shared/status.h"

namespace deskgate::net {

struct HttpsResponse {
  long status = 0;
  std::string body;
};

class HttpsClient {
 public:
  static constexpr long kTimeoutSeconds = 10;
  static constexpr size_t kMaxResponseBytes = 1 << 20;

  // `ca_file`: PEM certificates to trust instead of the system's; "" = system.
  explicit HttpsClient(std::string ca_file) : ca_file_(std::move(ca_file)) {}

  Result<HttpsResponse> Get(const std::string& url) const;
  // POSTs an application/x-www-form-urlencoded body.
  Result<HttpsResponse> PostForm(const std::string& url, const std::string& form) const;

 private:
  Result<HttpsResponse> Perform(const std::string& url, const std::string* form) const;

  std::string ca_file_;
};

}  // namespace deskgate::net
