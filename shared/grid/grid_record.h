// GridRecord: one row of the asset or software list as the server last sent
// it, and GridField: the four cells of a row that agents edit in place.
//
// The grid understands only the id, the version and the editable fields.
// Every other member (name, asset tag, publisher, updated_at, …) is kept as
// serialized JSON and handed back untouched, so one grid serves both lists.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "shared/core/json_value.h"
#include "shared/core/json_writer.h"
#include "shared/core/status.h"
#include "shared/records/record_change.h"

namespace deskgate {

enum class GridField { kImpact, kLocation, kGroup, kAgent };
constexpr int kGridFieldCount = 4;
constexpr GridField kGridFields[] = {GridField::kImpact, GridField::kLocation, GridField::kGroup,
                                     GridField::kAgent};

// The JSON key: "impact", "location_id", "managed_by_group_id", "managed_by_agent_id".
const char* GridFieldKey(GridField field);
std::optional<GridField> ParseGridField(std::string_view key);

// Whether `change` sets `field`.
bool ChangeSets(const RecordChange& change, GridField field);
// The change that sets each field `mask` sets to its value in `fields`:
// what restores `fields` after `mask` was applied.
RecordChange ProjectFields(const RecordFields& fields, const RecordChange& mask);
// Whether `fields` already hold every value `change` sets.
bool FieldsMatch(const RecordFields& fields, const RecordChange& change);
// Writes the value `fields` hold for `field`: "high", 3 or null.
void WriteFieldValue(JsonWriter& w, const RecordFields& fields, GridField field);

struct GridRecord {
  int64_t id = 0;
  int64_t version = 0;
  RecordFields fields;
  std::string extra;  // the other members: "\"name\":\"Laptop 7\",\"updated_at\":1700000000"
};

// Reads a list row: "id" (positive integer), "version" (integer >= 0) and
// "impact" are required; a missing reference field is null.
Result<GridRecord> GridRecordFromJson(const JsonValue& row);
Result<GridRecord> ParseGridRecord(std::string_view json);

// Writes the members of `record` into an open object, with the editable
// fields as `shown` (which may differ from the server's while a save is on
// its way): "id", "version", the other members, then the four fields.
void WriteRecordMembers(JsonWriter& w, const GridRecord& record, const RecordFields& shown);

}  // namespace deskgate
