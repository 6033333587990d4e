// AuthSettings: one portal's authentication settings, as the settings API
// reads and writes them (GET|PUT /api/settings/authentication/{portal}).
//
// Sections: portal_access (how people sign in), password (the
// PasswordPolicy plus when a tightened policy applies to existing
// passwords) and session (timeouts). The MFA section joins with the MFA
// feature. Parsing validates every field; a missing section or field keeps
// its default, an unknown one is an error naming it.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "shared/password_policy.h"
#include "shared/status.h"

namespace deskgate {

enum class SettingsPortal { kAgent, kContact };

struct SessionSettings {
  static constexpr FieldRange kIdleMinutesRange{5, 1440};
  static constexpr FieldRange kLifetimeHoursRange{1, 720};
  int idle_timeout_minutes = 30;
  int absolute_timeout_hours = 12;
  bool operator==(const SessionSettings&) const = default;
};

struct AuthSettings {
  // Agents: "password", "sso" or "both". Contacts: "email_only",
  // "sso_only" or "microsoft_and_email".
  std::string portal_access;
  PasswordPolicy password;
  // When a tightened policy applies to existing passwords: "next_login"
  // (users whose password no longer passes must change it when they sign
  // in) or "next_change" (only when they next change it).
  std::string enforce_policy = "next_change";
  SessionSettings session;
  bool operator==(const AuthSettings&) const = default;
};

// The portal-access modes a portal offers, in display order, and whether
// each needs an identity provider (single sign-on).
struct PortalAccessMode {
  std::string_view mode;
  bool needs_sso;
};
std::span<const PortalAccessMode> PortalAccessModes(SettingsPortal portal);
// [{"mode","needs_sso"}…]
std::string PortalAccessModesToJson(SettingsPortal portal);

AuthSettings DefaultAuthSettings(SettingsPortal portal);

// Parses a full settings document. `sso_configured` says whether an
// identity provider exists: modes that need one are refused without it, so
// no admin can lock everyone out.
Result<AuthSettings> ParseAuthSettings(std::string_view json, SettingsPortal portal,
                                       bool sso_configured);

std::string AuthSettingsToJson(const AuthSettings& settings);

// True when the portal-access mode lets people sign in with a password.
bool AllowsPasswordLogin(const AuthSettings& settings);

}  // namespace deskgate
