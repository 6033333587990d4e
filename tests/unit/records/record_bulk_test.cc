// Bulk actions: the request built from the selection, optimistic values on
// the loaded selected rows, and reconciliation with per-row outcomes.
#include "shared/records/record_bulk.h"

#include <catch2/catch.hpp>

#include "tests/unit/grid/grid_fixtures.h"

using namespace deskgate;
using namespace deskgate::testing;

namespace {

// Rows 1..6 with locations 1, 1, 3, none, 2, 1 (version 1).
void Setup(RecordGrid& grid) {
  RequireOk(grid.SetVocabulary(R"({"locations":[1,2,3],"groups":[10,20],"agents":[100]})"));
  Load(grid, 0, 6,
       {TestRow{1, 1, "low", 1}, TestRow{2, 1, "low", 1}, TestRow{3, 1, "low", 3},
        TestRow{4, 1, "low"}, TestRow{5, 1, "low", 2}, TestRow{6, 1, "low", 1}});
}

std::string Reply(const std::string& results) {
  return "{\"results\":[" + results + "]}";
}

std::string Report(RecordGrid& grid, int part, const std::string& results) {
  return BulkReportToJson(Ok(grid.BulkSucceeded(part, Reply(results))));
}

}  // namespace

TEST_CASE("A bulk request by ids lists the picked rows", "[grid][bulk]") {
  RecordGrid grid;
  Setup(grid);
  CHECK(grid.BulkRequest(R"({"location_id":3})").error() == "selection: no rows are selected");
  grid.Toggle(2);
  grid.Toggle(5);
  CHECK(Ok(grid.BulkRequest(R"({"location_id":3})")) ==
        R"({"selection":{"ids":[2,5]},"change":{"location_id":3}})");
  CHECK(Ok(grid.BulkRequest(R"({"managed_by_agent_id":null})")) ==
        R"({"selection":{"ids":[2,5]},"change":{"managed_by_agent_id":null}})");
  CHECK(grid.BulkRequest(R"({"location_id":42})").error() == "location_id: no location 42");
  CHECK(grid.BulkRequest("{}").error() == "change: names no field");
  CHECK(grid.BulkRequest(R"({"impact":null})").error() ==
        "impact: cannot be none; pick low, medium or high");
  CHECK_FALSE(grid.bulk_pending());  // building a request changes nothing
}

TEST_CASE("A bulk request over everything matching sends the filter and exceptions",
          "[grid][bulk]") {
  RecordGrid grid;
  CHECK(Ok(grid.SetQuery(R"({"q":"lap","impact":"low","managed_by_group_id":null})")));
  Setup(grid);
  grid.SelectAllMatching();
  CHECK(
      Ok(grid.BulkRequest(R"({"managed_by_group_id":20})")) ==
      R"({"selection":{"filter":{"q":"lap","impact":"low","managed_by_group_id":null},"except":[]},"change":{"managed_by_group_id":20}})");
  grid.Toggle(4);
  grid.Toggle(5);
  CHECK(BodyIds(Ok(grid.BulkRequest(R"({"impact":"high"})")), "except") ==
        std::vector<int64_t>{4, 5});
}

TEST_CASE("Outcomes settle each row", "[grid][bulk]") {
  RecordGrid grid;
  Setup(grid);
  grid.SetRange(0, 4, true);
  grid.Toggle(6);
  const std::string body = Ok(grid.BeginBulk(R"({"location_id":3})"));
  CHECK(BodyIds(body) == std::vector<int64_t>{1, 2, 3, 4, 6});
  CHECK(grid.bulk_pending());
  for (int64_t id : {1, 2, 3, 4, 6}) CHECK(ShownString(grid, id, "location_id") == "3");
  CHECK(ShownString(grid, 5, "location_id") == "2");  // not selected
  CHECK(grid.BeginBulk(R"({"impact":"high"})").error() ==
        "wait for the change in progress to finish");
  CHECK(grid.CommitEdit(1, GridField::kImpact, "\"high\"").error() ==
        "wait for the change in progress to finish");

  CHECK(
      Report(grid, 0,
             R"({"id":1,"outcome":"updated","version":2},{"id":2,"outcome":"updated","version":2},)"
             R"({"id":3,"outcome":"unchanged","version":1},{"id":4,"outcome":"not_found"},)"
             R"({"id":6,"outcome":"forbidden","version":1})") ==
      R"({"done":true,"updated":2,"unchanged":1,"not_found":1,"forbidden":1,"conflict":0,"not_undoable":0,"problems":[{"id":4,"outcome":"not_found"},{"id":6,"outcome":"forbidden"}]})");
  CHECK_FALSE(grid.bulk_pending());
  CHECK(ShownString(grid, 1, "location_id") == "3");
  CHECK(ShownString(grid, 1, "version") == "2");
  CHECK(ShownString(grid, 3, "version") == "1");
  CHECK_FALSE(grid.Holds(4));  // gone
  CHECK(grid.selected_count() == 4);
  CHECK(ShownString(grid, 6, "location_id") == "1");  // rolled back
  CHECK(ShownString(grid, 6, "refused") == "forbidden");
  CHECK(grid.undo_depth() == 1);

  // The marks last until the next bulk action.
  grid.ClearSelection();
  grid.Toggle(5);
  Ok(grid.BeginBulk(R"({"impact":"high"})"));
  CHECK(Shown(grid, 6).Find("refused") == nullptr);
}

