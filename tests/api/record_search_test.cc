// Substring search over real HTTP: every answer compared with a scan of the
// whole list made by the test, before and after the writes that change what
// a search must find (an edit, a retirement and restore, a new record, an
// import, a bulk change), for queries long enough for the trigram index and
// too short for it.
#include <httplib.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "../support/records_fixture.h"

using deskgate::testing::Lists;
using deskgate::testing::Sql;
using deskgate::testing::Tag;
using nlohmann::json;

namespace {

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string Encoded(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

// Every record of a list, read page by page (`extra` adds parameters).
std::vector<json> AllRows(Lists& f, const std::string& kind, const std::string& extra = "") {
  std::vector<json> rows;
  for (int offset = 0;; offset += 500) {
    const json page =
        f.Get("/api/" + kind + "?limit=500&offset=" + std::to_string(offset) + extra, f.admin);
    for (const auto& row : page["rows"]) rows.push_back(row);
    if (page["rows"].size() < 500) break;
  }
  return rows;
}

// The ids whose searched fields hold `q`, ASCII case folded: the answer a
// search must give, found without the server's index.
std::set<int64_t> Scan(const std::vector<json>& rows, const std::string& q,
                       const std::vector<const char*>& fields) {
  std::set<int64_t> ids;
  for (const auto& row : rows) {
    for (const char* field : fields) {
      if (Lower(row.value(field, std::string())).find(Lower(q)) != std::string::npos) {
        ids.insert(row["id"].get<int64_t>());
        break;
      }
    }
  }
  return ids;
}

const std::vector<const char*> kAssetFields = {"name", "asset_tag", "type", "serial_number"};
const std::vector<const char*> kSoftwareFields = {"name", "publisher", "version_string"};

// Checks every query against the scan: the same rows, and a total to match.
void ExpectSearchesMatchScan(Lists& f, const std::string& kind,
                             const std::vector<std::string>& queries,
                             const std::string& extra = "") {
  const auto rows = AllRows(f, kind, extra);
  const auto& fields = kind == "assets" ? kAssetFields : kSoftwareFields;
  for (const std::string& q : queries) {
    INFO(kind << " q=" << q << extra);
    const auto found = AllRows(f, kind, "&q=" + Encoded(q) + extra);
    std::set<int64_t> ids;
    for (const auto& row : found) ids.insert(row["id"].get<int64_t>());
    CHECK(ids.size() == found.size());
    CHECK(ids == Scan(rows, q, fields));
    const json first = f.Get("/api/" + kind + "?limit=1&q=" + Encoded(q) + extra, f.admin);
    CHECK(first["total"] == found.size());
  }
}

const std::vector<std::string> kAssetQueries = {
    "dell",     "DELL",    "Latitude 7440",
    "lt-00001", "LT-0002", "7440",
    "t14",      "Pro 14",  "laptop",
    "e",        "ll",      "%",
    "_",        "a\"b",    "\"",
    "x_y",      "zzzz",    "monitor",
};

}  // namespace

TEST_CASE("Search answers as a scan of every row, across the writes that change it",
          "[api][inventory][search]") {
  Lists f(400, 60);
  ExpectSearchesMatchScan(f, "assets", kAssetQueries);
  ExpectSearchesMatchScan(f, "software", {"micro", "SOFT", "adobe", "1.", "zo", "z", "\"q\""});

  // An edit: the new name is found, the old one no longer finds the row.
  const json row = f.Row(7);
  const std::string old_name = row["name"];
  auto res =
      f.Patch(7, Tag(row["version"]),
              {{"name", "Qwerty \"Quoted\" 100%_done"}, {"serial_number", "SN-ABC-991"}}, f.admin);
  REQUIRE(res->status == 200);
  const json found = f.Get("/api/assets?q=quoted%22%20100%25_d", f.admin);
  REQUIRE(found["total"] == 1);
  CHECK(found["rows"][0]["id"] == 7);
  CHECK(f.Get("/api/assets?q=abc-99", f.admin)["total"] == 1);

  // Retired: out of the live list's searches, found among the retired.
  auto retired = f.client.Delete("/api/assets/8", {{"Cookie", f.admin}});
  REQUIRE(retired->status == 200);
  const std::string tag8 = f.Row(8)["asset_tag"];
  CHECK(f.Get("/api/assets?q=" + tag8, f.admin)["total"] == 0);
  CHECK(f.Get("/api/assets?retired=true&q=" + Lower(tag8), f.admin)["total"] == 1);

  // New records, one with letters outside ASCII (folded as Unicode folds them).
  res = f.client.Post("/api/assets", {{"Cookie", f.admin}},
                      json{{"name", "Ärztekammer Drucker"}, {"asset_tag", "PRN-ÉTÉ-1"}}.dump(),
                      "application/json");
  REQUIRE(res->status == 201);
  const int64_t created = json::parse(res->body)["id"];
  for (const char* q : {"%C3%A4rztekammer", "%C3%84RZTE", "%C3%A9t%C3%A9-1", "kammer%20DR"}) {
    INFO(q);
    const json hit = f.Get(std::string("/api/assets?q=") + q, f.admin);
    REQUIRE(hit["total"] == 1);
    CHECK(hit["rows"][0]["id"] == created);
  }

  // An import adds and renames records in one transaction: searches follow.
  const std::string csv =
      "name,asset_tag\r\nImported Wombat,IMP-1\r\nRenamed by import," + tag8 + "\r\n";
  res = f.client.Post("/api/assets/import", {{"Cookie", f.admin}},
                      json{{"csv", csv}, {"dry_run", false}}.dump(), "application/json");
  REQUIRE(res->status == 200);
  CHECK(f.Get("/api/assets?q=wombat", f.admin)["total"] == 1);
  CHECK(f.Get("/api/assets?retired=true&q=renamed%20by", f.admin)["total"] == 1);

  // Restored: the retired record is found again under the name it has now.
  res = f.client.Post("/api/assets/8/restore", {{"Cookie", f.admin}}, "", "application/json");
  REQUIRE(res->status == 200);
  CHECK(f.Get("/api/assets?q=renamed%20by", f.admin)["total"] == 1);
  CHECK(f.Get("/api/assets?retired=true&q=renamed%20by", f.admin)["total"] == 0);

  // A bulk change of other fields, then rows renamed, added and deleted
  // straight in the table (as another process would): the index follows.
  res = f.Bulk({{"selection", {{"filter", {{"q", "dell"}}}, {"except", json::array()}}},
                {"change", {{"impact", "high"}}}},
               f.admin);
  REQUIRE(res->status == 200);
  Sql(f.server, "UPDATE assets SET type = 'Hoverboard' WHERE id IN (11, 12)");
  const json hover = f.Get("/api/assets?q=hoverb&sort=name", f.admin);
  CHECK(hover["total"] == 2);
  Sql(f.server,
      "INSERT INTO assets (name, asset_tag, type, created_at, updated_at) "
      "VALUES ('Shell Gadget', 'SH-1', 'Gizmo', 1, 1)");
  CHECK(f.Get("/api/assets?q=gadget", f.admin)["total"] == 1);
  Sql(f.server, "DELETE FROM assets WHERE asset_tag = 'SH-1'");
  CHECK(f.Get("/api/assets?q=l%20gadg", f.admin)["total"] == 0);
  const json filtered = f.Get("/api/assets?q=dell&impact=low", f.admin);
  CHECK(filtered["total"] == 0);

  // Bulk retirement and restore (the index keeps retired records: counts and
  // pages of the live and the retired lists still leave the others out).
  const json latitudes = f.Get("/api/assets?limit=1&q=latitude", f.admin);
  REQUIRE(latitudes["total"] > 2);
  res = f.Post("/api/assets/bulk/retire",
               {{"selection", {{"filter", {{"q", "latitude"}}}, {"except", json::array()}}}},
               f.admin);
  REQUIRE(res->status == 200);
  CHECK(f.Get("/api/assets?limit=1&q=latitude", f.admin)["total"] == 0);
  CHECK(f.Get("/api/assets?limit=1&q=latitude&retired=true", f.admin)["total"] ==
        latitudes["total"]);
  // Counted without ranks (past their depth), and in an order first built
  // now, while the retired rows are in the index.
  CHECK(f.Get("/api/assets?offset=2000&limit=1&q=latitude", f.admin)["total"] == 0);
  ExpectSearchesMatchScan(f, "assets", {"latitude", "dell", "7440"}, "&sort=type");
  ExpectSearchesMatchScan(f, "assets", {"latitude", "dell", "7440"}, "&retired=true");
  const json some = f.Get("/api/assets?limit=2&q=latitude&retired=true", f.admin);
  res = f.Post("/api/assets/bulk/restore",
               {{"selection", {{"ids", {some["rows"][0]["id"], some["rows"][1]["id"]}}}}}, f.admin);
  REQUIRE(res->status == 200);
  CHECK(f.Get("/api/assets?limit=1&q=latitude", f.admin)["total"] == 2);
  CHECK(f.Get("/api/assets?offset=2000&limit=1&q=latitude", f.admin)["total"] == 2);
  ExpectSearchesMatchScan(f, "assets", {"latitude", "dell"}, "&sort=type&dir=desc");
  ExpectSearchesMatchScan(f, "assets", {"latitude", "dell"}, "&sort=type");

  ExpectSearchesMatchScan(f, "assets", kAssetQueries);
  ExpectSearchesMatchScan(f, "assets", {"dell", "renamed", "ll", "latitude"}, "&retired=true");
  ExpectSearchesMatchScan(f, "assets", {"dell", "7440", "ll"},
                          "&impact=high&sort=asset_tag&dir=desc");
}
