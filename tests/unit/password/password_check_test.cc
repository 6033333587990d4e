#include "shared/password/password_check.h"

#include <catch2/catch.hpp>

#include "shared/password/common_passwords.h"
#include "shared/password/password_expiry.h"

using namespace deskgate;

namespace {

RuleState StateOf(const PasswordCheck& check, std::string_view rule) {
  for (const RuleOutcome& r : check.rules) {
    if (r.rule == rule) return r.state;
  }
  FAIL("no rule " << rule);
  return RuleState::kOff;
}

PasswordCheck Check(std::string_view password, PasswordPolicy policy = {},
                    PasswordContext context = {}) {
  return CheckPassword(policy, password, context);
}

}  // namespace

TEST_CASE("Length counts code points, not bytes", "[check]") {
  CHECK(Check("abc").length == 3);
  CHECK(Check("\xC3\xA9\xC3\xA9").length == 2);                  // éé
  CHECK(Check("\xF0\x9F\x94\x91\xF0\x9F\x94\x91").length == 2);  // 🔑🔑
  // Twelve CJK characters are 36 bytes but exactly the minimum of 12.
  std::string cjk;
  for (int i = 0; i < 12; ++i) cjk += "\xE6\x97\xA5";
  CHECK(StateOf(Check(cjk), "min_length") == RuleState::kPass);
  CHECK(StateOf(Check(cjk.substr(3)), "min_length") == RuleState::kFail);
}

TEST_CASE("A good passphrase passes the default policy", "[check]") {
  const auto check = Check("plum orchard lantern 42");
  CHECK(check.ok);
  for (const RuleOutcome& r : check.rules) {
    INFO(r.rule);
    CHECK((r.state == RuleState::kPass || r.state == RuleState::kOff));
    CHECK(r.message.empty());
  }
  CHECK(PasswordCheckToJson(check).find(R"({"ok":true,"length":23,"violations":[],)") == 0);
}

TEST_CASE("Minimum and maximum length are enforced", "[check]") {
  PasswordPolicy p;
  p.min_length = 8;
  p.max_length = 64;
  CHECK(StateOf(Check("short", p), "min_length") == RuleState::kFail);
  CHECK(StateOf(Check(std::string(64, 'x') + "", p), "max_length") == RuleState::kPass);
  const auto too_long = Check(std::string(65, 'x'), p);
  CHECK(StateOf(too_long, "max_length") == RuleState::kFail);
  CHECK_FALSE(too_long.ok);
}

TEST_CASE("Composition rules are off by default and enforced when on", "[check]") {
  CHECK(StateOf(Check("plum orchard lantern"), "uppercase") == RuleState::kOff);
  PasswordPolicy p;
  p.require_uppercase = p.require_lowercase = p.require_digit = p.require_symbol = true;
  const auto weak = Check("plumorchardlantern", p);
  CHECK(StateOf(weak, "uppercase") == RuleState::kFail);
  CHECK(StateOf(weak, "lowercase") == RuleState::kPass);
  CHECK(StateOf(weak, "digit") == RuleState::kFail);
  CHECK(StateOf(weak, "symbol") == RuleState::kFail);
  CHECK(Check("Plum orchard lantern 4", p).ok);
  // Non-ASCII letters count for their case: Écrin in Greek and Cyrillic too.
  CHECK(StateOf(Check("\xC3\x89"
                      "crin du soleil 9!",
                      p),
                "uppercase") == RuleState::kPass);
  CHECK(StateOf(Check("\xD0\x96\xD0\xB8\xD0\xB2\xD0\xBE\xD0\xB9 1 2 3 4 5 6", p), "uppercase") ==
        RuleState::kPass);
}

TEST_CASE("Common passwords are refused whatever their case", "[check]") {
  CHECK(CommonPasswordData().entry_count >= 10000);
  PasswordPolicy p;
  p.min_length = 8;
  for (const char* pw : {"password", "PASSWORD", "Password", "12345678", "iloveyou", "sunshine",
                         "qwertyuiop", "1qaz2wsx", "trustno1"}) {
    INFO(pw);
    CHECK(StateOf(Check(pw, p), "common") == RuleState::kFail);
  }
  CHECK(StateOf(Check("plum orchard lantern", p), "common") == RuleState::kPass);
  CHECK(StateOf(Check("password!xq", p), "common") == RuleState::kPass);  // not an exact entry
}

TEST_CASE("Every entry of the packaged list is found, and near misses are not", "[check]") {
  // Walk the front-coded block and look every entry up, plus a variant of it.
  const FrontCodedSet& set = CommonPasswordData();
  const unsigned char* p = set.entries;
  std::string current;
  size_t count = 0;
  while (p < set.entries + set.entries_size) {
    current.resize(p[0]);
    current.append(reinterpret_cast<const char*>(p + 2), p[1]);
    p += 2 + p[1];
    ++count;
    const std::u32string key(current.begin(), current.end());
    REQUIRE(IsCommonPassword(key));
    CHECK_FALSE(IsCommonPassword(key + U"~"));
  }
  CHECK(count == set.entry_count);
}

TEST_CASE("Passwords containing the user's name or email are refused", "[check]") {
  PasswordContext ctx{"jane.doe@example.com", "Jane O'Neill", std::nullopt};
  const auto refused = [&](std::string_view pw) {
    return StateOf(Check(pw, {}, ctx), "personal_info") == RuleState::kFail;
  };
  CHECK(refused("my jane.doe password"));  // whole local part
  CHECK(refused("JANE rules the world"));  // name token, any case
  CHECK(refused("doe-a-deer-a-female"));   // email token
  CHECK(refused("neill is my hero 1"));    // name token after an apostrophe
  CHECK_FALSE(refused("plum orchard lantern"));
  CHECK_FALSE(refused("on example.com all day"));  // the domain is not personal
  // Tokens shorter than three characters would refuse too much.
  PasswordContext short_name{"al@example.com", "Al Bo", std::nullopt};
  CHECK(StateOf(Check("al bo and friends", {}, short_name), "personal_info") == RuleState::kPass);
  // Case folding works beyond ASCII.
  PasswordContext accented{"", "\xC3\x89lodie", std::nullopt};  // Élodie
  CHECK(StateOf(Check("\xC3\xA9lodie forever and ever", {}, accented), "personal_info") ==
        RuleState::kFail);
}

