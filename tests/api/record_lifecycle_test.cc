// Records, whole, over real HTTP: create an asset or software record with
// every field, edit any field guarded by If-Match, retire (DELETE) and
// restore — each with its history row and audit entry — and the refusals:
// bad fields named, a taken asset tag, roles and group scope.
#include <httplib.h>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "../support/accounts.h"
#include "../support/records_fixture.h"

using deskgate::testing::Lists;
using deskgate::testing::Sql;
using deskgate::testing::StatusOf;
using deskgate::testing::Tag;
using nlohmann::json;

namespace {

httplib::Result Delete(Lists& f, const std::string& path, const std::string& who,
                       const std::string& if_match = "") {
  httplib::Headers headers = {{"Cookie", who}};
  if (!if_match.empty()) headers.emplace("If-Match", if_match);
  auto res = f.client.Delete(path, headers);
  REQUIRE(res);
  return res;
}

// "text" as a CSV field holds it. (Appended: GCC 12 warns falsely about
// "\"" + std::string under -O3.)
std::string Quoted(const std::string& text) {
  std::string out = "\"";
  out.append(text).push_back('"');
  return out;
}

}  // namespace

TEST_CASE("An asset is created with every field, edited, retired and restored",
          "[api][inventory]") {
  Lists f(20, 5);
  const json names = f.Get("/api/records/names", f.admin);
  const int64_t location = names["locations"][0]["id"], group = names["groups"][0]["id"];
  const json body = {{"name", "  ThinkPad X1 Carbon "},
                     {"asset_tag", "LT-9001"},
                     {"type", "Laptop"},
                     {"serial_number", "PF-3X9Q"},
                     {"status", "in_stock"},
                     {"impact", "high"},
                     {"location_id", location},
                     {"managed_by_group_id", group},
                     {"notes", "Bought 2026-11.\nCharger in drawer 3."}};
  auto created = f.Post("/api/assets", body, f.admin);
  INFO(created->body);
  REQUIRE(created->status == 201);
  const json row = json::parse(created->body);
  const int64_t id = row["id"];
  CHECK(created->get_header_value("Location") == "/api/assets/" + std::to_string(id));
  CHECK(created->get_header_value("ETag") == "\"1\"");
  CHECK(row["name"] == "ThinkPad X1 Carbon");  // trimmed
  CHECK(row["serial_number"] == "PF-3X9Q");
  CHECK(row["status"] == "in_stock");
  CHECK(row["notes"] == "Bought 2026-11.\nCharger in drawer 3.");
  CHECK(row["managed_by_agent_id"].is_null());
  CHECK(row["retired_at"].is_null());
  CHECK(row["version"] == 1);
  CHECK(f.Get("/api/assets/" + std::to_string(id), f.admin) == row);
  CHECK(f.Get("/api/assets?q=PF-3X9", f.admin)["total"] == 1);  // the serial is searched
  CHECK(f.Get("/api/assets?limit=500", f.admin)["total"] == 21);
  CHECK(f.Audits("asset.created") == 1);
  const json first = f.Get("/api/assets/" + std::to_string(id) + "/history", f.admin)["history"];
  REQUIRE(first.size() == 1);
  CHECK(first[0]["changes"]["asset_tag"] == json({"", "LT-9001"}));

  // Any field, guarded by the version.
  auto edited = f.Patch(
      id, Tag(1), {{"serial_number", "PF-3X9R"}, {"status", "in_use"}, {"impact", "low"}}, f.admin);
  INFO(edited->body);
  REQUIRE(edited->status == 200);
  CHECK(json::parse(edited->body)["serial_number"] == "PF-3X9R");
  CHECK(json::parse(edited->body)["version"] == 2);
  CHECK(StatusOf(f.Patch(id, Tag(1), {{"notes", ""}}, f.admin)) == 412);
  const json changes =
      f.Get("/api/assets/" + std::to_string(id) + "/history", f.admin)["history"][0]["changes"];
  CHECK(changes == json({{"serial_number", {"PF-3X9Q", "PF-3X9R"}},
                         {"status", {"in_stock", "in_use"}},
                         {"impact", {"high", "low"}}}));

  // Retired: out of the lists (in the retired view), everything kept.
  auto retired = Delete(f, "/api/assets/" + std::to_string(id), f.admin);
  INFO(retired->body);
  REQUIRE(retired->status == 200);
  CHECK(json::parse(retired->body)["status"] == "retired");
  CHECK(json::parse(retired->body)["retired_at"].is_number());
  CHECK(f.Get("/api/assets?limit=500", f.admin)["total"] == 20);
  const json gone = f.Get("/api/assets?retired=true", f.admin);
  CHECK(gone["total"] == 1);
  CHECK(gone["rows"][0]["id"] == id);
  CHECK(f.Audits("asset.retired") == 1);
  // Retiring again changes nothing; a stale If-Match is refused.
  CHECK(json::parse(Delete(f, "/api/assets/" + std::to_string(id), f.admin)->body)["version"] == 3);
  CHECK(StatusOf(Delete(f, "/api/assets/" + std::to_string(id), f.admin, Tag(1))) == 412);

  auto restored = f.Post("/api/assets/" + std::to_string(id) + "/restore", json::object(), f.admin);
  REQUIRE(restored->status == 200);
  const json back = json::parse(restored->body);
  CHECK(back["status"] == "in_use");  // the status it had
  CHECK(back["serial_number"] == "PF-3X9R");
  CHECK(back["retired_at"].is_null());
  CHECK(f.Get("/api/assets?limit=500", f.admin)["total"] == 21);
  CHECK(f.Audits("asset.restored") == 1);
  const json history = f.Get("/api/assets/" + std::to_string(id) + "/history", f.admin)["history"];
  CHECK(history.size() == 4);
  CHECK(history[0]["changes"] == json({{"retired", {true, false}}}));
  // status "retired" in a PATCH retires too.
  CHECK(json::parse(f.Patch(id, Tag(4), {{"status", "retired"}}, f.admin)->body)["status"] ==
        "retired");
}

