// HttpsClient: the outbound requests of single sign-on (discovery, keys,
// token exchange). HTTPS only, certificates always verified (against the
// system's trust store, or a CA file for private providers), no redirects
// followed, bounded time and response size, and only public addresses
// (address_policy.h) unless the operator allows private networks.
// Failures read the same whatever went wrong (refused, timed out, a TLS
// problem), so the answers cannot map a network; the details go to the
// server's log.
#pragma once

#include <string>

#include "shared/core/status.h"

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
  // `allow_private_networks`: also reach loopback, link-local and private
  // addresses (a provider inside the organisation's network, and tests).
  explicit HttpsClient(std::string ca_file, bool allow_private_networks = false)
      : ca_file_(std::move(ca_file)), allow_private_networks_(allow_private_networks) {}

  Result<HttpsResponse> Get(const std::string& url) const;
  // POSTs an application/x-www-form-urlencoded body.
  Result<HttpsResponse> PostForm(const std::string& url, const std::string& form) const;

 private:
  Result<HttpsResponse> Perform(const std::string& url, const std::string* form) const;

  std::string ca_file_;
  bool allow_private_networks_;
};

}  // namespace deskgate::net
