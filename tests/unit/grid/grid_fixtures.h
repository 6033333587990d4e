// Helpers for the grid tests: list rows and pages in the list API's JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "shared/core/json_value.h"
#include "shared/grid/record_grid.h"

namespace deskgate::testing {

struct TestRow {
  TestRow(int64_t id = 1, int64_t version = 1, std::string impact = "low",
          std::optional<int64_t> location = {}, std::optional<int64_t> group = {},
          std::optional<int64_t> agent = {})
      : id(id),
        version(version),
        impact(std::move(impact)),
        location(location),
        group(group),
        agent(agent) {}
  int64_t id;
  int64_t version;
  std::string impact;
  std::optional<int64_t> location;
  std::optional<int64_t> group;
  std::optional<int64_t> agent;
};

inline std::string Ref(const std::optional<int64_t>& id) {
  return id ? std::to_string(*id) : "null";
}

// A list row as GET /api/assets sends it.
inline std::string RowJson(const TestRow& row) {
  return "{\"id\":" + std::to_string(row.id) + ",\"name\":\"Asset " + std::to_string(row.id) +
         "\",\"asset_tag\":\"A-" + std::to_string(row.id) + "\",\"type\":\"laptop\",\"impact\":\"" +
         row.impact + "\",\"location_id\":" + Ref(row.location) +
         ",\"managed_by_group_id\":" + Ref(row.group) +
         ",\"managed_by_agent_id\":" + Ref(row.agent) +
         ",\"version\":" + std::to_string(row.version) + ",\"updated_at\":1700000000}";
}

inline std::string PageJson(int64_t total, const std::vector<TestRow>& rows) {
  std::string json = "{\"total\":" + std::to_string(total) + ",\"rows\":[";
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) json += ',';
    json += RowJson(rows[i]);
  }
  json += "]}";
  return json;
}

// Rows with ids first_id, first_id + 1, … (version 1, impact low, nothing set).
inline std::vector<TestRow> Ids(int64_t first_id, int64_t count) {
  std::vector<TestRow> rows;
  for (int64_t i = 0; i < count; ++i) rows.push_back(TestRow{first_id + i});
  return rows;
}

inline void Load(RecordGrid& grid, int64_t offset, int64_t total,
                 const std::vector<TestRow>& rows) {
  Status s = grid.LoadPage(offset, PageJson(total, rows));
  INFO(s.message());
  REQUIRE(s.ok());
}

// A grid showing `loaded` of `total` rows, ids 1.. in order from the top.
inline void LoadFirst(RecordGrid& grid, int64_t total, int64_t loaded) {
  Load(grid, 0, total, Ids(1, loaded));
}

// The row with `id` as RowsJson shows it (it must be in the loaded order).
inline JsonValue Shown(const RecordGrid& grid, int64_t id) {
  const int64_t position = grid.PositionOf(id);
  REQUIRE(position >= 0);
  auto rows = ParseJson(grid.RowsJson(position, 1));
  REQUIRE(rows.ok());
  return rows.value().items().at(0);
}

inline std::string ShownString(const RecordGrid& grid, int64_t id, const char* key) {
  const JsonValue row = Shown(grid, id);
  const JsonValue* value = row.Find(key);
  REQUIRE(value != nullptr);
  if (value->is_null()) return "null";
  if (value->is_number()) return std::to_string(static_cast<int64_t>(value->as_number()));
  if (value->is_bool()) return value->as_bool() ? "true" : "false";
  return value->as_string();
}

inline std::string CellStateOf(const RecordGrid& grid, int64_t id, GridField field) {
  const CellEdit* cell = grid.Cell(id, field);
  return CellStateName(cell ? cell->state() : CellState::kIdle);
}

// The value of a result that must be ok (a copy, so temporaries are safe).
template <typename T>
T Ok(Result<T> result) {
  INFO((result.ok() ? std::string() : result.error()));
  REQUIRE(result.ok());
  return std::move(result).value();
}

inline void RequireOk(const Status& status) {
  INFO(status.message());
  REQUIRE(status.ok());
}

// The ids a bulk body selects by id, in order.
inline std::vector<int64_t> BodyIds(const std::string& body, const char* list = "ids") {
  auto parsed = ParseJson(body);
  REQUIRE(parsed.ok());
  const JsonValue* selection = parsed.value().Find("selection");
  REQUIRE(selection != nullptr);
  const JsonValue* ids = selection->Find(list);
  REQUIRE(ids != nullptr);
  std::vector<int64_t> out;
  for (const JsonValue& id : ids->items()) out.push_back(static_cast<int64_t>(id.as_number()));
  return out;
}

}  // namespace deskgate::testing
