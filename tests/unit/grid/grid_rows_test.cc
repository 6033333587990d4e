// The grid's rows: slots, the id index, the loaded order, queries and row
// JSON, and RecordGrid's loading rules.
#include "shared/grid/grid_rows.h"
#include "shared/grid/grid_order.h"
#include "shared/grid/grid_record.h"
#include "shared/grid/slot_set.h"
#include "shared/records/record_query.h"

#include <catch2/catch.hpp>

#include "tests/unit/grid/grid_fixtures.h"

using namespace deskgate;
using namespace deskgate::testing;

TEST_CASE("SlotSet counts its members and walks them in order", "[grid][rows]") {
  SlotSet set;
  CHECK(set.empty());
  CHECK(set.Insert(3));
  CHECK(set.Insert(200));
  CHECK_FALSE(set.Insert(3));
  CHECK(set.Insert(64));
  CHECK(set.size() == 3);
  CHECK(set.Contains(64));
  CHECK_FALSE(set.Contains(65));
  CHECK_FALSE(set.Contains(100000));  // beyond the words: not a member
  std::vector<uint32_t> seen;
  set.ForEach([&](uint32_t slot) { seen.push_back(slot); });
  CHECK(seen == std::vector<uint32_t>{3, 64, 200});
  CHECK(set.Erase(64));
  CHECK_FALSE(set.Erase(64));
  CHECK(set.size() == 2);
  set.Clear();
  CHECK(set.empty());
  CHECK_FALSE(set.Contains(3));
}

TEST_CASE("GridRows keys records by id and keeps their slots", "[grid][rows]") {
  GridRows rows;
  const uint32_t a = rows.Put(GridRecord{7, 1, {}, ""});
  const uint32_t b = rows.Put(GridRecord{9, 1, {}, ""});
  CHECK(a != b);
  CHECK(rows.Find(7) == a);
  CHECK(rows.Find(8) == kNoSlot);
  GridRecord newer{7, 2, {}, "\"name\":\"x\""};
  newer.fields.impact = Impact::kHigh;
  CHECK(rows.Put(newer) == a);  // same id, same slot
  CHECK(rows.at(a).fields.impact == Impact::kHigh);
  CHECK(rows.Put(GridRecord{7, 1, {}, ""}) == a);  // an older version is ignored
  CHECK(rows.at(a).version == 2);
  CHECK(rows.at(a).fields.impact == Impact::kHigh);
  rows.Erase(a);
  CHECK(rows.Find(7) == kNoSlot);
  CHECK(rows.size() == 1);
  CHECK(rows.Put(GridRecord{11, 1, {}, ""}) == a);  // the freed slot is reused
}

TEST_CASE("GridRows' id index survives growth and removal", "[grid][rows]") {
  GridRows rows;
  for (int64_t id = 1; id <= 5000; ++id) rows.Put(GridRecord{id * 64, 1, {}, ""});
  for (int64_t id = 1; id <= 5000; id += 2) rows.Erase(rows.Find(id * 64));
  CHECK(rows.size() == 2500);
  for (int64_t id = 1; id <= 5000; ++id) {
    const bool held = rows.Find(id * 64) != kNoSlot;
    if (held != (id % 2 == 0)) FAIL("id " << id * 64);
  }
  CHECK(rows.Find(3) == kNoSlot);
}

TEST_CASE("GridOrder places slots at positions, one position each", "[grid][rows]") {
  GridOrder order;
  order.SetTotal(10);
  CHECK(order.total() == 10);
  CHECK(order.SlotAt(0) == kNoSlot);
  CHECK(order.SlotAt(10) == kNoSlot);
  CHECK(order.SlotAt(-1) == kNoSlot);
  order.Place(2, 5);
  CHECK(order.SlotAt(2) == 5);
  CHECK(order.PositionOf(5) == 2);
  order.Place(4, 5);  // the row moved down: its old position empties
  CHECK(order.SlotAt(2) == kNoSlot);
  CHECK(order.PositionOf(5) == 4);
  order.Place(4, 6);  // another row took its place
  CHECK(order.PositionOf(5) == -1);
  CHECK(order.PositionOf(6) == 4);
  order.SetTotal(3);  // positions past the end are dropped
  CHECK(order.PositionOf(6) == -1);
  order.Place(1, 6);
  order.Remove(6);
  CHECK(order.SlotAt(1) == kNoSlot);
  order.Place(0, 1);
  order.Reset();
  CHECK(order.total() == 0);
  CHECK(order.PositionOf(1) == -1);
}

