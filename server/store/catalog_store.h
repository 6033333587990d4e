// CatalogStore: the locations and agent groups that asset and software
// records (and, for groups, agents) refer to. Names are unique per kind,
// case-insensitively.
//
// Deleting an entry in use moves its records inside a record write
// transaction (record_write.h: RecordWrite::DeleteCatalogEntry), so each
// moved record gets its history row with the deletion.
//
// Thread safety: every method may be called from many threads at once; each
// write is one transaction with its audit entry.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "server/store/audit_event.h"
#include "shared/core/status.h"

namespace deskgate::store {

enum class CatalogKind { kLocation, kGroup };
const char* CatalogKindName(CatalogKind kind);  // "location", "group"

struct CatalogEntry {
  int64_t id = 0;
  std::string name;
  int64_t records = 0;  // assets and software that name it
  int64_t members = 0;  // groups: agents in it
};

class CatalogStore {
 public:
  virtual ~CatalogStore() = default;

  virtual Result<std::vector<CatalogEntry>> ListCatalog(CatalogKind kind) = 0;
  // kConflict when the name is taken.
  virtual Result<int64_t> AddCatalogEntry(CatalogKind kind, const std::string& name,
                                          const AuditEvent& audit) = 0;
  // kNotFound, or kConflict when the name is taken.
  virtual Status RenameCatalogEntry(CatalogKind kind, int64_t id, const std::string& name,
                                    const AuditEvent& audit) = 0;
};

}  // namespace deskgate::store
