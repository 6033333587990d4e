// PasswordReset: "Forgot your password?" on both sign-in pages.
//
// Asking for a link answers the same whether or not the account exists (a
// stranger learns nothing); when it does, and the person may sign in with a
// password, a single-use link valid kLifetime goes out through the outbox.
// Requests are throttled per address and, silently, per account (nobody's
// inbox can be filled). Choosing the new password checks the portal's
// policy and reuse history, ends every session of the person and clears a
// pending password change; MFA is untouched, so the next sign-in still asks
// for the second factor. Portals that sign in through single sign-on only
// offer no reset (kPermissionDenied).
#pragma once

#include <cstdint>
#include <string>

#include "server/crypto/password_hasher.h"
#include "server/crypto/secret_box.h"
#include "server/services/clock.h"
#include "server/services/settings_service.h"
#include "server/services/throttle.h"
#include "server/store/store.h"

namespace deskgate::services {

// What the reset page shows: whose password, and the policy for the live check.
struct ResetView {
  store::Portal portal = store::Portal::kAgent;
  std::string email;
  std::string name;
  std::string policy_json;
};

class PasswordReset {
 public:
  static constexpr int64_t kLifetime = 30 * 60;
  static constexpr int kRequestsPerAddress = 20;  // per Throttle::kWindow
  static constexpr int kMailsPerAccount = 3;      // per Throttle::kWindow
  static constexpr int kBadLinksPerAddress = 20;

  PasswordReset(store::Store& store, const Clock& clock, const crypto::SecretBox& box,
                SettingsService& settings, crypto::PasswordHasher& hasher)
      : store_(store),
        clock_(clock),
        box_(box),
        settings_(settings),
        hasher_(hasher),
        throttle_(store) {}

  // Set once at startup, before serving: where links point.
  void SetPublicOrigin(std::string origin) { public_origin_ = std::move(origin); }

  // OK for any address, known or not; kThrottled per address;
  // kPermissionDenied on an SSO-only portal; kInvalidArgument for text that
  // is no email address.
  Status Request(store::Portal portal, const std::string& email, const std::string& ip);
  // kPermissionDenied for a link that is unknown, used, replaced or expired.
  Result<ResetView> Lookup(const std::string& token, const std::string& ip);
  Result<ResetView> Complete(const std::string& token, const std::string& password,
                             const std::string& ip);

 private:
  Result<store::PasswordResetRow> UsableReset(const std::string& token, const std::string& ip,
                                              int64_t now);
  Result<ResetView> ViewOf(const store::PasswordResetRow& row, store::Person* person_out);
  Status RequirePasswordPortal(store::Portal portal);

  store::Store& store_;
  const Clock& clock_;
  const crypto::SecretBox& box_;
  SettingsService& settings_;
  crypto::PasswordHasher& hasher_;
  Throttle throttle_;
  std::string public_origin_;
};

}  // namespace deskgate::services
