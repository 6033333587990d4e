// Reading a flat JSON object of settings with full validation. Messages
// name the field and what it allows, so they can go straight back to an admin.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "shared/core/json_value.h"
#include "shared/core/status.h"

namespace deskgate {

// An inclusive range of allowed values for an integer field.
struct FieldRange {
  int min;
  int max;
};

// Parses `json` as an object. Errors: not JSON, not an object, a key outside
// `known_keys`. `what` names the object in messages ("policy", "context").
Result<JsonValue> ParseObject(std::string_view json, std::string_view what,
                              std::initializer_list<std::string_view> known_keys);

// The same checks on an already parsed value (a section of a larger document).
Status CheckObject(const JsonValue& value, std::string_view what,
                   std::initializer_list<std::string_view> known_keys);

// Each reader leaves `out` untouched when the key is absent.
Status ReadBool(const JsonValue& object, std::string_view key, bool& out);
Status ReadInt(const JsonValue& object, std::string_view key, FieldRange range, int& out);
// A string of at most `max_bytes`; null counts as absent.
Status ReadString(const JsonValue& object, std::string_view key, size_t max_bytes,
                  std::string& out);

// The value as a row id: a whole number from 1 to 2^53 - 1 (the largest a
// JSON number carries exactly), else nullopt.
std::optional<int64_t> AsId(const JsonValue& value);

}  // namespace deskgate
