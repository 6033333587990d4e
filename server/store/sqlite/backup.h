// Copies of a deskgate database, and the checks that tell a good one.
//
// A backup is taken with SQLite's online backup API in one step, which
// reads a single snapshot: consistent however many writes the server makes
// meanwhile (in WAL mode they are not blocked). The copy is one
// self-contained file (rollback journal, not WAL), synced to disk and
// renamed into place only when whole.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/store/sqlite/sqlite.h"
#include "shared/core/status.h"

namespace deskgate::store {

// Writes a consistent copy of the database at `from` to `to` (replacing
// it only once the copy is complete and checked).
Status BackupDatabase(const std::string& from, const std::string& to);

// Replaces the database at `to` (created if absent) with the one at
// `from`, through SQLite, in one transaction of the destination.
Status RestoreDatabase(const std::string& from, const std::string& to);

struct DatabaseCheck {
  bool integrity_ok = false;
  std::vector<std::string> integrity_errors;  // the first few
  // False when SQLite cannot even run the integrity check (a damaged
  // schema page): the one error says why, and no other check ran.
  bool readable = true;
  int foreign_key_violations = 0;
  int schema_version = 0;
  std::optional<std::string> key_fingerprint;  // recorded by the database
};

// PRAGMA integrity_check and foreign_key_check, the schema version and the
// key fingerprint of an existing database file, read without changing it.
Result<DatabaseCheck> CheckDatabase(const std::string& path);

// Calls `visit` with every sealed value of `db` (see sealed_store.h).
Status ForEachSealedIn(
    Database& db,
    const std::function<void(std::string_view where, const std::vector<uint8_t>& sealed)>& visit);

}  // namespace deskgate::store