TEST_CASE("A bulk action that fails as a whole rolls every row back", "[grid][bulk]") {
  RecordGrid grid;
  Setup(grid);
  grid.SetRange(0, 6, true);
  Ok(grid.BeginBulk(R"({"impact":"high"})"));
  CHECK(ShownString(grid, 2, "impact") == "high");
  CHECK(
      BulkReportToJson(Ok(grid.BulkFailed(0))) ==
      R"({"done":true,"updated":0,"unchanged":0,"not_found":0,"forbidden":0,"conflict":0,"not_undoable":0,"problems":[]})");
  CHECK_FALSE(grid.bulk_pending());
  CHECK(ShownString(grid, 2, "impact") == "low");
  CHECK(grid.undo_depth() == 0);
  CHECK(grid.selected_count() == 6);  // the selection stays for a retry
}

TEST_CASE("Rows missing from the reply, or refused with a conflict, go back", "[grid][bulk]") {
  RecordGrid grid;
  Setup(grid);
  grid.SetRange(0, 3, true);
  Ok(grid.BeginBulk(R"({"managed_by_group_id":10})"));
  Report(grid, 0,
         R"({"id":1,"outcome":"updated","version":2},{"id":2,"outcome":"conflict","version":3})");
  CHECK(ShownString(grid, 1, "managed_by_group_id") == "10");
  CHECK(ShownString(grid, 2, "managed_by_group_id") == "null");
  CHECK(ShownString(grid, 2, "refused") == "conflict");
  CHECK(ShownString(grid, 3, "managed_by_group_id") == "null");
}

TEST_CASE("All matching shows the change on loaded rows except the exclusions", "[grid][bulk]") {
  RecordGrid grid;
  Setup(grid);
  Load(grid, 0, 1000, {TestRow{1, 1, "low", 1}, TestRow{2, 1, "low", 1}});  // 998 not loaded
  grid.SelectAllMatching();
  grid.Toggle(2);
  CHECK(grid.selected_count() == 999);
  Ok(grid.BeginBulk(R"({"impact":"medium"})"));
  CHECK(ShownString(grid, 1, "impact") == "medium");
  CHECK(ShownString(grid, 2, "impact") == "low");
  CHECK(
      Report(grid, 0,
             R"({"id":1,"outcome":"updated","version":2},)"
             R"({"id":77,"outcome":"updated","version":9,"before":{"impact":"high"}},)"
             R"({"id":78,"outcome":"updated","version":9})") ==
      R"({"done":true,"updated":3,"unchanged":0,"not_found":0,"forbidden":0,"conflict":0,"not_undoable":1,"problems":[]})");
  CHECK(ShownString(grid, 1, "impact") == "medium");
  CHECK_FALSE(grid.Holds(77));  // replies about rows not loaded change no row
  CHECK(grid.undo_depth() == 1);
}

TEST_CASE("A reply older than the held row does not roll it back", "[grid][bulk]") {
  RecordGrid grid;
  Setup(grid);
  grid.Toggle(1);
  Ok(grid.BeginBulk(R"({"impact":"high"})"));
  Load(grid, 0, 6, {TestRow{1, 5, "medium", 1}});  // a refresh saw a later edit
  Report(grid, 0, R"({"id":1,"outcome":"updated","version":2})");
  CHECK(ShownString(grid, 1, "impact") == "medium");
  CHECK(ShownString(grid, 1, "version") == "5");
}

