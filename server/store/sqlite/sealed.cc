// SqliteStore: the values sealed under the master key, and the key's
// fingerprint.
#include "server/store/sqlite/backup.h"
#include "server/store/sqlite/sqlite_store.h"

namespace deskgate::store {
namespace {

struct SealedColumn {
  const char* table;
  const char* column;
};

// Every column holding sealed values. A new one must be added here, or
// rotating the key would leave it unreadable (the rotation test seals one
// value of each kind and reads them all back).
constexpr SealedColumn kSealedColumns[] = {
    {"mfa_totp", "secret"},
    {"mfa_totp", "pending_secret"},
    {"recovery_codes", "code"},
    {"outbox", "body"},
    {"sso_providers", "client_secret"},
    {"sso_attempts", "secrets"},
    {"setup_tokens", "sealed_token"},
    {"mail_settings", "password"},
};

std::string Where(const SealedColumn& c) {
  return std::string(c.table) + "." + c.column;
}

std::string SelectSealed(const SealedColumn& c) {
  return std::string("SELECT rowid, ") + c.column + " FROM " + c.table + " WHERE " + c.column +
         " IS NOT NULL AND length(" + c.column + ") > 0";
}

}  // namespace

Status ForEachSealedIn(
    Database& db,
    const std::function<void(std::string_view where, const std::vector<uint8_t>& sealed)>& visit) {
  // One read transaction: a snapshot across the tables.
  if (Status s = db.Exec("BEGIN"); !s.ok()) return s;
  Status result;
  for (const SealedColumn& c : kSealedColumns) {
    const std::string where = Where(c);
    auto stmt = Statement::Prepare(db, SelectSealed(c));
    // An older schema (a backup not yet migrated) may lack the column.
    if (!stmt.ok()) continue;
    while (stmt.value().Step()) visit(where, stmt.value().ColumnBlob(1));
    result = stmt.value().status();
    if (!result.ok()) break;
  }
  db.Exec("COMMIT");
  return result;
}

Status SqliteStore::ForEachSealed(
    const std::function<void(std::string_view where, const std::vector<uint8_t>& sealed)>& visit) {
  std::lock_guard lock(mutex_);
  return ForEachSealedIn(db_, visit);
}

Status SqliteStore::ResealAll(const Reseal& reseal, const std::string& fingerprint) {
  std::lock_guard lock(mutex_);
  return InTransaction([&]() -> Status {
    for (const SealedColumn& c : kSealedColumns) {
      std::vector<std::pair<int64_t, std::vector<uint8_t>>> rows;
      Status s = QueryLocked(
          SelectSealed(c), [](Statement&) {},
          [&](const Statement& row) { rows.emplace_back(row.ColumnInt(0), row.ColumnBlob(1)); });
      if (!s.ok()) return s;
      const std::string update =
          std::string("UPDATE ") + c.table + " SET " + c.column + " = ?1 WHERE rowid = ?2";
      for (const auto& row : rows) {
        const int64_t rowid = row.first;  // a plain name: lambdas cannot capture bindings
        auto resealed = reseal(row.second);
        if (!resealed.ok()) {
          return Status::Error(Where(c) + " row " + std::to_string(rowid) + ": " +
                               resealed.error());
        }
        s = ExecLocked(update, [&](Statement& st) { st.Bind(1, resealed.value()).Bind(2, rowid); });
        if (!s.ok()) return s;
      }
    }
    if (Status s = ExecLocked("DELETE FROM email_otps", [](Statement&) {}); !s.ok()) return s;
    if (Status s = ExecLocked("DELETE FROM master_key", [](Statement&) {}); !s.ok()) return s;
    return ExecLocked("INSERT INTO master_key (fingerprint) VALUES (?1)",
                      [&](Statement& st) { st.Bind(1, fingerprint); });
  });
}

Result<std::optional<std::string>> SqliteStore::KeyFingerprint() {
  std::lock_guard lock(mutex_);
  std::optional<std::string> fingerprint;
  Status s = QueryLocked(
      "SELECT fingerprint FROM master_key", [](Statement&) {},
      [&](const Statement& row) { fingerprint = row.ColumnText(0); });
  if (!s.ok()) return s;
  return fingerprint;
}

Status SqliteStore::RecordKeyFingerprint(const std::string& fingerprint) {
  std::lock_guard lock(mutex_);
  return ExecLocked(
      "INSERT INTO master_key (fingerprint) SELECT ?1 WHERE NOT EXISTS (SELECT 1 FROM master_key)",
      [&](Statement& st) { st.Bind(1, fingerprint); });
}

}  // namespace deskgate::store