TEST_CASE("Software records carry a publisher, version and licence count", "[api][inventory]") {
  Lists f(5, 5);
  auto created = f.Post("/api/software",
                        {{"name", "Figma"},
                         {"publisher", "Figma, Inc."},
                         {"version_string", "125.4"},
                         {"licence_count", 40}},
                        f.admin);
  INFO(created->body);
  REQUIRE(created->status == 201);
  const json row = json::parse(created->body);
  CHECK(row["licence_count"] == 40);
  CHECK_FALSE(row.contains("serial_number"));
  CHECK_FALSE(row.contains("status"));
  auto cleared = f.Patch(row["id"], Tag(1), {{"licence_count", nullptr}}, f.admin, "software");
  REQUIRE(cleared->status == 200);
  CHECK(json::parse(cleared->body)["licence_count"].is_null());
  CHECK(StatusOf(Delete(f, "/api/software/" + row["id"].dump(), f.admin)) == 200);
  CHECK(f.Get("/api/software?retired=true", f.admin)["total"] == 1);
  CHECK(f.Audits("software.retired") == 1);
}

TEST_CASE("Bad records are refused with the field named, and nothing is written",
          "[api][inventory]") {
  Lists f(3, 3);
  const std::string taken = f.Get("/api/assets/1", f.admin)["asset_tag"];
  const std::vector<std::tuple<json, int, std::string>> bad = {
      {{{"asset_tag", "X-1"}}, 400, "name: required"},
      {{{"name", "Laptop"}}, 400, "asset_tag: required"},
      {{{"name", "Laptop"}, {"asset_tag", "   "}}, 400, "asset_tag: required"},
      {{{"name", std::string(201, 'n')}, {"asset_tag", "X-1"}},
       400,
       "name: at most 200 characters"},
      {{{"name", "Two\nlines"}, {"asset_tag", "X-1"}}, 400, "name: one line of text"},
      {{{"name", "Laptop"}, {"asset_tag", "X-1"}, {"status", "lost"}},
       400,
       "status: must be in_use, in_stock or retired"},
      {{{"name", "Laptop"}, {"asset_tag", "X-1"}, {"impact", "urgent"}}, 400, "impact"},
      {{{"name", "Laptop"}, {"asset_tag", "X-1"}, {"location_id", 999999}},
       400,
       "no location 999999"},
      {{{"name", "Laptop"}, {"asset_tag", "X-1"}, {"licence_count", 3}}, 400, "unknown field"},
      {{{"name", "Laptop"}, {"asset_tag", "X-1"}, {"notes", std::string(10'001, 'x')}},
       400,
       "notes: at most 10000 characters"},
      {{{"name", "Laptop"}, {"asset_tag", taken}}, 409, "asset_tag: " + taken},
  };
  for (const auto& [body, status, mentions] : bad) {
    INFO(body.dump().substr(0, 200));
    auto res = f.Post("/api/assets", body, f.admin);
    INFO(res->body);
    CHECK(res->status == status);
    CHECK(json::parse(res->body)["error"].get<std::string>().find(mentions) != std::string::npos);
  }
  CHECK(f.Get("/api/assets", f.admin)["total"] == 3);
  CHECK(f.Audits("asset.created") == 0);
  // Another asset's tag in an edit is refused too.
  const json second = f.Get("/api/assets/2", f.admin);
  CHECK(StatusOf(f.Patch(2, Tag(second["version"]), {{"asset_tag", taken}}, f.admin)) == 409);
  CHECK(f.Get("/api/assets/2", f.admin) == second);
  auto licences = f.Post("/api/software", {{"name", "X"}, {"licence_count", -1}}, f.admin);
  CHECK(licences->status == 400);
}

TEST_CASE("Who may add, retire and restore: the asset permission and group scope",
          "[api][inventory]") {
  Lists f(10, 2);
  deskgate::testing::Must(
      deskgate::testing::Run({"role", "add", "--name", "Viewer", "--db", f.server.db_path()}));
  deskgate::testing::Must(
      deskgate::testing::Run({"role", "add", "--name", "Group Editor", "--permissions",
                              "edit_group_assets", "--db", f.server.db_path()}));
  f.AddUser("agent", "viewer@example.com", "Viewer");
  f.AddUser("agent", "grouped@example.com", "Group Editor");
  f.AddUser("contact", "customer@example.com");
  Sql(f.server,
      "INSERT INTO group_members (group_id, person_id) SELECT 1, id FROM people "
      "WHERE email = 'grouped@example.com'");
  Sql(f.server, "UPDATE assets SET managed_by_group_id = 1 WHERE id = 1");
  Sql(f.server, "UPDATE assets SET managed_by_group_id = 2 WHERE id = 2");
  const std::string viewer = f.SignIn("agent", "viewer@example.com");
  const std::string grouped = f.SignIn("agent", "grouped@example.com");
  const std::string contact = f.SignIn("contact", "customer@example.com");
  const json laptop = {{"name", "Laptop"}, {"asset_tag", "G-1"}, {"managed_by_group_id", 1}};

  CHECK(StatusOf(f.Post("/api/assets", laptop, viewer)) == 403);
  CHECK(StatusOf(f.Post("/api/assets", laptop, contact)) == 403);
  CHECK(StatusOf(f.client.Post("/api/assets", laptop.dump(), "application/json")) == 401);
  CHECK(StatusOf(Delete(f, "/api/assets/1", viewer)) == 403);
  // A group editor adds and retires records of their groups only.
  json elsewhere = laptop;
  elsewhere["managed_by_group_id"] = 2;
  CHECK(StatusOf(f.Post("/api/assets", elsewhere, grouped)) == 403);
  CHECK(StatusOf(f.Post("/api/assets", laptop, grouped)) == 201);
  CHECK(StatusOf(Delete(f, "/api/assets/2", grouped)) == 403);
  CHECK(StatusOf(Delete(f, "/api/assets/1", grouped)) == 200);
  CHECK(StatusOf(f.Post("/api/assets/1/restore", json::object(), grouped)) == 200);
  CHECK(StatusOf(Delete(f, "/api/assets/999999", f.admin)) == 404);
  CHECK(f.Get("/api/assets?limit=500", f.admin)["total"] == 11);
}

TEST_CASE("The CSV export holds the list's filter and sort, names for references, defused text",
          "[api][inventory][csv]") {
  Lists f(120, 5);
  auto made = f.Post("/api/assets",
                     {{"name", "=HYPERLINK(\"x\")"},
                      {"asset_tag", "ZZ-1"},
                      {"impact", "high"},
                      {"notes", "line one\nline \"two\""}},
                     f.admin);
  REQUIRE(made->status == 201);
  auto csv =
      f.client.Get("/api/assets.csv?impact=high&sort=asset_tag&dir=desc", {{"Cookie", f.admin}});
  REQUIRE(csv);
  REQUIRE(csv->status == 200);
  CHECK(csv->get_header_value("Content-Type") == "text/csv; charset=utf-8");
  CHECK(csv->get_header_value("Content-Disposition").find("deskgate-assets.csv") !=
        std::string::npos);
  const std::string& body = csv->body;
  CHECK(body.rfind("name,asset_tag,type,serial_number,status,impact,location,managed_by_group,"
                   "managed_by_agent,notes\r\n",
                   0) == 0);
  const json high = f.Get("/api/assets?impact=high&sort=asset_tag&dir=desc&limit=500", f.admin);
  // One line per record (the notes' line break is inside quotes), in the list's order.
  size_t lines = 0;
  for (size_t at = 0; (at = body.find("\r\n", at)) != std::string::npos; at += 2) ++lines;
  CHECK(lines == high["total"].get<size_t>() + 1);
  CHECK(body.find("\"'=HYPERLINK(\"\"x\"\")\",\"ZZ-1\"") != std::string::npos);
  CHECK(body.find("\"line one\nline \"\"two\"\"\"") != std::string::npos);
  size_t last = 0;
  for (const auto& row : high["rows"]) {
    const size_t at = body.find(Quoted(row["asset_tag"].get<std::string>()));
    CHECK(at != std::string::npos);
    CHECK(at >= last);
    last = at;
  }
  const json any_row = high["rows"][1];
  if (!any_row["location_id"].is_null()) {
    const json names = f.Get("/api/records/names", f.admin);
    for (const auto& l : names["locations"]) {
      if (l["id"] == any_row["location_id"]) {
        CHECK(body.find(Quoted(l["name"].get<std::string>())) != std::string::npos);
      }
    }
  }
  CHECK(StatusOf(f.client.Get("/api/assets.csv")) == 401);
  CHECK(StatusOf(f.client.Get("/api/assets.csv?sort=nope", {{"Cookie", f.admin}})) == 400);
  auto software = f.client.Get("/api/software.csv", {{"Cookie", f.admin}});
  CHECK(software->body.rfind("name,publisher,version_string,licence_count,", 0) == 0);
}

namespace {

json Import(Lists& f, const std::string& kind, const std::string& csv, bool dry_run,
            int expect = 200, bool create_locations = false) {
  auto res =
      f.Post("/api/" + kind + "/import",
             {{"csv", csv}, {"dry_run", dry_run}, {"create_locations", create_locations}}, f.admin);
  INFO(res->body);
  REQUIRE(res->status == expect);
  return json::parse(res->body);
}

std::string Export(Lists& f, const std::string& path) {
  auto res = f.client.Get(path, {{"Cookie", f.admin}});
  REQUIRE(res);
  REQUIRE(res->status == 200);
  return res->body;
}

}  // namespace

TEST_CASE("Import: a dry run reports every problem by row and column and writes nothing",
          "[api][inventory][import]") {
  Lists f(5, 2);
  const json names = f.Get("/api/records/names", f.admin);
  const std::string location = names["locations"][0]["name"];
  const std::string group = names["groups"][0]["name"];
  const std::string taken = f.Get("/api/assets/1", f.admin)["asset_tag"];
  // Excel's way: a BOM, ';' between fields, CRLF, a quoted field with a line break.
  const std::string csv =
      "\xEF\xBB\xBF"
      "Name;Asset tag;Type;Serial;Status;Impact;Location;Managed by group;Notes\r\n"
      "Dell 7440;NEW-1;Laptop;SN1;In stock;High;" +
      location + ";" + group +
      ";\"two\r\nlines\"\r\n"
      "Moved;" +
      taken +
      ";Desktop;;;low;;;\r\n"
      "Bad impact;NEW-2;Laptop;;;urgent;;;\r\n"
      "Nowhere;NEW-3;Laptop;;;;Mars Base;;\r\n"
      "Twice;NEW-1;Laptop;;;;;;\r\n"
      ";NEW-4;Laptop;;;;;;\r\n";
  const json dry = Import(f, "assets", csv, true);
  CHECK(dry["dry_run"] == true);
  CHECK(dry["written"] == false);
  CHECK(dry["rows"] == 6);
  std::set<std::tuple<int, std::string>> where;
  for (const auto& p : dry["problems"])
    where.insert({p["row"].get<int>(), p["column"].get<std::string>()});
  CHECK(where == std::set<std::tuple<int, std::string>>{
                     {4, "impact"}, {5, "location"}, {6, "asset_tag"}, {7, "name"}});
  CHECK(dry["created"] == 1);  // the rows without problems, as they would go
  CHECK(dry["updated"] == 1);
  CHECK(f.Get("/api/assets", f.admin)["total"] == 5);

  // The real run with the same problems: 400, the same report, nothing written.
  const json refused = Import(f, "assets", csv, false, 400);
  CHECK(refused["error"] == "4 problems in the file; nothing was imported");
  CHECK(refused["problems"].size() == 4);
  CHECK(f.Get("/api/assets", f.admin)["total"] == 5);
  CHECK(f.Audits("asset.imported") == 0);

  // Fixed, and with new locations allowed: all rows in, one audit entry.
  const std::string fixed =
      "name,asset_tag,type,status,impact,location,managed_by_group,notes\r\n"
      "Dell 7440,NEW-1,Laptop,in_stock,High," +
      location + "," + group +
      ",\"two\r\nlines\"\r\n"
      "Moved," +
      taken +
      ",Desktop,,low,,,\r\n"
      "Nowhere,NEW-3,Laptop,,,Mars Base,,\r\n";
  const json done = Import(f, "assets", fixed, false, 200, true);
  CHECK(done["written"] == true);
  CHECK(done["created"] == 2);
  CHECK(done["updated"] == 1);
  CHECK(done["locations_created"] == json({"Mars Base"}));
  CHECK(f.Get("/api/assets", f.admin)["total"] == 7);
  CHECK(f.Audits("asset.imported") == 1);
  const json one = f.Get("/api/assets?q=NEW-1", f.admin)["rows"][0];
  CHECK(one["status"] == "in_stock");
  CHECK(one["impact"] == "high");
  CHECK(f.Get("/api/assets/" + one["id"].dump(), f.admin)["notes"] == "two\r\nlines");
  CHECK(f.Get("/api/assets/1", f.admin)["name"] == "Moved");
  CHECK(f.Get("/api/assets/1", f.admin)["location_id"].is_null());  // an empty cell is none
  // Importing the same file again changes nothing.
  const json again = Import(f, "assets", fixed, false, 200, true);
  CHECK(again["unchanged"] == 3);
  CHECK(again["created"] == 0);

  // A file without the needed columns is refused whole.
  auto bad = f.Post("/api/assets/import", {{"csv", "label,tag2\r\nx,y\r\n"}}, f.admin);
  CHECK(bad->status == 400);
  CHECK(json::parse(bad->body)["error"].get<std::string>().find("needs name and asset_tag") !=
        std::string::npos);
}

TEST_CASE("Imported records are added whole, each with its history row, as one create would",
          "[api][inventory][import]") {
  Lists f(5, 2);
  const json names = f.Get("/api/records/names", f.admin);
  const json& location = names["locations"][1];
  const json& group = names["groups"][0];
  const json& agent = names["agents"][0];
  const std::string csv =
      "name,asset_tag,type,serial_number,status,impact,location,managed_by_group,"
      "managed_by_agent,notes\r\n"
      "Ärzte-Drucker \"A\",IMP-1,Printer,SN-1,in_stock,high," +
      location["name"].get<std::string>() + "," + group["name"].get<std::string>() + "," +
      agent["name"].get<std::string>() +
      ",\"a, b\"\r\n"
      "Spare,IMP-2,,,retired,,,,,\r\n"
      "Plain,IMP-3,Laptop,,,,,,,\r\n";
  const json done = Import(f, "assets", csv, false);
  REQUIRE(done["created"] == 3);
  const json first = f.Get("/api/assets?q=IMP-1", f.admin)["rows"][0];
  const int64_t id = first["id"];
  const json one = f.Get("/api/assets/" + std::to_string(id), f.admin);
  CHECK(one["name"] == "Ärzte-Drucker \"A\"");
  CHECK(one["type"] == "Printer");
  CHECK(one["serial_number"] == "SN-1");
  CHECK(one["status"] == "in_stock");
  CHECK(one["impact"] == "high");
  CHECK(one["location_id"] == location["id"]);
  CHECK(one["managed_by_group_id"] == group["id"]);
  CHECK(one["managed_by_agent_id"] == agent["id"]);
  CHECK(one["notes"] == "a, b");
  CHECK(one["version"] == 1);
  CHECK(one["retired_at"].is_null());
  // The rows follow each other in the file's order; the second is retired.
  const json two = f.Get("/api/assets/" + std::to_string(id + 1), f.admin);
  CHECK(two["asset_tag"] == "IMP-2");
  CHECK(two["status"] == "retired");
  CHECK(!two["retired_at"].is_null());
  CHECK(two["location_id"].is_null());
  CHECK(f.Get("/api/assets/" + std::to_string(id + 2), f.admin)["asset_tag"] == "IMP-3");
  for (int64_t i = id; i < id + 3; ++i) {
    const json history = f.Get("/api/assets/" + std::to_string(i) + "/history", f.admin)["history"];
    REQUIRE(history.size() == 1);
    CHECK(history[0]["changes"]["asset_tag"][1] == "IMP-" + std::to_string(i - id + 1));
  }
  CHECK(f.Get("/api/assets?limit=1", f.admin)["total"] == 7);
  CHECK(f.Get("/api/assets?limit=1&retired=true&q=IMP-", f.admin)["total"] == 1);
  // A record created next takes the id after them.
  auto created = f.Post("/api/assets", {{"name", "Next"}, {"asset_tag", "NEXT-1"}}, f.admin);
  REQUIRE(created->status == 201);
  CHECK(json::parse(created->body)["id"] == id + 3);

  // Software: licence counts given and left empty.
  const json software =
      Import(f, "software",
             "name,publisher,version_string,licence_count\r\nFigma,Figma,125,40\r\n"
             "Slack,Salesforce,4.1,\r\n",
             false);
  REQUIRE(software["created"] == 2);
  const json figma = f.Get("/api/software?q=figma", f.admin)["rows"][0];
  CHECK(f.Get("/api/software/" + figma["id"].dump(), f.admin)["licence_count"] == 40);
  const json slack = f.Get("/api/software?q=slack", f.admin)["rows"][0];
  CHECK(f.Get("/api/software/" + slack["id"].dump(), f.admin)["licence_count"].is_null());
}

TEST_CASE("Export → import round-trips byte for byte", "[api][inventory][import]") {
  Lists f(150, 40);
  f.Post("/api/assets",
         {{"name", "=cmd|' /C calc'!A0"}, {"asset_tag", "'quoted"}, {"notes", "a, b; \"c\"\nd"}},
         f.admin);
  for (const std::string kind : {"assets", "software"}) {
    INFO(kind);
    const std::string first = Export(f, "/api/" + kind + ".csv");
    const json report = Import(f, kind, first, false);
    CHECK(report["problems"].empty());
    CHECK(report["created"] == 0);
    CHECK(report["updated"] == 0);
    CHECK(report["unchanged"] == report["rows"]);
    CHECK(Export(f, "/api/" + kind + ".csv") == first);
  }
  CHECK(f.Get("/api/assets?q=quoted", f.admin)["rows"][0]["asset_tag"] == "'quoted");
}
