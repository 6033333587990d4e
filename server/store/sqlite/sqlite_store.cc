// SqliteStore: opening the database and the helpers every concept's file
// (people.cc, sessions.cc, …) runs its statements with.
#include "server/store/sqlite/sqlite_store.h"

#include <filesystem>
#include <functional>

#include "server/store/sqlite/migrations.h"

namespace deskgate::store {

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty() && !std::filesystem::exists(parent, ec)) {
    std::filesystem::create_directories(parent, ec);
    std::filesystem::permissions(parent, std::filesystem::perms::owner_all, ec);
  }
  auto db = Database::Open(path);
  if (!db.ok()) return db.status();
  if (Status s = Migrate(db.value(), SchemaMigrations()); !s.ok()) return s;
  auto checkpoints = Database::Open(path);
  if (!checkpoints.ok()) return checkpoints.status();
  return std::make_unique<SqliteStore>(std::move(db).value(), std::move(checkpoints).value(), path);
}

SqliteStore::SqliteStore(Database db, Database checkpoints, std::string path)
    : db_(std::move(db)), checkpointer_(std::move(checkpoints), db_), reads_(std::move(path)) {}

SqliteStore::~SqliteStore() = default;

Status SqliteStore::QueryLocked(std::string_view sql, const std::function<void(Statement&)>& bind,
                                const std::function<void(const Statement&)>& row) {
  auto stmt = Statement::Prepare(db_, sql);
  if (!stmt.ok()) return stmt.status();
  bind(stmt.value());
  while (stmt.value().Step()) row(stmt.value());
  return stmt.value().status();
}

Status SqliteStore::ExecLocked(std::string_view sql, const std::function<void(Statement&)>& bind) {
  // Kept prepared: a bulk change runs the same two statements per row.
  auto stmt = Cached(sql);
  if (!stmt.ok()) return stmt.status();
  Statement& st = *stmt.value();
  ResetOnExit reset(st);
  bind(st);
  return st.Run();
}

// Resets a cached statement when a query is done with it, so it does not
// hold a read snapshot open between requests.
Result<Statement*> SqliteStore::Cached(std::string_view sql) {
  auto it = statements_.find(std::string(sql));
  if (it == statements_.end()) {
    auto prepared = Statement::Prepare(db_, sql);
    if (!prepared.ok()) return prepared.status();
    it = statements_.emplace(std::string(sql), std::move(prepared).value()).first;
  }
  it->second.Reset();
  return &it->second;
}

Status SqliteStore::InTransaction(const std::function<Status()>& body) {
  if (Status s = db_.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  Status s = body();
  if (s.ok()) s = db_.Exec("COMMIT");
  if (!s.ok()) db_.Exec("ROLLBACK");
  return s;
}

Result<int> SqliteStore::SchemaVersion() {
  auto lease = reads_.Borrow();
  if (!lease.ok()) return lease.status();
  return store::SchemaVersion(lease.value().db());
}

}  // namespace deskgate::store
