// A read transaction sees the database as it was when it began.
#include <catch2/catch.hpp>

#include "server/store/sqlite/sqlite.h"
#include "tests/support/temp_dir.h"

using namespace deskgate::store;

namespace {

int64_t Count(const Database& db) {
  auto st = Statement::Prepare(db, "SELECT count(*) FROM t");
  REQUIRE(st.ok());
  auto n = st.value().ReadInt();
  REQUIRE(n.ok());
  return n.value();
}

}  // namespace

TEST_CASE("ReadTransaction: reads between Begin and its end see one snapshot",
          "[unit][read_transaction]") {
  deskgate::testing::TempDir dir;
  const std::string path = (dir.path() / "t.db").string();
  auto writer = Database::Open(path);
  REQUIRE(writer.ok());
  REQUIRE(writer.value().Exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)").ok());
  auto reader = Database::OpenReadOnly(path);
  REQUIRE(reader.ok());
  {
    ReadTransaction read(reader.value());
    REQUIRE(read.Begin("t").ok());
    REQUIRE(writer.value().Exec("INSERT INTO t VALUES (2)").ok());  // commits
    CHECK(Count(reader.value()) == 1);
    REQUIRE(writer.value().Exec("INSERT INTO t VALUES (3)").ok());
    CHECK(Count(reader.value()) == 1);
  }
  CHECK(Count(reader.value()) == 3);  // ended: each read sees the latest

  ReadTransaction unknown(reader.value());
  CHECK_FALSE(unknown.Begin("no_such_table").ok());
}
