// Undo: at least ten steps, newest first; an inline edit comes back as a
// guarded PATCH, a bulk action as bulk-by-ids requests grouped by previous
// value; rows changed since are left alone.
#include "shared/grid/grid_undo.h"

#include <catch2/catch.hpp>

#include "tests/unit/grid/grid_fixtures.h"

using namespace deskgate;
using namespace deskgate::testing;

namespace {

RecordChange Change(const char* json) {
  return Ok(ParseRecordChange(json));
}

// Rows 1..6 with locations 1, 1, 2, none, 2, 1 (version 1).
void Setup(RecordGrid& grid) {
  RequireOk(grid.SetVocabulary(R"({"locations":[1,2,3],"groups":[10],"agents":[100]})"));
  Load(grid, 0, 6,
       {TestRow{1, 1, "low", 1}, TestRow{2, 1, "low", 1}, TestRow{3, 1, "low", 2},
        TestRow{4, 1, "low"}, TestRow{5, 1, "low", 2}, TestRow{6, 1, "low", 1}});
}

// An inline edit of `id`'s impact to `impact`, saved at `version`.
void Edit(RecordGrid& grid, int64_t id, const char* impact, int64_t version) {
  auto request = Ok(grid.CommitEdit(id, GridField::kImpact, std::string("\"") + impact + "\""));
  REQUIRE(request.has_value());
  REQUIRE_FALSE(Ok(grid.SaveSucceeded(id, RowJson(TestRow{id, version, impact}))).has_value());
  RequireOk(grid.Dismiss(id, GridField::kImpact));
}

// Moves every row to location 3 in one bulk action, all updated at version 2.
void BulkMoveAll(RecordGrid& grid) {
  grid.SetRange(0, 6, true);
  Ok(grid.BeginBulk(R"({"location_id":3})"));
  std::string results;
  for (int id = 1; id <= 6; ++id) {
    if (id > 1) results += ',';
    results += R"({"id":)" + std::to_string(id) + R"(,"outcome":"updated","version":2})";
  }
  REQUIRE(Ok(grid.BulkSucceeded(0, "{\"results\":[" + results + "]}")).done);
  grid.ClearSelection();
}

std::string UpdatedReply(const std::vector<int64_t>& ids, int64_t version) {
  std::string results;
  for (int64_t id : ids) {
    if (!results.empty()) results += ',';
    results += R"({"id":)" + std::to_string(id) + R"(,"outcome":"updated","version":)" +
               std::to_string(version) + "}";
  }
  return "{\"results\":[" + results + "]}";
}

}  // namespace

TEST_CASE("UndoStack keeps the newest 20 steps and bounds their rows", "[grid][undo]") {
  UndoStack stack;
  for (int64_t i = 1; i <= 25; ++i) stack.Push(UndoStep{false, {}, {{i, {}, 0}}});
  CHECK(stack.size() == UndoStack::kMaxSteps);
  CHECK(stack.Pop()->rows[0].id == 25);
  CHECK(stack.size() == 19);

  UndoStack big;
  big.Push(UndoStep{true, {}, std::vector<UndoStep::Row>(150000)});
  big.Push(UndoStep{true, {}, std::vector<UndoStep::Row>(100000)});
  CHECK(big.size() == 1);  // the older step went to stay within kMaxRows
  big.Push(UndoStep{true, {}, std::vector<UndoStep::Row>(300000)});
  CHECK(big.size() == 1);  // the newest is kept whatever its size
  CHECK(big.Pop()->rows.size() == 300000);
  CHECK_FALSE(big.Pop().has_value());
}

TEST_CASE("Rows are grouped by the values they go back to", "[grid][undo]") {
  const RecordChange one = Change(R"({"location_id":1})");
  const RecordChange two = Change(R"({"location_id":2})");
  const RecordChange none = Change(R"({"location_id":null})");
  const std::vector<UndoStep::Row> rows = {{1, one, 0},  {2, one, 0}, {3, two, 0},
                                           {4, none, 0}, {5, two, 0}, {6, one, 0}};
  const auto groups = GroupByRestore(rows);
  REQUIRE(groups.size() == 3);
  CHECK(groups[0].change == one);
  CHECK(groups[0].ids == std::vector<int64_t>{1, 2, 6});
  CHECK(groups[1].change == two);
  CHECK(groups[1].ids == std::vector<int64_t>{3, 5});
  CHECK(groups[2].change == none);
  CHECK(groups[2].ids == std::vector<int64_t>{4});
  CHECK(GroupByRestore({}).empty());
}

