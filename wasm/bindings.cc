// Embind bindings: thin adapters from JavaScript values to shared/.
// JSON-shaped inputs and results cross the boundary as strings; api.js
// (linked with --post-js) turns them into the objects pages use.
#include <emscripten/bind.h>

#include <string>

#include "shared/json_writer.h"
#include "shared/password_check.h"
#include "shared/password_expiry.h"
#include "shared/password_policy.h"
#include "shared/password_policy_advice.h"

namespace {

// Errors come back as {"error": message}; api.js throws them as JS Errors.
std::string ErrorJson(const std::string& message) {
  deskgate::JsonWriter w;
  w.BeginObject().Key("error").String(message).EndObject();
  return w.Take();
}

std::string CheckPasswordJson(const std::string& policy, const std::string& password,
                              const std::string& context) {
  auto result = deskgate::CheckPasswordJson(policy, password, context);
  return result.ok() ? result.value() : ErrorJson(result.error());
}

std::string NormalizePolicyJson(const std::string& policy) {
  auto parsed = deskgate::ParsePasswordPolicy(policy);
  return parsed.ok() ? deskgate::PasswordPolicyToJson(parsed.value()) : ErrorJson(parsed.error());
}

std::string PolicyAdviceJson(const std::string& policy) {
  auto parsed = deskgate::ParsePasswordPolicy(policy);
  if (!parsed.ok()) return ErrorJson(parsed.error());
  return deskgate::PolicyAdviceToJson(deskgate::AdviseOnPolicy(parsed.value()));
}

std::string PasswordExpiryJson(const std::string& policy, double changed_at, double now) {
  auto parsed = deskgate::ParsePasswordPolicy(policy);
  if (!parsed.ok()) return ErrorJson(parsed.error());
  const auto expiry = deskgate::EvaluateExpiry(parsed.value(), static_cast<int64_t>(changed_at),
                                               static_cast<int64_t>(now));
  deskgate::JsonWriter w;
  w.BeginObject()
      .Key("expires")
      .Bool(expiry.expires)
      .Key("expired")
      .Bool(expiry.expired)
      .Key("expires_at")
      .Int(expiry.expires_at)
      .Key("days_left")
      .Int(expiry.days_left)
      .EndObject();
  return w.Take();
}

}  // namespace

EMSCRIPTEN_BINDINGS(deskgate) {
  emscripten::function("_checkPasswordJson", &CheckPasswordJson);
  emscripten::function("_normalizePolicyJson", &NormalizePolicyJson);
  emscripten::function("_passwordExpiryJson", &PasswordExpiryJson);
  emscripten::function("_policyAdviceJson", &PolicyAdviceJson);
}
