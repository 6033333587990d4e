// RecordWrite: one write transaction over the asset and software lists.
//
// The records service begins one (Store::BeginRecordWrite), reads the rows
// a change touches as they are inside it, decides row by row what the
// change comes to (the rules: permission scope, row versions, what
// changed), writes, audits, and commits. The transaction reads and writes
// rows only; no rule lives in a backend, so a second backend implements
// storage and nothing else.
//
// Promises: reads see the transaction's own writes; nothing is visible to
// others before Commit(); destroying it without a successful Commit() rolls
// everything back. It holds the database's writer until then, so it is
// short-lived and used by one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/store/audit_event.h"
#include "server/store/catalog_store.h"
#include "server/store/records.h"
#include "shared/core/status.h"

namespace deskgate::store {

class RecordWrite {
 public:
  virtual ~RecordWrite() = default;

  virtual Result<std::optional<Record>> Get(RecordKind kind, int64_t id) = 0;
  // The selected records that exist, by id: the listed ids, or those
  // matching the filter but not excepted.
  virtual Result<std::vector<Record>> Select(RecordKind kind, const RecordSelection& selection) = 0;
  // The same records' states alone, by id: what a bulk action over half a
  // million rows reads (600,000 whole records: 1.2 s).
  virtual Result<std::vector<RecordState>> SelectStates(RecordKind kind,
                                                        const RecordSelection& selection) = 0;
  // Stores `after` as record `after.id` (its version grows by one, its
  // updated_at becomes entry.at) and the history row. `before` is the record
  // as this transaction read it: only the columns that differ are written,
  // so a bulk change of impact rewrites no index of the other fields.
  // kConflict when an asset tag is another asset's.
  virtual Status Write(RecordKind kind, const Record& before, const Record& after,
                       const HistoryEntry& entry) = 0;
  // One change to many records at once (a bulk action): every row of
  // `rows` (as this transaction read it) gets the fields `change` sets and,
  // when `retired_at` is given, that retirement (0 restores); its version
  // grows by one, updated_at becomes entry.at, and its history row holds
  // changes[change_of[i]]. `changes` holds each distinct text once: a bulk
  // action's rows mostly share theirs. A statement for all the rows and one
  // per text for their history: half a million rows in seconds.
  struct ManyWrite {
    RecordChange change;
    std::optional<int64_t> retired_at;
    std::vector<const RecordState*> rows;
    std::vector<std::string> changes;
    std::vector<uint32_t> change_of;  // by row
  };
  virtual Status WriteMany(RecordKind kind, const ManyWrite& write, const HistoryEntry& entry) = 0;
  // Adds `record` (its id ignored; version 1, created and updated at
  // entry.at) and the history row; the new id. kConflict as for Write.
  virtual Result<int64_t> Insert(RecordKind kind, const Record& record,
                                 const HistoryEntry& entry) = 0;
  // Adds every record of `records` as Insert does, its history row holding
  // changes[i]: one statement for the rows and one for their history (an
  // import of 100,000 records: 2.5 s a row at a time). kConflict as for
  // Write, and then none is added.
  struct ManyInsert {
    std::vector<Record> records;
    std::vector<std::string> changes;
  };
  virtual Status InsertMany(RecordKind kind, const ManyInsert& insert,
                            const HistoryEntry& entry) = 0;
  // The records (retired ones too) whose natural key is one of `keys`: an
  // asset's tag; a software record's name and version joined by '\x1f'.
  virtual Result<std::vector<Record>> FindByKeys(RecordKind kind,
                                                 const std::vector<std::string>& keys) = 0;
  // Adds a location (an import may create the ones it names); its id.
  // kConflict when one has that name (case-insensitively).
  virtual Result<int64_t> AddLocation(const std::string& name) = 0;
  // Deletes a location or group that no record names any more (the caller
  // moved them first); a group's members move to `move_members_to` when
  // given, else leave it. kNotFound for an unknown entry.
  virtual Status DeleteCatalogEntry(CatalogKind kind, int64_t id,
                                    std::optional<int64_t> move_members_to) = 0;
  virtual Status Audit(const AuditEvent& event) = 0;
  virtual Status Commit() = 0;
};

}  // namespace deskgate::store
