#include "shared/sso/id_token.h"

#include <algorithm>
#include <cctype>

#include "shared/core/char_class.h"

namespace deskgate {
namespace {

constexpr size_t kMaxClaimBytes = 512;

Status Refuse(std::string_view reason, std::string_view detail) {
  return Status::Error(std::string(reason) + ": " + std::string(detail));
}

// A string claim, "" when absent or not a string.
std::string StringClaim(const JsonValue& claims, std::string_view name) {
  const JsonValue* v = claims.Find(name);
  return v != nullptr && v->is_string() && v->as_string().size() <= kMaxClaimBytes ? v->as_string()
                                                                                   : std::string();
}

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::any_of(list.begin(), list.end(), [&](const std::string& entry) {
    return LowerAscii(entry) == LowerAscii(item);
  });
}

Status CheckIssuer(const JsonValue& claims, const IdTokenRules& rules) {
  std::string expected = rules.issuer;
  if (const size_t at = expected.find(kTenantPlaceholder); at != std::string::npos) {
    const std::string tid = StringClaim(claims, "tid");
    // Anything but a GUID must not be spliced into an issuer.
    if (!IsTenantId(tid)) return Refuse("issuer", "the token names no tenant");
    expected.replace(at, kTenantPlaceholder.size(), tid);
  }
  if (StringClaim(claims, "iss") != expected) return Refuse("issuer", "issued by someone else");
  return Status::Ok();
}

Status CheckAudience(const JsonValue& claims, const IdTokenRules& rules) {
  const JsonValue* aud = claims.Find("aud");
  bool listed = false;
  size_t count = 0;
  if (aud != nullptr && aud->is_string()) {
    listed = aud->as_string() == rules.client_id;
    count = 1;
  } else if (aud != nullptr && aud->is_array()) {
    for (const JsonValue& item : aud->items()) {
      listed = listed || (item.is_string() && item.as_string() == rules.client_id);
    }
    count = aud->items().size();
  }
  if (!listed) return Refuse("audience", "the token is for another application");
  // §3.1.3.7 (4, 5): with several audiences, the authorized party must be us.
  const std::string azp = StringClaim(claims, "azp");
  if ((count > 1 || !azp.empty()) && azp != rules.client_id) {
    return Refuse("audience", "the token was issued to another application");
  }
  return Status::Ok();
}

// A numeric date claim; false when absent or not a number.
bool TimeClaim(const JsonValue& claims, std::string_view name, int64_t& out) {
  const JsonValue* v = claims.Find(name);
  if (v == nullptr || !v->is_number() || !(v->as_number() >= 0 && v->as_number() < 1e11)) {
    return false;
  }
  out = static_cast<int64_t>(v->as_number());
  return true;
}

Status CheckTimes(const JsonValue& claims, const IdTokenRules& rules) {
  int64_t exp = 0, iat = 0, nbf = 0;
  if (!TimeClaim(claims, "exp", exp) || !TimeClaim(claims, "iat", iat)) {
    return Refuse("claims", "exp and iat are required");
  }
  if (rules.now > exp + rules.clock_skew) return Refuse("expired", "the token has expired");
  if (iat > rules.now + rules.clock_skew)
    return Refuse("expired", "the token is issued in the future");
  if (TimeClaim(claims, "nbf", nbf) && nbf > rules.now + rules.clock_skew) {
    return Refuse("expired", "the token is not valid yet");
  }
  return Status::Ok();
}

bool EmailVerified(const JsonValue& claims, const IdTokenRules& rules, const std::string& tenant) {
  const JsonValue* verified = claims.Find(rules.entra ? "xms_edov" : "email_verified");
  // Some providers send the boolean as a string.
  const bool vouched =
      verified != nullptr && ((verified->is_bool() && verified->as_bool()) ||
                              (verified->is_string() && verified->as_string() == "true"));
  if (vouched) return true;
  return rules.entra && !tenant.empty() && Contains(rules.allowed_tenants, tenant);
}

}  // namespace

bool IsTenantId(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

Result<ProviderIdentity> CheckIdToken(const JsonValue& claims, const IdTokenRules& rules) {
  if (!claims.is_object()) return Refuse("claims", "not a JSON object");
  if (Status s = CheckIssuer(claims, rules); !s.ok()) return s;
  if (Status s = CheckAudience(claims, rules); !s.ok()) return s;
  if (Status s = CheckTimes(claims, rules); !s.ok()) return s;
  // The nonce ties the token to the sign-in this browser started (no replay).
  const std::string nonce = StringClaim(claims, "nonce");
  if (rules.nonce.empty() || nonce != rules.nonce) {
    return Refuse("nonce", "the token belongs to another sign-in");
  }

  ProviderIdentity identity;
  identity.issuer = StringClaim(claims, "iss");
  identity.tenant = StringClaim(claims, "tid");
  identity.subject = StringClaim(claims, rules.entra ? "oid" : "sub");
  if (identity.subject.empty()) {
    return Refuse("claims", rules.entra ? "the token has no oid" : "the token has no sub");
  }
  if (!rules.allowed_tenants.empty() && !Contains(rules.allowed_tenants, identity.tenant)) {
    return Refuse("tenant", "this organization may not sign in here");
  }
  identity.email = LowerAscii(StringClaim(claims, "email"));
  identity.email_verified =
      !identity.email.empty() && EmailVerified(claims, rules, identity.tenant);
  if (!rules.allowed_domains.empty()) {
    const size_t at = identity.email.rfind('@');
    const std::string domain = at == std::string::npos ? "" : identity.email.substr(at + 1);
    if (!identity.email_verified || !Contains(rules.allowed_domains, domain)) {
      return Refuse("domain", "this email domain may not sign in here");
    }
  }
  identity.name = StringClaim(claims, "name");
  return identity;
}

}  // namespace deskgate
