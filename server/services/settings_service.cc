#include "server/services/settings_service.h"

#include "server/services/permissions.h"

namespace deskgate::services {

SettingsPortal ToSettingsPortal(store::Portal portal) {
  return portal == store::Portal::kAgent ? SettingsPortal::kAgent : SettingsPortal::kContact;
}

bool CanManageAuthentication(const store::Person& person) {
  return PermissionsOf(person).manage_authentication;
}

bool TestVouchesFor(const store::SsoProviderRow& provider, int64_t person_id, int64_t now) {
  return provider.tested_by == person_id && now - provider.tested_at <= kSsoTestValidSeconds;
}

AuthSettings StoredAuthSettings(store::Portal portal, const std::optional<std::string>& json) {
  if (json) {
    // Stored settings were valid when written; the provider was checked then.
    auto parsed = ParseAuthSettings(*json, ToSettingsPortal(portal), true);
    if (parsed.ok()) return parsed.value();
  }
  return DefaultAuthSettings(ToSettingsPortal(portal));
}

SettingsService::Cached SettingsService::Prepare(AuthSettings settings) {
  std::string policy_json = PasswordPolicyToJson(settings.password);
  return {std::move(settings), std::move(policy_json)};
}

const SettingsService::Cached& SettingsService::Entry(store::Portal portal) {
  auto& cached = cache_[static_cast<size_t>(portal)];
  if (!cached) cached = Prepare(Load(portal));
  return *cached;
}

AuthSettings SettingsService::Get(store::Portal portal) {
  std::lock_guard lock(mutex_);
  return Entry(portal).settings;
}

SessionSettings SettingsService::Session(store::Portal portal) {
  std::lock_guard lock(mutex_);
  return Entry(portal).settings.session;
}

std::string SettingsService::PasswordPolicyJson(store::Portal portal) {
  std::lock_guard lock(mutex_);
  return Entry(portal).policy_json;
}

AuthSettings SettingsService::Load(store::Portal portal) {
  auto stored = store_.GetPortalSettings(portal);
  return StoredAuthSettings(portal, stored.ok() ? stored.value() : std::nullopt);
}

Result<AuthSettings> SettingsService::Put(store::Portal portal, const JsonValue& change,
                                          int64_t actor_id, int64_t actor_session_id,
                                          const std::string& ip) {
  const AuthSettings current = Get(portal);
  // Whether a provider exists is checked below, inside the write.
  auto parsed = ApplyAuthSettingsChange(change, current, ToSettingsPortal(portal), true);
  if (!parsed.ok()) return parsed.status();
  const AuthSettings& wanted = parsed.value();
  const int64_t now = clock_.Now();
  const store::SignInGuard guard = [&](const store::PortalSignInState& state) -> Status {
    if (UsesSingleSignOn(wanted) && !state.provider) {
      return Status::Error("portal_access.mode: \"" + wanted.portal_access +
                           "\" needs single sign-on; configure an identity provider first");
    }
    const AuthSettings stored = StoredAuthSettings(portal, state.settings_json);
    if (AllowsPasswordLogin(stored) && !AllowsPasswordLogin(wanted) &&
        !(state.provider && TestVouchesFor(*state.provider, actor_id, now))) {
      return Status::Error(
          "portal_access.mode: complete a Test sign-in with the current identity provider "
          "settings first; with passwords off, nobody could sign in if single sign-on failed");
    }
    return Status::Ok();
  };
  const bool end_sessions = MfaTightened(current.mfa, parsed.value().mfa) &&
                            parsed.value().mfa.enforcement == "immediately";
  const std::string before = AuthSettingsToJson(current);
  const std::string after = AuthSettingsToJson(parsed.value());
  const std::string details = R"({"before":)" + before + R"(,"after":)" + after + "}";
  const store::AuditEvent audit{clock_.Now(),
                                actor_id > 0 ? std::optional<int64_t>(actor_id) : std::nullopt,
                                store::PortalName(portal),
                                "settings.authentication.changed",
                                "",
                                ip,
                                details};
  std::lock_guard lock(mutex_);
  if (Status s =
          store_.PutPortalSettings(portal, after, audit, end_sessions, actor_session_id, guard);
      !s.ok()) {
    cache_[static_cast<size_t>(portal)].reset();  // unknown state: read it again next time
    return s;
  }
  cache_[static_cast<size_t>(portal)] = Prepare(parsed.value());
  return parsed.value();
}

}  // namespace deskgate::services
