#include "shared/auth_settings.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "shared/json_fields.h"
#include "shared/json_writer.h"

namespace deskgate {
namespace {

constexpr std::array<std::string_view, 3> kAgentModes = {"password", "sso", "both"};
constexpr std::array<std::string_view, 3> kContactModes = {"email_only", "sso_only",
                                                           "microsoft_and_email"};

bool NeedsSso(std::string_view mode) {
  return mode != "password" && mode != "email_only";
}

// Serializes a section object back to text so the section parsers, which
// take text, can be reused for nested objects.
std::string SectionText(const JsonValue& value);

void WriteValue(JsonWriter& w, const JsonValue& v) {
  switch (v.type()) {
    case JsonValue::Type::kNull:
      w.Null();
      break;
    case JsonValue::Type::kBool:
      w.Bool(v.as_bool());
      break;
    case JsonValue::Type::kNumber: {
      // Settings are integers; anything else keeps enough precision to be refused.
      const double n = v.as_number();
      if (n == static_cast<double>(static_cast<int64_t>(n)) && n > -1e15 && n < 1e15) {
        w.Int(static_cast<int64_t>(n));
      } else {
        w.String("not an integer");
      }
      break;
    }
    case JsonValue::Type::kString:
      w.String(v.as_string());
      break;
    case JsonValue::Type::kArray:
      w.BeginArray();
      for (const auto& item : v.items()) WriteValue(w, item);
      w.EndArray();
      break;
    case JsonValue::Type::kObject:
      w.BeginObject();
      for (const auto& [key, item] : v.members()) {
        w.Key(key);
        WriteValue(w, item);
      }
      w.EndObject();
      break;
  }
}

std::string SectionText(const JsonValue& value) {
  JsonWriter w;
  WriteValue(w, value);
  return w.Take();
}

Status ParsePortalAccess(const JsonValue& section, SettingsPortal portal, bool sso_configured,
                         AuthSettings& out) {
  auto object = ParseObject(SectionText(section), "portal_access", {"mode"});
  if (!object.ok()) return object.status();
  std::string mode = out.portal_access;
  if (Status s = ReadString(object.value(), "mode", 64, mode); !s.ok()) return s;
  const auto& modes = portal == SettingsPortal::kAgent ? kAgentModes : kContactModes;
  if (std::find(modes.begin(), modes.end(), mode) == modes.end()) {
    std::string allowed;
    for (auto m : modes) allowed += (allowed.empty() ? "" : ", ") + std::string(m);
    return Status::Error("portal_access.mode: must be one of " + allowed);
  }
  if (NeedsSso(mode) && !sso_configured) {
    return Status::Error("portal_access.mode: \"" + mode +
                         "\" needs single sign-on; configure an identity provider first");
  }
  out.portal_access = mode;
  return Status::Ok();
}

Status ParsePasswordSection(const JsonValue& section, AuthSettings& out) {
  // The policy fields plus enforce_policy; the policy parser refuses
  // unknown fields, so enforce_policy is taken out first.
  std::vector<JsonValue::Member> policy_members;
  if (!section.is_object()) return Status::Error("password: must be a JSON object");
  for (const auto& member : section.members()) {
    if (member.first == "enforce_policy") {
      if (!member.second.is_string() || (member.second.as_string() != "next_login" &&
                                         member.second.as_string() != "next_change")) {
        return Status::Error("password.enforce_policy: must be next_login or next_change");
      }
      out.enforce_policy = member.second.as_string();
    } else {
      policy_members.push_back(member);
    }
  }
  auto policy = ParsePasswordPolicy(SectionText(JsonValue::Object(std::move(policy_members))));
  if (!policy.ok()) return Status::Error("password." + policy.error());
  out.password = policy.value();
  return Status::Ok();
}

Status ParseSession(const JsonValue& section, AuthSettings& out) {
  auto object = ParseObject(SectionText(section), "session",
                            {"idle_timeout_minutes", "absolute_timeout_hours"});
  if (!object.ok()) return object.status();
  for (Status s :
       {ReadInt(object.value(), "idle_timeout_minutes", SessionSettings::kIdleMinutesRange,
                out.session.idle_timeout_minutes),
        ReadInt(object.value(), "absolute_timeout_hours", SessionSettings::kLifetimeHoursRange,
                out.session.absolute_timeout_hours)}) {
    if (!s.ok()) return Status::Error("session." + s.message());
  }
  return Status::Ok();
}

}  // namespace

AuthSettings DefaultAuthSettings(SettingsPortal portal) {
  AuthSettings settings;
  settings.portal_access = portal == SettingsPortal::kAgent ? "password" : "email_only";
  return settings;
}

Result<AuthSettings> ParseAuthSettings(std::string_view json, SettingsPortal portal,
                                       bool sso_configured) {
  auto object = ParseObject(json, "settings", {"portal_access", "password", "session"});
  if (!object.ok()) return object.status();
  AuthSettings settings = DefaultAuthSettings(portal);
  const JsonValue& o = object.value();
  if (const JsonValue* v = o.Find("portal_access")) {
    if (Status s = ParsePortalAccess(*v, portal, sso_configured, settings); !s.ok()) return s;
  }
  if (const JsonValue* v = o.Find("password")) {
    if (Status s = ParsePasswordSection(*v, settings); !s.ok()) return s;
  }
  if (const JsonValue* v = o.Find("session")) {
    if (Status s = ParseSession(*v, settings); !s.ok()) return s;
  }
  return settings;
}

std::string AuthSettingsToJson(const AuthSettings& s) {
  // The password section is the policy's own JSON plus enforce_policy.
  std::string password = PasswordPolicyToJson(s.password);
  password.pop_back();
  JsonWriter enforce;
  enforce.String(s.enforce_policy);
  password += ",\"enforce_policy\":" + enforce.Take() + "}";

  JsonWriter w(512);
  w.BeginObject();
  w.Key("portal_access").BeginObject().Key("mode").String(s.portal_access).EndObject();
  w.Key("password").Raw(password);
  w.Key("session")
      .BeginObject()
      .Key("idle_timeout_minutes").Int(s.session.idle_timeout_minutes)
      .Key("absolute_timeout_hours").Int(s.session.absolute_timeout_hours)
      .EndObject();
  w.EndObject();
  return w.Take();
}

bool AllowsPasswordLogin(const AuthSettings& settings) {
  return settings.portal_access != "sso" && settings.portal_access != "sso_only";
}

}  // namespace deskgate
