#include "server/store/migrations.h"

#include <string>

namespace deskgate::store {

const std::vector<Migration>& SchemaMigrations() {
  static const std::vector<Migration> migrations = {
      {1, R"sql(
        -- Facts about this deskgate instance (creation time, helpdesk name).
        CREATE TABLE instance (
          key   TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT;
        INSERT INTO instance (key, value) VALUES ('created_at', CAST(unixepoch() AS TEXT));
      )sql"},
  };
  return migrations;
}

Result<int> SchemaVersion(const Database& db) {
  auto stmt = Statement::Prepare(db, "PRAGMA user_version");
  if (!stmt.ok()) return stmt.status();
  if (!stmt.value().Step()) return Status::Error("cannot read the schema version");
  return static_cast<int>(stmt.value().ColumnInt(0));
}

Status Migrate(Database& db, const std::vector<Migration>& migrations) {
  auto current = SchemaVersion(db);
  if (!current.ok()) return current.status();
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  if (current.value() > latest) {
    return Status::Error("database schema version " + std::to_string(current.value()) +
                         " is newer than this deskgate (" + std::to_string(latest) + ")");
  }
  for (const Migration& m : migrations) {
    if (m.version <= current.value()) continue;
    // BEGIN IMMEDIATE takes the write lock at once; the version is read again
    // under it, so two servers starting together apply each migration once.
    if (Status s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
    auto locked = SchemaVersion(db);
    Status s = locked.ok() ? Status::Ok() : locked.status();
    if (s.ok() && locked.value() < m.version) {
      s = db.Exec(m.sql);
      if (s.ok()) s = db.Exec("PRAGMA user_version = " + std::to_string(m.version));
    }
    if (s.ok()) s = db.Exec("COMMIT");
    if (!s.ok()) {
      db.Exec("ROLLBACK");
      return Status::Error("migration " + std::to_string(m.version) + " failed: " + s.message());
    }
  }
  return Status::Ok();
}

}  // namespace deskgate::store
