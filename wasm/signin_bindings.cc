// Embind bindings for the password rules: thin adapters to shared/.
// JSON-shaped inputs and results cross the boundary as strings; api.js
// (linked with --post-js) turns them into the objects pages use.
#include <emscripten/bind.h>

#include <optional>
#include <string>
#include <string_view>

#include "shared/mfa/mfa_settings.h"
#include "shared/mfa/one_time_code.h"
#include "shared/mfa/otpauth.h"
#include "shared/mfa/recovery_code.h"
#include "shared/password/password_check.h"
#include "shared/password/password_expiry.h"
#include "shared/password/password_policy.h"
#include "shared/password/password_policy_advice.h"
#include "shared/settings/auth_settings.h"
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
std::string PortalAccessModesJson(const std::string& name) {
  const auto portal = deskgate::ParsePortal(name);
  if (!portal) return ErrorJson("portal: must be agent or contact");
  return deskgate::PortalAccessModesToJson(*portal);
}

// The MFA constants a page shows: {"code_digits":6,"recovery_code_count":10}.
std::string MfaRulesJson() {
  deskgate::JsonWriter w;
  w.BeginObject().Key("code_digits").Int(deskgate::kOneTimeCodeDigits);
  w.Key("recovery_code_count").Int(deskgate::kRecoveryCodeCount).EndObject();
  return w.Take();
}

bool IsOneTimeCode(const std::string& code) {
  return deskgate::IsOneTimeCodeFormat(code);
}

// "" when the issuer may be saved, else what is wrong with it.
std::string IssuerProblem(const std::string& issuer) {
  const deskgate::Status s = deskgate::CheckIssuer(issuer);
  return s.ok() ? "" : s.message();
}

bool MfaChangeEndsSessions(bool app_before, bool email_before, bool app_after, bool email_after,
                           const std::string& enforcement) {
  deskgate::MfaSettings before, after;
  before.authenticator_app = app_before;
  before.email_otp = email_before;
  after.authenticator_app = app_after;
  after.email_otp = email_after;
  after.enforcement = enforcement;
  return deskgate::MfaChangeEndsSessions(before, after);
}

}  // namespace

EMSCRIPTEN_BINDINGS(deskgate_signin) {
  emscripten::function("_mfaRulesJson", &MfaRulesJson);
  emscripten::function("_isOneTimeCode", &IsOneTimeCode);
  emscripten::function("_issuerProblem", &IssuerProblem);
  emscripten::function("_mfaChangeEndsSessions", &MfaChangeEndsSessions);
  emscripten::function("_portalAccessModesJson", &PortalAccessModesJson);
  emscripten::function("_checkPasswordJson", &CheckPasswordJson);
  emscripten::function("_normalizePolicyJson", &NormalizePolicyJson);
  emscripten::function("_passwordExpiryJson", &PasswordExpiryJson);
  emscripten::function("_policyAdviceJson", &PolicyAdviceJson);
  emscripten::function("_passwordRulesJson", &PasswordRulesJson);
}
