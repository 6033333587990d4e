// JsonValue and ParseJson: a small, strict JSON reader (RFC 8259) for the
// settings objects that shared/ validates.
//
// Why not nlohmann-json here: it roughly doubles the WebAssembly module's
// compressed size, and shared/ only ever reads small settings objects. The
// server uses nlohmann-json for request bodies and hands sections to
// shared/ as text.
//
// Strictness: one value with only whitespace around it, strings of valid
// UTF-8 without lone surrogate escapes, no duplicate object keys, nesting at
// most 64 deep. Numbers are kept as doubles.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/status.h"

namespace deskgate {

class JsonValue {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  using Member = std::pair<std::string, JsonValue>;

  JsonValue() = default;
  static JsonValue Bool(bool b);
  static JsonValue Number(double n);
  static JsonValue String(std::string s);
  static JsonValue Array(std::vector<JsonValue> items);
  static JsonValue Object(std::vector<Member> members);

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_number() const { return type_ == Type::kNumber; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }

  bool as_bool() const { return bool_; }
  double as_number() const { return number_; }
  const std::string& as_string() const { return string_; }
  const std::vector<JsonValue>& items() const { return items_; }
  const std::vector<Member>& members() const { return members_; }

  // The member named `key` of an object, or nullptr.
  const JsonValue* Find(std::string_view key) const;

 private:
  Type type_ = Type::kNull;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<JsonValue> items_;
  std::vector<Member> members_;
};

// Parses one JSON text. The error says what is wrong and at which byte.
Result<JsonValue> ParseJson(std::string_view text);

// A name for a type in error messages: "a string", "an object", …
const char* JsonTypeName(JsonValue::Type type);

}  // namespace deskgate