TEST_CASE("Invalid UTF-8 and control characters are violations, not crashes", "[check]") {
  const auto bad =
      Check(std::string_view("abc\xFF\xFE"
                             "defghijkl"));
  CHECK(StateOf(bad, "utf8") == RuleState::kFail);
  CHECK_FALSE(bad.ok);
  CHECK(bad.length == 14);
  const auto nul = Check(std::string_view("plum orchard\0lantern", 20));
  CHECK(StateOf(nul, "utf8") == RuleState::kPass);
  CHECK(StateOf(nul, "control_characters") == RuleState::kFail);
  CHECK(StateOf(Check("plum orchard\tlantern"), "control_characters") == RuleState::kFail);
  CHECK(Check("").length == 0);
  CHECK_FALSE(Check("").ok);
}

TEST_CASE("Reuse is judged from the match the server passes in", "[check]") {
  PasswordPolicy p;
  p.reuse_history = 3;
  const std::string pw = "plum orchard lantern";
  CHECK(StateOf(Check(pw, p, {}), "reuse") == RuleState::kUnchecked);
  CHECK(Check(pw, p, {}).ok);  // unchecked is not a failure
  CHECK(StateOf(Check(pw, p, {"", "", 0}), "reuse") == RuleState::kPass);
  CHECK(StateOf(Check(pw, p, {"", "", 1}), "reuse") == RuleState::kFail);
  CHECK(StateOf(Check(pw, p, {"", "", 3}), "reuse") == RuleState::kFail);
  CHECK(StateOf(Check(pw, p, {"", "", 4}), "reuse") == RuleState::kPass);
  p.reuse_history = 0;
  CHECK(StateOf(Check(pw, p, {"", "", 1}), "reuse") == RuleState::kOff);
}

TEST_CASE("Violations carry messages with the policy's numbers", "[check]") {
  PasswordPolicy p;
  p.min_length = 20;
  p.reuse_history = 5;
  const std::string json = PasswordCheckToJson(Check("sunshine", p, {"", "", 2}));
  CHECK(json.find(R"({"rule":"min_length","message":"Use at least 20 characters."})") !=
        std::string::npos);
  CHECK(
      json.find(
          R"("rule":"reuse","message":"Choose a password you have not used for your last 5 passwords.")") !=
      std::string::npos);
  CHECK(json.find(R"("rules":{"utf8":"pass","control_characters":"pass","min_length":"fail",)") !=
        std::string::npos);
  CHECK(json.find(R"("reuse":"fail"}})") != std::string::npos);
}

TEST_CASE("Rule labels follow the policy, in checklist order", "[check]") {
  PasswordPolicy p;
  p.min_length = 14;
  p.require_digit = true;
  const auto rules = PasswordRules(p);
  REQUIRE(rules.size() == Check("x", p).rules.size());
  for (size_t i = 0; i < rules.size(); ++i) CHECK(rules[i].rule == Check("x", p).rules[i].rule);
  CHECK(rules[2].label == "At least 14 characters");
  const std::string json = PasswordRulesToJson(p);
  CHECK(json.find(R"({"rule":"min_length","label":"At least 14 characters","enabled":true})") !=
        std::string::npos);
  CHECK(json.find(R"({"rule":"digit","label":"A number","enabled":true})") != std::string::npos);
  CHECK(json.find(R"({"rule":"symbol","label":"A symbol or space","enabled":false})") !=
        std::string::npos);
  CHECK(
      json.find(R"({"rule":"reuse","label":"Not one of your last 0 passwords","enabled":false})") !=
      std::string::npos);
}

TEST_CASE("CheckPasswordJson validates policy and context", "[check]") {
  CHECK(CheckPasswordJson("{}", "plum orchard lantern", "").ok());
  CHECK(CheckPasswordJson("{}", "x", R"({"email":"a@b.c","name":null})").ok());
  CHECK(CheckPasswordJson("{}", "x", R"({"phone":"1"})").error() ==
        "context: unknown field \"phone\"");
  CHECK(CheckPasswordJson("{}", "x", R"({"email":5})").error() == "email: must be a string");
  CHECK(CheckPasswordJson("{}", "x", R"({"reuse_match":-1})").error() ==
        "reuse_match: must be an integer from 0 to 24");
  CHECK(CheckPasswordJson(R"({"x":1})", "x", "").error() == "policy: unknown field \"x\"");
}

TEST_CASE("Expiry is computed from the times passed in", "[expiry]") {
  PasswordPolicy p;
  CHECK_FALSE(EvaluateExpiry(p, 0, 1'000'000'000).expires);
  p.expiry_days = 90;
  const int64_t changed = 1'700'000'000;
  const int64_t day = 86400;
  auto fresh = EvaluateExpiry(p, changed, changed + day / 2);
  CHECK(fresh.expires);
  CHECK_FALSE(fresh.expired);
  CHECK(fresh.days_left == 90);
  CHECK(fresh.expires_at == changed + 90 * day);
  CHECK(EvaluateExpiry(p, changed, changed + 89 * day + 1).days_left == 1);
  auto due = EvaluateExpiry(p, changed, changed + 90 * day);
  CHECK(due.expired);
  CHECK(due.days_left == 0);
}
