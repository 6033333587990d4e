// RecordsService: the asset and software lists for agents — queries,
// inline edits guarded by the row version, bulk changes with per-row
// outcomes, history and the names the reference fields may take.
//
// Who may edit is the role's asset permission (all records, records
// managed by one of the agent's groups, or none); contacts see nothing.
// Changes are parsed and validated by shared/record_change.h, the code the
// pages run in WebAssembly.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "server/services/clock.h"
#include "server/services/permissions.h"
#include "server/store/store.h"
#include "shared/core/json_value.h"

namespace deskgate::services {

// Why an edit was refused, for the route's status code.
enum class EditError { kNone, kBadRequest, kForbidden, kNotFound, kError };

template <typename T>
struct EditResult {
  EditError error = EditError::kNone;
  std::string message;
  T value{};
  bool ok() const { return error == EditError::kNone; }
};

class RecordsService {
 public:
  static constexpr int kMaxBulkIds = 100'000;

  RecordsService(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  static bool CanView(const store::Person& person) { return PermissionsOf(person).view_records; }

  Result<store::RecordPage> List(store::RecordKind kind, const store::RecordQuery& query) {
    return store_.ListRecords(kind, query);
  }
  Result<std::optional<store::Record>> Get(store::RecordKind kind, int64_t id) {
    return store_.GetRecord(kind, id);
  }
  Result<std::vector<store::HistoryRow>> History(store::RecordKind kind, int64_t id) {
    return store_.RecordHistory(kind, id, 200);
  }
  Result<store::RecordNames> Names() { return store_.ListRecordNames(); }

  // Grows after every edit or bulk action made through this service, so
  // caches of list pages can tell they are stale.
  uint64_t WriteGeneration() const { return write_generation_.load(); }

  // One record, if still at `expected_version`. `change` is the body.
  EditResult<store::RecordUpdate> Update(const store::Person& actor, store::RecordKind kind,
                                         int64_t id, int64_t expected_version,
                                         const JsonValue& change, const std::string& ip);
  // A bulk action; the selection and change come parsed from the body.
  EditResult<std::vector<store::RowResult>> Bulk(const store::Person& actor, store::RecordKind kind,
                                                 const store::RecordSelection& selection,
                                                 const JsonValue& change, const std::string& ip);

 private:
  // The actor's scope, or an error when they may edit nothing.
  EditResult<store::EditScope> ScopeOf(const store::Person& actor);
  // The change, parsed and checked against the known ids.
  EditResult<RecordChange> CheckedChange(const JsonValue& change_json);

  store::Store& store_;
  const Clock& clock_;
  std::atomic<uint64_t> write_generation_ = 0;
};

}  // namespace deskgate::services
