// JsonValue and ParseJson: the one JSON reader of deskgate (RFC 8259).
// shared/ reads settings, changes and selections with it, the WebAssembly
// module reads what the page hands over, and the server reads every
// request body and every identity provider answer with it, so the page
// and the server agree on what is valid.
//
// Why not nlohmann-json: it roughly doubles the WebAssembly module's
// compressed size, lets a duplicate key's last value win, and recurses on
// untrusted depth when it serializes or compares.
//
// Strictness: one value with only whitespace around it, strings of valid
// UTF-8 without lone surrogate escapes, no duplicate object keys. Numbers
// are kept as doubles.
//
// Bounds, checked while reading so hostile input costs no more than its
// size: nesting at most JsonLimits::max_depth deep (everything that walks a
// JsonValue recursively, including its destructor, relies on this) and at
// most JsonLimits::max_values values in all. Time is linear in the input
// (duplicate keys are found by sorting, not by comparing every pair).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/core/status.h"

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

struct JsonLimits {
  static constexpr int kMaxDepth = 64;
  // A request body's bulk selection names up to 100,000 ids; this leaves
  // room for the rest of the document and bounds a parse's memory (about
  // 100 bytes a value) to a few megabytes.
  static constexpr size_t kMaxValues = 150'000;
  int max_depth = kMaxDepth;
  size_t max_values = kMaxValues;
};

// Parses one JSON text. The error says what is wrong and at which byte.
Result<JsonValue> ParseJson(std::string_view text, const JsonLimits& limits = {});

}  // namespace deskgate
