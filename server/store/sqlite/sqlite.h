// RAII wrappers for SQLite: a Database owns a connection, a Statement owns a
// prepared statement. Errors come back as Status, never as exceptions.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/core/status.h"

namespace deskgate::store {

class Database {
 public:
  // Opens (creating if needed, readable by the owner only) the file at
  // `path` with WAL journaling, foreign keys on and a busy timeout, so
  // readers and one writer coexist. Warns on stderr when others can read it.
  static Result<Database> Open(const std::string& path);
  // A read-only connection to an existing database (for concurrent readers).
  static Result<Database> OpenReadOnly(const std::string& path);

  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs SQL with no parameters and no result rows (DDL, PRAGMA, BEGIN…).
  Status Exec(std::string_view sql);
  // Frees the page cache's unused pages when it holds more than `bytes`.
  // Call between transactions: every page is unused then. Lets a large
  // write use the whole cache without keeping it for the small ones after.
  void TrimCache(int64_t bytes);
  sqlite3* handle() const { return db_; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

class Statement {
 public:
  static Result<Statement> Prepare(const Database& db, std::string_view sql);

  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite.
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, const std::vector<uint8_t>& blob);
  // An id or SQL NULL.
  Statement& Bind(int index, std::optional<int64_t> value);

  // Advances to the next row: true if there is one. A failure also answers
  // false and sets status(): a caller that stops at false checks status()
  // before reading "no row" as an answer.
  [[nodiscard]] bool Step();
  // The first column of the first row, for count(*) and the like. No row
  // is an error too: a guard reading a count must never see 0 by failure.
  Result<int64_t> ReadInt();
  Status Run();  // steps to completion, for statements without rows
  void Reset();

  int64_t ColumnInt(int column) const;
  std::string ColumnText(int column) const;
  std::vector<uint8_t> ColumnBlob(int column) const;
  bool ColumnIsNull(int column) const;
  const Status& status() const { return status_; }

 private:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  Status status_;
};

// Resets a statement kept for reuse when the scope using it ends.
class ResetOnExit {
 public:
  explicit ResetOnExit(Statement& s) : s_(s) {}
  ~ResetOnExit() { s_.Reset(); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  Statement& s_;
};

// "%text%" for LIKE … ESCAPE '\', with the wildcards in `text` taken
// literally.
std::string LikePattern(std::string_view text);

// Bytes SQLite holds on the heap right now, every connection together
// (page caches, prepared statements, sorter memory): for /metrics.
int64_t SqliteMemoryInUse();

}  // namespace deskgate::store
