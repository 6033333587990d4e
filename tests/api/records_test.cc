// The asset and software lists over real HTTP: paging, sorting, search and
// filters; inline edits guarded by If-Match; bulk actions by ids or by
// filter with exceptions and their per-row outcomes; one transaction per
// bulk action; permissions; history and audit.
#include <httplib.h>
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <tuple>

#include "../support/accounts.h"
#include "../support/records_fixture.h"
#include "../support/subprocess.h"
#include "server/store/sqlite/sqlite_store.h"

using deskgate::testing::Lists;
using deskgate::testing::Must;
using deskgate::testing::Run;
using deskgate::testing::ServerProcess;
using deskgate::testing::Sql;
using deskgate::testing::StatusOf;
using deskgate::testing::Tag;
using nlohmann::json;

TEST_CASE("Lists page, sort, search and filter on the server, with the total", "[api][records]") {
  Lists f;
  std::set<int64_t> seen;
  for (int offset = 0; offset < 300; offset += 50) {
    const json page = f.Get("/api/assets?limit=50&offset=" + std::to_string(offset), f.admin);
    CHECK(page["total"] == 300);
    CHECK(page["rows"].size() == 50);
    for (const auto& row : page["rows"]) seen.insert(row["id"].get<int64_t>());
  }
  CHECK(seen.size() == 300);  // the pages tile the list: no row twice, none missing
  CHECK(f.Get("/api/assets?offset=300", f.admin)["rows"].empty());

  for (const char* dir : {"asc", "desc"}) {
    const json page =
        f.Get(std::string("/api/assets?limit=100&sort=asset_tag&dir=") + dir, f.admin);
    std::vector<std::string> tags;
    for (const auto& row : page["rows"]) tags.push_back(row["asset_tag"]);
    if (std::string(dir) == "asc") {
      CHECK(std::is_sorted(tags.begin(), tags.end()));
    } else {
      CHECK(std::is_sorted(tags.rbegin(), tags.rend()));
    }
  }

  const json dell = f.Get("/api/assets?limit=500&q=DELL", f.admin);
  CHECK(dell["total"].get<int>() > 0);
  CHECK(dell["total"] == dell["rows"].size());
  for (const auto& row : dell["rows"]) {
    std::string name = row["name"];
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    CHECK(name.find("dell") != std::string::npos);
  }
  // LIKE wildcards in the search are literal.
  CHECK(f.Get("/api/assets?q=%25", f.admin)["total"] == 0);

  const json high = f.Get("/api/assets?limit=500&impact=high&location_id=none", f.admin);
  for (const auto& row : high["rows"]) {
    CHECK(row["impact"] == "high");
    CHECK(row["location_id"].is_null());
  }
  const json group2 = f.Get("/api/assets?limit=500&managed_by_group_id=2", f.admin);
  CHECK(group2["total"].get<int>() > 0);
  for (const auto& row : group2["rows"]) CHECK(row["managed_by_group_id"] == 2);

  const json software = f.Get("/api/software?sort=publisher", f.admin);
  CHECK(software["total"] == 50);
  CHECK(software["rows"][0].contains("publisher"));
  CHECK(software["rows"][0].contains("version_string"));

  for (const char* bad : {"limit=0", "limit=501", "offset=-1", "sort=password", "dir=up",
                          "impact=urgent", "location_id=abc", "managed_by_agent_id=0"}) {
    INFO(bad);
    auto res = f.client.Get(std::string("/api/assets?") + bad, {{"Cookie", f.admin}});
    CHECK(res->status == 400);
    CHECK(json::parse(res->body).contains("error"));
  }
}

