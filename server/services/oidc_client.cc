#include "server/services/oidc_client.h"

#include <optional>

#include "shared/core/json_value.h"
#include "shared/core/url_encoding.h"

namespace deskgate::services {
namespace {

// A string member of an object, or "" (absent, another type, not an object).
std::string StringMember(const JsonValue& object, const char* key) {
  const JsonValue* value = object.Find(key);
  return value != nullptr && value->is_string() ? value->as_string() : std::string();
}

// A provider's JSON answer, read by the same bounded reader as requests;
// anything unreadable counts as null.
JsonValue ReadAnswer(const std::string& body) {
  auto doc = ParseJson(body);
  return doc.ok() ? std::move(doc).value() : JsonValue();
}

bool IsHttps(const std::string& url) {
  return url.rfind("https://", 0) == 0;
}

}  // namespace

bool IssuerMatches(const SsoSettings& settings, const std::string& discovered) {
  if (settings.kind != "entra")
    return WithoutTrailingSlash(discovered) == WithoutTrailingSlash(settings.issuer);
  // Entra names a tenant-specific issuer (a domain tenant resolves to its
  // id) or, for "organizations"/"common", the {tenantid} template.
  const std::string prefix = settings.authority + "/";
  return discovered.rfind(prefix, 0) == 0 && discovered.size() > prefix.size() + 5 &&
         discovered.compare(discovered.size() - 5, 5, "/v2.0") == 0;
}

Result<ProviderMetadata> OidcClient::Metadata(const SsoSettings& settings) {
  const std::string url = settings.DiscoveryUrl();
  {
    std::lock_guard lock(metadata_mutex_);
    auto it = metadata_.find(url);
    if (it != metadata_.end()) {
      const auto age = Clock::now() - it->second.fetched;
      const Result<ProviderMetadata>& cached = it->second.metadata;
      if (!cached.ok() && age < kFailureMemory) return cached;
      if (cached.ok() && age < kMetadataLifetime &&
          IssuerMatches(settings, cached.value().issuer)) {
        return cached;
      }
    }
  }
  auto fetched = FetchMetadata(settings);
  std::lock_guard lock(metadata_mutex_);
  metadata_[url] = {fetched, Clock::now()};
  return fetched;
}

Result<ProviderMetadata> OidcClient::FetchMetadata(const SsoSettings& settings) {
  const std::string url = settings.DiscoveryUrl();
  auto response = https_.Get(url);
  if (!response.ok()) return Status::Error("discovery: " + response.error());
  if (response.value().status != 200) {
    return Status::Error("discovery: " + url + " answered HTTP " +
                         std::to_string(response.value().status));
  }
  const JsonValue doc = ReadAnswer(response.value().body);
  if (!doc.is_object()) return Status::Error("discovery: " + url + " is not a JSON object");
  ProviderMetadata m{StringMember(doc, "issuer"), StringMember(doc, "authorization_endpoint"),
                     StringMember(doc, "token_endpoint"), StringMember(doc, "jwks_uri"),
                     StringMember(doc, "end_session_endpoint")};
  if (!IssuerMatches(settings, m.issuer)) {
    return Status::Error("discovery: the document names issuer \"" + m.issuer +
                         "\", not the configured one");
  }
  if (!IsHttps(m.authorization_endpoint) || !IsHttps(m.token_endpoint) || !IsHttps(m.jwks_uri)) {
    return Status::Error("discovery: the endpoints must be https URLs");
  }
  if (!m.end_session_endpoint.empty() && !IsHttps(m.end_session_endpoint)) {
    m.end_session_endpoint.clear();
  }
  return m;
}

Result<OidcClient::Keys> OidcClient::FetchKeys(const std::string& jwks_uri) {
  auto response = https_.Get(jwks_uri);
  if (!response.ok()) return Status::Error("signature: keys: " + response.error());
  if (response.value().status != 200) {
    return Status::Error("signature: keys: HTTP " + std::to_string(response.value().status));
  }
  const JsonValue doc = ReadAnswer(response.value().body);
  const JsonValue* listed = doc.Find("keys");
  if (listed == nullptr || !listed->is_array()) {
    return Status::Error("signature: the key set is not a JWKS document");
  }
  Keys keys;
  for (const JsonValue& jwk : listed->items()) {
    if (!jwk.is_object() || StringMember(jwk, "kty") != "RSA") continue;
    const std::string use = StringMember(jwk, "use"), alg = StringMember(jwk, "alg");
    if ((!use.empty() && use != "sig") || (!alg.empty() && alg != "RS256")) continue;
    auto key = crypto::RsaPublicKey::FromJwk(StringMember(jwk, "n"), StringMember(jwk, "e"));
    if (key.ok()) keys.insert_or_assign(StringMember(jwk, "kid"), std::move(key).value());
  }
  return keys;
}

bool OidcClient::AllowFetch(KeySet& set) {
  const auto now = Clock::now();
  std::erase_if(set.refetches,
                [&](Clock::time_point t) { return now - t > std::chrono::minutes(1); });
  if (set.refetches.size() >= kRefetchesPerMinute) return false;
  set.refetches.push_back(now);
  return true;
}

Status OidcClient::VerifySignature(const ProviderMetadata& metadata, const Jwt& jwt) {
  if (jwt.alg != "RS256") return Status::Error("signature: algorithm " + jwt.alg + " refused");
  std::optional<crypto::RsaPublicKey> key;
  bool fetch = false;
  {
    std::lock_guard lock(keys_mutex_);
    KeySet& set = key_sets_[metadata.jwks_uri];
    const bool stale = set.keys.empty() || Clock::now() - set.fetched > kKeysLifetime;
    if (auto it = set.keys.find(jwt.kid); it != set.keys.end() && !stale) key = it->second;
    fetch = !key && AllowFetch(set);
    if (!key && !fetch) {
      if (auto it = set.keys.find(jwt.kid); it != set.keys.end()) key = it->second;
    }
  }
  if (fetch) {
    // Outside the lock: other sign-ins go on while this one waits.
    auto keys = FetchKeys(metadata.jwks_uri);
    std::lock_guard lock(keys_mutex_);
    KeySet& set = key_sets_[metadata.jwks_uri];
    if (keys.ok()) {
      set.keys = std::move(keys).value();
      set.fetched = Clock::now();
    }
    if (auto it = set.keys.find(jwt.kid); it != set.keys.end()) key = it->second;
    if (!key && !keys.ok()) return keys.status();
  }
  if (!key) return Status::Error("signature: unknown key id");
  if (!key->VerifyRs256(jwt.signing_input, jwt.signature)) {
    return Status::Error("signature: does not verify");
  }
  return Status::Ok();
}

Result<std::string> OidcClient::ExchangeCode(const ProviderMetadata& metadata,
                                             const CodeExchange& request) {
  UrlParams form = {{"grant_type", "authorization_code"},
                    {"code", request.code},
                    {"redirect_uri", request.redirect_uri},
                    {"client_id", request.client_id},
                    {"code_verifier", request.code_verifier}};
  // client_secret_post: both Entra and generic providers accept it.
  if (!request.client_secret.empty()) form.emplace_back("client_secret", request.client_secret);
  auto response = https_.PostForm(metadata.token_endpoint, EncodeParams(form));
  if (!response.ok()) return Status::Error("token: " + response.error());
  const JsonValue doc = ReadAnswer(response.value().body);
  if (response.value().status != 200) {
    const std::string error = StringMember(doc, "error");
    return Status::Error(
        "token: the provider refused the code (" +
        (error.empty() ? "HTTP " + std::to_string(response.value().status) : error) + ")");
  }
  const std::string id_token = StringMember(doc, "id_token");
  if (id_token.empty()) return Status::Error("token: the answer holds no ID token");
  return id_token;
}

}  // namespace deskgate::services
