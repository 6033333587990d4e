// OidcClient: what deskgate asks of an OpenID provider, with caching.
//
//  - Metadata: the discovery document (OpenID Connect Discovery 1.0),
//    cached for an hour; its issuer must be the one configured.
//  - Signature: ID tokens are RS256 only (no "none", no HMAC with a public
//    key); keys come from the provider's JWKS, cached. A token naming a key
//    id the cache lacks makes one refetch (the provider rotated its keys);
//    every fetch of a key set, stale or not, counts against
//    kRefetchesPerMinute, and a key still unknown is refused.
//  - A failed discovery is remembered for kFailureMemory, so a provider
//    that is down costs one slow request, not one per sign-in.
//  - No lock is held during network requests: a slow provider delays only
//    the sign-ins that need it.
//  - Token exchange: the authorization code with the PKCE verifier.
//
// Thread-safe. Network errors come back as Status messages naming the host.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "server/crypto/rsa_public_key.h"
#include "server/net/https_client.h"
#include "shared/core/status.h"
#include "shared/sso/jwt.h"
#include "shared/sso/sso_settings.h"

namespace deskgate::services {

struct ProviderMetadata {
  std::string issuer;  // may hold Entra's "{tenantid}" placeholder
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
  std::string end_session_endpoint;  // "" when the provider has none
};

struct CodeExchange {
  std::string code;
  std::string code_verifier;
  std::string redirect_uri;
  std::string client_id;
  std::string client_secret;  // "" for a public client
};

class OidcClient {
 public:
  static constexpr int kRefetchesPerMinute = 10;
  static constexpr std::chrono::minutes kMetadataLifetime{60};
  static constexpr std::chrono::hours kKeysLifetime{24};
  static constexpr std::chrono::seconds kFailureMemory{30};

  explicit OidcClient(const net::HttpsClient& https) : https_(https) {}

  Result<ProviderMetadata> Metadata(const SsoSettings& settings);
  // Verifies `jwt`'s signature with the provider's keys ("signature: …" on refusal).
  Status VerifySignature(const ProviderMetadata& metadata, const Jwt& jwt);
  // The ID token from the token endpoint ("token: …" on refusal).
  Result<std::string> ExchangeCode(const ProviderMetadata& metadata, const CodeExchange& request);

 private:
  using Clock = std::chrono::steady_clock;
  struct CachedMetadata {
    Result<ProviderMetadata> metadata = Status::Error("not fetched");
    Clock::time_point fetched;
  };
  struct KeySet {
    std::map<std::string, crypto::RsaPublicKey> keys;  // by kid ("" when the provider gives none)
    Clock::time_point fetched;
    std::vector<Clock::time_point> refetches;  // within the last minute
  };

  Result<ProviderMetadata> FetchMetadata(const SsoSettings& settings);
  using Keys = std::map<std::string, crypto::RsaPublicKey>;
  Result<Keys> FetchKeys(const std::string& jwks_uri);
  // Whether a fetch of `set` is allowed now (and counts it). Caller holds keys_mutex_.
  static bool AllowFetch(KeySet& set);

  const net::HttpsClient& https_;
  std::mutex metadata_mutex_;
  std::map<std::string, CachedMetadata> metadata_;  // by discovery URL
  std::mutex keys_mutex_;
  std::map<std::string, KeySet> key_sets_;  // by jwks_uri
};

// Whether the discovery document's issuer is the one `settings` name.
bool IssuerMatches(const SsoSettings& settings, const std::string& discovered);

}  // namespace deskgate::services
