// Schema migrations, keyed by SQLite's PRAGMA user_version.
//
// Migration N upgrades a database from version N-1 to N. Each runs in its
// own transaction together with the user_version bump, so a crash leaves the
// database at a whole version. A database newer than this program is refused.
#pragma once

#include <string_view>
#include <vector>

#include "server/store/sqlite/sqlite.h"
#include "shared/core/status.h"

namespace deskgate::store {

struct Migration {
  int version;
  std::string_view sql;
};

// deskgate's migrations, in order.
const std::vector<Migration>& SchemaMigrations();

// Applies the migrations after the database's current version.
Status Migrate(Database& db, const std::vector<Migration>& migrations);

// The database's PRAGMA user_version.
Result<int> SchemaVersion(const Database& db);

}  // namespace deskgate::store
