#include "shared/password/password_check.h"

#include <algorithm>

#include "shared/core/char_class.h"
#include "shared/core/json_fields.h"
#include "shared/core/json_writer.h"
#include "shared/core/utf8.h"
#include "shared/password/common_passwords.h"

namespace deskgate {
namespace {

// Name and email fragments shorter than this are too common to forbid
// ("al", "jo"), and would refuse many good passwords.
constexpr size_t kMinPersonalToken = 3;

constexpr size_t kRuleCount = 11;

std::u32string Lowercase(std::u32string_view text) {
  std::u32string out(text);
  for (char32_t& cp : out) cp = ToLower(cp);
  return out;
}

// Splits lowercased text into runs of letters and digits, keeping runs of at
// least kMinPersonalToken code points. Anything that is not a separator
// (ASCII punctuation, space, symbols) counts as part of a token, so names in
// any script split on spaces and punctuation.
void AddTokens(std::u32string_view text, std::vector<std::u32string>& tokens) {
  std::u32string current;
  auto flush = [&] {
    if (current.size() >= kMinPersonalToken) tokens.push_back(current);
    current.clear();
  };
  for (char32_t cp : text) {
    if (IsSymbol(cp) || IsControl(cp)) {
      flush();
    } else {
      current.push_back(cp);
    }
  }
  flush();
}

std::vector<std::u32string> PersonalTokens(const PasswordContext& context) {
  std::vector<std::u32string> tokens;
  const std::string_view email = context.email;
  const std::string_view local = email.substr(0, email.find('@'));
  const std::u32string local_lower = Lowercase(DecodeUtf8(local).code_points);
  if (local_lower.size() >= kMinPersonalToken) tokens.push_back(local_lower);
  AddTokens(local_lower, tokens);
  AddTokens(Lowercase(DecodeUtf8(context.name).code_points), tokens);
  return tokens;
}

bool ContainsAny(const std::u32string& haystack, const std::vector<std::u32string>& needles) {
  return std::any_of(needles.begin(), needles.end(), [&](const std::u32string& needle) {
    return haystack.find(needle) != std::u32string::npos;
  });
}

RuleState PassIf(bool satisfied) {
  return satisfied ? RuleState::kPass : RuleState::kFail;
}

// Whether a policy turns a rule on; rules an admin cannot turn off are always on.
bool RuleEnabled(std::string_view rule, const PasswordPolicy& policy) {
  if (rule == "uppercase") return policy.require_uppercase;
  if (rule == "lowercase") return policy.require_lowercase;
  if (rule == "digit") return policy.require_digit;
  if (rule == "symbol") return policy.require_symbol;
  if (rule == "reuse") return policy.reuse_history > 0;
  return true;
}

// What to do about a failed rule. Built only for failures: most rules pass
// on most keystrokes.
std::string ViolationMessage(std::string_view rule, const PasswordPolicy& policy) {
  if (rule == "utf8") return "The password contains bytes that are not valid UTF-8 text.";
  if (rule == "control_characters")
    return "Remove control characters such as tabs, line breaks or NUL.";
  if (rule == "min_length")
    return "Use at least " + std::to_string(policy.min_length) + " characters.";
  if (rule == "max_length")
    return "Use at most " + std::to_string(policy.max_length) + " characters.";
  if (rule == "uppercase") return "Add an uppercase letter.";
  if (rule == "lowercase") return "Add a lowercase letter.";
  if (rule == "digit") return "Add a number.";
  if (rule == "symbol") return "Add a symbol such as ! @ # or a space.";
  if (rule == "common")
    return "This password is one of the most common; choose one that is harder to guess.";
  if (rule == "personal_info") return "Don't use your name or email address in your password.";
  return "Choose a password you have not used for your last " +
         std::to_string(policy.reuse_history) + " passwords.";
}

const char* StateName(RuleState state) {
  switch (state) {
    case RuleState::kPass:
      return "pass";
    case RuleState::kFail:
      return "fail";
    case RuleState::kOff:
      return "off";
    case RuleState::kUnchecked:
      return "unchecked";
  }
  return "off";
}

}  // namespace

PasswordCheck CheckPassword(const PasswordPolicy& policy, std::string_view password,
                            const PasswordContext& context) {
  const DecodedText decoded = DecodeUtf8(password);
  const std::u32string& text = decoded.code_points;
  const auto has = [&](bool (*predicate)(char32_t)) {
    return std::any_of(text.begin(), text.end(), predicate);
  };
  const std::u32string lower = Lowercase(text);

  std::vector<RuleOutcome> rules;
  rules.reserve(kRuleCount);
  const auto add = [&](std::string_view rule, RuleState state) {
    rules.push_back(
        {rule, state, state == RuleState::kFail ? ViolationMessage(rule, policy) : std::string()});
  };
  add("utf8", PassIf(decoded.valid));
  add("control_characters", PassIf(!has(IsControl)));
  add("min_length", PassIf(text.size() >= static_cast<size_t>(policy.min_length)));
  add("max_length", PassIf(text.size() <= static_cast<size_t>(policy.max_length)));
  // An optional rule is either switched off or judged pass/fail.
  const auto optional = [&](std::string_view rule, bool (*satisfies)(char32_t)) {
    add(rule, RuleEnabled(rule, policy) ? PassIf(has(satisfies)) : RuleState::kOff);
  };
  optional("uppercase", IsUppercase);
  optional("lowercase", IsLowercase);
  optional("digit", IsDecimalDigit);
  optional("symbol", IsSymbol);
  add("common", PassIf(!IsCommonPassword(lower)));
  add("personal_info", PassIf(!ContainsAny(lower, PersonalTokens(context))));
  RuleState reuse = RuleState::kOff;
  if (RuleEnabled("reuse", policy)) {
    reuse = !context.reuse_match
                ? RuleState::kUnchecked
                : PassIf(*context.reuse_match == 0 || *context.reuse_match > policy.reuse_history);
  }
  add("reuse", reuse);

  PasswordCheck check;
  check.length = static_cast<int>(text.size());
  check.rules = std::move(rules);
  check.ok = std::none_of(check.rules.begin(), check.rules.end(),
                          [](const RuleOutcome& r) { return r.state == RuleState::kFail; });
  return check;
}

std::string PasswordCheckToJson(const PasswordCheck& check) {
  JsonWriter w(512);  // a typical result is about 300 bytes
  w.BeginObject().Key("ok").Bool(check.ok).Key("length").Int(check.length);
  w.Key("violations").BeginArray();
  for (const RuleOutcome& r : check.rules) {
    if (r.state != RuleState::kFail) continue;
    w.BeginObject().Key("rule").String(r.rule).Key("message").String(r.message).EndObject();
  }
  w.EndArray().Key("rules").BeginObject();
  for (const RuleOutcome& r : check.rules) w.Key(r.rule).String(StateName(r.state));
  w.EndObject().EndObject();
  return w.Take();
}

std::vector<RuleLabel> PasswordRules(const PasswordPolicy& policy) {
  const std::string history = std::to_string(policy.reuse_history);
  return {
      {"utf8", "Valid text (UTF-8)"},
      {"control_characters", "No control characters"},
      {"min_length", "At least " + std::to_string(policy.min_length) + " characters"},
      {"max_length", "At most " + std::to_string(policy.max_length) + " characters"},
      {"uppercase", "An uppercase letter"},
      {"lowercase", "A lowercase letter"},
      {"digit", "A number"},
      {"symbol", "A symbol or space"},
      {"common", "Not a commonly used password"},
      {"personal_info", "Doesn't contain your name or email"},
      {"reuse", "Not one of your last " + history + " passwords"},
  };
}

std::string PasswordRulesToJson(const PasswordPolicy& policy) {
  JsonWriter w(1024);
  w.BeginArray();
  for (const RuleLabel& r : PasswordRules(policy)) {
    w.BeginObject()
        .Key("rule")
        .String(r.rule)
        .Key("label")
        .String(r.label)
        .Key("enabled")
        .Bool(RuleEnabled(r.rule, policy))
        .EndObject();
  }
  w.EndArray();
  return w.Take();
}

Result<PasswordContext> ParsePasswordContext(std::string_view json) {
  PasswordContext context;
  if (json.empty()) return context;
  auto object = ParseObject(json, "context", {"email", "name", "reuse_match"});
  if (!object.ok()) return object.status();
  const JsonValue& o = object.value();
  constexpr size_t kMaxField = 320;  // RFC 5321's limit on an address path
  for (Status s : {ReadString(o, "email", kMaxField, context.email),
                   ReadString(o, "name", kMaxField, context.name)}) {
    if (!s.ok()) return s;
  }
  if (const JsonValue* field = o.Find("reuse_match"); field && !field->is_null()) {
    int match = 0;
    Status s =
        ReadInt(o, "reuse_match", FieldRange{0, PasswordPolicy::kReuseHistoryRange.max}, match);
    if (!s.ok()) return s;
    context.reuse_match = match;
  }
  return context;
}

Result<std::string> CheckPasswordJson(std::string_view policy_json, std::string_view password,
                                      std::string_view context_json) {
  auto policy = ParsePasswordPolicy(policy_json);
  if (!policy.ok()) return policy.status();
  auto context = ParsePasswordContext(context_json);
  if (!context.ok()) return context.status();
  return PasswordCheckToJson(CheckPassword(policy.value(), password, context.value()));
}

}  // namespace deskgate
