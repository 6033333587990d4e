#include "server/store/sqlite/backup.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include "server/store/sqlite/migrations.h"

namespace deskgate::store {
namespace {

Status SqliteFailure(sqlite3* db, const std::string& what) {
  return Status::Error(what + ": " + sqlite3_errmsg(db));
}

// Copies every page of `from` into `to` in one step (one read snapshot of
// the source; the destination is locked throughout).
Status CopyPages(Database& from, Database& to) {
  sqlite3_backup* backup = sqlite3_backup_init(to.handle(), "main", from.handle(), "main");
  if (!backup) return SqliteFailure(to.handle(), "cannot start the copy");
  int rc = SQLITE_OK;
  // Busy or locked: a writer is checkpointing or the destination is in use;
  // the backup API lets the step be retried.
  for (int attempt = 0; attempt < 100; ++attempt) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    sqlite3_sleep(50);
  }
  const int finished = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return Status::Error(std::string("copy failed: ") + sqlite3_errstr(rc));
  if (finished != SQLITE_OK) return SqliteFailure(to.handle(), "copy failed");
  return Status::Ok();
}

Status SyncFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Error("cannot open " + path);
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok ? Status::Ok() : Status::Error("cannot sync " + path);
}

// Syncs the folder holding `path`, so a rename into it survives a crash.
void SyncFolderOf(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

Result<std::string> FirstText(Database& db, const std::string& sql) {
  auto stmt = Statement::Prepare(db, sql);
  if (!stmt.ok()) return stmt.status();
  if (!stmt.value().Step()) {
    if (!stmt.value().status().ok()) return stmt.value().status();
    return std::string();
  }
  return stmt.value().ColumnText(0);
}

}  // namespace

Status BackupDatabase(const std::string& from, const std::string& to) {
  std::error_code ec;
  if (!std::filesystem::exists(from, ec)) return Status::Error("no database at " + from);
  const std::string partial = to + ".partial";
  std::filesystem::remove(partial, ec);
  {
    auto source = Database::Open(from);
    if (!source.ok()) return source.status();
    auto copy = Database::Open(partial);
    if (!copy.ok()) return copy.status();
    if (Status s = CopyPages(source.value(), copy.value()); !s.ok()) {
      std::filesystem::remove(partial, ec);
      return s;
    }
    // One self-contained file: no -wal or -shm beside it.
    if (Status s = copy.value().Exec("PRAGMA journal_mode = DELETE"); !s.ok()) return s;
    auto check = FirstText(copy.value(), "PRAGMA quick_check");
    if (!check.ok() || check.value() != "ok") {
      std::filesystem::remove(partial, ec);
      return Status::Error("the copy failed its check: " +
                           (check.ok() ? check.value() : check.error()));
    }
  }
  if (Status s = SyncFile(partial); !s.ok()) return s;
  std::filesystem::rename(partial, to, ec);
  if (ec) return Status::Error("cannot move the backup into place at " + to + ": " + ec.message());
  SyncFolderOf(to);
  return Status::Ok();
}

Status RestoreDatabase(const std::string& from, const std::string& to) {
  auto source = Database::OpenReadOnly(from);
  if (!source.ok()) return source.status();
  auto target = Database::Open(to);
  if (!target.ok()) return target.status();
  if (Status s = CopyPages(source.value(), target.value()); !s.ok()) return s;
  // The copy carries the backup's journal mode; the server runs in WAL.
  return target.value().Exec("PRAGMA journal_mode = WAL");
}

Result<DatabaseCheck> CheckDatabase(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return Status::Error("no database at " + path);
  auto db = Database::OpenReadOnly(path);
  if (!db.ok()) return db.status();
  DatabaseCheck check;
  const auto unreadable = [&](const Status& s) {
    check.readable = false;
    check.integrity_errors = {s.message()};
    return check;
  };
  auto integrity = Statement::Prepare(db.value(), "PRAGMA integrity_check(10)");
  if (!integrity.ok()) return unreadable(integrity.status());
  while (integrity.value().Step()) {
    const std::string line = integrity.value().ColumnText(0);
    if (line == "ok")
      check.integrity_ok = true;
    else
      check.integrity_errors.push_back(line);
  }
  if (!integrity.value().status().ok()) return unreadable(integrity.value().status());
  auto fk = Statement::Prepare(db.value(), "PRAGMA foreign_key_check");
  if (!fk.ok()) return fk.status();
  while (fk.value().Step()) ++check.foreign_key_violations;
  auto version = SchemaVersion(db.value());
  if (!version.ok()) return version.status();
  check.schema_version = version.value();
  if (auto fp = FirstText(db.value(), "SELECT fingerprint FROM master_key");
      fp.ok() && !fp.value().empty()) {
    check.key_fingerprint = fp.value();
  }
  return check;
}

}  // namespace deskgate::store
