// The asset and software lists behind a real server for API tests: a
// seeded database, an Administrator signed in, and small helpers for the
// list, record, bulk and audit calls.
#pragma once

#include <httplib.h>
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>

#include "accounts.h"
#include "server/store/sqlite/sqlite_store.h"
#include "subprocess.h"

namespace deskgate::testing {

using nlohmann::json;

// "7", an If-Match value. (append: GCC 12 warns falsely about "\"" + …)
inline std::string Tag(int64_t version, const char* prefix = "") {
  std::string tag = prefix;
  tag.append("\"").append(std::to_string(version)).append("\"");
  return tag;
}

// Runs SQL on the server's database directly (test setup only).
inline void Sql(const ServerProcess& server, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(server.db_path().c_str(), &db) == SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  INFO((error ? error : ""));
  sqlite3_free(error);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

struct Lists {
  ServerProcess server;
  httplib::Client client{"127.0.0.1", server.port()};
  std::string admin;

  explicit Lists(int assets = 300, int software = 50) {
    Must(Run({"seed", "--assets", std::to_string(assets), "--software", std::to_string(software),
              "--db", server.db_path()}));
    AddUser("agent", "admin@example.com", "Administrator");
    admin = SignIn("agent", "admin@example.com");
  }

  void AddUser(const std::string& portal, const std::string& email, const std::string& role = "") {
    ::deskgate::testing::AddUser(server.db_path(), portal, email, role);
  }
  std::string SignIn(const std::string& portal, const std::string& email) {
    return ::deskgate::testing::SignIn(client, portal, email);
  }

  json Get(const std::string& path, const std::string& who, int expect = 200) {
    auto res = client.Get(path, {{"Cookie", who}});
    REQUIRE(res);
    INFO(path << " " << res->body);
    REQUIRE(res->status == expect);
    return json::parse(res->body);
  }
  httplib::Result Patch(int64_t id, const std::string& if_match, const json& change,
                        const std::string& who, const std::string& kind = "assets") {
    httplib::Headers headers = {{"Cookie", who}};
    if (!if_match.empty()) headers.emplace("If-Match", if_match);
    auto res = client.Patch("/api/" + kind + "/" + std::to_string(id), headers, change.dump(),
                            "application/json");
    REQUIRE(res);
    return res;
  }
  httplib::Result Post(const std::string& path, const json& body, const std::string& who) {
    auto res = client.Post(path, {{"Cookie", who}}, body.dump(), "application/json");
    REQUIRE(res);
    return res;
  }
  httplib::Result Bulk(const json& body, const std::string& who,
                       const std::string& kind = "assets") {
    auto res =
        client.Post("/api/" + kind + "/bulk", {{"Cookie", who}}, body.dump(), "application/json");
    REQUIRE(res);
    return res;
  }
  json Row(int64_t id) { return Get("/api/assets/" + std::to_string(id), admin); }
  int64_t Audits(const std::string& event) {
    return deskgate::store::SqliteStore::Open(server.db_path()).value()->CountAudit(event).value();
  }
};

}  // namespace deskgate::testing
