// AuthSettings: one portal's authentication settings, as the settings API
// reads and writes them (GET|PUT /api/settings/authentication/{portal}).
//
// Sections: portal_access (how people sign in), mfa (methods, issuer and
// when a new requirement applies), password (the PasswordPolicy plus when
// a tightened policy applies to existing passwords) and session
// (timeouts). Parsing validates every field; an unknown one is an error
// naming it. A section's missing fields take their defaults; a change (the
// settings PUT) leaves the sections it omits as they were.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "shared/core/portal.h"
#include "shared/core/status.h"
#include "shared/mfa/mfa_settings.h"
#include "shared/password/password_policy.h"

namespace deskgate {

// Which portal a document belongs to (shared/core/portal.h).
using SettingsPortal = Portal;

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
  MfaSettings mfa;
  bool operator==(const AuthSettings&) const = default;
};

// The portal-access modes a portal offers, in display order, whether each
// needs an identity provider (single sign-on) and whether it takes passwords.
struct PortalAccessMode {
  std::string_view mode;
  bool needs_sso;
  bool allows_password;  // false: single sign-on only
};
std::span<const PortalAccessMode> PortalAccessModes(SettingsPortal portal);
// [{"mode","needs_sso","allows_password"}…]
std::string PortalAccessModesToJson(SettingsPortal portal);

AuthSettings DefaultAuthSettings(SettingsPortal portal);

// Parses a stored settings document. `sso_configured` says whether an
// identity provider exists: modes that need one are refused without it, so
// no admin can lock everyone out.
Result<AuthSettings> ParseAuthSettings(std::string_view json, SettingsPortal portal,
                                       bool sso_configured);

// Applies a change (an object with any of the sections) to `current`: each
// section given replaces the current one (its missing fields take their
// defaults), and a section left out keeps its current values, so a PUT of
// only "session" leaves MFA as it was. A refusal names every bad field,
// one "section.field: problem" per line.
Result<AuthSettings> ApplyAuthSettingsChange(const JsonValue& change, const AuthSettings& current,
                                             SettingsPortal portal, bool sso_configured);

std::string AuthSettingsToJson(const AuthSettings& settings);

// True when the portal-access mode lets people sign in with a password.
bool AllowsPasswordLogin(const AuthSettings& settings);

// True when the portal-access mode offers single sign-on (so needs a provider).
bool UsesSingleSignOn(const AuthSettings& settings);

}  // namespace deskgate
