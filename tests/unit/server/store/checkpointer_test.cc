// The write-ahead log is copied back into the database file by the
// checkpointer's thread, not in the COMMIT of the write that grew it.
#include "server/store/sqlite/checkpointer.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "server/store/sqlite/sqlite.h"
#include "tests/support/temp_dir.h"

using namespace deskgate::store;

namespace {

Database Opened(const std::string& path) {
  auto db = Database::Open(path);
  REQUIRE(db.ok());
  return std::move(db).value();
}

// Commits `rows` rows of 4 KiB each: about as many pages of log.
void WriteRows(Database& db, int rows) {
  REQUIRE(db.Exec("BEGIN IMMEDIATE").ok());
  REQUIRE(db.Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
                  std::to_string(rows) + ") INSERT INTO t (x) SELECT randomblob(4000) FROM n")
              .ok());
  REQUIRE(db.Exec("COMMIT").ok());
}

// (frames in the log, frames copied back), as a PASSIVE checkpoint by a
// connection of its own finds them; it copies what is left, if anything.
std::pair<int, int> LogOf(const std::string& path) {
  Database db = Opened(path);
  int log = -1;
  int copied = -1;
  REQUIRE(sqlite3_wal_checkpoint_v2(db.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log,
                                    &copied) == SQLITE_OK);
  return {log, copied};
}

Database WithTable(const std::string& path) {
  Database db = Opened(path);
  REQUIRE(db.Exec("CREATE TABLE t (x BLOB)").ok());
  return db;
}

// A database with a table t, its writer, and a checkpointer watching it.
struct Watched {
  deskgate::testing::TempDir dir;
  std::string path = (dir.path() / "t.db").string();
  Database writer = WithTable(path);
  Checkpointer checkpointer{Opened(path), writer};
};

bool WaitFor(Checkpointer& c, int checkpoints) {
  for (int i = 0; i < 500 && c.checkpoints() < checkpoints; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return c.checkpoints() >= checkpoints;
}

}  // namespace

TEST_CASE("Checkpointer: a commit past the log's length is copied back on its thread",
          "[unit][checkpointer]") {
  Watched db;
  const std::string& path = db.path;
  Database& writer = db.writer;
  Checkpointer& checkpointer = db.checkpointer;
  const int pages = Checkpointer::kPagesBeforeCheckpoint;

  WriteRows(writer, pages / 10);  // a short log: left for later
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(checkpointer.checkpoints() == 0);

  const auto short_log = std::filesystem::file_size(path);
  WriteRows(writer, pages);
  REQUIRE(WaitFor(checkpointer, 1));
  CHECK(std::filesystem::file_size(path) > short_log + 1000 * 4000);
  const auto [log, copied] = LogOf(path);
  CHECK(log > pages);
  CHECK(copied == log);

  // Each checkpoint done, the next write starts the log over: it stays as
  // long as one write's pages, however many writes there are.
  const auto wal = std::filesystem::path(path + "-wal");
  const auto one_write = std::filesystem::file_size(wal);
  for (int round = 2; round <= 8; ++round) {
    WriteRows(writer, pages + 100);
    REQUIRE(WaitFor(checkpointer, round));
  }
  CHECK(std::filesystem::file_size(wal) < 2 * one_write);
}

TEST_CASE("Checkpointer: stopped, it gives the writer SQLite's own checkpoints back",
          "[unit][checkpointer]") {
  Watched db;
  const std::string& path = db.path;
  Database& writer = db.writer;
  Checkpointer& checkpointer = db.checkpointer;
  checkpointer.Stop();
  checkpointer.Stop();  // idempotent
  const auto before = std::filesystem::file_size(path);
  WriteRows(writer, Checkpointer::kPagesBeforeCheckpoint + 100);
  // Copied back by the writer's COMMIT itself: the file holds the rows.
  CHECK(std::filesystem::file_size(path) > before + 1000 * 4000);
  CHECK(checkpointer.checkpoints() == 0);
}
