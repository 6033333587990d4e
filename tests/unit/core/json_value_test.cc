#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>

#include "shared/core/json_value.h"
#include "shared/core/json_writer.h"

using namespace deskgate;

TEST_CASE("The JSON reader accepts RFC 8259 values", "[json]") {
  auto v = ParseJson(R"( {"a": [1, -2.5e3, true, false, null], "b": "x\u00e9\ud83d\udd11\n"} )");
  REQUIRE(v.ok());
  const JsonValue* a = v.value().Find("a");
  REQUIRE(a != nullptr);
  REQUIRE(a->items().size() == 5);
  CHECK(a->items()[1].as_number() == -2500);
  CHECK(a->items()[2].as_bool());
  CHECK(a->items()[4].is_null());
  CHECK(v.value().Find("b")->as_string() == "x\xC3\xA9\xF0\x9F\x94\x91\n");
  CHECK(v.value().Find("missing") == nullptr);
}

TEST_CASE("The JSON reader refuses malformed input with a position", "[json]") {
  const char* bad[] = {"",
                       "{",
                       "{\"a\":}",
                       "[1,]",
                       "{\"a\":1,}",
                       "01",
                       "1.",
                       "-",
                       "\"\\x\"",
                       "\"\\ud800\"",
                       "\"\\udc00\"",
                       "tru",
                       "{} {}",
                       "{\"a\":1,\"a\":2}",
                       "\"\xFF\"",
                       "\"a\tb\"",
                       "NaN",
                       "'a'"};
  for (const char* text : bad) {
    INFO(text);
    auto v = ParseJson(text);
    CHECK_FALSE(v.ok());
    if (!v.ok()) CHECK(v.error().find("invalid JSON at byte") == 0);
  }
  std::string deep(100, '[');
  deep += std::string(100, ']');
  CHECK_FALSE(ParseJson(deep).ok());
}

TEST_CASE("The JSON writer prints what JSON.stringify prints", "[json]") {
  JsonWriter w;
  w.BeginObject()
      .Key("s")
      .String("quote\" backslash\\ nl\n tab\t ctl\x01 é")
      .Key("n")
      .Int(-42)
      .Key("b")
      .Bool(false)
      .Key("z")
      .Null()
      .Key("a")
      .BeginArray()
      .Int(1)
      .BeginObject()
      .EndObject()
      .BeginArray()
      .EndArray()
      .EndArray()
      .EndObject();
  CHECK(
      w.text() ==
      R"({"s":"quote\" backslash\\ nl\n tab\t ctl\u0001 é","n":-42,"b":false,"z":null,"a":[1,{},[]]})");
}

TEST_CASE("Numbers read as strtod reads them, without strtod", "[json]") {
  // Exact: integers to 2^53 and decimals of up to 19 digits with small exponents.
  for (const char* literal :
       {"0", "-0", "7", "-42", "9007199254740991", "123456789012345678", "1.5", "-0.25", "3.14159",
        "0.0005", "1e3", "1E+3", "2.5e-3", "-1.25E2", "100000000000000000000", "0.1", "123.456e5",
        "1e22", "1e-22"}) {
    INFO(literal);
    auto v = deskgate::ParseJson(literal);
    REQUIRE(v.ok());
    CHECK(v.value().as_number() == std::strtod(literal, nullptr));
  }
  // Far out of range: infinities and zeros, as strtod gives them.
  for (const char* literal :
       {"1e400", "-1e400", "1e-400", "0e999999", "12345678901234567890e300"}) {
    INFO(literal);
    auto v = deskgate::ParseJson(literal);
    REQUIRE(v.ok());
    CHECK(v.value().as_number() == std::strtod(literal, nullptr));
  }
  // Close elsewhere.
  for (const char* literal : {"1.7976931348623157e308", "4.9e-300", "0.30000000000000004"}) {
    INFO(literal);
    const double expected = std::strtod(literal, nullptr);
    CHECK(std::abs(deskgate::ParseJson(literal).value().as_number() - expected) <=
          std::abs(expected) * 1e-14);
  }
}
