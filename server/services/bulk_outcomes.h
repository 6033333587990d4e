// BulkOutcomes: every row's outcome of the recent large bulk actions, kept
// a while so the person who ran one can download the whole list.
//
// A bulk action over 500,000 rows answers with counts and its first
// failures, not half a million JSON objects (record_bulk.h); the rest is
// here, under an unguessable token, for the person who ran it only.
// Memory is bounded: at most kMaxKept actions, each for kKeepSeconds, the
// oldest dropped first; a row costs 24 bytes.
// Thread safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/store/records.h"
#include "shared/records/record_bulk.h"

namespace deskgate::services {

struct KeptOutcome {
  int64_t id = 0;
  int64_t version = 0;  // 0 when the row does not exist
  BulkOutcome outcome = BulkOutcome::kNotFound;
};

class BulkOutcomes {
 public:
  static constexpr size_t kMaxKept = 4;
  static constexpr int64_t kKeepSeconds = 30 * 60;

  // Keeps `rows` for `person`; the token that finds them.
  std::string Keep(int64_t person, store::RecordKind kind, std::vector<KeptOutcome> rows,
                   int64_t now);
  // The rows kept under `token` for this person and list, or null (unknown,
  // someone else's, or expired).
  std::shared_ptr<const std::vector<KeptOutcome>> Find(const std::string& token, int64_t person,
                                                       store::RecordKind kind, int64_t now);

 private:
  struct Entry {
    std::string token;
    int64_t person;
    store::RecordKind kind;
    int64_t kept_at;
    std::shared_ptr<const std::vector<KeptOutcome>> rows;
  };
  void DropExpiredLocked(int64_t now);

  std::mutex mutex_;
  std::deque<Entry> entries_;  // oldest first
};

}  // namespace deskgate::services