TEST_CASE("An inline edit needs the row's version, and a stale one gets 412 and the current row",
          "[api][records]") {
  Lists f;
  const json before = f.Row(5);
  const int64_t v = before["version"];
  auto ok = f.Patch(5, Tag(v), {{"impact", "high"}, {"managed_by_agent_id", nullptr}}, f.admin);
  REQUIRE(ok->status == 200);
  const json after = json::parse(ok->body);
  CHECK(after["version"] == v + 1);
  CHECK(after["impact"] == "high");
  CHECK(after["managed_by_agent_id"].is_null());                         // set to none
  CHECK(after["location_id"] == before["location_id"]);                  // left unchanged
  CHECK(after["managed_by_group_id"] == before["managed_by_group_id"]);  // left unchanged
  CHECK(ok->get_header_value("ETag") == Tag(v + 1));

  // Someone else's tab still holds version v.
  auto stale = f.Patch(5, Tag(v), {{"impact", "low"}}, f.admin);
  CHECK(stale->status == 412);
  const json conflict = json::parse(stale->body);
  CHECK(conflict["current"]["impact"] == "high");
  CHECK(conflict["current"]["version"] == v + 1);
  CHECK(f.Row(5)["impact"] == "high");

  // The same values again change nothing (and keep the version).
  auto same = f.Patch(5, Tag(v + 1, "W/"), {{"impact", "high"}}, f.admin);
  CHECK(same->status == 200);
  CHECK(json::parse(same->body)["version"] == v + 1);

  const json history = f.Get("/api/assets/5/history", f.admin);
  REQUIRE(history["history"].size() == 1);
  CHECK(history["history"][0]["actor"] == "admin@example.com");
  CHECK(history["history"][0]["changes"]["impact"][1] == "high");
  CHECK(f.Audits("asset.updated") == 1);

  // Bad edits are refused and change nothing.
  const std::string current = Tag(v + 1);
  const std::vector<std::pair<json, std::string>> bad = {
      {{{"impact", "urgent"}}, "impact"},
      {{{"impact", nullptr}}, "impact"},
      {{{"location_id", 999999}}, "no location 999999"},
      {{{"managed_by_agent_id", "5"}}, "managed_by_agent_id"},
      {json::object(), "names no field"},
      {{{"name", "  "}}, "name: required"},
      {{{"serial_number", 5}}, "serial_number: must be text"},
      {{{"publisher", "a software field"}}, "unknown field"}};
  for (const auto& [change, mentions] : bad) {
    INFO(change.dump());
    auto res = f.Patch(5, current, change, f.admin);
    CHECK(res->status == 400);
    CHECK(res->body.find(mentions) != std::string::npos);
  }
  CHECK(StatusOf(f.Patch(5, "", {{"impact", "low"}}, f.admin)) == 428);
  CHECK(StatusOf(f.Patch(5, "\"x\"", {{"impact", "low"}}, f.admin)) == 400);
  CHECK(StatusOf(f.Patch(999999, current, {{"impact", "low"}}, f.admin)) == 404);
  CHECK(f.Row(5)["version"] == v + 1);
  CHECK(f.Get("/api/assets/5/history", f.admin)["history"].size() == 1);
}

TEST_CASE("Bulk actions by ids report each row's outcome", "[api][records]") {
  Lists f;
  const int64_t group = f.Row(1)["managed_by_group_id"].is_null() ? 1 : 2;
  // Row 2 already has the target group: unchanged, not rewritten.
  Sql(f.server,
      "UPDATE assets SET managed_by_group_id = " + std::to_string(group) + " WHERE id = 2");
  Sql(f.server, "UPDATE assets SET managed_by_group_id = NULL WHERE id IN (1, 3)");
  auto res = f.Bulk({{"selection", {{"ids", {1, 2, 3, 999999, 3}}}},
                     {"change", {{"managed_by_group_id", group}}}},
                    f.admin);
  REQUIRE(res->status == 200);
  const json r = json::parse(res->body);
  CHECK(r["updated"] == 2);
  CHECK(r["unchanged"] == 1);
  CHECK(r["not_found"] == 1);
  CHECK(r["forbidden"] == 0);
  std::map<int64_t, std::string> outcome;
  for (const auto& row : r["results"]) {
    outcome[row["id"]] = row["outcome"];
    // Updated rows say what they held before, for undo.
    CHECK(row.contains("before") == (row["outcome"] == "updated"));
    if (row["id"] == 1) CHECK(row["before"]["managed_by_group_id"].is_null());
  }
  CHECK(outcome == std::map<int64_t, std::string>{
                       {1, "updated"}, {2, "unchanged"}, {3, "updated"}, {999999, "not_found"}});
  CHECK(f.Row(1)["managed_by_group_id"] == group);
  CHECK(f.Row(1)["version"] == 2);
  CHECK(f.Row(2)["version"] == 1);
  CHECK(f.Get("/api/assets/1/history", f.admin)["history"][0]["bulk"] == true);
  CHECK(f.Audits("asset.bulk_updated") == 1);
}

TEST_CASE("Bulk actions over a filter with exceptions, and \"none\" distinct from unchanged",
          "[api][records]") {
  Lists f;
  const json medium = f.Get("/api/assets?limit=500&impact=medium", f.admin);
  REQUIRE(medium["total"].get<int>() > 3);
  const int64_t keep_a = medium["rows"][0]["id"], keep_b = medium["rows"][1]["id"];
  const json keep_a_before = f.Row(keep_a);
  auto res =
      f.Bulk({{"selection", {{"filter", {{"impact", "medium"}}}, {"except", {keep_a, keep_b}}}},
              {"change", {{"location_id", nullptr}, {"impact", "high"}}}},
             f.admin);
  REQUIRE(res->status == 200);
  const json r = json::parse(res->body);
  CHECK(r["updated"].get<int>() + r["unchanged"].get<int>() == medium["total"].get<int>() - 2);
  // Everything that was medium is now high with no location, but the two exceptions.
  const json left = f.Get("/api/assets?limit=500&impact=medium", f.admin);
  CHECK(left["total"] == 2);
  CHECK(f.Row(keep_a) == keep_a_before);
  for (const auto& row : r["results"]) {
    const json now = f.Row(row["id"]);
    CHECK(now["impact"] == "high");
    CHECK(now["location_id"].is_null());
  }
}