TEST_CASE("Twelve inline edits undo one by one, newest first", "[grid][undo]") {
  RecordGrid grid;
  Load(grid, 0, 12, Ids(1, 12));
  for (int64_t id = 1; id <= 12; ++id) Edit(grid, id, "high", 2);
  CHECK(grid.undo_depth() == 12);
  for (int64_t id = 12; id >= 1; --id) {
    const UndoRequests undo = Ok(grid.Undo());
    REQUIRE(undo.patches.size() == 1);
    CHECK(undo.bulk.empty());
    CHECK(PatchRequestToJson(undo.patches[0]) ==
          R"({"id":)" + std::to_string(id) +
              R"(,"field":"impact","if_match":"\"2\"","body":{"impact":"low"}})");
    CHECK(ShownString(grid, id, "impact") == "low");  // optimistic
    CHECK(grid.Undo().error() == "wait for the change in progress to finish");
    REQUIRE_FALSE(Ok(grid.SaveSucceeded(id, RowJson(TestRow{id, 3, "low"}))).has_value());
    CHECK(grid.undo_depth() == static_cast<size_t>(id - 1));  // an undo is not itself a step
  }
  CHECK(grid.Undo().error() == "nothing to undo");
}

TEST_CASE("At most 20 steps are kept", "[grid][undo]") {
  RecordGrid grid;
  Load(grid, 0, 25, Ids(1, 25));
  for (int64_t id = 1; id <= 25; ++id) Edit(grid, id, "medium", 2);
  CHECK(grid.undo_depth() == 20);
}

TEST_CASE("An inline undo leaves a row that changed since alone", "[grid][undo]") {
  RecordGrid grid;
  Setup(grid);
  Edit(grid, 1, "high", 2);
  Load(grid, 0, 6, {TestRow{1, 3, "medium", 1}});  // someone else changed it after us
  const UndoRequests undo = Ok(grid.Undo());
  CHECK(undo.patches.empty());
  CHECK(undo.skipped == std::vector<int64_t>{1});
  CHECK(grid.undo_depth() == 0);
  CHECK(UndoRequestsToJson(undo) == R"({"patches":[],"bulk":[],"skipped":[1]})");
}

TEST_CASE("A failed undo goes back on the stack; a conflicting one is dropped", "[grid][undo]") {
  RecordGrid grid;
  Setup(grid);
  Edit(grid, 1, "high", 2);
  Edit(grid, 2, "high", 2);
  Ok(grid.Undo());
  CHECK(grid.undo_depth() == 1);
  Ok(grid.SaveFailed(2, "network down"));
  CHECK(grid.undo_depth() == 2);
  CHECK(ShownString(grid, 2, "impact") == "high");
  RequireOk(grid.Dismiss(2, GridField::kImpact));
  CHECK(Ok(grid.Undo()).patches.at(0).id == 2);  // the same step again
  Ok(grid.SaveConflict(
      2, R"({"error":"changed","current":)" + RowJson(TestRow{2, 4, "medium"}) + "}"));
  CHECK(grid.undo_depth() == 1);
  CHECK(Ok(grid.Undo()).patches.at(0).id == 1);
}

TEST_CASE("An inline undo of a row no longer loaded uses the version after the edit",
          "[grid][undo]") {
  RecordGrid grid;
  Setup(grid);
  Edit(grid, 1, "high", 2);
  CHECK(Ok(grid.SetQuery(R"({"impact":"medium"})")));
  REQUIRE_FALSE(grid.Holds(1));
  const UndoRequests undo = Ok(grid.Undo());
  REQUIRE(undo.patches.size() == 1);
  CHECK(undo.patches[0].version == 2);
  CHECK_FALSE(Ok(grid.SaveSucceeded(1, RowJson(TestRow{1, 3, "low"}))).has_value());
  CHECK(grid.undo_depth() == 0);
}

TEST_CASE("A bulk undo sends one request per previous value", "[grid][undo]") {
  RecordGrid grid;
  Setup(grid);
  BulkMoveAll(grid);
  CHECK(grid.undo_depth() == 1);
  const UndoRequests undo = Ok(grid.Undo());
  CHECK(undo.patches.empty());
  CHECK(undo.skipped.empty());
  REQUIRE(undo.bulk.size() == 3);
  CHECK(undo.bulk[0] == R"({"selection":{"ids":[1,2,6]},"change":{"location_id":1}})");
  CHECK(undo.bulk[1] == R"({"selection":{"ids":[3,5]},"change":{"location_id":2}})");
  CHECK(undo.bulk[2] == R"({"selection":{"ids":[4]},"change":{"location_id":null}})");
  CHECK(grid.bulk_pending());
  CHECK(ShownString(grid, 3, "location_id") == "2");  // shown at once
  CHECK(ShownString(grid, 4, "location_id") == "null");

  CHECK_FALSE(Ok(grid.BulkSucceeded(1, UpdatedReply({3, 5}, 3))).done);
  CHECK_FALSE(Ok(grid.BulkSucceeded(0, UpdatedReply({1, 2, 6}, 3))).done);
  CHECK(Ok(grid.BulkSucceeded(2, UpdatedReply({4}, 3))).done);
  CHECK_FALSE(grid.bulk_pending());
  CHECK(grid.undo_depth() == 0);
  CHECK(ShownString(grid, 1, "location_id") == "1");
  CHECK(ShownString(grid, 4, "location_id") == "null");
  CHECK(ShownString(grid, 5, "location_id") == "2");
  CHECK(ShownString(grid, 5, "version") == "3");
}

