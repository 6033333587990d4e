// MfaSettings: a portal's multi-factor settings (the "mfa" section of its
// authentication settings), and what a change of them means for people
// already signed in.
#pragma once

#include <string>

namespace deskgate {

struct MfaSettings {
  bool authenticator_app = false;  // TOTP, RFC 6238
  bool email_otp = false;          // a 6-digit code by email
  // The label authenticator apps show next to the account.
  std::string issuer = "deskgate Helpdesk";
  // When newly required MFA applies: "immediately" (the portal's sessions
  // end at once) or "next_login" (current sessions continue).
  std::string enforcement = "next_login";
  bool enabled() const { return authenticator_app || email_otp; }
  bool operator==(const MfaSettings&) const = default;
};

// True when `after` requires a second factor where `before` required none:
// what the "immediately" enforcement acts on. (Adding a method to MFA that
// is already on gives people another way in, not a new requirement.)
inline bool MfaTightened(const MfaSettings& before, const MfaSettings& after) {
  return !before.enabled() && after.enabled();
}

// True when saving `after` over `before` ends the portal's other sessions
// at once: MFA newly required with enforcement "immediately". The settings
// page asks for confirmation on the same rule.
inline bool MfaChangeEndsSessions(const MfaSettings& before, const MfaSettings& after) {
  return MfaTightened(before, after) && after.enforcement == "immediately";
}

}  // namespace deskgate
