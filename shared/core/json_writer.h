// JsonWriter builds compact JSON text exactly as JavaScript's JSON.stringify
// would print the same value: no whitespace, keys in insertion order, and the
// same string escapes. Results produced in C++ can therefore be compared byte
// for byte with what the WebAssembly module hands to JavaScript.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace deskgate {

class JsonWriter {
 public:
  JsonWriter() = default;
  explicit JsonWriter(size_t expected_size) { out_.reserve(expected_size); }

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);  // value must be valid UTF-8
  JsonWriter& Bool(bool value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Null();
  // The number, or null when absent (an optional reference id).
  JsonWriter& OptionalInt(std::optional<int64_t> value) { return value ? Int(*value) : Null(); }
  // Appends `json`, which must already be one serialized JSON value.
  JsonWriter& Raw(std::string_view json);

  const std::string& text() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void BeforeValue();
  void AppendQuoted(std::string_view value);

  std::string out_;
  bool need_comma_ = false;
};

}  // namespace deskgate
