#include "shared/settings/auth_settings.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "shared/core/json_fields.h"
#include "shared/core/json_writer.h"
#include "shared/mfa/otpauth.h"

namespace deskgate {
namespace {

// {mode, needs_sso, allows_password}
constexpr std::array<PortalAccessMode, 3> kAgentModes = {
    {{"password", false, true}, {"sso", true, false}, {"both", true, true}}};
constexpr std::array<PortalAccessMode, 3> kContactModes = {
    {{"email_only", false, true}, {"sso_only", true, false}, {"microsoft_and_email", true, true}}};

// The mode's row in either table; nullptr for an unknown mode.
const PortalAccessMode* FindMode(std::string_view mode) {
  for (const auto* modes : {&kAgentModes, &kContactModes}) {
    for (const PortalAccessMode& m : *modes) {
      if (m.mode == mode) return &m;
    }
  }
  return nullptr;
}

bool ModeNeedsSso(std::string_view mode) {
  const PortalAccessMode* m = FindMode(mode);
  return m != nullptr && m->needs_sso;
}

Status ParsePortalAccess(const JsonValue& section, SettingsPortal portal, bool sso_configured,
                         AuthSettings& out) {
  if (Status s = CheckObject(section, "portal_access", {"mode"}); !s.ok()) return s;
  std::string mode = out.portal_access;
  if (Status s = ReadString(section, "mode", 64, mode); !s.ok()) return s;
  const auto modes = PortalAccessModes(portal);
  if (std::none_of(modes.begin(), modes.end(), [&](const auto& m) { return m.mode == mode; })) {
    std::string allowed;
    for (const auto& m : modes) allowed += (allowed.empty() ? "" : ", ") + std::string(m.mode);
    return Status::Error("portal_access.mode: must be one of " + allowed);
  }
  if (ModeNeedsSso(mode) && !sso_configured) {
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
  auto policy = PasswordPolicyFromJson(JsonValue::Object(std::move(policy_members)));
  if (!policy.ok()) return Status::Error("password." + policy.error());
  out.password = policy.value();
  return Status::Ok();
}

Status ParseSession(const JsonValue& section, AuthSettings& out) {
  if (Status s =
          CheckObject(section, "session", {"idle_timeout_minutes", "absolute_timeout_hours"});
      !s.ok()) {
    return s;
  }
  std::string problems;  // both fields' at once
  for (Status s : {ReadInt(section, "idle_timeout_minutes", SessionSettings::kIdleMinutesRange,
                           out.session.idle_timeout_minutes),
                   ReadInt(section, "absolute_timeout_hours", SessionSettings::kLifetimeHoursRange,
                           out.session.absolute_timeout_hours)}) {
    if (s.ok()) continue;
    if (!problems.empty()) problems += '\n';
    problems += "session.";
    problems += s.message();
  }
  return problems.empty() ? Status::Ok() : Status::Error(problems);
}

Status ParseMfa(const JsonValue& section, AuthSettings& out) {
  if (Status s =
          CheckObject(section, "mfa", {"authenticator_app", "email_otp", "issuer", "enforcement"});
      !s.ok()) {
    return s;
  }
  MfaSettings& mfa = out.mfa;
  std::string issuer = mfa.issuer;
  for (Status s :
       {ReadBool(section, "authenticator_app", mfa.authenticator_app),
        ReadBool(section, "email_otp", mfa.email_otp), ReadString(section, "issuer", 256, issuer),
        ReadString(section, "enforcement", 32, mfa.enforcement)}) {
    if (!s.ok()) return Status::Error("mfa." + s.message());
  }
  if (Status s = CheckIssuer(issuer); !s.ok()) return Status::Error("mfa." + s.message());
  mfa.issuer = std::string(TrimIssuer(issuer));
  if (mfa.enforcement != "immediately" && mfa.enforcement != "next_login") {
    return Status::Error("mfa.enforcement: must be immediately or next_login");
  }
  return Status::Ok();
}

}  // namespace

std::span<const PortalAccessMode> PortalAccessModes(SettingsPortal portal) {
  if (portal == SettingsPortal::kAgent) return kAgentModes;
  return kContactModes;
}

std::string PortalAccessModesToJson(SettingsPortal portal) {
  JsonWriter w;
  w.BeginArray();
  for (const PortalAccessMode& m : PortalAccessModes(portal)) {
    w.BeginObject().Key("mode").String(m.mode).Key("needs_sso").Bool(m.needs_sso);
    w.Key("allows_password").Bool(m.allows_password).EndObject();
  }
  w.EndArray();
  return w.Take();
}

AuthSettings DefaultAuthSettings(SettingsPortal portal) {
  AuthSettings settings;
  settings.portal_access = portal == SettingsPortal::kAgent ? "password" : "email_only";
  return settings;
}

Result<AuthSettings> ApplyAuthSettingsChange(const JsonValue& change, const AuthSettings& current,
                                             SettingsPortal portal, bool sso_configured) {
  if (Status s = CheckObject(change, "settings", {"portal_access", "mfa", "password", "session"});
      !s.ok()) {
    return s;
  }
  // A section given is taken whole (its missing fields take their
  // defaults); a section left out keeps its current values.
  // Every section is read even after one fails, so that every bad field
  // is reported at once (one per line, in the page's order).
  const AuthSettings defaults = DefaultAuthSettings(portal);
  AuthSettings settings = current;
  std::string problems;
  const auto note = [&](const Status& s) {
    if (s.ok()) return;
    if (!problems.empty()) problems += '\n';
    problems += s.message();
  };
  if (const JsonValue* v = change.Find("portal_access")) {
    settings.portal_access = defaults.portal_access;
    note(ParsePortalAccess(*v, portal, sso_configured, settings));
  }
  if (const JsonValue* v = change.Find("mfa")) {
    settings.mfa = defaults.mfa;
    note(ParseMfa(*v, settings));
  }
  if (const JsonValue* v = change.Find("password")) {
    settings.password = defaults.password;
    settings.enforce_policy = defaults.enforce_policy;
    note(ParsePasswordSection(*v, settings));
  }
  if (const JsonValue* v = change.Find("session")) {
    settings.session = defaults.session;
    note(ParseSession(*v, settings));
  }
  if (!problems.empty()) return Status::Error(problems);
  return settings;
}

Result<AuthSettings> ParseAuthSettings(std::string_view json, SettingsPortal portal,
                                       bool sso_configured) {
  auto parsed = ParseJson(json);
  if (!parsed.ok()) return Status::Error("settings: " + parsed.error());
  return ApplyAuthSettingsChange(parsed.value(), DefaultAuthSettings(portal), portal,
                                 sso_configured);
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
  w.Key("mfa")
      .BeginObject()
      .Key("authenticator_app")
      .Bool(s.mfa.authenticator_app)
      .Key("email_otp")
      .Bool(s.mfa.email_otp)
      .Key("issuer")
      .String(s.mfa.issuer)
      .Key("enforcement")
      .String(s.mfa.enforcement)
      .EndObject();
  w.Key("password").Raw(password);
  w.Key("session")
      .BeginObject()
      .Key("idle_timeout_minutes")
      .Int(s.session.idle_timeout_minutes)
      .Key("absolute_timeout_hours")
      .Int(s.session.absolute_timeout_hours)
      .EndObject();
  w.EndObject();
  return w.Take();
}

bool AllowsPasswordLogin(const AuthSettings& settings) {
  const PortalAccessMode* m = FindMode(settings.portal_access);
  return m == nullptr || m->allows_password;
}

bool UsesSingleSignOn(const AuthSettings& settings) {
  return ModeNeedsSso(settings.portal_access);
}

}  // namespace deskgate
