// Inline edits: every transition of a cell, optimistic values and their
// rollback, conflicts, validation with the server's rules, and saves of one
// row queued behind each other.
#include "shared/grid/grid_cell.h"

#include <catch2/catch.hpp>

#include "tests/unit/grid/grid_fixtures.h"

using namespace deskgate;
using namespace deskgate::testing;

namespace {

RecordChange Change(const char* json) {
  return Ok(ParseRecordChange(json));
}

// A grid holding rows 1..3 (version 4, impact low, location 1).
void Setup(RecordGrid& grid) {
  RequireOk(grid.SetVocabulary(R"({"locations":[1,2,3],"groups":[10],"agents":[100]})"));
  Load(grid, 0, 3, {TestRow{1, 4, "low", 1}, TestRow{2, 4, "low", 1}, TestRow{3, 4, "low", 1}});
}

PatchRequest Commit(RecordGrid& grid, int64_t id, GridField field, const char* value) {
  auto request = Ok(grid.CommitEdit(id, field, value));
  REQUIRE(request.has_value());
  return *request;
}

}  // namespace

TEST_CASE("CellEdit allows exactly the documented transitions", "[grid][edit]") {
  const RecordChange high = Change(R"({"impact":"high"})");
  const RecordChange low = Change(R"({"impact":"low"})");
  CellEdit cell;
  CHECK(cell.state() == CellState::kIdle);
  CHECK_FALSE(cell.Cancel().ok());   // idle: nothing to cancel
  CHECK_FALSE(cell.Succeed().ok());  // no save out
  CHECK(cell.Dismiss().ok());        // idle stays idle
  CHECK(cell.Begin().ok());
  CHECK(cell.state() == CellState::kEditing);
  CHECK(cell.Begin().ok());  // already editing
  CHECK_FALSE(cell.Dismiss().ok());
  CHECK(cell.Cancel().ok());
  CHECK(cell.state() == CellState::kIdle);

  CHECK(cell.Commit(high, low, false).ok());
  CHECK(cell.state() == CellState::kSaving);
  CHECK_FALSE(cell.Begin().ok());
  CHECK_FALSE(cell.Commit(high, low, false).ok());
  CHECK_FALSE(cell.Dismiss().ok());
  CHECK_FALSE(cell.Succeed().ok());  // queued, not sent
  cell.mark_sent();
  CHECK(cell.Succeed().ok());
  CHECK(cell.state() == CellState::kSaved);
  CHECK(cell.attempted() == high);
  CHECK(cell.restore() == low);
  CHECK(cell.Dismiss().ok());
  CHECK(cell.state() == CellState::kIdle);

  CHECK(cell.Commit(high, low, false).ok());
  cell.mark_sent();
  CHECK(cell.Fail("network down").ok());
  CHECK(cell.state() == CellState::kFailed);
  CHECK(cell.message() == "network down");
  CHECK(cell.Begin().ok());  // edit again from failed
  CHECK(cell.Commit(high, low, true).ok());
  CHECK(cell.is_undo());
  CHECK(cell.message().empty());
  cell.mark_sent();
  CHECK(cell.Conflict("changed by someone else").ok());
  CHECK(cell.state() == CellState::kConflict);
  CHECK(cell.Commit(high, low, false).ok());  // retry from conflict
  cell.mark_sent();
  CHECK(cell.Fail("no").ok());
  CHECK(cell.Dismiss().ok());
  CHECK(cell.state() == CellState::kIdle);
  CHECK(std::string(CellStateName(CellState::kConflict)) == "conflict");
}

TEST_CASE("Begin and cancel an edit", "[grid][edit]") {
  RecordGrid grid;
  Setup(grid);
  RequireOk(grid.BeginEdit(1, GridField::kImpact));
  CHECK(CellStateOf(grid, 1, GridField::kImpact) == "editing");
  CHECK(Shown(grid, 1).Find("cells")->Find("impact")->Find("state")->as_string() == "editing");
  RequireOk(grid.CancelEdit(1, GridField::kImpact));
  CHECK(CellStateOf(grid, 1, GridField::kImpact) == "idle");
  CHECK(Shown(grid, 1).Find("cells") == nullptr);
  CHECK(grid.CancelEdit(1, GridField::kImpact).message() == "the cell is not being edited");
  CHECK(grid.BeginEdit(99, GridField::kImpact).message() == "row 99 is not loaded");
}

