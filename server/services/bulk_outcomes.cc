#include "server/services/bulk_outcomes.h"

#include "server/crypto/tokens.h"

namespace deskgate::services {

std::string BulkOutcomes::Keep(int64_t person, store::RecordKind kind,
                               std::vector<KeptOutcome> rows, int64_t now) {
  std::string token = crypto::RandomToken();
  std::lock_guard lock(mutex_);
  DropExpiredLocked(now);
  if (entries_.size() >= kMaxKept) entries_.pop_front();
  entries_.push_back({token, person, kind, now,
                      std::make_shared<const std::vector<KeptOutcome>>(std::move(rows))});
  return token;
}

std::shared_ptr<const std::vector<KeptOutcome>> BulkOutcomes::Find(const std::string& token,
                                                                   int64_t person,
                                                                   store::RecordKind kind,
                                                                   int64_t now) {
  std::lock_guard lock(mutex_);
  DropExpiredLocked(now);
  for (const Entry& e : entries_) {
    if (crypto::ConstantTimeEquals(e.token, token) && e.person == person && e.kind == kind) {
      return e.rows;
    }
  }
  return nullptr;
}

void BulkOutcomes::DropExpiredLocked(int64_t now) {
  while (!entries_.empty() && now - entries_.front().kept_at >= kKeepSeconds) {
    entries_.pop_front();
  }
}

}  // namespace deskgate::services