TEST_CASE("A bulk action that fails midway changes nothing", "[api][records]") {
  Lists f(20, 0);
  Sql(f.server, "UPDATE assets SET impact = 'low' WHERE id <= 10");
  // The database refuses one row's update, as a full disk or a crash would.
  Sql(f.server,
      "CREATE TRIGGER refuse_seven BEFORE UPDATE ON assets WHEN NEW.id = 7 "
      "BEGIN SELECT RAISE(ABORT, 'refused for the test'); END;");
  std::vector<int64_t> before;
  for (int id = 1; id <= 10; ++id) before.push_back(f.Row(id)["version"]);
  auto res = f.Bulk(
      {{"selection", {{"ids", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}}}, {"change", {{"impact", "high"}}}},
      f.admin);
  CHECK(res->status == 500);
  CHECK(json::parse(res->body)["error"].get<std::string>().find("nothing changed") !=
        std::string::npos);
  for (int id = 1; id <= 10; ++id) {
    INFO(id);
    CHECK(f.Row(id)["version"] == before[id - 1]);
    CHECK(f.Get("/api/assets/" + std::to_string(id) + "/history", f.admin)["history"].empty());
  }
  CHECK(f.Audits("asset.bulk_updated") == 0);
}

TEST_CASE("Who may edit: roles, group scope and contacts", "[api][records]") {
  Lists f(60, 5);
  Must(Run({"role", "add", "--name", "Viewer", "--db", f.server.db_path()}));
  Must(Run({"role", "add", "--name", "Group Editor", "--permissions", "edit_group_assets", "--db",
            f.server.db_path()}));
  f.AddUser("agent", "viewer@example.com", "Viewer");
  f.AddUser("agent", "grouped@example.com", "Group Editor");
  f.AddUser("agent", "agent@example.com", "Agent");
  f.AddUser("contact", "customer@example.com");
  Sql(f.server,
      "INSERT INTO group_members (group_id, person_id) SELECT 1, id FROM people "
      "WHERE email = 'grouped@example.com'");
  Sql(f.server, "UPDATE assets SET managed_by_group_id = 1 WHERE id IN (1, 2)");
  Sql(f.server, "UPDATE assets SET managed_by_group_id = 2 WHERE id = 3");
  const std::string viewer = f.SignIn("agent", "viewer@example.com");
  const std::string grouped = f.SignIn("agent", "grouped@example.com");
  const std::string agent = f.SignIn("agent", "agent@example.com");
  const std::string contact = f.SignIn("contact", "customer@example.com");

  CHECK(f.Get("/api/assets", viewer)["total"] == 60);  // everyone on staff can look
  const json viewer_me = f.Get("/api/me", viewer);
  CHECK(std::find(viewer_me["permissions"].begin(), viewer_me["permissions"].end(),
                  "edit_assets") == viewer_me["permissions"].end());
  const json grouped_me = f.Get("/api/me", grouped);
  CHECK(std::find(grouped_me["permissions"].begin(), grouped_me["permissions"].end(),
                  "edit_group_assets") != grouped_me["permissions"].end());
  const json agent_me = f.Get("/api/me", agent);
  CHECK(std::find(agent_me["permissions"].begin(), agent_me["permissions"].end(), "edit_assets") !=
        agent_me["permissions"].end());
  // The names say what each may change, so the page can mark the rest.
  CHECK(f.Get("/api/records/names", viewer)["edit_scope"].is_null());
  CHECK(f.Get("/api/records/names", grouped)["edit_scope"] ==
        json({{"all", false}, {"groups", {1}}}));
  CHECK(f.Get("/api/records/names", agent)["edit_scope"] == json({{"all", true}}));
  f.Get("/api/assets", contact, 403);
  f.Get("/api/records/names", contact, 403);
  CHECK(StatusOf(f.client.Get("/api/assets")) == 401);

  CHECK(StatusOf(f.Patch(1, "\"1\"", {{"impact", "high"}}, viewer)) == 403);
  CHECK(StatusOf(f.Bulk({{"selection", {{"ids", {1}}}}, {"change", {{"impact", "high"}}}},
                        viewer)) == 403);
  CHECK(StatusOf(f.Patch(1, "\"1\"", {{"impact", "high"}}, contact)) == 403);
  CHECK(StatusOf(f.Patch(1, "\"1\"", {{"impact", "high"}}, agent)) == 200);  // the built-in role

  // The group editor may change rows of their group only.
  CHECK(StatusOf(f.Patch(3, "\"1\"", {{"impact", "high"}}, grouped)) == 403);
  CHECK(StatusOf(f.Patch(2, "\"1\"", {{"impact", "high"}}, grouped)) == 200);
  auto bulk =
      f.Bulk({{"selection", {{"ids", {1, 3}}}}, {"change", {{"impact", "medium"}}}}, grouped);
  REQUIRE(bulk->status == 200);
  const json r = json::parse(bulk->body);
  CHECK(r["updated"] == 1);
  CHECK(r["forbidden"] == 1);
  CHECK(f.Row(3)["version"] == 1);
  // Nor may they hand a record of theirs to another team.
  const int64_t v2 = f.Row(2)["version"];
  CHECK(StatusOf(f.Patch(2, Tag(v2), {{"managed_by_group_id", 2}}, grouped)) == 403);
  CHECK(f.Row(2)["managed_by_group_id"] == 1);
}

