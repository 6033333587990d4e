// Bulk actions at scale over real HTTP: retire and restore a selection in
// one transaction; a reply over more than 10,000 rows is a summary (counts,
// the first failures, a download of every row's outcome) instead of a list.
#include <httplib.h>
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "../support/accounts.h"
#include "../support/records_fixture.h"

using deskgate::testing::Lists;
using deskgate::testing::Must;
using deskgate::testing::Run;
using deskgate::testing::Sql;
using deskgate::testing::StatusOf;
using nlohmann::json;

namespace {

int64_t Count(Lists& f, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(f.server.db_path().c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  const int64_t n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

}  // namespace

TEST_CASE("Bulk retire and restore: one transaction, a history row each, one audit entry",
          "[api][inventory][bulk]") {
  Lists f(60, 5);
  Must(Run({"role", "add", "--name", "Group Editor", "--permissions", "edit_group_assets", "--db",
            f.server.db_path()}));
  f.AddUser("agent", "grouped@example.com", "Group Editor");
  Sql(f.server,
      "INSERT INTO group_members (group_id, person_id) SELECT 1, id FROM people "
      "WHERE email = 'grouped@example.com'");
  Sql(f.server, "UPDATE assets SET managed_by_group_id = 1 WHERE id <= 10");
  Sql(f.server, "UPDATE assets SET managed_by_group_id = 2 WHERE id > 10");
  const std::string grouped = f.SignIn("agent", "grouped@example.com");

  // By ids: a missing id and a repeated one are reported, not fatal.
  auto res =
      f.Post("/api/assets/bulk/retire", {{"selection", {{"ids", {3, 4, 4, 999999}}}}}, f.admin);
  REQUIRE(res->status == 200);
  json reply = json::parse(res->body);
  CHECK(reply["updated"] == 2);
  CHECK(reply["not_found"] == 1);
  CHECK(reply["results"].size() == 3);
  CHECK(f.Row(3)["status"] == "retired");
  CHECK(f.Get("/api/assets?limit=1", f.admin)["total"] == 58);
  CHECK(f.Get("/api/assets?limit=1&retired=true", f.admin)["total"] == 2);
  CHECK(f.Audits("asset.bulk_retired") == 1);
  CHECK(Count(f, "SELECT count(*) FROM record_history WHERE record_id IN (3, 4) AND bulk = 1") ==
        2);

  // Retiring again changes nothing; a group editor's selection by filter
  // retires the rows of their group and is refused the others.
  reply = json::parse(
      f.Post("/api/assets/bulk/retire", {{"selection", {{"ids", {3}}}}}, f.admin)->body);
  CHECK(reply["unchanged"] == 1);
  res = f.Post("/api/assets/bulk/retire",
               {{"selection", {{"filter", json::object()}, {"except", {1}}}}}, grouped);
  REQUIRE(res->status == 200);
  reply = json::parse(res->body);
  CHECK(reply["updated"] == 7);  // ids 2, 5…10 (3 and 4 are retired already, 1 excepted)
  CHECK(reply["forbidden"] == 50);
  CHECK(f.Get("/api/assets?limit=1", f.admin)["total"] == 51);

  // Restore: the retired list's filter, with the status each had.
  res = f.Post("/api/assets/bulk/restore",
               {{"selection", {{"filter", {{"retired", true}}}, {"except", json::array()}}}},
               f.admin);
  REQUIRE(res->status == 200);
  CHECK(json::parse(res->body)["updated"] == 9);
  CHECK(f.Get("/api/assets?limit=1", f.admin)["total"] == 60);
  CHECK(f.Row(3)["status"] == "in_use");
  CHECK(f.Audits("asset.bulk_restored") == 1);
  // Each row's history says the retirement and the restore, as one retire would.
  const json history = f.Get("/api/assets/3/history", f.admin)["history"];
  REQUIRE(history.size() == 2);
  CHECK(history[0]["changes"] == json({{"retired", {true, false}}}));
  CHECK(history[1]["changes"] == json({{"retired", {false, true}}}));
  CHECK(history[1]["bulk"] == true);

  // Refusals change nothing.
  for (const json& bad : {json{{"selection", {{"ids", "all"}}}}, json::object(),
                          json{{"selection", {{"ids", {1}}}}, {"change", {{"impact", "low"}}}}}) {
    INFO(bad.dump());
    res = f.Post("/api/assets/bulk/retire", bad, f.admin);
    CHECK(res->status == 400);
    CHECK(json::parse(res->body).contains("error"));
  }
  const std::string viewer_role = "Viewer";
  Must(Run({"role", "add", "--name", viewer_role, "--db", f.server.db_path()}));
  f.AddUser("agent", "viewer@example.com", viewer_role);
  const std::string viewer = f.SignIn("agent", "viewer@example.com");
  CHECK(StatusOf(f.Post("/api/assets/bulk/retire", {{"selection", {{"ids", {1}}}}}, viewer)) ==
        403);
  CHECK(f.client
            .Post("/api/assets/bulk/retire", json{{"selection", {{"ids", {1}}}}}.dump(),
                  "application/json")
            ->status == 401);
  CHECK(f.Get("/api/assets?limit=1", f.admin)["total"] == 60);
}

TEST_CASE("A bulk action over more than 10,000 rows answers with a summary and a download",
          "[api][inventory][bulk]") {
  Lists f(12'000, 5);
  Must(Run({"role", "add", "--name", "Group Editor", "--permissions", "edit_group_assets", "--db",
            f.server.db_path()}));
  f.AddUser("agent", "grouped@example.com", "Group Editor");
  Sql(f.server,
      "INSERT INTO group_members (group_id, person_id) SELECT 1, id FROM people "
      "WHERE email = 'grouped@example.com'");
  Sql(f.server,
      "UPDATE assets SET impact = 'low', managed_by_group_id = CASE WHEN id % 40 = 0 THEN 2 "
      "ELSE 1 END");
  const std::string grouped = f.SignIn("agent", "grouped@example.com");

  auto res = f.Bulk({{"selection", {{"filter", json::object()}, {"except", json::array()}}},
                     {"change", {{"impact", "high"}}}},
                    grouped);
  REQUIRE(res->status == 200);
  const json reply = json::parse(res->body);
  CHECK(reply["summary"] == true);
  CHECK_FALSE(reply.contains("results"));
  CHECK(reply["updated"] == 11'700);
  CHECK(reply["forbidden"] == 300);
  CHECK(reply["failures_total"] == 300);
  REQUIRE(reply["failures"].size() == 100);
  CHECK(reply["failures"][0] == json{{"id", 40}, {"outcome", "forbidden"}});
  CHECK(res->body.size() < 20'000);
  CHECK(f.Audits("asset.bulk_updated") == 1);

  // Every row's outcome, for the person who ran the action only.
  const std::string link = reply["outcomes"];
  REQUIRE(link.rfind("/api/assets/bulk/outcomes/", 0) == 0);
  auto csv = f.client.Get(link, {{"Cookie", grouped}});
  REQUIRE(csv->status == 200);
  CHECK(csv->get_header_value("Content-Type").rfind("text/csv", 0) == 0);
  std::istringstream lines(csv->body);
  std::string line;
  std::getline(lines, line);
  CHECK(line == "id,outcome,version\r");
  std::set<int64_t> ids;
  int forbidden = 0;
  while (std::getline(lines, line)) {
    ids.insert(std::stoll(line));
    if (line.find(",forbidden,") != std::string::npos) ++forbidden;
  }
  CHECK(ids.size() == 12'000);
  CHECK(forbidden == 300);
  CHECK(StatusOf(f.client.Get(link, {{"Cookie", f.admin}})) == 404);  // someone else's
  CHECK(StatusOf(f.client.Get(link)) == 401);
  std::string other = link;
  other[other.size() - 5] = other[other.size() - 5] == 'A' ? 'B' : 'A';
  CHECK(StatusOf(f.client.Get(other, {{"Cookie", grouped}})) == 404);
  CHECK(StatusOf(f.client.Get("/api/software" + link.substr(11), {{"Cookie", grouped}})) == 404);

  // A retire of as many rows is summarised the same way, and is one transaction.
  res = f.Post("/api/assets/bulk/retire",
               {{"selection", {{"filter", {{"impact", "high"}}}, {"except", json::array()}}}},
               f.admin);
  REQUIRE(res->status == 200);
  const json retired = json::parse(res->body);
  CHECK(retired["summary"] == true);
  CHECK(retired["updated"] == 11'700);
  CHECK(retired["failures_total"] == 0);
  CHECK(f.Get("/api/assets?limit=1", f.admin)["total"] == 300);
}

TEST_CASE("A bulk change writes each row's own history, whatever each held before",
          "[api][inventory][bulk]") {
  Lists f(30, 5);
  Sql(f.server,
      "UPDATE assets SET impact = CASE id % 3 WHEN 0 THEN 'low' WHEN 1 THEN 'medium' "
      "ELSE 'high' END");
  auto res = f.Bulk({{"selection", {{"filter", json::object()}, {"except", {4}}}},
                     {"change", {{"impact", "high"}}}},
                    f.admin);
  REQUIRE(res->status == 200);
  CHECK(json::parse(res->body)["updated"] == 19);  // the 20 low or medium but row 4
  for (int64_t id = 1; id <= 30; ++id) {
    INFO("row " << id);
    const json history = f.Get("/api/assets/" + std::to_string(id) + "/history", f.admin);
    if (id % 3 == 2 || id == 4) {
      CHECK(history["history"].empty());
      continue;
    }
    REQUIRE(history["history"].size() == 1);
    CHECK(history["history"][0]["bulk"] == true);
    CHECK(history["history"][0]["changes"] ==
          json({{"impact", {id % 3 == 0 ? "low" : "medium", "high"}}}));
  }
  CHECK(Count(f, "SELECT count(*) FROM record_history") == 19);
}

TEST_CASE("A bulk action past what the lists' position indexes replay has them built again",
          "[api][inventory][bulk][paging]") {
  Lists f(34'000, 5);
  const auto names_page = [&](int offset) {
    return f.Get("/api/assets?limit=100&sort=name&offset=" + std::to_string(offset), f.admin);
  };
  REQUIRE(names_page(20'000)["total"] == 34'000);  // the name order's index is built
  // 33,000 rows leave the list: more than a write's changes that are replayed.
  json kept = json::array();
  for (int64_t id = 17; kept.size() < 1'000; id += 34) kept.push_back(id);
  auto res = f.Post("/api/assets/bulk/retire",
                    {{"selection", {{"filter", json::object()}, {"except", kept}}}}, f.admin);
  REQUIRE(res->status == 200);
  CHECK(json::parse(res->body)["updated"] == 33'000);
  std::set<int64_t> seen;
  for (int offset = 0; offset < 1'000; offset += 100) {
    const json page = names_page(offset);
    CHECK(page["total"] == 1'000);
    for (const json& r : page["rows"]) seen.insert(r["id"].get<int64_t>());
  }
  CHECK(seen == kept.get<std::set<int64_t>>());
  // And back: every row is in the list again.
  res = f.Post("/api/assets/bulk/restore",
               {{"selection", {{"filter", {{"retired", true}}}, {"except", json::array()}}}},
               f.admin);
  REQUIRE(res->status == 200);
  CHECK(json::parse(res->body)["updated"] == 33'000);
  const json last = names_page(33'950);
  CHECK(last["total"] == 34'000);
  CHECK(last["rows"].size() == 50);
}
