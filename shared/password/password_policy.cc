#include "shared/password/password_policy.h"

#include "shared/core/json_fields.h"
#include "shared/core/json_writer.h"

namespace deskgate {

Result<PasswordPolicy> ParsePasswordPolicy(std::string_view json) {
  auto parsed = ParseJson(json);
  if (!parsed.ok()) return Status::Error("policy: " + parsed.error());
  return PasswordPolicyFromJson(parsed.value());
}

Result<PasswordPolicy> PasswordPolicyFromJson(const JsonValue& o) {
  if (Status s = CheckObject(o, "policy",
                             {"min_length", "max_length", "require_uppercase", "require_lowercase",
                              "require_digit", "require_symbol", "expiry_days", "reuse_history"});
      !s.ok()) {
    return s;
  }
  PasswordPolicy p;
  for (Status s :
       {ReadInt(o, "min_length", PasswordPolicy::kMinLengthRange, p.min_length),
        ReadInt(o, "max_length", PasswordPolicy::kMaxLengthRange, p.max_length),
        ReadBool(o, "require_uppercase", p.require_uppercase),
        ReadBool(o, "require_lowercase", p.require_lowercase),
        ReadBool(o, "require_digit", p.require_digit),
        ReadBool(o, "require_symbol", p.require_symbol),
        ReadInt(o, "expiry_days", PasswordPolicy::kExpiryDaysRange, p.expiry_days),
        ReadInt(o, "reuse_history", PasswordPolicy::kReuseHistoryRange, p.reuse_history)}) {
    if (!s.ok()) return s;
  }
  if (p.max_length < p.min_length) {
    return Status::Error("max_length: must be at least min_length (" +
                         std::to_string(p.min_length) + ")");
  }
  return p;
}

std::string PasswordPolicyToJson(const PasswordPolicy& p) {
  JsonWriter w;
  w.BeginObject()
      .Key("min_length")
      .Int(p.min_length)
      .Key("max_length")
      .Int(p.max_length)
      .Key("require_uppercase")
      .Bool(p.require_uppercase)
      .Key("require_lowercase")
      .Bool(p.require_lowercase)
      .Key("require_digit")
      .Bool(p.require_digit)
      .Key("require_symbol")
      .Bool(p.require_symbol)
      .Key("expiry_days")
      .Int(p.expiry_days)
      .Key("reuse_history")
      .Int(p.reuse_history)
      .EndObject();
  return w.Take();
}

}  // namespace deskgate
