// Evaluating a password against a PasswordPolicy.
//
// The result gives the state of every rule, so a page can draw a live
// checklist, and the violations with a message for each. The checklist's
// labels depend only on the policy, so they come from PasswordRules() once
// per policy rather than with every keystroke's result. The JSON forms are
// the contract shared by the WebAssembly module, the CLI's `policy check` and
// the server: the same inputs give byte-identical JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/core/status.h"
#include "shared/password/password_policy.h"

namespace deskgate {

// Who the password is for, and what only the server can know.
struct PasswordContext {
  std::string email;
  std::string name;
  // Which earlier password the candidate equals: 1 = the current one,
  // 2 = the one before, ...; 0 = none of them. Unset when unknown (in the
  // browser), which leaves the reuse rule "unchecked".
  std::optional<int> reuse_match;
};

enum class RuleState { kPass, kFail, kOff, kUnchecked };

struct RuleOutcome {
  std::string_view rule;  // stable id, e.g. "min_length"
  RuleState state;
  std::string message;  // what to do about it; set when state is kFail
};

struct RuleLabel {
  std::string_view rule;
  std::string label;  // checklist text, e.g. "At least 12 characters"
};

struct PasswordCheck {
  bool ok = false;
  int length = 0;  // in Unicode code points
  std::vector<RuleOutcome> rules;
};

PasswordCheck CheckPassword(const PasswordPolicy& policy, std::string_view password,
                            const PasswordContext& context);

// {"ok":…,"length":…,"violations":[{"rule","message"}…],"rules":{"utf8":"pass",…}}
// where each status is "pass", "fail", "off" or "unchecked".
std::string PasswordCheckToJson(const PasswordCheck& check);

// Every rule in checklist order with its label for this policy, and its
// JSON form [{"rule","label","enabled"}…].
std::vector<RuleLabel> PasswordRules(const PasswordPolicy& policy);
std::string PasswordRulesToJson(const PasswordPolicy& policy);

// Parses {email, name, reuse_match}; every field optional, unknown fields refused.
Result<PasswordContext> ParsePasswordContext(std::string_view json);

// The whole path from JSON inputs to JSON result, as both builds expose it.
// An empty `context_json` means no context.
Result<std::string> CheckPasswordJson(std::string_view policy_json, std::string_view password,
                                      std::string_view context_json);

}  // namespace deskgate