TEST_CASE("Malformed bulk requests are refused with the field named", "[api][records]") {
  Lists f(10, 0);
  const json change = {{"impact", "high"}};
  const std::vector<std::pair<json, std::string>> bad = {
      {{{"change", change}}, "selection: required"},
      {{{"selection", {{"ids", {1}}}}}, "change: required"},
      {{{"selection", {{"ids", {1}}, {"filter", json::object()}}}, {"change", change}}, "either"},
      {{{"selection", {{"ids", json::array()}}}, {"change", change}}, "at least one"},
      {{{"selection", {{"ids", {"1"}}}}, {"change", change}}, "selection.ids"},
      {{{"selection", {{"ids", {-4}}}}, {"change", change}}, "selection.ids"},
      {{{"selection", {{"ids", {1}}, {"except", {2}}}}, {"change", change}}, "only with a filter"},
      {{{"selection", {{"filter", {{"owner", 1}}}}}, {"change", change}}, "owner"},
      {{{"selection", {{"filter", {{"impact", "urgent"}}}}}, {"change", change}}, "impact"},
      {{{"selection", {{"ids", {1}}}}, {"change", {{"impact", "urgent"}}}}, "impact"},
      {{{"selection", {{"ids", {1}}}}, {"change", change}, {"dry_run", true}}, "dry_run"}};
  for (const auto& [body, mentions] : bad) {
    INFO(body.dump());
    auto res = f.Bulk(body, f.admin);
    CHECK(res->status == 400);
    CHECK(res->body.find(mentions) != std::string::npos);
  }
  auto not_json = f.client.Post("/api/assets/bulk", {{"Cookie", f.admin}}, "{", "application/json");
  CHECK(not_json->status == 400);
  CHECK(f.Audits("asset.bulk_updated") == 0);
  CHECK(f.Row(1)["version"] == 1);
}

TEST_CASE("Which selected rows a filter hides, for a page about to act on them", "[api][records]") {
  Lists f(40, 10);
  Sql(f.server,
      "UPDATE assets SET impact = 'low'; UPDATE assets SET impact = 'high' "
      "WHERE id IN (2, 4, 6)");
  auto check = [&](const json& body, int expect = 200, const std::string& kind = "assets",
                   const std::string& who = "") {
    auto res =
        f.client.Post("/api/" + kind + "/selection", {{"Cookie", who.empty() ? f.admin : who}},
                      body.dump(), "application/json");
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == expect);
    return json::parse(res->body);
  };
  // 999999 is gone and 4 comes twice: hidden lists each id once, in the order given.
  json r = check({{"ids", {5, 2, 4, 999999, 4, 7}}, {"filter", {{"impact", "high"}}}});
  CHECK(r["shown"] == 2);
  CHECK(r["hidden"] == json({5, 999999, 7}));
  // Every filter the list takes, and none at all (everything is shown).
  Sql(f.server, "UPDATE assets SET location_id = NULL WHERE id = 5");
  r = check({{"ids", {5, 6}}, {"filter", {{"location_id", nullptr}}}});
  CHECK(r["hidden"] == json({6}));
  r = check({{"ids", {5, 6}}});
  CHECK(r["hidden"] == json::array());
  r = check({{"ids", {1, 2}}, {"filter", {{"q", "no such words anywhere"}}}});
  CHECK(r["hidden"] == json({1, 2}));
  r = check({{"ids", {1, 2}}, {"filter", json::object()}}, 200, "software");
  CHECK(r["shown"] == 2);

  // Bad bodies name the field; contacts may not ask.
  CHECK(check({{"ids", "1"}}, 400)["error"] == "ids: must be a list of ids");
  CHECK(check({{"filter", json::object()}}, 400)["error"] == "ids: required");
  CHECK(check({{"ids", {1}}, {"filter", {{"impact", "huge"}}}}, 400)["error"]
            .get<std::string>()
            .rfind("filter.impact", 0) == 0);
  CHECK(check({{"ids", {1}}, {"everything", true}}, 400)["error"] == "unknown field 'everything'");
  f.AddUser("contact", "customer@example.com");
  check({{"ids", {1}}}, 403, "assets", f.SignIn("contact", "customer@example.com"));
}

TEST_CASE("A bulk action over thousands of rows is one audit entry with its counts",
          "[api][records]") {
  Lists f(2500, 10);
  Sql(f.server, "UPDATE assets SET impact = 'low'");
  auto res = f.Bulk({{"selection", {{"filter", json::object()}, {"except", {1, 2}}}},
                     {"change", {{"impact", "medium"}}}},
                    f.admin);
  REQUIRE(res->status == 200);
  CHECK(json::parse(res->body)["updated"] == 2498);
  CHECK(f.Audits("asset.bulk_updated") == 1);
  const json audit = f.Get("/api/audit?limit=5", f.admin);
  const json& newest = audit["events"][0];
  CHECK(newest["event"] == "asset.bulk_updated");
  const json details = newest["details"].is_string()
                           ? json::parse(newest["details"].get<std::string>())
                           : newest["details"];
  CHECK(details["updated"] == 2498);
  CHECK(details["unchanged"] == 0);
  CHECK(details["before"].size() == 2498);  // enough to put every row back
}

