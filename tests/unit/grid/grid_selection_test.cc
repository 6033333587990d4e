// Selection algebra: toggle, shift-ranges from an anchor, pages, all
// matching with exclusions, clear; and what survives paging, sorting,
// refreshes and filter changes.
#include "shared/grid/grid_selection.h"

#include <algorithm>

#include <catch2/catch.hpp>

#include "tests/unit/grid/grid_fixtures.h"

using namespace deskgate;
using namespace deskgate::testing;

namespace {

std::vector<int64_t> SelectedIds(const RecordGrid& grid, int64_t last_id) {
  std::vector<int64_t> ids;
  for (int64_t id = 1; id <= last_id; ++id) {
    if (grid.IsSelected(id)) ids.push_back(id);
  }
  return ids;
}

std::vector<int64_t> Range(int64_t from, int64_t to) {
  std::vector<int64_t> ids;
  for (int64_t id = from; id <= to; ++id) ids.push_back(id);
  return ids;
}

}  // namespace

TEST_CASE("GridSelection: picked rows and all matching with exclusions", "[grid][selection]") {
  GridSelection selection;
  CHECK(selection.count() == 0);
  CHECK(selection.Set(4, true));
  CHECK_FALSE(selection.Set(4, true));
  CHECK(selection.Contains(4, false));  // a picked row need not be in the order
  CHECK(selection.count() == 1);
  GridFilter filter;
  filter.q = "disk";
  selection.SelectAllMatching(filter, 1000);
  CHECK(selection.all_matching());
  CHECK(selection.filter() == filter);
  CHECK(selection.count() == 1000);
  CHECK(selection.Contains(9, true));
  CHECK_FALSE(selection.Contains(9, false));  // not known to match
  CHECK(selection.Set(9, false));             // excluded
  CHECK(selection.count() == 999);
  CHECK_FALSE(selection.Contains(9, true));
  selection.Forget(9, true);  // an excluded record that is gone leaves both counts
  CHECK(selection.count() == 999);
  selection.Forget(10, true);  // a selected record that is gone
  CHECK(selection.count() == 998);
  selection.set_matching_total(500);
  CHECK(selection.count() == 500);
  selection.Clear();
  CHECK_FALSE(selection.all_matching());
  CHECK(selection.count() == 0);
}

TEST_CASE("Toggle flips one row and sets the anchor", "[grid][selection]") {
  RecordGrid grid;
  LoadFirst(grid, 100, 50);
  CHECK(grid.Toggle(3));
  CHECK(grid.IsSelected(3));
  CHECK(grid.selected_count() == 1);
  CHECK_FALSE(grid.Toggle(3));
  CHECK(grid.selected_count() == 0);
  CHECK_FALSE(grid.Toggle(999));  // not loaded: nothing to select
  CHECK(grid.selected_count() == 0);
}

TEST_CASE("Shift-click selects from the anchor, in either direction", "[grid][selection]") {
  RecordGrid grid;
  LoadFirst(grid, 100, 50);
  grid.Toggle(10);
  CHECK(grid.ShiftClick(15) == 0);
  CHECK(SelectedIds(grid, 50) == Range(10, 15));
  CHECK(grid.ShiftClick(7) == 0);  // the anchor stays at 10
  CHECK(SelectedIds(grid, 50) == Range(7, 15));
  CHECK(grid.selected_count() == 9);
}

TEST_CASE("Shift-click gives the range the anchor's state", "[grid][selection]") {
  RecordGrid grid;
  LoadFirst(grid, 100, 50);
  grid.SetRange(0, 50, true);
  CHECK(grid.selected_count() == 50);
  CHECK_FALSE(grid.Toggle(20));  // the anchor is now deselected
  grid.ShiftClick(25);
  CHECK(SelectedIds(grid, 50).size() == 44);
  CHECK_FALSE(grid.IsSelected(23));
  CHECK(grid.IsSelected(26));
}

TEST_CASE("Shift-click without an anchor in view acts as a toggle", "[grid][selection]") {
  RecordGrid grid;
  LoadFirst(grid, 100, 50);
  CHECK(grid.ShiftClick(5) == 0);
  CHECK(SelectedIds(grid, 50) == std::vector<int64_t>{5});
  CHECK(grid.ShiftClick(8) == 0);  // 5 is now the anchor
  CHECK(SelectedIds(grid, 50) == Range(5, 8));
}