TEST_CASE("A commit shows the value at once and sends a guarded PATCH", "[grid][edit]") {
  RecordGrid grid;
  Setup(grid);
  RequireOk(grid.BeginEdit(2, GridField::kLocation));
  const PatchRequest request = Commit(grid, 2, GridField::kLocation, "3");
  CHECK(request.id == 2);
  CHECK(request.version == 4);
  CHECK(PatchRequestToJson(request) ==
        R"({"id":2,"field":"location_id","if_match":"\"4\"","body":{"location_id":3}})");
  CHECK(CellStateOf(grid, 2, GridField::kLocation) == "saving");
  CHECK(ShownString(grid, 2, "location_id") == "3");  // optimistic
  CHECK(Shown(grid, 2).Find("cells")->Find("location_id")->Find("value")->as_number() == 3);

  auto next = Ok(grid.SaveSucceeded(2, RowJson(TestRow{2, 5, "low", 3})));
  CHECK_FALSE(next.has_value());
  CHECK(CellStateOf(grid, 2, GridField::kLocation) == "saved");
  CHECK(ShownString(grid, 2, "version") == "5");
  CHECK(ShownString(grid, 2, "location_id") == "3");
  RequireOk(grid.Dismiss(2, GridField::kLocation));
  CHECK(CellStateOf(grid, 2, GridField::kLocation) == "idle");
  CHECK(grid.undo_depth() == 1);
}

TEST_CASE("A group-scoped editor: rows outside their groups are shown, not edited",
          "[grid][edit]") {
  RecordGrid grid;
  RequireOk(grid.SetVocabulary(R"({"locations":[1],"groups":[10,11],"agents":[100]})"));
  Load(grid, 0, 2, {TestRow{1, 4, "low", 1, 10}, TestRow{2, 4, "low", 1, 11}});
  CHECK(Shown(grid, 2).Find("editable") == nullptr);  // no scope yet: the server decides
  RequireOk(grid.SetEditScope(R"({"all":false,"groups":[10]})"));
  CHECK(grid.Editable(1));
  CHECK_FALSE(grid.Editable(2));
  CHECK(Shown(grid, 1).Find("editable") == nullptr);
  CHECK(Shown(grid, 2).Find("editable")->as_bool() == false);
  Status refused = grid.BeginEdit(2, GridField::kImpact);
  CHECK(refused.code() == StatusCode::kPermissionDenied);
  CHECK(refused.message() == kOutsideEditScope);

  // Handing row 1 to group 11 fails in the page, with the reason, and sends nothing.
  RequireOk(grid.BeginEdit(1, GridField::kGroup));
  CHECK_FALSE(Ok(grid.CommitEdit(1, GridField::kGroup, "11")).has_value());
  CHECK(CellStateOf(grid, 1, GridField::kGroup) == "failed");
  CHECK(Shown(grid, 1).Find("cells")->Find("managed_by_group_id")->Find("message")->as_string() ==
        kLeavesEditScope);
  CHECK(Shown(grid, 1).Find("managed_by_group_id")->as_number() == 10);  // kept
  // Within the scope a change is sent as usual.
  CHECK(Commit(grid, 1, GridField::kImpact, "\"high\"").version == 4);

  RequireOk(grid.SetEditScope(R"({"all":true})"));
  CHECK(grid.Editable(2));
  CHECK_FALSE(grid.SetEditScope(R"({"groups":[1]})").ok());
  CHECK_FALSE(grid.SetEditScope(R"({"all":false,"groups":["x"]})").ok());
}