namespace {

// The list's order computed here from every row: the sort value (text
// compared byte by byte, as SQLite's BINARY collation does), then the id.
std::vector<int64_t> ExpectedOrder(std::vector<json> rows, const std::string& sort, bool desc) {
  const auto key = [&](const json& r) -> std::pair<std::string, int64_t> {
    if (sort == "impact") {
      const std::string i = r["impact"];
      return {i == "low" ? "0" : i == "medium" ? "1" : "2", r["id"]};
    }
    if (sort == "updated_at") {
      char padded[24];
      std::snprintf(padded, sizeof padded, "%020lld", static_cast<long long>(r["updated_at"]));
      return {padded, r["id"]};
    }
    return {r[sort].get<std::string>(), r["id"]};
  };
  std::sort(rows.begin(), rows.end(),
            [&](const json& a, const json& b) { return desc ? key(b) < key(a) : key(a) < key(b); });
  std::vector<int64_t> ids;
  for (const json& r : rows) ids.push_back(r["id"]);
  return ids;
}

// Every live asset, 500 a page by asset tag.
std::vector<json> AllAssets(Lists& f) {
  std::vector<json> all;
  for (int offset = 0;; offset += 500) {
    const json page =
        f.Get("/api/assets?limit=500&sort=asset_tag&offset=" + std::to_string(offset), f.admin);
    for (const json& r : page["rows"]) all.push_back(r);
    if (page["rows"].size() < 500) break;
  }
  return all;
}

// The names of what records refer to, by field ("location_id", …) and id.
std::map<std::string, std::map<int64_t, std::string>> ReferenceNames(Lists& f) {
  std::map<std::string, std::map<int64_t, std::string>> names;
  const json listed = f.Get("/api/records/names", f.admin);
  for (const auto& [field, list] :
       {std::pair{"location_id", "locations"}, std::pair{"managed_by_group_id", "groups"},
        std::pair{"managed_by_agent_id", "agents"}}) {
    for (const json& n : listed[list]) names[field][n["id"]] = n["name"];
  }
  return names;
}

}  // namespace

// The order of a list sorted by a reference: rows naming nothing last
// (either way), then the name, the referenced id and the row's id.
std::vector<int64_t> ExpectedReferenceOrder(std::vector<json> rows, const std::string& field,
                                            const std::map<int64_t, std::string>& names,
                                            bool desc) {
  using Key = std::tuple<std::string, int64_t, int64_t>;
  const auto key = [&](const json& r) -> std::optional<Key> {
    if (r[field].is_null()) return std::nullopt;
    const int64_t ref = r[field];
    return Key{names.at(ref), ref, r["id"]};
  };
  std::sort(rows.begin(), rows.end(), [&](const json& a, const json& b) {
    const auto ka = key(a), kb = key(b);
    if (!ka || !kb) return ka && !kb ? true : !ka && !kb ? a["id"] < b["id"] : false;
    return desc ? *kb < *ka : *ka < *kb;
  });
  // Rows naming nothing run by id the list's way too.
  const auto nothing =
      std::find_if(rows.begin(), rows.end(), [&](const json& r) { return r[field].is_null(); });
  if (desc) std::reverse(nothing, rows.end());
  std::vector<int64_t> ids;
  for (const json& r : rows) ids.push_back(r["id"]);
  return ids;
}