TEST_CASE("Ranges skip and count rows not loaded yet", "[grid][selection]") {
  RecordGrid grid;
  Load(grid, 0, 300, Ids(1, 50));
  Load(grid, 100, 300, Ids(101, 50));
  grid.Toggle(40);
  CHECK(grid.ShiftClick(120) == 50);  // positions 50..99 are not loaded
  CHECK(grid.selected_count() == 31);
  CHECK(grid.SetRange(140, 1000, true) == 150);  // clamped to the total
  CHECK(grid.selected_count() == 41);
  CHECK(grid.SetRange(-10, 5, true) == 0);
}

TEST_CASE("A page is selected and deselected as a range", "[grid][selection]") {
  RecordGrid grid;
  LoadFirst(grid, 200, 100);
  CHECK(grid.SetRange(50, 50, true) == 0);
  CHECK(SelectedIds(grid, 100) == Range(51, 100));
  grid.SetRange(50, 10, false);
  CHECK(grid.selected_count() == 40);
}

TEST_CASE("All matching counts the total minus exclusions", "[grid][selection]") {
  RecordGrid grid;
  LoadFirst(grid, 100000, 50);
  grid.SelectAllMatching();
  CHECK(grid.all_matching());
  CHECK(grid.selected_count() == 100000);
  CHECK(grid.IsSelected(1));
  CHECK_FALSE(grid.Toggle(2));  // excluded
  CHECK_FALSE(grid.IsSelected(2));
  grid.Toggle(3);
  CHECK(grid.selected_count() == 99998);
  CHECK(grid.ShiftClick(10) == 0);  // the anchor (3) is excluded: exclude 3..10
  CHECK(grid.selected_count() == 100000 - 9);
  grid.SetRange(0, 50, true);  // selecting again removes exclusions
  CHECK(grid.selected_count() == 100000);
  grid.ClearSelection();
  CHECK_FALSE(grid.all_matching());
  CHECK(grid.selected_count() == 0);
  CHECK_FALSE(grid.IsSelected(1));
}

TEST_CASE("The selection survives paging and refreshes", "[grid][selection]") {
  RecordGrid grid;
  LoadFirst(grid, 200, 50);
  grid.SetRange(10, 5, true);
  Load(grid, 50, 200, Ids(51, 50));  // the next page
  Load(grid, 0, 201, Ids(1, 50));    // a refresh with a new total
  CHECK(SelectedIds(grid, 100) == Range(11, 15));
  grid.SelectAllMatching();
  grid.Toggle(12);
  Load(grid, 0, 205, Ids(1, 50));  // the total follows the server
  CHECK(grid.selected_count() == 204);
  CHECK_FALSE(grid.IsSelected(12));
}

TEST_CASE("A new sort keeps both kinds of selection", "[grid][selection]") {
  RecordGrid grid;
  LoadFirst(grid, 100, 100);
  grid.SetRange(0, 3, true);  // ids 1, 2, 3
  CHECK(Ok(grid.SetQuery(R"({"sort":"updated_at","dir":"desc"})")) == false);
  CHECK(grid.total() == 0);  // the order starts empty
  CHECK(grid.selected_count() == 3);
  std::vector<TestRow> reversed;
  for (int64_t id = 100; id >= 1; --id) reversed.push_back(TestRow{id});
  Load(grid, 0, 100, reversed);
  CHECK(grid.PositionOf(1) == 99);
  CHECK(SelectedIds(grid, 100) == Range(1, 3));

  grid.SelectAllMatching();
  grid.Toggle(50);
  CHECK(Ok(grid.SetQuery(R"({"sort":"name"})")) == false);
  CHECK(grid.all_matching());
  CHECK(grid.selected_count() == 99);
  LoadFirst(grid, 100, 100);
  CHECK(grid.IsSelected(49));
  CHECK_FALSE(grid.IsSelected(50));
}

