// CatalogService: the locations and agent groups administrators keep —
// listed with how many records (and, for groups, agents) use each, added,
// renamed, and deleted. Deleting one in use needs a decision on where its
// records and members go (another entry, or none); the move and the
// deletion are one transaction, with a history row per moved record
// (RecordsService::DeleteCatalogEntry). The lists' dropdowns read the
// names fresh, so changes show there at once.
//
// Administrators only (kPermissionDenied).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "server/services/clock.h"
#include "server/services/records_service.h"
#include "server/store/store.h"

namespace deskgate::services {

// Where a deleted entry's records and members go: undecided, nowhere, or
// another entry.
struct CatalogMove {
  bool decided = false;
  std::optional<int64_t> to;  // unset = none
};

class CatalogService {
 public:
  static constexpr size_t kMaxNameBytes = 100;

  CatalogService(store::Store& store, const Clock& clock, RecordsService& records)
      : store_(store), clock_(clock), records_(records) {}

  Result<std::vector<store::CatalogEntry>> List(const store::Person& viewer,
                                                store::CatalogKind kind);
  Result<int64_t> Add(const store::Person& viewer, store::CatalogKind kind, std::string name,
                      const std::string& ip);
  Status Rename(const store::Person& viewer, store::CatalogKind kind, int64_t id, std::string name,
                const std::string& ip);
  // Returns how many records moved. kConflict when the entry is in use and
  // the move is undecided; kNotFound for an unknown entry or target.
  Result<int64_t> Delete(const store::Person& viewer, store::CatalogKind kind, int64_t id,
                         CatalogMove move, const std::string& ip);

 private:
  store::Store& store_;
  const Clock& clock_;
  RecordsService& records_;
};

}  // namespace deskgate::services
