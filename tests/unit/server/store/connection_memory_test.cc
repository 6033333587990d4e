// What SQLite connections keep between uses: a pooled reader's prepared
// statements and the writer's page cache stay bounded however long the
// server runs.
#include <catch2/catch.hpp>

#include "server/store/sqlite/read_pool.h"
#include "server/store/sqlite/sqlite.h"
#include "server/store/sqlite/writer_mutex.h"
#include "tests/support/temp_dir.h"

using namespace deskgate::store;

namespace {

int StatementsOn(const Database& db) {
  int n = 0;
  for (sqlite3_stmt* s = sqlite3_next_stmt(db.handle(), nullptr); s;
       s = sqlite3_next_stmt(db.handle(), s)) {
    ++n;
  }
  return n;
}

int64_t CacheBytes(const Database& db) {
  int used = 0;
  int highest = 0;
  REQUIRE(sqlite3_db_status(db.handle(), SQLITE_DBSTATUS_CACHE_USED, &used, &highest, 0) ==
          SQLITE_OK);
  return used;
}

std::string Query(int i) {
  return "SELECT count(*) + " + std::to_string(i) + " FROM t";
}

// A database with one row in table t, and a pool of readers on it.
struct Readers {
  deskgate::testing::TempDir dir;
  std::string path = (dir.path() / "t.db").string();
  Database writer = Opened(path);
  ReadPool pool{path};

  static Database Opened(const std::string& path) {
    auto db = Database::Open(path);
    REQUIRE(db.ok());
    REQUIRE(db.value().Exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)").ok());
    return std::move(db).value();
  }
};

}  // namespace

TEST_CASE("A pooled reader keeps at most kMaxStatements, the recently used ones",
          "[unit][connection_memory]") {
  Readers readers;
  ReadPool& pool = readers.pool;
  const int shapes = static_cast<int>(ReadPool::kMaxStatements) * 3;
  for (int i = 0; i < shapes; ++i) {
    auto lease = pool.Borrow();
    REQUIRE(lease.ok());
    REQUIRE(lease.value().Prepared(Query(i)).ok());
  }
  auto lease = pool.Borrow();
  REQUIRE(lease.ok());
  const int kept = StatementsOn(lease.value().db());
  CHECK(kept <= static_cast<int>(ReadPool::kMaxStatements));
  CHECK(kept > 0);
  // The latest shape is still prepared: using it again adds no statement.
  REQUIRE(lease.value().Prepared(Query(shapes - 1)).ok());
  CHECK(StatementsOn(lease.value().db()) == kept);
  // The oldest was forgotten: using it prepares it again.
  REQUIRE(lease.value().Prepared(Query(0)).ok());
  CHECK(StatementsOn(lease.value().db()) == kept + 1);
}

TEST_CASE("Statements lent together stay valid however many there are",
          "[unit][connection_memory]") {
  Readers readers;
  auto lease = readers.pool.Borrow();
  REQUIRE(lease.ok());
  std::vector<Statement*> held;
  const int n = static_cast<int>(ReadPool::kMaxStatements) * 2;
  for (int i = 0; i < n; ++i) {
    auto st = lease.value().Prepared(Query(i));
    REQUIRE(st.ok());
    held.push_back(st.value());
  }
  for (int i = 0; i < n; ++i) {
    auto value = held[static_cast<size_t>(i)]->ReadInt();
    REQUIRE(value.ok());
    CHECK(value.value() == i + 1);
  }
}

TEST_CASE("TrimCache lets a large write use the cache and gives it back after",
          "[unit][connection_memory]") {
  deskgate::testing::TempDir dir;
  auto db = Database::Open((dir.path() / "t.db").string());
  REQUIRE(db.ok());
  REQUIRE(db.value().Exec("CREATE TABLE t (x TEXT); CREATE INDEX t_x ON t (x)").ok());
  REQUIRE(db.value()
              .Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                    "100000) INSERT INTO t SELECT hex(randomblob(40)) FROM n")
              .ok());
  const int64_t after_write = CacheBytes(db.value());
  CHECK(after_write > 8 << 20);  // the whole write stayed in the cache
  db.value().TrimCache(int64_t{64} << 20);
  CHECK(CacheBytes(db.value()) == after_write);  // under the bound: kept
  db.value().TrimCache(int64_t{1} << 20);
  CHECK(CacheBytes(db.value()) < 1 << 20);
}

TEST_CASE("Whoever holds the WriterMutex, its release trims the writer's cache",
          "[unit][connection_memory]") {
  deskgate::testing::TempDir dir;
  auto db = Database::Open((dir.path() / "t.db").string());
  REQUIRE(db.ok());
  WriterMutex mutex(db.value(), int64_t{1} << 20);
  {
    std::lock_guard lock(mutex);
    REQUIRE(db.value().Exec("CREATE TABLE t (x TEXT); CREATE INDEX t_x ON t (x)").ok());
  }
  const int64_t small = CacheBytes(db.value());
  CHECK(small < 1 << 20);  // under the bound: kept as it is
  {
    std::unique_lock lock(mutex);
    REQUIRE(db.value()
                .Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                      "50000) INSERT INTO t SELECT hex(randomblob(40)) FROM n")
                .ok());
    CHECK(CacheBytes(db.value()) > 2 << 20);  // the write used the cache while held
  }
  CHECK(CacheBytes(db.value()) < 1 << 20);
}
