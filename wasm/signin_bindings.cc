// Embind bindings for the password rules: thin adapters to shared/.
// JSON-shaped inputs and results cross the boundary as strings; api.js
// (linked with --post-js) turns them into the objects pages use.
#include <emscripten/bind.h>

#include <optional>
#include <string>
#include <string_view>

#include "shared/settings/auth_settings.h"
#include "shared/password/password_check.h"
#include "shared/password/password_expiry.h"
#include "shared/password/password_policy.h"
#include "shared/password/password_policy_advice.h"
#include "wasm/error_json.h"

namespace {

using deskgate::ErrorJson;

// A page sends the same policy and context with every keystroke; parsing
// them again each time would cost more than the check itself. Remember the
// last text and what it parsed to.
template <typename T>
class LastParsed {
 public:
  explicit LastParsed(deskgate::Result<T> (*parse)(std::string_view)) : parse_(parse) {}
  const deskgate::Result<T>& Get(const std::string& json) {
    if (!result_ || json != text_) {
      result_.emplace(parse_(json));
      text_ = json;
    }
    return *result_;
  }

 private:
  deskgate::Result<T> (*parse_)(std::string_view);
  std::string text_;
  std::optional<deskgate::Result<T>> result_;
};

std::string CheckPasswordJson(const std::string& policy_json, const std::string& password,
                              const std::string& context_json) {
  static LastParsed<deskgate::PasswordPolicy> policies(&deskgate::ParsePasswordPolicy);
  static LastParsed<deskgate::PasswordContext> contexts(&deskgate::ParsePasswordContext);
  const auto& policy = policies.Get(policy_json);
  if (!policy.ok()) return ErrorJson(policy.error());
  const auto& context = contexts.Get(context_json);
  if (!context.ok()) return ErrorJson(context.error());
  return deskgate::PasswordCheckToJson(
      deskgate::CheckPassword(policy.value(), password, context.value()));
}

std::string NormalizePolicyJson(const std::string& policy) {
  auto parsed = deskgate::ParsePasswordPolicy(policy);
  return parsed.ok() ? deskgate::PasswordPolicyToJson(parsed.value()) : ErrorJson(parsed.error());
}

std::string PasswordRulesJson(const std::string& policy) {
  auto parsed = deskgate::ParsePasswordPolicy(policy);
  return parsed.ok() ? deskgate::PasswordRulesToJson(parsed.value()) : ErrorJson(parsed.error());
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

// The portal-access modes of "agent" or "contact", with needs_sso and allows_password.
std::string PortalAccessModesJson(const std::string& portal) {
  if (portal != "agent" && portal != "contact") {
    return ErrorJson("portal: must be agent or contact");
  }
  return deskgate::PortalAccessModesToJson(portal == "agent" ? deskgate::SettingsPortal::kAgent
                                                             : deskgate::SettingsPortal::kContact);
}

}  // namespace

EMSCRIPTEN_BINDINGS(deskgate_signin) {
  emscripten::function("_portalAccessModesJson", &PortalAccessModesJson);
  emscripten::function("_checkPasswordJson", &CheckPasswordJson);
  emscripten::function("_normalizePolicyJson", &NormalizePolicyJson);
  emscripten::function("_passwordExpiryJson", &PasswordExpiryJson);
  emscripten::function("_policyAdviceJson", &PolicyAdviceJson);
  emscripten::function("_passwordRulesJson", &PasswordRulesJson);
}
