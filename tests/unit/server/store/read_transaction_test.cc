// A read transaction sees the database as it was when it took its snapshot.
#include <catch2/catch.hpp>

#include "server/store/sqlite/read_pool.h"
#include "server/store/sqlite/sqlite.h"
#include "tests/support/temp_dir.h"

using namespace deskgate::store;

namespace {

int64_t Count(ReadPool::Lease& lease) {
  auto st = lease.Prepared("SELECT count(*) FROM t");
  REQUIRE(st.ok());
  ResetOnExit reset(*st.value());
  auto n = st.value()->ReadInt();
  REQUIRE(n.ok());
  return n.value();
}

}  // namespace

TEST_CASE("ReadTransaction: reads after TakeSnapshot see one snapshot until it ends",
          "[unit][read_transaction]") {
  deskgate::testing::TempDir dir;
  const std::string path = (dir.path() / "t.db").string();
  auto writer = Database::Open(path);
  REQUIRE(writer.ok());
  REQUIRE(writer.value().Exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)").ok());
  ReadPool pool(path);
  auto lease = pool.Borrow();
  REQUIRE(lease.ok());
  {
    ReadTransaction read(lease.value());
    REQUIRE(read.Begin().ok());
    // Begun but no snapshot yet: a commit before the first read is seen.
    REQUIRE(writer.value().Exec("INSERT INTO t VALUES (2)").ok());
    REQUIRE(read.TakeSnapshot("t").ok());
    REQUIRE(writer.value().Exec("INSERT INTO t VALUES (3)").ok());
    CHECK(Count(lease.value()) == 2);
    REQUIRE(writer.value().Exec("INSERT INTO t VALUES (4)").ok());
    CHECK(Count(lease.value()) == 2);
  }
  CHECK(Count(lease.value()) == 4);  // ended: each read sees the latest

  ReadTransaction unknown(lease.value());
  REQUIRE(unknown.Begin().ok());
  CHECK_FALSE(unknown.TakeSnapshot("no_such_table").ok());
}