TEST_CASE("A query has a sort and a filter, strictly read", "[grid][query]") {
  auto query = Ok(ParseGridQuery(
      R"({"sort":"updated_at","dir":"desc","q":"disk array","impact":"high","location_id":null,"managed_by_group_id":4})"));
  CHECK(query.sort == "updated_at");
  CHECK(query.descending);
  CHECK(query.filter.q == "disk array");
  CHECK(query.filter.impact == Impact::kHigh);
  CHECK(query.filter.location.set);
  CHECK_FALSE(query.filter.location.id.has_value());
  CHECK(query.filter.group.id == 4);
  CHECK_FALSE(query.filter.agent.set);
  CHECK(GridFilterToJson(query.filter) ==
        R"({"q":"disk array","impact":"high","location_id":null,"managed_by_group_id":4})");
  auto defaults = Ok(ParseGridQuery("{}"));
  CHECK(defaults == GridQuery());
  CHECK(GridFilterToJson(defaults.filter) == "{}");
  CHECK(Ok(ParseGridQuery(R"({"impact":null})")).filter.impact == std::nullopt);
  CHECK(ParseGridQuery(R"({"sort":"colour"})").error().rfind("sort: must be one of", 0) == 0);
  CHECK(ParseGridQuery(R"({"dir":"up"})").error() == "dir: must be asc or desc");
  CHECK(ParseGridQuery(R"({"impact":"urgent"})").error() ==
        "impact: must be low, medium, high or null");
  CHECK(ParseGridQuery(R"({"location_id":0})").error() ==
        "location_id: must be a positive integer or null");
  CHECK(ParseGridQuery(R"({"page":2})").error() == "query: unknown field \"page\"");
  CHECK(ParseGridQuery("{\"q\":\"" + std::string(201, 'x') + "\"}").error() ==
        "q: must be at most 200 bytes");
}

TEST_CASE("A row keeps the members the grid does not edit, untouched", "[grid][rows]") {
  auto record = Ok(ParseGridRecord(
      R"({"id":4,"name":"Disk \"A\"","publisher":"Acme","impact":"medium","location_id":2,"version":3,"score":1.25,"tags":["x",null,true],"meta":{"k":-7},"updated_at":1700000000})"));
  CHECK(record.id == 4);
  CHECK(record.version == 3);
  CHECK(record.fields.impact == Impact::kMedium);
  CHECK(record.fields.location == 2);
  CHECK_FALSE(record.fields.group.has_value());  // missing reference fields are none
  CHECK(
      record.extra ==
      R"("name":"Disk \"A\"","publisher":"Acme","score":1.25,"tags":["x",null,true],"meta":{"k":-7},"updated_at":1700000000)");
  JsonWriter w;
  w.BeginObject();
  WriteRecordMembers(w, record, record.fields);
  w.EndObject();
  CHECK(
      w.text() ==
      R"({"id":4,"version":3,"name":"Disk \"A\"","publisher":"Acme","score":1.25,"tags":["x",null,true],"meta":{"k":-7},"updated_at":1700000000,"impact":"medium","location_id":2,"managed_by_group_id":null,"managed_by_agent_id":null})");
}

TEST_CASE("Rows without an id, version or impact are refused", "[grid][rows]") {
  CHECK(ParseGridRecord(R"({"version":1,"impact":"low"})").error() ==
        "row: id must be an integer of at least 1");
  CHECK(ParseGridRecord(R"({"id":1,"impact":"low"})").error() ==
        "row: version must be an integer of at least 0");
  CHECK(ParseGridRecord(R"({"id":1,"version":1})").error() ==
        "row: impact must be low, medium or high");
  CHECK(ParseGridRecord(R"({"id":1,"version":1,"impact":"low","location_id":"3"})").error() ==
        "row: location_id: must be a positive integer or null");
  CHECK(ParseGridRecord("[1]").error() == "row: must be a JSON object");
}

