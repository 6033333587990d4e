#include "shared/records/record_change.h"

#include <string>

#include <catch2/catch.hpp>

#include "shared/records/record_change_check.h"

using namespace deskgate;

namespace {

std::string ErrorOf(const std::string& json) {
  auto change = ParseRecordChange(json);
  return change.ok() ? "(ok)" : change.error();
}

RecordVocabulary Vocabulary() {
  return {{1, 2, 3}, {10, 20}, {100}};
}

}  // namespace

TEST_CASE("A change names each field as absent, none or a value", "[record_change]") {
  auto change =
      ParseRecordChange(R"({"impact":"high","location_id":null,"managed_by_agent_id":7})");
  REQUIRE(change.ok());
  CHECK(change.value().impact == Impact::kHigh);
  CHECK(change.value().location.set);
  CHECK_FALSE(change.value().location.id.has_value());  // set to none
  CHECK_FALSE(change.value().group.set);                // left unchanged
  CHECK(change.value().agent.set);
  CHECK(change.value().agent.id == 7);
  CHECK(RecordChangeToJson(change.value()) ==
        R"({"impact":"high","location_id":null,"managed_by_agent_id":7})");
}

TEST_CASE("A change is written in one canonical order", "[record_change]") {
  auto change = ParseRecordChange(
      R"({"managed_by_agent_id":1,"managed_by_group_id":2,"location_id":3,"impact":"low"})");
  REQUIRE(change.ok());
  CHECK(RecordChangeToJson(change.value()) ==
        R"({"impact":"low","location_id":3,"managed_by_group_id":2,"managed_by_agent_id":1})");
  auto again = ParseRecordChange(RecordChangeToJson(change.value()));
  REQUIRE(again.ok());
  CHECK(again.value() == change.value());
}

TEST_CASE("Ids are positive integers exact in JSON numbers", "[record_change]") {
  CHECK(ErrorOf(R"({"location_id":9007199254740991})") == "(ok)");
  CHECK(ErrorOf(R"({"location_id":1.0})") == "(ok)");
  CHECK(ErrorOf(R"({"location_id":1e2})") == "(ok)");
  const char* bad[] = {"0",     "-1", "1.5", "\"3\"", "true", "[]", "{}", "9007199254740992",
                       "1e300", "-0"};
  for (const char* value : bad) {
    INFO(value);
    CHECK(ErrorOf(std::string(R"({"location_id":)") + value + "}") ==
          "location_id: must be a positive integer or null");
  }
  CHECK(ErrorOf(R"({"managed_by_group_id":"x"})") ==
        "managed_by_group_id: must be a positive integer or null");
  CHECK(ErrorOf(R"({"managed_by_agent_id":2.5})") ==
        "managed_by_agent_id: must be a positive integer or null");
}

TEST_CASE("Impact may change but never become none", "[record_change]") {
  CHECK(ErrorOf(R"({"impact":null})") == "impact: cannot be none; pick low, medium or high");
  CHECK(ErrorOf(R"({"impact":"urgent"})") == "impact: must be low, medium or high");
  CHECK(ErrorOf(R"({"impact":"HIGH"})") == "impact: must be low, medium or high");
  CHECK(ErrorOf(R"({"impact":2})") == "impact: must be low, medium or high");
  CHECK(ParseImpact("medium") == Impact::kMedium);
  CHECK_FALSE(ParseImpact("").has_value());
  CHECK(std::string(ImpactName(Impact::kLow)) == "low");
}

TEST_CASE("Malformed changes are refused with the field or the position", "[record_change]") {
  CHECK(ErrorOf("{}") == "change: names no field");
  CHECK(ErrorOf("[]") == "change: must be a JSON object");
  CHECK(ErrorOf("null") == "change: must be a JSON object");
  CHECK(ErrorOf(R"({"name":"x"})") == "change: unknown field \"name\"");
  CHECK(ErrorOf(R"({"impact":"low","impact":"high"})").rfind("change: ", 0) == 0);
  CHECK(ErrorOf(R"({"impact":"low"} x)").rfind("change: ", 0) == 0);
  CHECK(ErrorOf("").rfind("change: ", 0) == 0);
  CHECK(ErrorOf("{\"impact\":\"l\xFFw\"}").rfind("change: ", 0) == 0);
}

