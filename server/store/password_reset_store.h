// PasswordResetStore: single-use links for people who forgot their
// password. Tokens are stored as SHA-256 hashes only; a new link ends the
// person's earlier ones.
//
// Thread safety: every method may be called from many threads at once; each
// write is one transaction with its audit entry (and its mail).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "server/store/audit_event.h"
#include "server/store/outbox_store.h"
#include "server/store/people_store.h"
#include "shared/core/status.h"

namespace deskgate::store {

struct PasswordResetRow {
  int64_t id = 0;
  int64_t person_id = 0;
  int64_t expires_at = 0;
  bool usable = false;  // not used, no newer link, the person still active
};

class PasswordResetStore {
 public:
  virtual ~PasswordResetStore() = default;

  // Stores the link's hash and queues its mail; earlier open links of the
  // person stop working.
  virtual Status AddPasswordReset(int64_t person_id, const std::string& token_hash,
                                  int64_t created_at, int64_t expires_at, const OutgoingMail& mail,
                                  const AuditEvent& audit) = 0;
  virtual Result<std::optional<PasswordResetRow>> FindPasswordReset(
      const std::string& token_hash) = 0;
  // Uses the link (kConflict when it was used meanwhile) and sets the new
  // password: history recorded, must_change_password cleared, every session
  // of the person ended — one transaction.
  virtual Status CompletePasswordReset(int64_t reset_id, int64_t person_id,
                                       const std::string& password_hash,
                                       const AuditEvent& audit) = 0;
};

}  // namespace deskgate::store