TEST_CASE("A bulk undo skips rows changed since the action", "[grid][undo]") {
  RecordGrid grid;
  Setup(grid);
  BulkMoveAll(grid);
  Load(grid, 0, 6, {TestRow{1, 2, "low", 3}, TestRow{2, 5, "low", 2}});  // 2 moved on
  const UndoRequests undo = Ok(grid.Undo());
  CHECK(undo.skipped == std::vector<int64_t>{2});
  REQUIRE(undo.bulk.size() == 3);
  CHECK(undo.bulk[0] == R"({"selection":{"ids":[1,6]},"change":{"location_id":1}})");
}

TEST_CASE("A bulk undo that partly fails can be undone again", "[grid][undo]") {
  RecordGrid grid;
  Setup(grid);
  BulkMoveAll(grid);
  Ok(grid.Undo());
  Ok(grid.BulkSucceeded(0, UpdatedReply({1, 2, 6}, 3)));
  CHECK(Ok(grid.BulkFailed(1)).done == false);
  CHECK(ShownString(grid, 3, "location_id") == "3");  // its request failed
  CHECK(Ok(grid.BulkSucceeded(2, UpdatedReply({4}, 3))).done);
  CHECK(grid.undo_depth() == 1);
  const UndoRequests again = Ok(grid.Undo());
  CHECK(again.bulk ==
        std::vector<std::string>{R"({"selection":{"ids":[3,5]},"change":{"location_id":2}})"});
  CHECK(again.skipped == std::vector<int64_t>{1, 2, 4, 6});  // already back
}

TEST_CASE("Undo takes the server's before values for rows never loaded", "[grid][undo]") {
  RecordGrid grid;
  Setup(grid);
  grid.SelectAllMatching();
  Ok(grid.BeginBulk(R"({"managed_by_group_id":10})"));
  Ok(grid.BulkSucceeded(
      0,
      R"({"results":[{"id":1,"outcome":"updated","version":2},)"
      R"({"id":50,"outcome":"updated","version":7,"before":{"managed_by_group_id":null,"impact":"low"}},)"
      R"({"id":51,"outcome":"updated","version":7,"before":{"impact":"low"}}]})"));
  const UndoRequests undo = Ok(grid.Undo());
  CHECK(undo.bulk == std::vector<std::string>{
                         R"({"selection":{"ids":[1,50]},"change":{"managed_by_group_id":null}})"});
}

TEST_CASE("Inline edits and bulk actions undo in reverse order", "[grid][undo]") {
  RecordGrid grid;
  Setup(grid);
  Edit(grid, 1, "high", 2);
  grid.Toggle(3);
  Ok(grid.BeginBulk(R"({"managed_by_agent_id":100})"));
  Ok(grid.BulkSucceeded(0, UpdatedReply({3}, 2)));
  grid.ClearSelection();
  Edit(grid, 5, "medium", 2);
  CHECK(grid.undo_depth() == 3);

  UndoRequests undo = Ok(grid.Undo());
  CHECK(undo.patches.at(0).id == 5);
  Ok(grid.SaveSucceeded(5, RowJson(TestRow{5, 3, "low", 2})));
  undo = Ok(grid.Undo());
  CHECK(undo.bulk == std::vector<std::string>{
                         R"({"selection":{"ids":[3]},"change":{"managed_by_agent_id":null}})"});
  CHECK(grid.Undo().error() == "wait for the change in progress to finish");
  Ok(grid.BulkSucceeded(0, UpdatedReply({3}, 3)));
  undo = Ok(grid.Undo());
  CHECK(undo.patches.at(0).id == 1);
  CHECK(PatchRequestToJson(undo.patches[0]) ==
        R"({"id":1,"field":"impact","if_match":"\"2\"","body":{"impact":"low"}})");
}

TEST_CASE("A failed bulk action leaves nothing to undo", "[grid][undo]") {
  RecordGrid grid;
  Setup(grid);
  grid.Toggle(1);
  Ok(grid.BeginBulk(R"({"impact":"high"})"));
  Ok(grid.BulkSucceeded(0, R"({"results":[{"id":1,"outcome":"forbidden"}]})"));
  CHECK(grid.undo_depth() == 0);
}
