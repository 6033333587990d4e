#include "shared/grid/grid_record.h"

#include <cmath>

namespace deskgate {
namespace {

struct RefMembers {
  RefChange RecordChange::*change;
  std::optional<int64_t> RecordFields::*field;
};

// The reference fields, indexed by GridField minus one (impact comes first).
constexpr RefMembers kRefs[] = {{&RecordChange::location, &RecordFields::location},
                                {&RecordChange::group, &RecordFields::group},
                                {&RecordChange::agent, &RecordFields::agent}};

const RefMembers& RefOf(GridField field) {
  return kRefs[static_cast<int>(field) - 1];
}

void WriteValue(JsonWriter& w, const JsonValue& value);

// Writes a number of a display-only member. Integers are exact; other
// numbers get at most six decimals. Why not printf("%.17g"): its
// floating-point formatting would add 12 KB to the WebAssembly module for
// members the list API does not send today.
void WriteNumber(JsonWriter& w, double n) {
  const double magnitude = std::fabs(n);
  if (magnitude >= 9.2e18) {
    w.Null();  // beyond 64 bits: no count or time the lists show
    return;
  }
  const int64_t micros = magnitude < 9e12 ? std::llround(magnitude * 1e6) : 0;
  if (std::floor(n) == n || magnitude >= 9e12 || micros % 1000000 == 0) {
    w.Int(std::llround(n));
    return;
  }
  std::string decimals = std::to_string(micros % 1000000 + 1000000).substr(1);
  while (decimals.back() == '0') decimals.pop_back();
  std::string text = n < 0 ? "-" : "";
  text += std::to_string(micros / 1000000);
  text += '.';
  text += decimals;
  w.Raw(text);
}

void WriteValue(JsonWriter& w, const JsonValue& value) {
  switch (value.type()) {
    case JsonValue::Type::kNull:
      w.Null();
      break;
    case JsonValue::Type::kBool:
      w.Bool(value.as_bool());
      break;
    case JsonValue::Type::kNumber:
      WriteNumber(w, value.as_number());
      break;
    case JsonValue::Type::kString:
      w.String(value.as_string());
      break;
    case JsonValue::Type::kArray:
      w.BeginArray();
      for (const JsonValue& item : value.items()) WriteValue(w, item);
      w.EndArray();
      break;
    case JsonValue::Type::kObject:
      w.BeginObject();
      for (const auto& [key, member] : value.members()) WriteValue(w.Key(key), member);
      w.EndObject();
      break;
  }
}

Result<int64_t> ReadInteger(const JsonValue& row, const char* key, double min) {
  const JsonValue* value = row.Find(key);
  const double n = value != nullptr && value->is_number() ? value->as_number() : -1;
  if (n < min || n > 9007199254740991.0 || std::floor(n) != n) {
    return Status::Error(std::string("row: ") + key + " must be an integer of at least " +
                         (min > 0 ? "1" : "0"));
  }
  return static_cast<int64_t>(n);
}

bool IsGridMember(std::string_view key) {
  return key == "id" || key == "version" || ParseGridField(key).has_value();
}

Status ReadFields(const JsonValue& row, RecordFields& fields) {
  const JsonValue* impact = row.Find("impact");
  const auto parsed =
      impact != nullptr && impact->is_string() ? ParseImpact(impact->as_string()) : std::nullopt;
  if (!parsed) return Status::Error("row: impact must be low, medium or high");
  fields.impact = *parsed;
  for (GridField field : {GridField::kLocation, GridField::kGroup, GridField::kAgent}) {
    const JsonValue* value = row.Find(GridFieldKey(field));
    if (value == nullptr) continue;
    auto id = ReadRecordRef(*value, GridFieldKey(field));
    if (!id.ok()) return Status::Error("row: " + id.error());
    fields.*RefOf(field).field = id.value();
  }
  return Status::Ok();
}

}  // namespace

const char* GridFieldKey(GridField field) {
  switch (field) {
    case GridField::kImpact:
      return "impact";
    case GridField::kLocation:
      return "location_id";
    case GridField::kGroup:
      return "managed_by_group_id";
    case GridField::kAgent:
      return "managed_by_agent_id";
  }
  return "impact";
}

std::optional<GridField> ParseGridField(std::string_view key) {
  for (GridField field : kGridFields) {
    if (key == GridFieldKey(field)) return field;
  }
  return std::nullopt;
}

bool ChangeSets(const RecordChange& change, GridField field) {
  if (field == GridField::kImpact) return change.impact.has_value();
  return (change.*RefOf(field).change).set;
}

RecordChange ProjectFields(const RecordFields& fields, const RecordChange& mask) {
  RecordChange out;
  if (mask.impact) out.impact = fields.impact;
  for (const RefMembers& ref : kRefs) {
    if ((mask.*ref.change).set) out.*ref.change = RefChange{true, fields.*ref.field};
  }
  return out;
}

bool FieldsMatch(const RecordFields& fields, const RecordChange& change) {
  RecordFields after = fields;
  return !ApplyRecordChange(change, after);
}

void WriteFieldValue(JsonWriter& w, const RecordFields& fields, GridField field) {
  if (field == GridField::kImpact) {
    w.String(ImpactName(fields.impact));
    return;
  }
  w.OptionalInt(fields.*RefOf(field).field);
}

Result<GridRecord> GridRecordFromJson(const JsonValue& row) {
  if (!row.is_object()) return Status::Error("row: must be a JSON object");
  GridRecord record;
  auto id = ReadInteger(row, "id", 1);
  if (!id.ok()) return id.status();
  auto version = ReadInteger(row, "version", 0);
  if (!version.ok()) return version.status();
  record.id = id.value();
  record.version = version.value();
  if (Status s = ReadFields(row, record.fields); !s.ok()) return s;
  JsonWriter extra;
  for (const auto& [key, member] : row.members()) {
    if (!IsGridMember(key)) WriteValue(extra.Key(key), member);
  }
  record.extra = extra.Take();
  return record;
}

Result<GridRecord> ParseGridRecord(std::string_view json) {
  auto parsed = ParseJson(json);
  if (!parsed.ok()) return Status::Error("row: " + parsed.error());
  return GridRecordFromJson(parsed.value());
}

void WriteRecordMembers(JsonWriter& w, const GridRecord& record, const RecordFields& shown) {
  w.Key("id").Int(record.id).Key("version").Int(record.version);
  if (!record.extra.empty()) w.Raw(record.extra);
  for (GridField field : kGridFields) WriteFieldValue(w.Key(GridFieldKey(field)), shown, field);
}

}  // namespace deskgate
