#include "shared/records/record_change.h"

#include <algorithm>
#include <cmath>

#include "shared/core/json_fields.h"
#include "shared/core/json_writer.h"

namespace deskgate {
namespace {

constexpr double kMaxId = 9007199254740991.0;  // 2^53 - 1: exact in JSON numbers

struct RefField {
  const char* key;
  const char* noun;  // for "no location 42"
  RefChange RecordChange::*change;
  std::vector<int64_t> RecordVocabulary::*known;
  std::optional<int64_t> RecordFields::*field;
};

constexpr RefField kRefFields[] = {
    {"location_id", "location", &RecordChange::location, &RecordVocabulary::locations,
     &RecordFields::location},
    {"managed_by_group_id", "group", &RecordChange::group, &RecordVocabulary::groups,
     &RecordFields::group},
    {"managed_by_agent_id", "agent", &RecordChange::agent, &RecordVocabulary::agents,
     &RecordFields::agent},
};

}  // namespace

Result<std::optional<int64_t>> ReadRecordRef(const JsonValue& value, std::string_view key) {
  if (value.is_null()) return std::optional<int64_t>();
  const double n = value.is_number() ? value.as_number() : 0;
  if (!value.is_number() || n < 1 || n > kMaxId || std::floor(n) != n) {
    return Status::Error(std::string(key) + ": must be a positive integer or null");
  }
  return std::optional<int64_t>(static_cast<int64_t>(n));
}

const char* ImpactName(Impact impact) {
  switch (impact) {
    case Impact::kLow:
      return "low";
    case Impact::kMedium:
      return "medium";
    case Impact::kHigh:
      return "high";
  }
  return "low";
}

std::optional<Impact> ParseImpact(std::string_view name) {
  for (Impact i : {Impact::kLow, Impact::kMedium, Impact::kHigh}) {
    if (name == ImpactName(i)) return i;
  }
  return std::nullopt;
}

Result<RecordChange> RecordChangeFromJson(const JsonValue& object) {
  Status s = CheckObject(object, "change",
                         {"impact", "location_id", "managed_by_group_id", "managed_by_agent_id"});
  if (!s.ok()) return s;
  RecordChange change;
  if (const JsonValue* impact = object.Find("impact")) {
    if (impact->is_null()) return Status::Error("impact: cannot be none; pick low, medium or high");
    const auto parsed = impact->is_string() ? ParseImpact(impact->as_string()) : std::nullopt;
    if (!parsed) return Status::Error("impact: must be low, medium or high");
    change.impact = parsed;
  }
  for (const RefField& f : kRefFields) {
    if (const JsonValue* value = object.Find(f.key)) {
      auto id = ReadRecordRef(*value, f.key);
      if (!id.ok()) return id.status();
      change.*f.change = RefChange{true, id.value()};
    }
  }
  if (change.empty()) return Status::Error("change: names no field");
  return change;
}

Result<RecordChange> ParseRecordChange(std::string_view json) {
  auto parsed = ParseJson(json);
  if (!parsed.ok()) return Status::Error("change: " + parsed.error());
  return RecordChangeFromJson(parsed.value());
}

std::string RecordChangeToJson(const RecordChange& change) {
  JsonWriter w;
  w.BeginObject();
  if (change.impact) w.Key("impact").String(ImpactName(*change.impact));
  for (const RefField& f : kRefFields) {
    const RefChange& ref = change.*f.change;
    if (!ref.set) continue;
    w.Key(f.key);
    if (ref.id) {
      w.Int(*ref.id);
    } else {
      w.Null();
    }
  }
  w.EndObject();
  return w.Take();
}

std::string RecordFieldChangesJson(const RecordFields& before, const RecordFields& after) {
  JsonWriter w;
  w.BeginObject();
  if (before.impact != after.impact) {
    w.Key("impact").BeginArray().String(ImpactName(before.impact));
    w.String(ImpactName(after.impact)).EndArray();
  }
  for (const RefField& f : kRefFields) {
    if (before.*f.field == after.*f.field) continue;
    w.Key(f.key).BeginArray();
    w.OptionalInt(before.*f.field);
    w.OptionalInt(after.*f.field);
    w.EndArray();
  }
  w.EndObject();
  return w.Take();
}

void WriteFieldsAsChange(JsonWriter& w, const RecordFields& fields) {
  w.BeginObject().Key("impact").String(ImpactName(fields.impact));
  for (const RefField& f : kRefFields) {
    w.Key(f.key);
    w.OptionalInt(fields.*f.field);
  }
  w.EndObject();
}

Status ValidateRecordChange(const RecordChange& change, const RecordVocabulary& vocabulary) {
  for (const RefField& f : kRefFields) {
    const RefChange& ref = change.*f.change;
    if (!ref.set || !ref.id) continue;
    const std::vector<int64_t>& known = vocabulary.*f.known;
    if (!std::binary_search(known.begin(), known.end(), *ref.id)) {
      return Status::Error(std::string(f.key) + ": no " + f.noun + " " + std::to_string(*ref.id));
    }
  }
  return Status::Ok();
}

bool ApplyRecordChange(const RecordChange& change, RecordFields& fields) {
  const RecordFields before = fields;
  if (change.impact) fields.impact = *change.impact;
  for (const RefField& f : kRefFields) {
    const RefChange& ref = change.*f.change;
    if (ref.set) fields.*f.field = ref.id;
  }
  return !(fields == before);
}

}  // namespace deskgate