TEST_CASE("Pages sorted by location, group or agent tile the list, across edits and renames",
          "[api][records][paging]") {
  Lists f(1300, 5);
  // Rows naming nothing, and two agents of one name (their ids decide).
  Sql(f.server, "UPDATE assets SET location_id = NULL WHERE id % 11 = 0");
  Sql(f.server, "UPDATE assets SET managed_by_group_id = NULL WHERE id % 5 = 0");
  Sql(f.server,
      "UPDATE people SET name = 'Twin Agent' WHERE id IN (SELECT DISTINCT managed_by_agent_id "
      "FROM assets WHERE managed_by_agent_id IS NOT NULL ORDER BY 1 LIMIT 2)");
  std::vector<json> all;
  std::map<std::string, std::map<int64_t, std::string>> names;  // by field
  const auto read_all = [&] {
    all = AllAssets(f);
    names = ReferenceNames(f);
  };
  const auto tile = [&](const std::string& sort, bool desc, int limit, bool edit_between) {
    std::vector<int64_t> seen;
    for (int offset = 0; offset < 1300; offset += limit) {
      const json page = f.Get("/api/assets?limit=" + std::to_string(limit) + "&sort=" + sort +
                                  (desc ? "&dir=desc" : "") + "&offset=" + std::to_string(offset),
                              f.admin);
      CHECK(page["total"] == 1300);
      for (const json& r : page["rows"]) seen.push_back(r["id"]);
      if (edit_between) {  // an edit that leaves the order as it is
        const int64_t id = all[(offset * 13) % all.size()]["id"];
        const json row = f.Row(id);
        const std::string impact = row["impact"] == "low" ? "high" : "low";
        REQUIRE(StatusOf(f.Patch(id, Tag(row["version"]), {{"impact", impact}}, f.admin)) == 200);
      }
    }
    return seen;
  };
  const std::pair<std::string, std::string> orders[] = {
      {"location", "location_id"},
      {"managed_by_group", "managed_by_group_id"},
      {"managed_by_agent", "managed_by_agent_id"}};
  read_all();
  REQUIRE(all.size() == 1300);
  for (const auto& [sort, field] : orders) {
    for (const bool desc : {false, true}) {
      INFO(sort << (desc ? " desc" : " asc"));
      read_all();
      const std::vector<int64_t> expected = ExpectedReferenceOrder(all, field, names[field], desc);
      CHECK(tile(sort, desc, 97, true) == expected);
      // The same order when a filter leaves every row in (read without the index).
      // (Every asset tag has a '-'.)
      std::vector<int64_t> filtered;
      for (int offset = 0; offset < 1300; offset += 500) {
        const json page = f.Get("/api/assets?limit=500&q=-&sort=" + sort +
                                    (desc ? "&dir=desc" : "") + "&offset=" + std::to_string(offset),
                                f.admin);
        CHECK(page["total"] == 1300);
        for (const json& r : page["rows"]) filtered.push_back(r["id"]);
      }
      CHECK(filtered == expected);
    }
  }

  // A rename (here by another process) and rows moved between locations:
  // the next pages follow the new order.
  const int64_t renamed = names["location_id"].rbegin()->first;
  Sql(f.server,
      "UPDATE locations SET name = 'AAA First Office' WHERE id = " + std::to_string(renamed));
  for (int i = 0; i < 30; ++i) {
    const int64_t id = all[(i * 37) % all.size()]["id"];
    const json row = f.Row(id);
    const json to = i % 3 == 0 ? json(nullptr) : json(renamed);
    REQUIRE(StatusOf(f.Patch(id, Tag(row["version"]), {{"location_id", to}}, f.admin)) == 200);
  }
  read_all();
  CHECK(names["location_id"][renamed] == "AAA First Office");
  for (const bool desc : {false, true}) {
    INFO(desc);
    CHECK(tile("location", desc, 113, false) ==
          ExpectedReferenceOrder(all, "location_id", names["location_id"], desc));
  }
}

TEST_CASE("Deep pages tile the whole list exactly once in every sort order, across edits",
          "[api][records][paging]") {
  Lists f(1300, 5);
  // Some ties, so the id decides among equal values.
  Sql(f.server, "UPDATE assets SET name = 'Same name' WHERE id % 7 = 0");
  std::vector<json> all;
  const auto read_all = [&] {  // every row as it is now
    all.clear();
    for (int offset = 0; offset < 1300; offset += 500) {
      const json page =
          f.Get("/api/assets?limit=500&sort=asset_tag&offset=" + std::to_string(offset), f.admin);
      for (const json& r : page["rows"]) all.push_back(r);
    }
  };
  read_all();
  REQUIRE(all.size() == 1300);
  const json names = f.Get("/api/records/names", f.admin);
  for (const std::string sort : {"name", "asset_tag", "type", "impact", "updated_at"}) {
    for (const bool desc : {false, true}) {
      INFO(sort << (desc ? " desc" : " asc"));
      read_all();
      const std::vector<int64_t> expected = ExpectedOrder(all, sort, desc);
      std::vector<int64_t> seen;
      for (int offset = 0; offset < 1300; offset += 97) {
        const json page = f.Get("/api/assets?limit=97&sort=" + sort + (desc ? "&dir=desc" : "") +
                                    "&offset=" + std::to_string(offset),
                                f.admin);
        CHECK(page["total"] == 1300);
        for (const json& r : page["rows"]) seen.push_back(r["id"]);
        // An edit between pages that leaves the order as it is (not for the
        // order by time of change, which any edit moves).
        if (sort != "updated_at") {
          const int64_t id = all[(offset * 13) % all.size()]["id"];
          const json row = f.Row(id);
          const json other = names["locations"][offset % names["locations"].size()]["id"];
          REQUIRE(StatusOf(f.Patch(id, Tag(row["version"]), {{"location_id", other}}, f.admin)) ==
                  200);
        }
      }
      CHECK(seen == expected);
    }
  }
  // Edits that move rows (new names, new impacts): the next pages follow the new order.
  for (int i = 0; i < 40; ++i) {
    const int64_t id = all[(i * 31) % all.size()]["id"];
    const json row = f.Row(id);
    const json change = i % 2 ? json{{"name", "Moved " + std::to_string(1000 - i)}}
                              : json{{"impact", row["impact"] == "high" ? "low" : "high"}};
    REQUIRE(StatusOf(f.Patch(id, Tag(row["version"]), change, f.admin)) == 200);
  }
  read_all();
  for (const std::string sort : {"name", "impact"}) {
    std::vector<int64_t> seen;
    for (int offset = 0; offset < 1300; offset += 113) {
      const json page = f.Get(
          "/api/assets?limit=113&sort=" + sort + "&offset=" + std::to_string(offset), f.admin);
      for (const json& r : page["rows"]) seen.push_back(r["id"]);
    }
    CHECK(seen == ExpectedOrder(all, sort, false));
  }
  // A page past the end is empty; a row added or retired moves the total at once.
  CHECK(f.Get("/api/assets?limit=50&offset=1300", f.admin)["rows"].empty());
  auto added = f.client.Post("/api/assets", {{"Cookie", f.admin}},
                             json({{"name", "AAA first"}, {"asset_tag", "AAA-1"}}).dump(),
                             "application/json");
  REQUIRE(added->status == 201);
  const json first = f.Get("/api/assets?limit=1&sort=name", f.admin);
  CHECK(first["total"] == 1301);
  CHECK(first["rows"][0]["asset_tag"] == "AAA-1");
  REQUIRE(StatusOf(f.client.Delete("/api/assets/1", {{"Cookie", f.admin}})) == 200);
  const json last = f.Get("/api/assets?limit=1&offset=1299&sort=asset_tag", f.admin);
  CHECK(last["total"] == 1300);
  CHECK(last["rows"].size() == 1);
}

