#include "shared/password/password_policy_advice.h"

#include "shared/core/json_writer.h"

namespace deskgate {

std::vector<PolicyAdvice> AdviseOnPolicy(const PasswordPolicy& policy) {
  std::vector<PolicyAdvice> advice;
  if (policy.min_length < 12) {
    advice.push_back({"min_length",
                      "OWASP ASVS 4.0.3 (2.1.1) asks for at least 12 characters; NIST SP 800-63B "
                      "accepts 8 only as a floor."});
  }
  const char* composition =
      "NIST SP 800-63B (5.1.1.2) advises against composition rules: they lead to predictable "
      "patterns such as Password1! and add little strength.";
  for (auto [field, on] :
       {std::pair<std::string_view, bool>{"require_uppercase", policy.require_uppercase},
        {"require_lowercase", policy.require_lowercase},
        {"require_digit", policy.require_digit},
        {"require_symbol", policy.require_symbol}}) {
    if (on) advice.push_back({field, composition});
  }
  if (policy.expiry_days > 0) {
    advice.push_back({"expiry_days",
                      "NIST SP 800-63B (5.1.1.2) advises against periodic expiry; require a change "
                      "only when there is evidence of compromise."});
  }
  return advice;
}

std::string PolicyAdviceToJson(const std::vector<PolicyAdvice>& advice) {
  JsonWriter w;
  w.BeginArray();
  for (const PolicyAdvice& a : advice) {
    w.BeginObject().Key("field").String(a.field).Key("note").String(a.note).EndObject();
  }
  w.EndArray();
  return w.Take();
}

}  // namespace deskgate
