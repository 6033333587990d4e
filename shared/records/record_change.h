// RecordChange: an edit of the four fields agents change in the asset and
// software lists (Impact, Location, Managed By Group, Managed By Agent),
// whether inline on one row or in bulk. The server and the WebAssembly
// module parse and validate changes with this same code.
//
// Every field has three states: absent (leave unchanged), null (set to
// none) or a value. "Set to none" is never the same as "leave unchanged".
// Impact is always set: it may be changed but not emptied.
//
// JSON: {"impact":"low"|"medium"|"high", "location_id":N|null,
//        "managed_by_group_id":N|null, "managed_by_agent_id":N|null}
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/core/json_value.h"
#include "shared/core/status.h"

namespace deskgate {

enum class Impact { kLow, kMedium, kHigh };
const char* ImpactName(Impact impact);  // "low", "medium", "high"
std::optional<Impact> ParseImpact(std::string_view name);

// A reference field's new value: absent, none (set && !id) or an id.
struct RefChange {
  bool set = false;
  std::optional<int64_t> id;
  bool operator==(const RefChange&) const = default;
};

struct RecordChange {
  std::optional<Impact> impact;
  RefChange location;
  RefChange group;  // managed by group
  RefChange agent;  // managed by agent
  bool empty() const { return !impact && !location.set && !group.set && !agent.set; }
  bool operator==(const RecordChange&) const = default;
};

// The editable fields of one record.
struct RecordFields {
  Impact impact = Impact::kLow;
  std::optional<int64_t> location;
  std::optional<int64_t> group;
  std::optional<int64_t> agent;
  bool operator==(const RecordFields&) const = default;
};

// The ids a change may name. Each list sorted ascending (Lookup relies on it).
struct RecordVocabulary {
  std::vector<int64_t> locations;
  std::vector<int64_t> groups;
  std::vector<int64_t> agents;
};

// Reads a reference field's value: a positive integer id (at most 2^53 - 1,
// exact in JSON numbers), or null for none. Errors name `key`. Lists use it
// for their filters too, so an id means the same everywhere.
Result<std::optional<int64_t>> ReadRecordRef(const JsonValue& value, std::string_view key);

// Parses a change from JSON text (or an already parsed object). Errors name
// the field: "location_id: must be a positive integer or null". An empty
// change is an error ("change: names no field").
Result<RecordChange> ParseRecordChange(std::string_view json);
Result<RecordChange> RecordChangeFromJson(const JsonValue& object);
std::string RecordChangeToJson(const RecordChange& change);

// Checks that every id the change names exists: "location_id: no location 42".
Status ValidateRecordChange(const RecordChange& change, const RecordVocabulary& vocabulary);

// Applies `change` to `fields`; true when any field's value differs after.
bool ApplyRecordChange(const RecordChange& change, RecordFields& fields);

// What a change did, as history and audit entries store it:
// {"impact":["low","high"],"location_id":[3,null], …} over the fields that
// differ, each [before, after].
std::string RecordFieldChangesJson(const RecordFields& before, const RecordFields& after);

// Every field of `fields` as a change object ({"impact":…,"location_id":…,
// …}): applying it puts a row back to these values (the bulk reply's
// "before", which undo sends).
class JsonWriter;
void WriteFieldsAsChange(JsonWriter& w, const RecordFields& fields);

}  // namespace deskgate