TEST_CASE("A new filter drops all matching but keeps picked rows", "[grid][selection]") {
  RecordGrid grid;
  LoadFirst(grid, 100, 100);
  grid.SelectAllMatching();
  CHECK(Ok(grid.SetQuery(R"({"impact":"high"})")) == true);
  CHECK_FALSE(grid.all_matching());
  CHECK(grid.selected_count() == 0);

  LoadFirst(grid, 100, 100);
  grid.Toggle(7);
  grid.Toggle(8);
  CHECK(Ok(grid.SetQuery(R"({"impact":"low"})")) == true);
  CHECK(grid.selected_count() == 2);  // picked by id: still selected, even if hidden
  CHECK(grid.IsSelected(7));
  CHECK(grid.Holds(7));
  CHECK_FALSE(grid.Holds(9));  // unselected rows of the old filter are let go
  auto ids = BodyIds(Ok(grid.BulkRequest(R"({"impact":"high"})")));
  std::sort(ids.begin(), ids.end());  // in slot order, which reuse shuffles
  CHECK(ids == std::vector<int64_t>{7, 8});
  CHECK(Ok(grid.SetQuery(R"({"impact":"low"})")) == false);  // the same query again
}

TEST_CASE("Picked rows a new filter hides are counted, kept or dropped", "[grid][selection]") {
  RecordGrid grid;
  CHECK_FALSE(grid.HiddenCheckRequest());  // nothing picked: nothing to ask
  LoadFirst(grid, 100, 100);
  for (int64_t id : {3, 5, 7, 9}) grid.Toggle(id);
  CHECK(Ok(grid.SetQuery(R"({"location_id":4})")) == true);
  auto request = grid.HiddenCheckRequest();
  REQUIRE(request);
  auto body = ParseJson(*request);
  REQUIRE(body.ok());
  std::vector<int64_t> asked;
  for (const JsonValue& id : body.value().Find("ids")->items()) {
    asked.push_back(static_cast<int64_t>(id.as_number()));
  }
  std::sort(asked.begin(), asked.end());
  CHECK(asked == std::vector<int64_t>{3, 5, 7, 9});
  CHECK(body.value().Find("filter")->Find("location_id")->as_number() == 4);

  // 12 was never picked and 99 was let go: the reply cannot mark them.
  REQUIRE(grid.SetHidden(R"({"shown":1,"hidden":[3,5,9,12,99]})").ok());
  CHECK(grid.hidden_count() == 3);
  CHECK(grid.selected_count() == 4);  // kept until the person drops them
  grid.Toggle(5);                     // deselecting a hidden row unhides it
  CHECK(grid.hidden_count() == 2);
  CHECK_FALSE(grid.SetHidden(R"({"hidden":[3,"x"]})").ok());
  CHECK(grid.hidden_count() == 2);  // a bad reply changes nothing

  CHECK(grid.DropHidden() == 2);
  CHECK(grid.hidden_count() == 0);
  CHECK(grid.selected_count() == 1);
  CHECK(grid.IsSelected(7));
  CHECK_FALSE(grid.Holds(3));  // dropped rows the order does not hold are let go

  // A filter change forgets the marks (the page asks again).
  grid.Toggle(7);
  LoadFirst(grid, 100, 100);
  grid.Toggle(1);
  grid.Toggle(2);
  REQUIRE(grid.SetHidden(R"({"hidden":[1]})").ok());
  CHECK(grid.hidden_count() == 1);
  CHECK(Ok(grid.SetQuery(R"({"location_id":5})")) == true);
  CHECK(grid.hidden_count() == 0);
  CHECK(grid.selected_count() == 2);

  // All matching is everything the filter shows: nothing to ask, nothing hidden.
  LoadFirst(grid, 100, 100);
  grid.SelectAllMatching();
  CHECK_FALSE(grid.HiddenCheckRequest());
  REQUIRE(grid.SetHidden(R"({"hidden":[4]})").ok());
  CHECK(grid.hidden_count() == 0);
}

TEST_CASE("A removed row leaves the selection", "[grid][selection]") {
  RecordGrid grid;
  LoadFirst(grid, 10, 10);
  grid.Toggle(4);
  grid.RemoveRow(4);
  CHECK(grid.selected_count() == 0);
  CHECK_FALSE(grid.Holds(4));
  CHECK_FALSE(grid.IsLoaded(3));
}

TEST_CASE("A 50,000-row range selects every row once", "[grid][selection]") {
  RecordGrid grid;
  for (int64_t offset = 0; offset < 100000; offset += 1000) {
    Load(grid, offset, 100000, Ids(offset + 1, 1000));
  }
  grid.Toggle(25001);
  CHECK(grid.ShiftClick(75000) == 0);
  CHECK(grid.selected_count() == 50000);
  const auto ids = BodyIds(Ok(grid.BulkRequest(R"({"managed_by_group_id":3})")));
  REQUIRE(ids.size() == 50000);
  CHECK(ids.front() == 25001);
  CHECK(ids.back() == 75000);
}
