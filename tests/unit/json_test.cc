#include <catch2/catch.hpp>

#include "shared/json_value.h"
#include "shared/json_writer.h"

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