TEST_CASE("A failed save rolls back and keeps the reason", "[grid][edit]") {
  RecordGrid grid;
  Setup(grid);
  Commit(grid, 1, GridField::kImpact, "\"high\"");
  CHECK(ShownString(grid, 1, "impact") == "high");
  CHECK_FALSE(Ok(grid.SaveFailed(1, "You may not edit this asset.")).has_value());
  CHECK(CellStateOf(grid, 1, GridField::kImpact) == "failed");
  CHECK(ShownString(grid, 1, "impact") == "low");  // rolled back
  const JsonValue cell = *Shown(grid, 1).Find("cells")->Find("impact");
  CHECK(cell.Find("state")->as_string() == "failed");
  CHECK(cell.Find("value")->as_string() == "high");
  CHECK(cell.Find("message")->as_string() == "You may not edit this asset.");
  CHECK(grid.undo_depth() == 0);
  // Retry straight from failed.
  const PatchRequest retry = Commit(grid, 1, GridField::kImpact, "\"high\"");
  CHECK(retry.version == 4);
  CHECK(grid.SaveFailed(1, "again").ok());
  RequireOk(grid.Dismiss(1, GridField::kImpact));
  CHECK(Shown(grid, 1).Find("cells") == nullptr);
}

TEST_CASE("A conflict shows the server's current row and the attempt", "[grid][edit]") {
  RecordGrid grid;
  Setup(grid);
  Commit(grid, 3, GridField::kGroup, "10");
  const std::string body = R"({"error":"Someone else changed this asset.","current":)" +
                           RowJson(TestRow{3, 7, "medium", 2}) + "}";
  CHECK_FALSE(Ok(grid.SaveConflict(3, body)).has_value());
  CHECK(CellStateOf(grid, 3, GridField::kGroup) == "conflict");
  CHECK(ShownString(grid, 3, "version") == "7");  // the server's row replaced ours
  CHECK(ShownString(grid, 3, "impact") == "medium");
  CHECK(ShownString(grid, 3, "managed_by_group_id") == "null");
  const JsonValue cell = *Shown(grid, 3).Find("cells")->Find("managed_by_group_id");
  CHECK(cell.Find("value")->as_number() == 10);
  CHECK(cell.Find("message")->as_string() == "Someone else changed this asset.");
  // Keeping mine: commit again, now against the current version.
  CHECK(Commit(grid, 3, GridField::kGroup, "10").version == 7);
  CHECK(grid.SaveConflict(3, "{}").error() == "conflict: the reply has no current row");
  CHECK(CellStateOf(grid, 3, GridField::kGroup) == "saving");  // a bad reply changes nothing
}

TEST_CASE("Commits are checked with the server's rules", "[grid][edit]") {
  RecordGrid grid;
  Setup(grid);
  CHECK(grid.CommitEdit(1, GridField::kImpact, "null").error() ==
        "impact: cannot be none; pick low, medium or high");
  CHECK(grid.CommitEdit(1, GridField::kImpact, "\"urgent\"").error() ==
        "impact: must be low, medium or high");
  CHECK(grid.CommitEdit(1, GridField::kLocation, "42").error() == "location_id: no location 42");
  CHECK(grid.CommitEdit(1, GridField::kAgent, "\"7\"").error() ==
        "managed_by_agent_id: must be a positive integer or null");
  CHECK(grid.CommitEdit(1, GridField::kAgent, "7,\"impact\":\"high\"")
            .error()
            .rfind("managed_by_agent_id: ", 0) == 0);
  CHECK(grid.CommitEdit(9, GridField::kImpact, "\"high\"").error() == "row 9 is not loaded");
  CHECK(CellStateOf(grid, 1, GridField::kImpact) == "idle");
  // Setting none is a real change, distinct from leaving the field alone.
  CHECK(PatchRequestToJson(Commit(grid, 1, GridField::kLocation, "null")) ==
        R"({"id":1,"field":"location_id","if_match":"\"4\"","body":{"location_id":null}})");
}

