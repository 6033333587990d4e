// MailSettingsStore: the SMTP server deskgate sends through, as an
// Administrator set it in the product (the password sealed by the caller),
// and what the outbox says about whether mail gets out.
//
// Thread safety: every method may be called from many threads at once; a
// write and its audit entry are one transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/store/audit_event.h"
#include "shared/core/status.h"

namespace deskgate::store {

struct MailSettingsRow {
  std::string host;
  int64_t port = 587;
  bool starttls = true;
  std::string username;
  std::vector<uint8_t> password;  // sealed; empty when none
  std::string from;
  int64_t updated_at = 0;
  // The last "Send test email": when, and the error ("" when it was accepted).
  std::optional<int64_t> tested_at;
  std::string test_error;
};

// Whether mail gets out, from what was sent.
struct MailDelivery {
  std::optional<int64_t> last_delivered_at;  // a queued message or a test accepted by the server
  std::string last_error;                    // the newest unsent message's failure, if any
  int64_t waiting = 0;                       // queued, unsent and unexpired
};

class MailSettingsStore {
 public:
  virtual ~MailSettingsStore() = default;

  virtual Result<std::optional<MailSettingsRow>> GetMailSettings() = 0;
  // Replaces the settings (a test result goes with the settings it tested).
  virtual Status PutMailSettings(const MailSettingsRow& row, const AuditEvent& audit) = 0;
  virtual Status DeleteMailSettings(const AuditEvent& audit) = 0;
  // Records a test's outcome on the settings as they are.
  virtual Status RecordMailTest(int64_t at, const std::string& error, const AuditEvent& audit) = 0;
  virtual Result<MailDelivery> MailDeliveryState(int64_t now) = 0;
};

}  // namespace deskgate::store
