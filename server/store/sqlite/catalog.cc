// SqliteStore: locations and agent groups.
#include "server/store/sqlite/sqlite_store.h"

namespace deskgate::store {
namespace {

const char* TableOf(CatalogKind kind) {
  return kind == CatalogKind::kLocation ? "locations" : "agent_groups";
}

const char* ColumnOf(CatalogKind kind) {
  return kind == CatalogKind::kLocation ? "location_id" : "managed_by_group_id";
}

}  // namespace

const char* CatalogKindName(CatalogKind kind) {
  return kind == CatalogKind::kLocation ? "location" : "group";
}

Result<std::vector<CatalogEntry>> SqliteStore::ListCatalog(CatalogKind kind) {
  std::lock_guard lock(mutex_);
  const std::string column = ColumnOf(kind);
  const std::string members = kind == CatalogKind::kGroup
                                  ? "(SELECT count(*) FROM group_members m WHERE m.group_id = c.id)"
                                  : "0";
  std::vector<CatalogEntry> entries;
  Status s = QueryLocked(
      "SELECT c.id, c.name, (SELECT count(*) FROM assets a WHERE a." + column +
          " = c.id) + (SELECT count(*) FROM software w WHERE w." + column + " = c.id), " + members +
          " FROM " + TableOf(kind) + " c ORDER BY c.name COLLATE NOCASE",
      [](Statement&) {},
      [&](const Statement& row) {
        entries.push_back(
            CatalogEntry{row.ColumnInt(0), row.ColumnText(1), row.ColumnInt(2), row.ColumnInt(3)});
      });
  if (!s.ok()) return s;
  return entries;
}

Result<int64_t> SqliteStore::AddCatalogEntry(CatalogKind kind, const std::string& name,
                                             const AuditEvent& audit) {
  RecordWriteLock lock(*this);  // the lists' names and totals change
  int64_t id = 0;
  Status s = InTransaction([&]() -> Status {
    Status r = ExecLocked(std::string("INSERT INTO ") + TableOf(kind) + " (name) VALUES (?1)",
                          [&](Statement& st) { st.Bind(1, name); });
    if (r.code() == StatusCode::kConflict) {
      return Status::Of(StatusCode::kConflict, std::string("a ") + CatalogKindName(kind) +
                                                   " named '" + name + "' already exists");
    }
    if (!r.ok()) return r;
    id = sqlite3_last_insert_rowid(db_.handle());
    return AuditLocked(audit);
  });
  if (!s.ok()) return s;
  return id;
}

Status SqliteStore::RenameCatalogEntry(CatalogKind kind, int64_t id, const std::string& name,
                                       const AuditEvent& audit) {
  RecordWriteLock lock(*this);
  return InTransaction([&]() -> Status {
    Status r = ExecLocked(std::string("UPDATE ") + TableOf(kind) + " SET name = ?2 WHERE id = ?1",
                          [&](Statement& st) { st.Bind(1, id).Bind(2, name); });
    if (r.code() == StatusCode::kConflict) {
      return Status::Of(StatusCode::kConflict, std::string("a ") + CatalogKindName(kind) +
                                                   " named '" + name + "' already exists");
    }
    if (!r.ok()) return r;
    if (Status one = ExpectOneChangeLocked(CatalogKindName(kind)); !one.ok()) return one;
    return AuditLocked(audit);
  });
}

Status SqliteStore::DeleteCatalogEntryLocked(CatalogKind kind, int64_t id,
                                             std::optional<int64_t> move_members_to) {
  if (kind == CatalogKind::kGroup) {
    if (move_members_to) {
      Status s = ExecLocked(
          "INSERT OR IGNORE INTO group_members (group_id, person_id) "
          "SELECT ?2, person_id FROM group_members WHERE group_id = ?1",
          [&](Statement& st) { st.Bind(1, id).Bind(2, *move_members_to); });
      if (!s.ok()) return s;
    }
    Status s = ExecLocked("DELETE FROM group_members WHERE group_id = ?1",
                          [&](Statement& st) { st.Bind(1, id); });
    if (!s.ok()) return s;
  }
  Status s = ExecLocked(std::string("DELETE FROM ") + TableOf(kind) + " WHERE id = ?1",
                        [&](Statement& st) { st.Bind(1, id); });
  if (!s.ok()) return s;
  return ExpectOneChangeLocked(CatalogKindName(kind));
}

}  // namespace deskgate::store