TEST_CASE("Committing the current value sends nothing", "[grid][edit]") {
  RecordGrid grid;
  Setup(grid);
  RequireOk(grid.BeginEdit(1, GridField::kLocation));
  CHECK_FALSE(Ok(grid.CommitEdit(1, GridField::kLocation, "1")).has_value());
  CHECK(CellStateOf(grid, 1, GridField::kLocation) == "idle");
  CHECK(grid.undo_depth() == 0);
}

TEST_CASE("Replies without a save out, or for another row, are refused", "[grid][edit]") {
  RecordGrid grid;
  Setup(grid);
  CHECK(grid.SaveSucceeded(1, RowJson(TestRow{1, 5})).error() == "row 1 has no save out");
  CHECK(grid.SaveFailed(1, "x").error() == "row 1 has no save out");
  Commit(grid, 1, GridField::kImpact, "\"high\"");
  CHECK(grid.SaveSucceeded(1, RowJson(TestRow{2, 5})).error() ==
        "row: the reply is for another row");
  CHECK(grid.SaveSucceeded(1, "{").error().rfind("row: ", 0) == 0);
  CHECK(CellStateOf(grid, 1, GridField::kImpact) == "saving");
  CHECK(grid.CommitEdit(1, GridField::kImpact, "\"low\"").error() == "the cell is being saved");
  CHECK(grid.BeginEdit(1, GridField::kImpact).message() == "the cell is being saved");
  CHECK(grid.Dismiss(1, GridField::kImpact).message() == "the cell is still being edited or saved");
}

TEST_CASE("A second save of a row waits for the first and uses its version", "[grid][edit]") {
  RecordGrid grid;
  Setup(grid);
  Commit(grid, 1, GridField::kImpact, "\"high\"");
  CHECK_FALSE(Ok(grid.CommitEdit(1, GridField::kAgent, "100")).has_value());  // queued
  CHECK(CellStateOf(grid, 1, GridField::kAgent) == "saving");
  CHECK(ShownString(grid, 1, "managed_by_agent_id") == "100");
  CHECK(ShownString(grid, 1, "impact") == "high");
  auto next = Ok(grid.SaveSucceeded(1, RowJson(TestRow{1, 5, "high", 1})));
  REQUIRE(next.has_value());
  CHECK(
      PatchRequestToJson(*next) ==
      R"({"id":1,"field":"managed_by_agent_id","if_match":"\"5\"","body":{"managed_by_agent_id":100}})");
  // Another row is independent.
  CHECK(Commit(grid, 2, GridField::kImpact, "\"medium\"").version == 4);
  auto last = Ok(grid.SaveFailed(1, "Forbidden"));
  CHECK_FALSE(last.has_value());
  CHECK(CellStateOf(grid, 1, GridField::kAgent) == "failed");
  CHECK(CellStateOf(grid, 1, GridField::kImpact) == "saved");
  CHECK(ShownString(grid, 1, "managed_by_agent_id") == "null");
}

TEST_CASE("Cells being edited keep their rows through a query change", "[grid][edit]") {
  RecordGrid grid;
  Setup(grid);
  Commit(grid, 2, GridField::kImpact, "\"high\"");
  CHECK(Ok(grid.SetQuery(R"({"q":"other"})")));
  CHECK(grid.Holds(2));
  CHECK_FALSE(grid.Holds(1));
  CHECK_FALSE(Ok(grid.SaveSucceeded(2, RowJson(TestRow{2, 5, "high", 1}))).has_value());
  CHECK(grid.undo_depth() == 1);
}

TEST_CASE("A removed row forgets its cells", "[grid][edit]") {
  RecordGrid grid;
  Setup(grid);
  Commit(grid, 1, GridField::kImpact, "\"high\"");
  grid.RemoveRow(1);
  CHECK(grid.Cell(1, GridField::kImpact) == nullptr);
  CHECK(grid.SaveSucceeded(1, RowJson(TestRow{1, 5})).error() == "row 1 has no save out");
}