TEST_CASE("Field helpers project, compare and write single fields", "[grid][rows]") {
  CHECK(ParseGridField("managed_by_group_id") == GridField::kGroup);
  CHECK_FALSE(ParseGridField("name").has_value());
  RecordFields fields;
  fields.impact = Impact::kHigh;
  fields.location = 5;
  auto mask = Ok(ParseRecordChange(R"({"location_id":1,"managed_by_agent_id":2})"));
  CHECK(ChangeSets(mask, GridField::kLocation));
  CHECK_FALSE(ChangeSets(mask, GridField::kImpact));
  CHECK(RecordChangeToJson(ProjectFields(fields, mask)) ==
        R"({"location_id":5,"managed_by_agent_id":null})");
  CHECK(FieldsMatch(fields, ProjectFields(fields, mask)));
  CHECK_FALSE(FieldsMatch(fields, mask));
}

TEST_CASE("Pages at offsets coexist; the total comes with each", "[grid][rows]") {
  RecordGrid grid;
  Load(grid, 0, 120, Ids(1, 50));
  Load(grid, 100, 120, Ids(101, 20));
  CHECK(grid.total() == 120);
  CHECK(grid.IsLoaded(49));
  CHECK_FALSE(grid.IsLoaded(50));
  CHECK(grid.IsLoaded(119));
  CHECK(grid.PositionOf(101) == 100);
  CHECK(grid.PositionOf(77) == -1);
  auto rows = Ok(ParseJson(grid.RowsJson(48, 4)));
  REQUIRE(rows.items().size() == 4);
  CHECK(rows.items()[1].Find("id")->as_number() == 50);
  CHECK(rows.items()[2].is_null());
  CHECK(grid.RowsJson(500, 10) == "[]");
  CHECK(grid.RowsJson(-5, 1).rfind("[{\"id\":1,", 0) == 0);
}

TEST_CASE("A refresh replaces rows by id, never by position", "[grid][rows]") {
  RecordGrid grid;
  LoadFirst(grid, 5, 5);
  // Someone changed row 3 and a new row 9 sorts first: everything shifts.
  std::vector<TestRow> fresh = {TestRow{9}, TestRow{1}, TestRow{2}, TestRow{3, 2, "high"},
                                TestRow{4}};
  Load(grid, 0, 6, fresh);
  CHECK(grid.total() == 6);
  CHECK(grid.PositionOf(9) == 0);
  CHECK(grid.PositionOf(3) == 3);
  CHECK(ShownString(grid, 3, "impact") == "high");
  CHECK(ShownString(grid, 3, "version") == "2");
  CHECK(grid.PositionOf(5) == -1);  // pushed off the loaded part
  CHECK(grid.Holds(5));
  // A late reply with an older version does not undo the newer one.
  Load(grid, 0, 6, {TestRow{9}, TestRow{1}, TestRow{2}, TestRow{3, 1, "low"}});
  CHECK(ShownString(grid, 3, "impact") == "high");
}

TEST_CASE("A bad page changes nothing", "[grid][rows]") {
  RecordGrid grid;
  LoadFirst(grid, 3, 3);
  const std::string before = grid.RowsJson(0, 3);
  CHECK(grid.LoadPage(0, R"({"total":3,"rows":[{"id":1,"version":2,"impact":"high"},{"id":2}]})")
            .message() == "row: version must be an integer of at least 0");
  CHECK(grid.LoadPage(0, R"({"rows":[]})").message() ==
        "page: total must be an integer from 0 to 10000000");
  CHECK(grid.LoadPage(0, R"({"total":3})").message() == "page: rows must be an array");
  CHECK(grid.LoadPage(-1, R"({"total":3,"rows":[]})").message() == "page: bad offset");
  CHECK_FALSE(grid.LoadPage(0, "not json").ok());
  CHECK(grid.RowsJson(0, 3) == before);
}

TEST_CASE("Rows past the total are ignored; an empty list has no rows", "[grid][rows]") {
  RecordGrid grid;
  Load(grid, 0, 2, Ids(1, 3));
  CHECK(grid.total() == 2);
  CHECK_FALSE(grid.Holds(3));
  Load(grid, 0, 0, {});
  CHECK(grid.total() == 0);
  CHECK(grid.RowsJson(0, 10) == "[]");
}

TEST_CASE("RowsJson shows a row with its selection and state", "[grid][rows]") {
  RecordGrid grid;
  Load(grid, 0, 1, {TestRow{5, 2, "medium", 3}});
  CHECK(
      grid.RowsJson(0, 1) ==
      R"([{"id":5,"version":2,"name":"Asset 5","asset_tag":"A-5","type":"laptop","updated_at":1700000000,"impact":"medium","location_id":3,"managed_by_group_id":null,"managed_by_agent_id":null,"selected":false}])");
}
