#include "shared/core/json_fields.h"

#include <algorithm>
#include <cmath>

namespace deskgate {
namespace {

Status FieldError(std::string_view key, const std::string& what) {
  return Status::Error(std::string(key) + ": " + what);
}

}  // namespace

Status CheckObject(const JsonValue& value, std::string_view what,
                   std::initializer_list<std::string_view> known_keys) {
  if (!value.is_object()) return Status::Error(std::string(what) + ": must be a JSON object");
  for (const auto& [key, member] : value.members()) {
    if (std::find(known_keys.begin(), known_keys.end(), key) == known_keys.end()) {
      return Status::Error(std::string(what) + ": unknown field \"" + key + "\"");
    }
  }
  return Status::Ok();
}

Result<JsonValue> ParseObject(std::string_view json, std::string_view what,
                              std::initializer_list<std::string_view> known_keys) {
  auto parsed = ParseJson(json);
  if (!parsed.ok()) return Status::Error(std::string(what) + ": " + parsed.error());
  if (Status s = CheckObject(parsed.value(), what, known_keys); !s.ok()) return s;
  return parsed;
}

Status ReadBool(const JsonValue& object, std::string_view key, bool& out) {
  const JsonValue* v = object.Find(key);
  if (v == nullptr) return Status::Ok();
  if (!v->is_bool()) return FieldError(key, "must be true or false");
  out = v->as_bool();
  return Status::Ok();
}

Status ReadInt(const JsonValue& object, std::string_view key, FieldRange range, int& out) {
  const JsonValue* v = object.Find(key);
  if (v == nullptr) return Status::Ok();
  // 12.0 is accepted as 12; 12.5, "12" and true are not. The range check
  // comes before the cast so no out-of-range double is ever converted.
  const double n = v->is_number() ? v->as_number() : 0.5;
  if (!(n >= range.min && n <= range.max) || n != static_cast<int>(n)) {
    return FieldError(key, "must be an integer from " + std::to_string(range.min) + " to " +
                               std::to_string(range.max));
  }
  out = static_cast<int>(n);
  return Status::Ok();
}

Status ReadString(const JsonValue& object, std::string_view key, size_t max_bytes,
                  std::string& out) {
  const JsonValue* v = object.Find(key);
  if (v == nullptr || v->is_null()) return Status::Ok();
  if (!v->is_string()) return FieldError(key, "must be a string");
  if (v->as_string().size() > max_bytes) {
    return FieldError(key, "must be at most " + std::to_string(max_bytes) + " bytes");
  }
  out = v->as_string();
  return Status::Ok();
}

std::optional<int64_t> AsId(const JsonValue& value) {
  if (!value.is_number()) return std::nullopt;
  const double n = value.as_number();
  if (n < 1 || n > 9007199254740991.0 || std::floor(n) != n) return std::nullopt;
  return static_cast<int64_t>(n);
}

}  // namespace deskgate
