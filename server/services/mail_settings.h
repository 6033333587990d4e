// MailSettings: the SMTP server deskgate sends through, set by
// Administrators in the product, with "Send test email" — and whether mail
// works at all, which the MFA settings and the email step tell people.
//
// The server's --smtp-* flags, when given, take precedence: the settings
// are then read-only here. Otherwise the stored settings configure the
// outbox at start and at every change. The password is sealed at rest and
// never answered; a change that leaves it out keeps the stored one. Only
// Administrators read or change these settings (kPermissionDenied), every
// change is audited (never the password), and a test sends one message
// through the settings as saved and records what the server answered.
#pragma once

#include <optional>
#include <string>

#include "server/crypto/secret_box.h"
#include "server/mail/outbox_sender.h"
#include "server/services/clock.h"
#include "server/store/store.h"
#include "shared/core/json_value.h"

namespace deskgate::services {

// Whether mail gets out, as the MFA settings and the email step say it.
struct MailHealth {
  bool configured = false;  // an SMTP server is set
  bool delivered = false;   // a message or test was ever accepted by it
  std::string last_error;   // the newest unsent message's failure
  int64_t waiting = 0;      // messages queued and not sent

  // "works" (a message was accepted and nothing waits failed since),
  // "unconfirmed" (set up, not proven) or "not_configured": what the MFA
  // settings and the email step tell people.
  const char* Delivery() const {
    if (!configured) return "not_configured";
    return delivered && last_error.empty() ? "works" : "unconfirmed";
  }
};

class MailSettings {
 public:
  MailSettings(store::Store& store, const Clock& clock, const crypto::SecretBox& box,
               mail::OutboxSender& outbox)
      : store_(store), clock_(clock), box_(box), outbox_(outbox) {}

  // At start: flags given (read-only here) or the stored settings loaded
  // into the outbox. `ca_file` is trusted for STARTTLS either way.
  Status Start(bool set_by_flags, std::string ca_file);

  Result<std::string> Json(const store::Person& viewer);
  Status Put(const store::Person& admin, const JsonValue& body, const std::string& ip);
  Status Delete(const store::Person& admin, const std::string& ip);
  // Sends a test message to `to` (the admin's own address when empty)
  // through the saved settings; the answer is the server's error or "".
  Result<std::string> SendTest(const store::Person& admin, const std::string& to,
                               const std::string& ip);

  MailHealth Health();
  // Whether an SMTP server is set at all (no database read).
  bool Configured() const { return outbox_.configured(); }

 private:
  Status RequireAdministrator(const store::Person& person) const;
  Result<std::optional<mail::SmtpConfig>> StoredConfig();

  store::Store& store_;
  const Clock& clock_;
  const crypto::SecretBox& box_;
  mail::OutboxSender& outbox_;
  bool set_by_flags_ = false;
  std::string ca_file_;
};

}  // namespace deskgate::services
