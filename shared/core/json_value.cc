#include "shared/core/json_value.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "shared/core/utf8.h"

namespace deskgate {

JsonValue JsonValue::Bool(bool b) {
  JsonValue v;
  v.type_ = Type::kBool;
  v.bool_ = b;
  return v;
}

JsonValue JsonValue::Number(double n) {
  JsonValue v;
  v.type_ = Type::kNumber;
  v.number_ = n;
  return v;
}

JsonValue JsonValue::String(std::string s) {
  JsonValue v;
  v.type_ = Type::kString;
  v.string_ = std::move(s);
  return v;
}

JsonValue JsonValue::Array(std::vector<JsonValue> items) {
  JsonValue v;
  v.type_ = Type::kArray;
  v.items_ = std::move(items);
  return v;
}

JsonValue JsonValue::Object(std::vector<Member> members) {
  JsonValue v;
  v.type_ = Type::kObject;
  v.members_ = std::move(members);
  return v;
}

const JsonValue* JsonValue::Find(std::string_view key) const {
  for (const Member& m : members_) {
    if (m.first == key) return &m.second;
  }
  return nullptr;
}

namespace {

// The value of a validated JSON number literal, computed here rather than
// by strtod: musl's strtod, which the WebAssembly build uses, costs
// microseconds per call and pulls in long-double arithmetic (8 KB of the
// module). Exact for integers up to 2^53 and for decimals of up to 19
// significant digits whose power of ten is within 10^±22 (every number a
// deskgate rule reads); other values are within a few units in the last
// place, which no rule depends on.
double NumberValue(std::string_view literal) {
  static constexpr double kPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                            1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                            1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  size_t i = 0;
  const bool negative = literal[0] == '-';
  if (negative) ++i;
  uint64_t mantissa = 0;
  int significant = 0;
  int64_t exponent = 0;
  bool fraction = false;
  for (; i < literal.size() && literal[i] != 'e' && literal[i] != 'E'; ++i) {
    if (literal[i] == '.') {
      fraction = true;
      continue;
    }
    const int digit = literal[i] - '0';
    if (significant < 19) {
      if (mantissa != 0 || digit != 0) ++significant;
      mantissa = mantissa * 10 + static_cast<uint64_t>(digit);
      if (fraction) --exponent;
    } else if (!fraction) {
      ++exponent;  // a digit beyond what the mantissa holds
    }
  }
  if (i < literal.size()) {  // the exponent part; its size is bounded by the body's
    ++i;
    const bool minus = literal[i] == '-';
    if (literal[i] == '-' || literal[i] == '+') ++i;
    int64_t e = 0;
    for (; i < literal.size() && e < 100'000; ++i) e = e * 10 + (literal[i] - '0');
    exponent += minus ? -e : e;
  }
  double value = static_cast<double>(mantissa);
  for (; exponent > 22 && value != 0 && value < 1e308; exponent -= 22) value *= 1e22;
  for (; exponent < -22 && value != 0; exponent += 22) value /= 1e22;
  if (exponent > 22)
    value = mantissa == 0 ? 0.0 : HUGE_VAL;
  else if (exponent >= 0)
    value *= kPowersOfTen[exponent];
  else if (exponent >= -22)
    value /= kPowersOfTen[-exponent];
  else
    value = 0.0;
  return negative ? -value : value;
}

// The first key that appears twice among `members`, or nullptr. Sorting
// views of the keys keeps this O(n log n) however many members there are.
const std::string* DuplicateKey(const std::vector<JsonValue::Member>& members) {
  if (members.size() < 2) return nullptr;
  std::vector<const std::string*> keys;
  keys.reserve(members.size());
  for (const auto& m : members) keys.push_back(&m.first);
  std::sort(keys.begin(), keys.end(),
            [](const std::string* a, const std::string* b) { return *a < *b; });
  for (size_t i = 1; i < keys.size(); ++i) {
    if (*keys[i] == *keys[i - 1]) return keys[i];
  }
  return nullptr;
}

class Parser {
 public:
  Parser(std::string_view text, const JsonLimits& limits) : text_(text), limits_(limits) {}

  Result<JsonValue> ParseDocument() {
    JsonValue value;
    if (!ParseValue(value, 0)) return Fail();
    SkipWhitespace();
    if (pos_ != text_.size()) return Error("unexpected text after the JSON value");
    return value;
  }

 private:
  Status Error(const std::string& what) {
    error_ = "invalid JSON at byte " + std::to_string(pos_) + ": " + what;
    return Status::Error(error_);
  }
  Status Fail() { return Status::Error(error_); }
  bool SetError(const std::string& what) {
    Error(what);
    return false;
  }

  void SkipWhitespace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool Consume(std::string_view literal) {
    if (text_.substr(pos_, literal.size()) != literal) return false;
    pos_ += literal.size();
    return true;
  }

  bool ParseValue(JsonValue& out, int depth) {
    if (depth > limits_.max_depth) {
      return SetError("nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
    }
    if (++values_ > limits_.max_values) {
      return SetError("more than " + std::to_string(limits_.max_values) + " values");
    }
    SkipWhitespace();
    if (pos_ >= text_.size()) return SetError("unexpected end of input");
    switch (text_[pos_]) {
      case '{':
        return ParseObject(out, depth);
      case '[':
        return ParseArray(out, depth);
      case '"': {
        std::string s;
        if (!ParseString(s)) return false;
        out = JsonValue::String(std::move(s));
        return true;
      }
      case 't':
        if (Consume("true")) return out = JsonValue::Bool(true), true;
        break;
      case 'f':
        if (Consume("false")) return out = JsonValue::Bool(false), true;
        break;
      case 'n':
        if (Consume("null")) return out = JsonValue(), true;
        break;
      default:
        if (text_[pos_] == '-' || (text_[pos_] >= '0' && text_[pos_] <= '9')) {
          return ParseNumber(out);
        }
    }
    return SetError("unexpected character");
  }

  bool ParseObject(JsonValue& out, int depth) {
    ++pos_;  // {
    std::vector<JsonValue::Member> members;
    SkipWhitespace();
    if (Consume("}")) return out = JsonValue::Object({}), true;
    while (true) {
      SkipWhitespace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return SetError("expected a member name");
      std::string key;
      if (!ParseString(key)) return false;
      SkipWhitespace();
      if (!Consume(":")) return SetError("expected ':'");
      JsonValue value;
      if (!ParseValue(value, depth + 1)) return false;
      members.emplace_back(std::move(key), std::move(value));
      SkipWhitespace();
      if (Consume("}")) break;
      if (!Consume(",")) return SetError("expected ',' or '}'");
    }
    if (const std::string* key = DuplicateKey(members)) {
      return SetError("duplicate member \"" + *key + "\"");
    }
    out = JsonValue::Object(std::move(members));
    return true;
  }

  bool ParseArray(JsonValue& out, int depth) {
    ++pos_;  // [
    std::vector<JsonValue> items;
    SkipWhitespace();
    if (Consume("]")) return out = JsonValue::Array({}), true;
    while (true) {
      JsonValue value;
      if (!ParseValue(value, depth + 1)) return false;
      items.push_back(std::move(value));
      SkipWhitespace();
      if (Consume("]")) break;
      if (!Consume(",")) return SetError("expected ',' or ']'");
    }
    out = JsonValue::Array(std::move(items));
    return true;
  }

  bool ParseHex4(char32_t& out) {
    if (pos_ + 4 > text_.size()) return SetError("truncated \\u escape");
    out = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      out <<= 4;
      if (c >= '0' && c <= '9')
        out |= c - '0';
      else if (c >= 'a' && c <= 'f')
        out |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        out |= c - 'A' + 10;
      else
        return SetError("bad hex digit in \\u escape");
    }
    return true;
  }

  bool ParseEscape(std::string& out) {
    if (pos_ >= text_.size()) return SetError("unterminated string");
    const char c = text_[pos_++];
    switch (c) {
      case '"':
        out.push_back('"');
        return true;
      case '\\':
        out.push_back('\\');
        return true;
      case '/':
        out.push_back('/');
        return true;
      case 'b':
        out.push_back('\b');
        return true;
      case 'f':
        out.push_back('\f');
        return true;
      case 'n':
        out.push_back('\n');
        return true;
      case 'r':
        out.push_back('\r');
        return true;
      case 't':
        out.push_back('\t');
        return true;
      case 'u':
        break;
      default:
        return SetError("unknown escape");
    }
    char32_t cp;
    if (!ParseHex4(cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return SetError("lone low surrogate escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      char32_t low;
      if (!Consume("\\u") || !ParseHex4(low) || low < 0xDC00 || low > 0xDFFF) {
        return SetError("lone high surrogate escape");
      }
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(out, cp);
    return true;
  }

  bool ParseString(std::string& out) {
    ++pos_;  // opening quote
    const size_t start = pos_;
    size_t run = pos_;  // start of the current run of plain characters
    while (true) {
      if (pos_ >= text_.size()) return SetError("unterminated string");
      const char c = text_[pos_];
      if (c == '"') break;
      if (static_cast<unsigned char>(c) < 0x20) return SetError("control character in string");
      if (c == '\\') {
        out.append(text_.data() + run, pos_ - run);
        ++pos_;
        if (!ParseEscape(out)) return false;
        run = pos_;
        continue;
      }
      ++pos_;
    }
    out.append(text_.data() + run, pos_ - run);
    ++pos_;  // closing quote
    if (!IsValidUtf8(out)) {
      pos_ = start;
      return SetError("string is not valid UTF-8");
    }
    return true;
  }

  bool ParseNumber(JsonValue& out) {
    const size_t start = pos_;
    auto digits = [&] {
      const size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ - from;
    };
    Consume("-");
    if (Consume("0")) {
      // a leading zero stands alone
    } else if (digits() == 0) {
      return SetError("malformed number");
    }
    if (Consume(".") && digits() == 0) return SetError("malformed number");
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (!Consume("+")) Consume("-");
      if (digits() == 0) return SetError("malformed number");
    }
    out = JsonValue::Number(NumberValue(text_.substr(start, pos_ - start)));
    return true;
  }

  std::string_view text_;
  const JsonLimits& limits_;
  size_t pos_ = 0;
  size_t values_ = 0;
  std::string error_;
};

}  // namespace

Result<JsonValue> ParseJson(std::string_view text, const JsonLimits& limits) {
  return Parser(text, limits).ParseDocument();
}

}  // namespace deskgate