TEST_CASE("Validation names the first unknown id", "[record_change]") {
  const RecordVocabulary vocabulary = Vocabulary();
  auto check = [&](const std::string& json) {
    auto change = ParseRecordChange(json);
    REQUIRE(change.ok());
    Status s = ValidateRecordChange(change.value(), vocabulary);
    return s.ok() ? std::string("(ok)") : s.message();
  };
  CHECK(check(R"({"location_id":3,"managed_by_group_id":20,"managed_by_agent_id":100})") == "(ok)");
  CHECK(check(R"({"location_id":null,"managed_by_group_id":null})") == "(ok)");
  CHECK(check(R"({"impact":"high"})") == "(ok)");
  CHECK(check(R"({"location_id":42})") == "location_id: no location 42");
  CHECK(check(R"({"managed_by_group_id":11})") == "managed_by_group_id: no group 11");
  CHECK(check(R"({"managed_by_agent_id":1})") == "managed_by_agent_id: no agent 1");
  CHECK(check(R"({"location_id":9,"managed_by_agent_id":9})") == "location_id: no location 9");
}

TEST_CASE("Applying a change reports whether anything differs", "[record_change]") {
  RecordFields fields;
  fields.impact = Impact::kLow;
  fields.location = 3;
  auto change = ParseRecordChange(R"({"impact":"low","location_id":null})");
  REQUIRE(change.ok());
  CHECK(ApplyRecordChange(change.value(), fields));
  CHECK_FALSE(fields.location.has_value());
  CHECK_FALSE(ApplyRecordChange(change.value(), fields));  // already so
  auto group = ParseRecordChange(R"({"managed_by_group_id":5})");
  REQUIRE(group.ok());
  CHECK(ApplyRecordChange(group.value(), fields));
  CHECK(fields.group == 5);
  CHECK(fields.impact == Impact::kLow);
}

TEST_CASE("ReadRecordRef reads ids and none for every caller", "[record_change]") {
  auto none = ReadRecordRef(JsonValue(), "x");
  REQUIRE(none.ok());
  CHECK_FALSE(none.value().has_value());
  auto id = ReadRecordRef(JsonValue::Number(12), "x");
  REQUIRE(id.ok());
  CHECK(id.value() == 12);
  CHECK(ReadRecordRef(JsonValue::String("12"), "x").error() ==
        "x: must be a positive integer or null");
}

TEST_CASE("Vocabularies come sorted and strict", "[record_change]") {
  auto vocabulary = ParseRecordVocabulary(R"({"locations":[3,1,2],"agents":[9]})");
  REQUIRE(vocabulary.ok());
  CHECK(vocabulary.value().locations == std::vector<int64_t>{1, 2, 3});
  CHECK(vocabulary.value().groups.empty());
  CHECK(vocabulary.value().agents == std::vector<int64_t>{9});
  CHECK(ParseRecordVocabulary("{}").ok());
  CHECK(ParseRecordVocabulary(R"({"places":[]})").error() ==
        "vocabulary: unknown field \"places\"");
  CHECK(ParseRecordVocabulary(R"({"groups":3})").error() == "groups: must be an array of ids");
  CHECK(ParseRecordVocabulary(R"({"groups":[1,null]})").error() ==
        "groups: must be an array of positive integers");
  CHECK(ParseRecordVocabulary(R"({"agents":[0]})").error() ==
        "agents: must be an array of positive integers");
}

TEST_CASE("The change check answers in the JSON the WebAssembly module returns",
          "[record_change]") {
  const RecordVocabulary vocabulary = Vocabulary();
  CHECK(CheckRecordChangeJson(R"({"location_id":2, "impact":"medium"})", vocabulary) ==
        R"({"ok":true,"change":{"impact":"medium","location_id":2}})");
  CHECK(CheckRecordChangeJson(R"({"location_id":5})", vocabulary) ==
        R"({"ok":false,"error":"location_id: no location 5"})");
  CHECK(CheckRecordChangeJson(R"({"impact":null})", vocabulary) ==
        R"({"ok":false,"error":"impact: cannot be none; pick low, medium or high"})");
}