TEST_CASE(
    "Pages of every order step over the retired rows between them; the retired list pages too",
    "[api][records][paging]") {
  Lists f(1300, 5);
  Sql(f.server, "UPDATE assets SET name = 'Same name' WHERE id % 7 = 0");
  Sql(f.server, "UPDATE assets SET location_id = NULL WHERE id % 11 = 0");
  // A third of the rows retired before any list is read, so that every
  // order's index is built with them in its SQL index; the first location
  // keeps only retired rows.
  Sql(f.server,
      "UPDATE assets SET location_id = (SELECT min(id) + 1 FROM locations) WHERE location_id = "
      "(SELECT min(id) FROM locations)");
  Sql(f.server,
      "UPDATE assets SET location_id = (SELECT min(id) FROM locations) WHERE id % 3 = 1 AND "
      "id % 11 <> 0");
  Sql(f.server, "UPDATE assets SET retired_at = 1700000000 WHERE id % 3 = 1");
  const std::vector<json> live = AllAssets(f);
  std::set<int64_t> live_ids;
  for (const json& r : live) live_ids.insert(r["id"].get<int64_t>());
  std::set<int64_t> expected_live;
  for (int64_t id = 1; id <= 1300; ++id) {
    if (id % 3 != 1) expected_live.insert(id);
  }
  REQUIRE(live_ids == expected_live);
  const auto names = ReferenceNames(f);
  const auto tile = [&](const std::string& query, int limit, size_t total) {
    std::vector<int64_t> seen;
    for (size_t offset = 0; offset < total + static_cast<size_t>(limit); offset += limit) {
      const json page = f.Get("/api/assets?limit=" + std::to_string(limit) + query +
                                  "&offset=" + std::to_string(offset),
                              f.admin);
      CHECK(page["total"] == total);
      for (const json& r : page["rows"]) seen.push_back(r["id"]);
    }
    return seen;
  };
  for (const bool desc : {false, true}) {
    const std::string dir = desc ? "&dir=desc" : "";
    for (const std::string sort : {"name", "asset_tag", "type", "impact", "updated_at"}) {
      INFO(sort << dir);
      CHECK(tile("&sort=" + sort + dir, 97, live.size()) == ExpectedOrder(live, sort, desc));
    }
    for (const auto& [sort, field] : {std::pair{"location", "location_id"},
                                      std::pair{"managed_by_group", "managed_by_group_id"},
                                      std::pair{"managed_by_agent", "managed_by_agent_id"}}) {
      INFO(sort << dir);
      CHECK(tile(std::string("&sort=") + sort + dir, 97, live.size()) ==
            ExpectedReferenceOrder(live, field, names.at(field), desc));
    }
  }
  // The retired list, read through its own index and sorted.
  std::vector<json> retired;
  for (int offset = 0; offset < 500; offset += 200) {
    const json page =
        f.Get("/api/assets?retired=true&limit=200&sort=asset_tag&offset=" + std::to_string(offset),
              f.admin);
    for (const json& r : page["rows"]) retired.push_back(r);
  }
  REQUIRE(retired.size() == 1300 - live.size());
  for (const json& r : retired) CHECK(r["id"].get<int64_t>() % 3 == 1);
  for (const std::string sort : {"name", "type", "updated_at"}) {
    INFO(sort);
    CHECK(tile("&retired=true&sort=" + sort, 50, retired.size()) ==
          ExpectedOrder(retired, sort, false));
  }
  // Restored and retired again through the server: the live list follows.
  REQUIRE(
      f.Post("/api/assets/bulk/restore", {{"selection", {{"ids", {1, 4, 7}}}}}, f.admin)->status ==
      200);
  REQUIRE(f.Post("/api/assets/bulk/retire", {{"selection", {{"ids", {2, 3}}}}}, f.admin)->status ==
          200);
  const std::vector<json> now = AllAssets(f);
  CHECK(now.size() == live.size() + 1);
  CHECK(tile("&sort=name", 97, now.size()) == ExpectedOrder(now, "name", false));
  CHECK(tile("&sort=location&dir=desc", 97, now.size()) ==
        ExpectedReferenceOrder(now, "location_id", names.at("location_id"), true));
}

