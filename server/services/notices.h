// Notices: mail that tells people what they should know, through the
// outbox. The people who can act on a recovery-code request hear of it;
// a person hears of every security change to their account — a new
// authenticator app, a new password, recovery codes viewed or reissued by
// an administrator, MFA reset — so that a change they did not make is
// noticed.
//
// A change the person made themselves is told after a delay (a minute by
// default): they are in the middle of signing in or setting up, and the
// code or link mail that comes next must reach them first. Changes made by
// someone else are told at once.
//
// Notices are told after the change they report has been written; a notice
// that cannot be queued is lost, never the change.
#pragma once

#include <string>

#include "server/crypto/secret_box.h"
#include "server/services/clock.h"
#include "server/store/store.h"

namespace deskgate::services {

class Notices {
 public:
  static constexpr int64_t kLifetime = 24 * 60 * 60;  // not worth sending after a day

  Notices(store::Store& store, const Clock& clock, const crypto::SecretBox& box)
      : store_(store), clock_(clock), box_(box) {}

  // Set once at startup: where the links in the mail point.
  void SetPublicOrigin(std::string origin) { public_origin_ = std::move(origin); }

  // To every active agent who may handle recovery codes (Administrators
  // and roles with Access to Agent Recovery Code and Reset MFA), except
  // the requester.
  void RecoveryRequested(const store::Person& requester);
  static constexpr int64_t kDefaultOwnChangeDelay = 60;
  // Set once at startup: how long a notice of a person's own change waits.
  void SetOwnChangeDelay(int64_t seconds) { own_change_delay_ = seconds; }

  enum class By { kThemselves, kSomeoneElse };
  // To `person`: `what` happened to their account ("A new authenticator
  // app was set up"), done `by` them or someone else (see above).
  void AccountChanged(const store::Person& person, const std::string& what, By by);

 private:
  store::OutgoingMail Mail(const std::string& to, const std::string& subject,
                           const std::string& body, int64_t now) const;

  store::Store& store_;
  const Clock& clock_;
  const crypto::SecretBox& box_;
  std::string public_origin_;
  int64_t own_change_delay_ = kDefaultOwnChangeDelay;
};

}  // namespace deskgate::services
