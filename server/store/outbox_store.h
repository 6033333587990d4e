// OutboxStore: mail waiting to be sent, its retries, and what was sent
// (bodies sealed by the caller, wiped once sent or expired).
//
// Thread safety: every method may be called from many threads at once; each
// is atomic (a write that changes several rows does so in one transaction,
// with its audit entry), and a read sees only committed writes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "shared/core/status.h"

namespace deskgate::store {

// A message for the outbox; the body sealed by the caller.
struct OutgoingMail {
  std::string recipient;
  std::string subject;
  std::vector<uint8_t> body;
  int64_t expires_at = 0;  // not worth sending after
  int64_t send_after = 0;  // not before this time (0: at once)
};

struct OutboxRow {
  int64_t id = 0;
  std::string recipient;
  std::string subject;
  std::vector<uint8_t> body;  // sealed; empty once sent (and in listings)
  int64_t created_at = 0;
  int64_t expires_at = 0;
  int attempts = 0;
  int64_t next_attempt_at = 0;
  int64_t sent_at = 0;  // 0 = not sent
  std::string last_error;
};

class OutboxStore {
 public:
  virtual ~OutboxStore() = default;

  virtual Result<std::vector<OutboxRow>> DueMail(int64_t now, int limit) = 0;
  virtual Status MailSent(int64_t mail_id, int64_t now) = 0;
  // Wipes the bodies of messages that expired unsent (they held codes).
  virtual Status WipeExpiredMail(int64_t now) = 0;
  virtual Status MailFailed(int64_t mail_id, const std::string& error, int64_t next_attempt_at) = 0;
  // Newest first, bodies left out.
  virtual Result<std::vector<OutboxRow>> ListOutbox(int limit) = 0;
  // Queues `mails`, all or none (one transaction).
  virtual Status QueueMail(const std::vector<OutgoingMail>& mails, int64_t now) = 0;
};

}  // namespace deskgate::store
