// SsoSettings: a portal's identity provider for single sign-on, as the
// settings API reads and writes it (GET|PUT /api/settings/sso/{portal}).
//
// Two kinds: "entra" (Microsoft Entra ID, named by its directory (tenant)
// id, a verified domain, or "organizations"/"common" for any work account)
// and "oidc" (any OpenID provider, named by its issuer URL). The client
// secret travels in on PUT only; the server seals it and never writes it out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "shared/core/json_value.h"
#include "shared/core/status.h"

namespace deskgate {

struct SsoSettings {
  std::string kind;  // "entra" or "oidc"
  // Entra: the tenant, and the cloud's sign-in host (another host serves
  // the national clouds).
  std::string tenant;
  std::string authority = "https://login.microsoftonline.com";
  std::string issuer;  // oidc: the provider's issuer URL (https)
  std::string client_id;
  // Only tokens from these Entra tenants / with emails in these domains
  // sign in (empty: no restriction).
  std::vector<std::string> allowed_tenants;
  std::vector<std::string> allowed_domains;
  // Contact portal: a verified email with no contact yet creates one.
  bool create_contacts = false;
  // An existing account links to the identity whose verified email names
  // it at its first single sign-on, without its holder confirming. Only
  // for a provider whose emails the organisation controls, set by an
  // Administrator; never applies to Administrators' own accounts. Off, the
  // holder confirms the first link (a password sign-in, or a mailed link).
  bool link_by_email = false;

  // Set by PUT when a new secret is given; never serialized.
  std::string client_secret;

  bool operator==(const SsoSettings&) const = default;

  // Where the provider's discovery document lives.
  std::string DiscoveryUrl() const;
  // "Microsoft" or "single sign-on": how the sign-in button names the provider.
  std::string_view ButtonLabel() const;
  // True when a change from `before` to this would make tokens come from a
  // different provider or application (what a tested sign-in vouched for).
  bool SameProviderAs(const SsoSettings& before) const;
};

// Parses a PUT body (stored settings too). `contact_portal`: only contacts
// may be created on first sign-in; agents never are.
Result<SsoSettings> ParseSsoSettings(std::string_view json, bool contact_portal);
Result<SsoSettings> SsoSettingsFromJson(const JsonValue& body, bool contact_portal);

// Everything but the secret.
std::string SsoSettingsToJson(const SsoSettings& settings);

}  // namespace deskgate
