// RecordStore: the asset and software lists — pages of records, history,
// the names reference fields may take, and the write transaction the
// records service runs its rules in (record_write.h).
//
// Thread safety: every method may be called from many threads at once; each
// is atomic (a write that changes several rows does so in one transaction,
// with its audit entry), and a read sees only committed writes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "server/store/audit_event.h"
#include "server/store/record_write.h"
#include "server/store/records.h"
#include "shared/core/status.h"

namespace deskgate::store {

// Records read one at a time (an export): Next() gives each in the
// query's order, then nullopt.
class RecordCursor {
 public:
  virtual ~RecordCursor() = default;
  virtual Result<std::optional<Record>> Next() = 0;
};

class RecordStore {
 public:
  virtual ~RecordStore() = default;

  virtual Result<RecordPage> ListRecords(RecordKind kind, const RecordQuery& query) = 0;
  virtual Result<std::optional<Record>> GetRecord(RecordKind kind, int64_t id) = 0;
  // Every record the query matches, in its order (offset and limit
  // ignored), as one snapshot.
  virtual Result<std::unique_ptr<RecordCursor>> OpenRecordCursor(RecordKind kind,
                                                                 const RecordQuery& query) = 0;
  // Which of `ids` exist and match `filter` (ascending; a repeated id once).
  virtual Result<std::vector<int64_t>> MatchingIds(RecordKind kind, const RecordFilter& filter,
                                                   const std::vector<int64_t>& ids) = 0;
  // A write transaction over the lists; the records service runs its
  // rules inside it (record_write.h).
  virtual Result<std::unique_ptr<RecordWrite>> BeginRecordWrite() = 0;
  // Newest first.
  virtual Result<std::vector<HistoryRow>> RecordHistory(RecordKind kind, int64_t id, int limit) = 0;
  virtual Result<RecordNames> ListRecordNames() = 0;
  virtual Result<std::vector<int64_t>> GroupsOf(int64_t person_id) = 0;
  // Adds demo data in one transaction; returns how many records it added.
  virtual Result<int64_t> Seed(const SeedRecords& seed, int64_t now, const AuditEvent& audit) = 0;
};

}  // namespace deskgate::store