TEST_CASE("Replies must match a request and be well formed", "[grid][bulk]") {
  RecordGrid grid;
  Setup(grid);
  CHECK(grid.BulkSucceeded(0, Reply("")).error() == "no bulk request 0 is waiting for a reply");
  CHECK(grid.BulkFailed(0).error() == "no bulk request 0 is waiting for a reply");
  grid.Toggle(1);
  Ok(grid.BeginBulk(R"({"impact":"high"})"));
  CHECK(grid.BulkSucceeded(1, Reply("")).error() == "no bulk request 1 is waiting for a reply");
  CHECK(grid.BulkSucceeded(0, "{}").error() == "results: missing");
  CHECK(grid.BulkSucceeded(0, Reply(R"({"id":1,"outcome":"done"})")).error() ==
        "results: unknown outcome");
  CHECK(grid.BulkSucceeded(0, Reply(R"({"id":0,"outcome":"updated"})")).error() ==
        "results: id must be a positive integer");
  CHECK(grid.BulkSucceeded(0, Reply(R"({"id":1,"outcome":"updated","version":-1})")).error() ==
        "results: version must be a non-negative integer");
  CHECK(grid.BulkSucceeded(0, Reply(R"({"id":1,"outcome":"updated","before":{}})")).error() ==
        "results: before: change: names no field");
  CHECK(grid.bulk_pending());  // still waiting for a usable reply
  CHECK(ShownString(grid, 1, "impact") == "high");
  Report(grid, 0, R"({"id":1,"outcome":"updated","version":2})");
  CHECK(grid.BulkSucceeded(0, Reply("")).error() == "no bulk request 0 is waiting for a reply");
}

TEST_CASE("Bulk results parse with their counts ignored", "[grid][bulk]") {
  auto results = Ok(ParseBulkResults(
      R"({"results":[{"id":1,"outcome":"updated","version":5},{"id":2,"outcome":"unchanged"},{"id":3,"outcome":"not_found"},{"id":9,"outcome":"forbidden"}],"updated":1,"unchanged":1,"not_found":1,"forbidden":1})"));
  REQUIRE(results.size() == 4);
  CHECK(results[0].outcome == BulkOutcome::kUpdated);
  CHECK(results[0].version == 5);
  CHECK(results[3].id == 9);
  CHECK(results[3].outcome == BulkOutcome::kForbidden);
  CHECK_FALSE(results[1].before.has_value());
  CHECK(ParseBulkResults("[]").error() == "results: missing");
}

TEST_CASE("A summarised bulk reply reports its counts and first failures, with nothing to undo",
          "[grid][bulk]") {
  RecordGrid grid;
  Setup(grid);
  grid.SelectAllMatching();
  Ok(grid.BeginBulk(R"({"impact":"high"})"));
  const std::string summary =
      R"({"summary":true,"updated":20000,"unchanged":5,"not_found":0,"forbidden":2,)"
      R"("failures":[{"id":4,"outcome":"forbidden"},{"id":60000,"outcome":"forbidden"}],)"
      R"("failures_total":2,"outcomes":"/api/assets/bulk/outcomes/x.csv"})";
  CHECK(BulkReportToJson(Ok(grid.BulkSucceeded(0, summary))) ==
        R"({"done":true,"updated":20000,"unchanged":5,"not_found":0,"forbidden":2,"conflict":0,)"
        R"("not_undoable":0,"summarised":true,"problems_total":2,)"
        R"("problems":[{"id":4,"outcome":"forbidden"},{"id":60000,"outcome":"forbidden"}]})");
  CHECK_FALSE(grid.bulk_pending());
  CHECK(grid.Undo().error() == "nothing to undo");
  // Malformed summaries are refused whole.
  for (const char* bad : {R"({"summary":true,"updated":1,"failures":{},"failures_total":0})",
                          R"({"summary":true,"updated":-1,"failures":[],"failures_total":0})",
                          R"({"summary":true,"updated":1,"failures":[]})"}) {
    INFO(bad);
    CHECK_FALSE(ParseBulkReply(bad).ok());
  }
  CHECK(ParseBulkResults(summary).error() == "results: the reply is a summary");
}
