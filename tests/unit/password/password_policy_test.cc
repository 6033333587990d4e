#include "shared/password/password_policy.h"

#include <catch2/catch.hpp>

#include "shared/password/password_policy_advice.h"

using namespace deskgate;

TEST_CASE("An empty policy takes the NIST/OWASP defaults", "[policy]") {
  auto p = ParsePasswordPolicy("{}");
  REQUIRE(p.ok());
  CHECK(p.value().min_length == 12);
  CHECK(p.value().max_length == 128);
  CHECK_FALSE(p.value().require_uppercase);
  CHECK_FALSE(p.value().require_symbol);
  CHECK(p.value().expiry_days == 0);
  CHECK(p.value().reuse_history == 0);
  CHECK(AdviseOnPolicy(p.value()).empty());
}

TEST_CASE("Every field parses and round-trips through JSON", "[policy]") {
  const std::string json =
      R"({"min_length":16,"max_length":256,"require_uppercase":true,"require_lowercase":true,)"
      R"("require_digit":false,"require_symbol":true,"expiry_days":90,"reuse_history":5})";
  auto p = ParsePasswordPolicy(json);
  REQUIRE(p.ok());
  CHECK(p.value().min_length == 16);
  CHECK(p.value().require_symbol);
  CHECK(p.value().reuse_history == 5);
  CHECK(PasswordPolicyToJson(p.value()) == json);
  CHECK(ParsePasswordPolicy(R"({"min_length":12.0})").ok());  // a whole float is an integer
}

TEST_CASE("Bad fields are refused with the field and its range", "[policy]") {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"min_length":7})", "min_length: must be an integer from 8 to 128"},
      {R"({"min_length":129})", "min_length: must be an integer from 8 to 128"},
      {R"({"min_length":12.5})", "min_length: must be an integer from 8 to 128"},
      {R"({"min_length":"12"})", "min_length: must be an integer from 8 to 128"},
      {R"({"min_length":1e300})", "min_length: must be an integer from 8 to 128"},
      {R"({"max_length":63})", "max_length: must be an integer from 64 to 1024"},
      {R"({"min_length":100,"max_length":64})", "max_length: must be at least min_length (100)"},
      {R"({"require_digit":1})", "require_digit: must be true or false"},
      {R"({"expiry_days":-1})", "expiry_days: must be an integer from 0 to 3650"},
      {R"({"reuse_history":25})", "reuse_history: must be an integer from 0 to 24"},
      {R"({"min_lenght":12})", "policy: unknown field \"min_lenght\""},
      {R"([])", "policy: must be a JSON object"},
      {R"({"min_length":)", "policy: invalid JSON at byte 14: unexpected end of input"},
  };
  for (const auto& [json, message] : cases) {
    INFO(json);
    auto p = ParsePasswordPolicy(json);
    REQUIRE_FALSE(p.ok());
    CHECK(p.error() == message);
  }
}

TEST_CASE("Advice names each departure from NIST and OWASP", "[policy]") {
  PasswordPolicy p;
  p.min_length = 8;
  p.require_digit = true;
  p.require_symbol = true;
  p.expiry_days = 90;
  const auto advice = AdviseOnPolicy(p);
  REQUIRE(advice.size() == 4);
  CHECK(advice[0].field == "min_length");
  CHECK(advice[1].field == "require_digit");
  CHECK(advice[2].field == "require_symbol");
  CHECK(advice[3].field == "expiry_days");
  CHECK(PolicyAdviceToJson(advice).find(R"({"field":"expiry_days","note":"NIST)") !=
        std::string::npos);
}
