// RecordsService: the asset and software lists for agents — queries,
// inline edits guarded by the row version, bulk changes with per-row
// outcomes, history and the names the reference fields may take.
//
// Who may edit is the role's asset permission (edit_scope.h); contacts see
// nothing. Changes are parsed and validated by shared/records, the code the
// pages run in WebAssembly. Every rule — the scope, the row version, what
// a change comes to row by row, what the audit entry says — is decided here,
// inside the store's write transaction (store/record_write.h), so a
// storage backend holds none of them.
//
// Errors are Status codes: kPermissionDenied (the role may edit nothing),
// kInvalidArgument (the change; the message names the field), kUnavailable
// (the database).
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "server/services/bulk_outcomes.h"
#include "server/services/clock.h"
#include "server/services/permissions.h"
#include "server/store/record_store.h"
#include "shared/core/json_value.h"
#include "shared/records/edit_scope.h"
#include "shared/records/record_bulk.h"
#include "shared/records/record_details.h"

namespace deskgate::services {

// What a change came to for one row. The outcomes and their names are the
// bulk API's (shared/records/record_bulk.h), which the grid reads back.
using RowOutcome = BulkOutcome;

struct RowResult {
  int64_t id = 0;
  RowOutcome outcome = RowOutcome::kNotFound;
  int64_t version = 0;  // the record's version after, when it exists
  RecordFields before;  // the fields before the action, when it exists (for undo)
};

// One record's change: the outcome and the record as it is now (the
// updated row, or the current one on a conflict).
struct RecordUpdate {
  RowOutcome outcome = RowOutcome::kNotFound;
  store::Record record;
};

// What an import did or, for a dry run, would do. Nothing is written when
// any row has a problem.
struct RecordImportProblem {
  size_t row = 0;      // as a spreadsheet numbers it (the header is row 1)
  std::string column;  // the file's column the problem is in
  std::string error;
};
struct RecordImportReport {
  bool dry_run = true;
  bool written = false;
  size_t rows = 0;
  size_t created = 0, updated = 0, unchanged = 0;
  std::vector<RecordImportProblem> problems;
  std::vector<std::pair<std::string, std::string>> mapping;  // header → column ("" ignored)
  std::vector<std::string> ignored_columns;
  std::vector<std::string> locations_created;  // or that would be
};

struct RecordImportOptions {
  bool dry_run = true;
  bool create_locations = false;  // else a location nobody has is a problem
};

class RecordsService {
 public:
  static constexpr int kMaxBulkIds = 100'000;

  RecordsService(store::RecordStore& store, const Clock& clock) : store_(store), clock_(clock) {}

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
  // Every record of a query, one at a time (the CSV export).
  Result<std::unique_ptr<store::RecordCursor>> Export(store::RecordKind kind,
                                                      const store::RecordQuery& query) {
    return store_.OpenRecordCursor(kind, query);
  }
  // Which of `ids` a list filtered by `filter` shows.
  Result<std::vector<int64_t>> MatchingIds(store::RecordKind kind,
                                           const store::RecordFilter& filter,
                                           const std::vector<int64_t>& ids) {
    return store_.MatchingIds(kind, filter, ids);
  }

  // Grows after every edit or bulk action made through this service, so
  // caches of list pages can tell they are stale.
  uint64_t WriteGeneration() const { return write_generation_.load(); }

  // Deletes a location or group (the caller checked the permission). Every
  // asset and software record naming it moves to `move_to` (none when
  // unset), each with its history row, and a group's members move with
  // them — all in one transaction with the audit entry. Returns how many
  // records moved; kNotFound for an unknown entry.
  Result<int64_t> DeleteCatalogEntry(const store::Person& actor, store::CatalogKind kind,
                                     int64_t id, std::optional<int64_t> move_to,
                                     const std::string& ip);

  // Adds a record from the API's body (record_details.h: a name, and a
  // unique asset tag for assets), with its first history row and the
  // audit entry. kPermissionDenied when the role may add none, or the
  // record would be outside their groups; kConflict for a taken asset tag.
  Result<store::Record> Create(const store::Person& actor, store::RecordKind kind,
                               const JsonValue& body, const std::string& ip);
  // Changes any fields of one record (`change` is the body), if still at
  // `expected_version` when given; audited as .updated, or .retired /
  // .restored when the body's status retires or brings it back.
  Result<RecordUpdate> Update(const store::Person& actor, store::RecordKind kind, int64_t id,
                              std::optional<int64_t> expected_version, const JsonValue& change,
                              const std::string& ip);
  // Imports a CSV file (record_csv.h): each row updates the record with
  // its natural key (an asset's tag; software's name and version) or adds
  // one; references are names, matched case-insensitively. All rows or
  // none, in one transaction, with a history row each and one audit entry.
  Result<RecordImportReport> Import(const store::Person& actor, store::RecordKind kind,
                                    std::string_view csv, const RecordImportOptions& options,
                                    const std::string& ip);
  // Retires a record (the lists leave it out; nothing it holds is lost) or
  // restores it, as an update.
  Result<RecordUpdate> SetRetired(const store::Person& actor, store::RecordKind kind, int64_t id,
                                  std::optional<int64_t> expected_version, bool retired,
                                  const std::string& ip);
  // Every row's outcome of a large bulk action, kept for its download.
  BulkOutcomes& outcomes() { return outcomes_; }
  int64_t Now() const { return clock_.Now(); }

  // A bulk action, all in one transaction (any failure changes nothing),
  // with a history row per changed record and one audit event for the
  // whole action; the selection and change come parsed from the body.
  Result<std::vector<RowResult>> Bulk(const store::Person& actor, store::RecordKind kind,
                                      const store::RecordSelection& selection,
                                      const JsonValue& change, const std::string& ip);
  // Retires (or restores) the selected records the same way: one
  // transaction, a history row each, one audit entry (".bulk_retired",
  // ".bulk_restored"); rows already so are unchanged.
  Result<std::vector<RowResult>> BulkRetire(const store::Person& actor, store::RecordKind kind,
                                            const store::RecordSelection& selection, bool retired,
                                            const std::string& ip);

  // The actor's scope, or kPermissionDenied when they may edit nothing.
  Result<EditScope> ScopeOf(const store::Person& actor);

 private:
  // The change, parsed and checked against the known ids.
  Result<RecordChange> CheckedChange(const JsonValue& change_json);
  // A whole record's edit, read from the body, its ids checked.
  Result<RecordEdit> CheckedEdit(store::RecordKind kind, const JsonValue& body, bool creating);
  Result<RecordUpdate> Apply(const store::Person& actor, store::RecordKind kind, int64_t id,
                             std::optional<int64_t> expected_version, const RecordEdit& edit,
                             const std::string& ip);
  // What a bulk action sets: fields, and/or the retirement.
  struct BulkPlan {
    RecordChange change;
    std::optional<bool> retire;
  };
  // A bulk action's run: the selection read inside one transaction, what
  // the plan comes to for each row (the permission scope, unchanged rows),
  // the changed rows written at once, the audit entry `kind.event` with
  // `change` (JSON) and the counts, then the commit.
  Result<std::vector<RowResult>> RunBulk(const store::Person& actor, store::RecordKind kind,
                                         const store::RecordSelection& selection, const char* event,
                                         const std::string& change, const BulkPlan& plan,
                                         const std::string& ip);

  store::RecordStore& store_;
  const Clock& clock_;
  std::atomic<uint64_t> write_generation_ = 0;
  BulkOutcomes outcomes_;
};

}  // namespace deskgate::services
