// MfaStore: authenticator-app enrollments, recovery codes, email codes and
// requests for new recovery codes (secrets sealed by the caller).
//
// Thread safety: every method may be called from many threads at once; each
// is atomic (a write that changes several rows does so in one transaction,
// with its audit entry), and a read sees only committed writes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/store/audit_event.h"
#include "server/store/outbox_store.h"
#include "server/store/portal.h"
#include "shared/core/status.h"

namespace deskgate::store {

// Authenticator-app enrollment; secrets sealed by the caller.
struct TotpEnrollment {
  std::vector<uint8_t> secret;          // empty when not enrolled
  std::vector<uint8_t> pending_secret;  // empty when no setup waits for a code
  int64_t last_step = 0;                // newest time step accepted
  int64_t enrolled_at = 0;
  bool enrolled() const { return !secret.empty(); }
};

struct RecoveryCode {
  int64_t id = 0;
  std::vector<uint8_t> code;  // sealed
  bool used = false;
};

struct EmailOtp {
  std::string code_hash;
  int64_t sent_at = 0;
  int64_t expires_at = 0;
  int failures = 0;
  bool used = false;
};

struct RecoveryRequestRow {
  int64_t id = 0;
  int64_t person_id = 0;
  std::string email;
  std::string name;
  Portal portal = Portal::kAgent;
  int64_t requested_at = 0;
};

class MfaStore {
 public:
  virtual ~MfaStore() = default;

  virtual Result<TotpEnrollment> GetTotp(int64_t person_id) = 0;
  virtual Status PutPendingTotp(int64_t person_id, const std::vector<uint8_t>& sealed_secret,
                                const AuditEvent& audit) = 0;
  // Makes the pending secret the enrolled one, with `step` as the last
  // accepted, and replaces the person's recovery codes; one transaction.
  // Fails unless the pending secret is still `pending_secret` (the one the
  // code was checked against).
  virtual Status ConfirmTotp(int64_t person_id, const std::vector<uint8_t>& pending_secret,
                             int64_t step, const std::vector<std::vector<uint8_t>>& recovery_codes,
                             const AuditEvent& audit) = 0;
  // Records `step` as used if it is newer than the last one; false when it
  // is not (a replay), atomically, so two requests cannot both win.
  virtual Result<bool> AcceptTotpStep(int64_t person_id, int64_t step) = 0;
  virtual Result<std::vector<RecoveryCode>> RecoveryCodes(int64_t person_id) = 0;
  // Marks a code used; false if it already was.
  virtual Result<bool> UseRecoveryCode(int64_t code_id, const AuditEvent& audit) = 0;
  // A new set (the old one dies); resolves pending requests of the person.
  virtual Status ReplaceRecoveryCodes(int64_t person_id,
                                      const std::vector<std::vector<uint8_t>>& codes,
                                      const AuditEvent& audit) = 0;
  // Replaces the person's email code and queues the mail; one transaction.
  virtual Status PutEmailOtp(int64_t person_id, const std::string& code_hash, int64_t expires_at,
                             const OutgoingMail& mail, const AuditEvent& audit) = 0;
  virtual Result<std::optional<EmailOtp>> GetEmailOtp(int64_t person_id) = 0;
  virtual Status CountEmailOtpFailure(int64_t person_id) = 0;
  // Marks the code used; false if it already was.
  virtual Result<bool> UseEmailOtp(int64_t person_id, int64_t now) = 0;
  // Records a request unless the person made one after `not_since`;
  // false when refused. Check and insert are one transaction.
  virtual Result<bool> AddRecoveryRequest(int64_t person_id, int64_t not_since,
                                          const AuditEvent& audit) = 0;
  // When the person last asked for new recovery codes, or 0.
  virtual Result<int64_t> LastRecoveryRequest(int64_t person_id) = 0;
  virtual Result<std::vector<RecoveryRequestRow>> PendingRecoveryRequests() = 0;
  // Removes enrollment, recovery and email codes, ends every session of
  // the person and resolves their requests; one transaction.
  virtual Status ResetMfa(int64_t person_id, const AuditEvent& audit) = 0;
};

}  // namespace deskgate::store
