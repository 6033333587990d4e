// CheckIdToken: the claim rules of an OpenID Connect ID token (OpenID
// Connect Core §3.1.3.7), applied after its signature has verified, and
// what deskgate takes from it to find the account.
//
// Refusals are Status errors whose message starts with a reason word
// ("issuer:", "audience:", "expired:", "nonce:", "tenant:", "domain:",
// "claims:") that audit entries and the sign-in page's error code use.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/core/json_value.h"
#include "shared/core/status.h"

namespace deskgate {

struct IdTokenRules {
  // The issuer the token must name. Microsoft Entra's multi-tenant
  // endpoints publish "https://login.microsoftonline.com/{tenantid}/v2.0":
  // "{tenantid}" then stands for the token's own "tid" claim.
  std::string issuer;
  std::string client_id;
  std::string nonce;  // the one sent with this sign-in
  int64_t now = 0;    // Unix seconds
  int64_t clock_skew = 120;
  // Empty = any. Tenants are matched against "tid"; domains against the
  // email's domain, case-insensitively.
  std::vector<std::string> allowed_tenants;
  std::vector<std::string> allowed_domains;
  // Microsoft Entra: the account is identified by "oid" (the user object,
  // stable across apps), and an email counts as verified only when the
  // tenant vouches for its domain ("xms_edov") or the admin listed the
  // tenant as allowed (trusting that directory's addresses).
  bool entra = false;
};

// Who signed in, as far as deskgate cares.
struct ProviderIdentity {
  std::string issuer;   // the token's "iss"
  std::string subject;  // "oid" for Entra, else "sub": stable per issuer
  std::string tenant;   // "tid", "" when absent
  std::string email;    // lower-cased; "" when absent
  bool email_verified = false;
  std::string name;
};

Result<ProviderIdentity> CheckIdToken(const JsonValue& claims, const IdTokenRules& rules);

// The issuer template's placeholder, as Entra's discovery documents spell it.
inline constexpr std::string_view kTenantPlaceholder = "{tenantid}";

// An Entra tenant (directory) id: a GUID, 8-4-4-4-12 hex digits.
bool IsTenantId(std::string_view text);

}  // namespace deskgate
