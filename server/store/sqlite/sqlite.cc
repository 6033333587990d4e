#include "server/store/sqlite/sqlite.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>
#include <utility>

#include "server/observe/metrics.h"

namespace deskgate::store {
namespace {

// The kind of a failure, by SQLite's result code (never by its message): a
// uniqueness constraint is a conflict, any other constraint bad input, and
// the rest (busy, I/O, corruption, full disk) the database being unavailable.
StatusCode CodeOf(int extended_rc) {
  if (extended_rc == SQLITE_CONSTRAINT_UNIQUE || extended_rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return StatusCode::kConflict;
  }
  if ((extended_rc & 0xff) == SQLITE_CONSTRAINT) return StatusCode::kInvalidArgument;
  return StatusCode::kUnavailable;
}

Status SqliteError(sqlite3* db, std::string_view what) {
  return Status::Of(db ? CodeOf(sqlite3_extended_errcode(db)) : StatusCode::kUnavailable,
                    std::string(what) + ": " + sqlite3_errmsg(db));
}

// The database holds password hashes, sessions and the audit log: a new
// one is created readable by its owner only (SQLite gives its -wal and
// -shm files the database file's permissions), and an existing one that
// others can read is reported at every start.
void CreateOwnerOnly(const std::string& path) {
  const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);
  for (const std::string& file : {path, path + "-wal", path + "-shm"}) {
    struct stat st {};
    if (::stat(file.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
      std::fprintf(stderr,
                   "warning: %s can be read by other users (mode %03o); it holds password "
                   "hashes and sessions: chmod 600 it\n",
                   file.c_str(), static_cast<unsigned>(st.st_mode & 0777));
    }
  }
}

// Reads through a memory map of the file instead of a copy per page in each
// connection's cache: a search that visits 55,000 rows of a million takes
// ~45 ms instead of ~75 ms, and the pooled readers share the OS's pages.
// Writes still go through the journal (SQLite writes with write(), not the
// map), so a crash is as safe as without it.
constexpr const char* kMapFile = "PRAGMA mmap_size = 1073741824";

// A large write (an import of 100,000 rows, a bulk change) touches the same
// index pages again and again. With the default 2 MB cache, SQLite spills
// them to the WAL mid-transaction and writes each page many times over:
// 100,000 imported rows took ~10 s, most of it in pwrite. Pages are
// allocated as used, so a connection doing small writes stays small.
constexpr const char* kWriteCache = "PRAGMA cache_size = -131072";  // KiB: 128 MiB

// Waits for a lock another connection holds, as sqlite3_busy_timeout(5 s)
// would (the same backoff), and counts each wait for /metrics.
int WaitWhileBusy(void*, int waits_so_far) {
  static constexpr int kDelaysMs[] = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};
  static constexpr int kSteps = sizeof kDelaysMs / sizeof kDelaysMs[0];
  static constexpr int kLimitMs = 5000;
  int waited = 0;
  for (int i = 0; i < std::min(waits_so_far, kSteps); ++i) waited += kDelaysMs[i];
  if (waits_so_far > kSteps) waited += (waits_so_far - kSteps) * kDelaysMs[kSteps - 1];
  if (waited >= kLimitMs) return 0;
  const int delay =
      std::min(waits_so_far < kSteps ? kDelaysMs[waits_so_far] : 100, kLimitMs - waited);
  observe::Count(observe::Counter::kSqliteBusyRetries);
  std::this_thread::sleep_for(std::chrono::milliseconds(delay));
  return 1;
}

}  // namespace

Result<Database> Database::Open(const std::string& path) {
  CreateOwnerOnly(path);
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Database db(raw);  // owns the handle even when open failed
  if (rc != SQLITE_OK) return SqliteError(raw, "cannot open database " + path);
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_handler(raw, WaitWhileBusy, nullptr);
  for (const char* pragma :
       {"PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL",
        kMapFile, kWriteCache, "PRAGMA temp_store = MEMORY"}) {
    if (Status s = db.Exec(pragma); !s.ok()) return s;
  }
  return db;
}

Result<Database> Database::OpenReadOnly(const std::string& path) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  Database db(raw);
  if (rc != SQLITE_OK) return SqliteError(raw, "cannot open database " + path);
  sqlite3_busy_handler(raw, WaitWhileBusy, nullptr);
  if (Status s = db.Exec(kMapFile); !s.ok()) return s;
  return db;
}

Database::Database(Database&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

Database::~Database() {
  sqlite3_close_v2(db_);
}

Status Database::Exec(std::string_view sql) {
  // sqlite3_exec needs a terminated string.
  const std::string text(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string error = message ? message : "unknown error";
    sqlite3_free(message);
    return Status::Of(CodeOf(sqlite3_extended_errcode(db_)), "SQL failed: " + error);
  }
  return Status::Ok();
}

void Database::TrimCache(int64_t bytes) {
  int used = 0;
  int highest = 0;
  if (sqlite3_db_status(db_, SQLITE_DBSTATUS_CACHE_USED, &used, &highest, 0) != SQLITE_OK) return;
  if (used > bytes) sqlite3_db_release_memory(db_);
}

Result<Statement> Statement::Prepare(const Database& db, std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
      SQLITE_OK) {
    return SqliteError(db.handle(), "cannot prepare statement");
  }
  return Statement(db.handle(), stmt);
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), status_(other.status_) {}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, std::optional<int64_t> value) {
  if (value) return Bind(index, *value);
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::Bind(int index, const std::vector<uint8_t>& blob) {
  sqlite3_bind_blob(stmt_, index, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
  return *this;
}

bool Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) status_ = SqliteError(db_, "statement failed");
  return false;
}

Result<int64_t> Statement::ReadInt() {
  if (Step()) return ColumnInt(0);
  if (!status_.ok()) return status_;
  return Status::Of(StatusCode::kUnavailable, "the database answered no row");
}

Status Statement::Run() {
  while (Step()) {
  }
  return status_;
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  status_ = Status::Ok();
}

int64_t Statement::ColumnInt(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::ColumnText(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return text ? std::string(text, sqlite3_column_bytes(stmt_, column)) : std::string();
}

std::vector<uint8_t> Statement::ColumnBlob(int column) const {
  const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, column));
  return data ? std::vector<uint8_t>(data, data + sqlite3_column_bytes(stmt_, column))
              : std::vector<uint8_t>();
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::string LikePattern(std::string_view text) {
  std::string p = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') p.push_back('\\');
    p.push_back(c);
  }
  return p + "%";
}

int64_t SqliteMemoryInUse() {
  return sqlite3_memory_used();
}

}  // namespace deskgate::store