namespace {

// Whether a searched field of `row` holds `q` (ASCII case folded).
bool Matches(const json& row, const std::string& q) {
  const auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
  };
  for (const char* field : {"name", "asset_tag", "type", "serial_number"}) {
    if (lower(row.value(field, std::string())).find(lower(q)) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("Search pages sort as the list does in every order, across edits that move rows",
          "[api][records][search][paging]") {
  Lists f(1300, 5);
  Sql(f.server, "UPDATE assets SET name = 'Same name' WHERE id % 7 = 0");
  Sql(f.server, "UPDATE assets SET location_id = NULL WHERE id % 11 = 0");
  std::vector<json> all;
  std::map<std::string, std::map<int64_t, std::string>> names;  // by field
  const auto read_all = [&] {
    all = AllAssets(f);
    names = ReferenceNames(f);
  };
  const std::map<std::string, std::string> references = {
      {"location", "location_id"},
      {"managed_by_group", "managed_by_group_id"},
      {"managed_by_agent", "managed_by_agent_id"}};
  const auto expected = [&](const std::string& q, const std::string& sort, bool desc) {
    std::vector<json> matching;
    for (const json& r : all) {
      if (Matches(r, q)) matching.push_back(r);
    }
    const auto ref = references.find(sort);
    return ref == references.end()
               ? ExpectedOrder(matching, sort, desc)
               : ExpectedReferenceOrder(matching, ref->second, names[ref->second], desc);
  };
  // Every page of a search, `limit` at a time; each page's total checked.
  const auto paged = [&](const std::string& q, const std::string& sort, bool desc, int limit,
                         size_t total) {
    std::vector<int64_t> seen;
    for (size_t offset = 0; offset < total + static_cast<size_t>(limit); offset += limit) {
      const json page =
          f.Get("/api/assets?q=" + q + "&limit=" + std::to_string(limit) + "&sort=" + sort +
                    (desc ? "&dir=desc" : "") + "&offset=" + std::to_string(offset),
                f.admin);
      CHECK(page["total"] == total);
      for (const json& r : page["rows"]) seen.push_back(r["id"]);
    }
    return seen;
  };
  // "-00" is in every asset tag; "book" in a tenth of the names.
  const auto check = [&](const std::string& sort, bool desc) {
    read_all();
    for (const auto& [q, limit] : {std::pair{"-00", 97}, std::pair{"book", 13}}) {
      INFO(sort << (desc ? " desc" : " asc") << " q=" << q);
      const std::vector<int64_t> order = expected(q, sort, desc);
      REQUIRE(order.size() > 40);
      CHECK(paged(q, sort, desc, limit, order.size()) == order);
    }
  };
  // Rows moved in the order since its index was built: renamed (into and
  // out of the search), new impacts and locations, a new row, a retired and
  // a restored one.
  const json locations = f.Get("/api/records/names", f.admin)["locations"];
  int step = 0;
  const auto move_rows = [&] {
    for (int i = 0; i < 8; ++i, ++step) {
      const int64_t id = all[(static_cast<size_t>(step) * 31) % all.size()]["id"];
      const json row = f.Row(id);
      const std::string n = std::to_string(step);
      json change;
      switch (i % 4) {
        case 0:
          change = {{"name", "AAA Notebook " + n}, {"location_id", nullptr}};
          break;
        case 1:
          change = {{"name", "zzz moved " + n}};
          break;
        case 2:
          change = {{"impact", row["impact"] == "high" ? "low" : "high"}};
          break;
        default:
          change = {{"location_id", locations[static_cast<size_t>(step) % locations.size()]["id"]}};
      }
      REQUIRE(StatusOf(f.Patch(id, Tag(row["version"]), change, f.admin)) == 200);
    }
    auto added = f.client.Post("/api/assets", {{"Cookie", f.admin}},
                               json({{"name", "Mid Book " + std::to_string(step)},
                                     {"asset_tag", "NEW-00" + std::to_string(step)}})
                                   .dump(),
                               "application/json");
    REQUIRE(added->status == 201);
    const std::string retired =
        std::to_string(all[static_cast<size_t>(step) % all.size()]["id"].get<int64_t>());
    REQUIRE(StatusOf(f.client.Delete("/api/assets/" + retired, {{"Cookie", f.admin}})) == 200);
    const std::string back =
        std::to_string(all[static_cast<size_t>(step + 500) % all.size()]["id"].get<int64_t>());
    REQUIRE(StatusOf(f.client.Delete("/api/assets/" + back, {{"Cookie", f.admin}})) == 200);
    REQUIRE(
        f.client
            .Post("/api/assets/" + back + "/restore", {{"Cookie", f.admin}}, "", "application/json")
            ->status == 200);
  };
  for (const std::string sort : {"name", "asset_tag", "type", "impact", "updated_at", "location",
                                 "managed_by_group", "managed_by_agent"}) {
    for (const bool desc : {false, true}) {
      check(sort, desc);
      move_rows();
      check(sort, desc);
    }
  }
}
