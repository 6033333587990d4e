#include "server/store/sqlite/migrations.h"

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"

using namespace deskgate::store;

TEST_CASE("Migrations bring a new database to the latest version, once", "[store]") {
  deskgate::testing::TempDir tmp;
  auto db = Database::Open((tmp.path() / "a.db").string());
  REQUIRE(db.ok());
  CHECK(SchemaVersion(db.value()).value() == 0);
  REQUIRE(Migrate(db.value(), SchemaMigrations()).ok());
  const int latest = SchemaMigrations().back().version;
  CHECK(SchemaVersion(db.value()).value() == latest);
  REQUIRE(Migrate(db.value(), SchemaMigrations()).ok());  // idempotent
  CHECK(SchemaVersion(db.value()).value() == latest);

  auto journal = Statement::Prepare(db.value(), "PRAGMA journal_mode");
  REQUIRE(journal.value().Step());
  CHECK(journal.value().ColumnText(0) == "wal");
  auto fk = Statement::Prepare(db.value(), "PRAGMA foreign_keys");
  REQUIRE(fk.value().Step());
  CHECK(fk.value().ColumnInt(0) == 1);
}

TEST_CASE("A failing migration leaves the database at the previous version", "[store]") {
  deskgate::testing::TempDir tmp;
  auto db = Database::Open((tmp.path() / "b.db").string());
  REQUIRE(db.ok());
  const std::vector<Migration> migrations = {
      {1, "CREATE TABLE t (x INTEGER);"},
      {2, "CREATE TABLE u (y INTEGER); INSERT INTO missing VALUES (1);"},
  };
  const auto status = Migrate(db.value(), migrations);
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find("migration 2 failed") == 0);
  CHECK(SchemaVersion(db.value()).value() == 1);
  auto u = Statement::Prepare(db.value(), "SELECT count(*) FROM sqlite_master WHERE name = 'u'");
  REQUIRE(u.value().Step());
  CHECK(u.value().ColumnInt(0) == 0);  // rolled back with the failure
}

TEST_CASE("A database from a newer deskgate is refused", "[store]") {
  deskgate::testing::TempDir tmp;
  auto db = Database::Open((tmp.path() / "c.db").string());
  REQUIRE(db.value().Exec("PRAGMA user_version = 999").ok());
  const auto status = Migrate(db.value(), SchemaMigrations());
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find("newer than this deskgate") != std::string::npos);
}

TEST_CASE("Statements bind parameters and read columns", "[store]") {
  deskgate::testing::TempDir tmp;
  auto db = Database::Open((tmp.path() / "d.db").string());
  REQUIRE(db.value().Exec("CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER)").ok());
  auto insert = Statement::Prepare(db.value(), "INSERT INTO kv VALUES (?1, ?2)");
  REQUIRE(insert.ok());
  REQUIRE(insert.value().Bind(1, "it's").Bind(2, int64_t{7}).Run().ok());
  insert.value().Reset();
  CHECK_FALSE(insert.value().Bind(1, "it's").Bind(2, int64_t{8}).Run().ok());  // duplicate key
  auto select = Statement::Prepare(db.value(), "SELECT k, v FROM kv");
  REQUIRE(select.value().Step());
  CHECK(select.value().ColumnText(0) == "it's");
  CHECK(select.value().ColumnInt(1) == 7);
  CHECK_FALSE(Statement::Prepare(db.value(), "SELEC nonsense").ok());
}

TEST_CASE("The search index is filled with the records a database already holds, retired too",
          "[store]") {
  deskgate::testing::TempDir tmp;
  auto db = Database::Open((tmp.path() / "e.db").string());
  REQUIRE(db.ok());
  std::vector<Migration> before_search;
  for (const Migration& m : SchemaMigrations()) {
    if (m.version < 12) before_search.push_back(m);
  }
  REQUIRE(Migrate(db.value(), before_search).ok());
  REQUIRE(
      db.value()
          .Exec("INSERT INTO assets (name, asset_tag, type, created_at, updated_at) VALUES "
                "('Dell Latitude', 'LT-1', 'Laptop', 1, 1), ('Old Dell', 'LT-2', 'Laptop', 1, 1);"
                "UPDATE assets SET retired_at = 1 WHERE asset_tag = 'LT-2';"
                "INSERT INTO software (name, publisher, version_string, created_at, updated_at) "
                "VALUES "
                "('Slack', 'Salesforce', '4.1', 1, 1);")
          .ok());
  REQUIRE(Migrate(db.value(), SchemaMigrations()).ok());
  const auto matches = [&](const char* sql) {
    auto st = Statement::Prepare(db.value(), sql);
    REQUIRE(st.ok());
    REQUIRE(st.value().Step());
    return st.value().ColumnInt(0);
  };
  CHECK(matches("SELECT count(*) FROM assets_search WHERE assets_search MATCH '\"dell\"'") == 2);
  CHECK(matches("SELECT count(*) FROM assets_search WHERE assets_search MATCH '\"lt-2\"'") == 1);
  CHECK(matches("SELECT count(*) FROM software_search WHERE software_search MATCH '\"sales\"'") ==
        1);
}
