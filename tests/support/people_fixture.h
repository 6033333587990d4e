// People: a running server with an Administrator signed in, and the
// helpers the administration API tests share (people added with the real
// CLI, JSON requests with a cookie, audit counts read from the database).
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

struct People {
  ServerProcess server;
  httplib::Client client{"127.0.0.1", server.port()};
  std::string admin;

  People() {
    Add("agent", "admin@example.com", "Administrator", "Ada Admin");
    admin = testing::SignIn(client, "agent", "admin@example.com");
  }

  void Add(const std::string& portal, const std::string& email, const std::string& role = "",
           const std::string& name = "Test Person") {
    AddUser(server.db_path(), portal, email, role, name);
  }
  std::string SignIn(const std::string& portal, const std::string& email) {
    return testing::SignIn(client, portal, email);
  }
  void Sql(const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(server.db_path().c_str(), &db) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }

  httplib::Result Get(const std::string& path, const std::string& who) {
    auto res = client.Get(path, {{"Cookie", who}});
    REQUIRE(res);
    return res;
  }
  json GetJson(const std::string& path, const std::string& who) {
    auto res = Get(path, who);
    INFO(path << " " << res->body);
    REQUIRE(res->status == 200);
    return json::parse(res->body);
  }
  httplib::Result Post(const std::string& path, const std::string& who) {
    auto res = client.Post(path, {{"Cookie", who}}, "{}", "application/json");
    REQUIRE(res);
    return res;
  }
  httplib::Result Patch(int64_t id, const json& change, const std::string& who) {
    auto res = client.Patch("/api/people/" + std::to_string(id), {{"Cookie", who}}, change.dump(),
                            "application/json");
    REQUIRE(res);
    return res;
  }
  int64_t IdOf(const std::string& portal, const std::string& email) {
    const json page = GetJson("/api/people?portal=" + portal + "&q=" + email, admin);
    REQUIRE(page["total"] == 1);
    return page["rows"][0]["id"];
  }
  int64_t RoleId(const std::string& name) {
    const json roles = GetJson("/api/roles", admin);
    for (const json& r : roles["roles"]) {
      if (r["name"] == name) return r["id"];
    }
    FAIL("no role " << name);
    return 0;
  }
  int64_t Audits(const std::string& event) {
    return deskgate::store::SqliteStore::Open(server.db_path()).value()->CountAudit(event).value();
  }
};

inline std::string CodeOf(const httplib::Result& res) {
  return json::parse(res->body)["code"];
}

}  // namespace deskgate::testing
