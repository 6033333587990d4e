#include "server/services/settings_service.h"

#include "server/services/permissions.h"
#include "shared/core/json_writer.h"

namespace deskgate::services {

bool CanManageAuthentication(const store::Person& person) {
  return PermissionsOf(person).manage_authentication;
}

bool TestVouchesFor(const store::SsoProviderRow& provider, int64_t person_id, int64_t now) {
  return provider.tested_by == person_id && now - provider.tested_at <= kSsoTestValidSeconds;
}

Result<AuthSettings> StoredAuthSettings(store::Portal portal,
                                        const std::optional<std::string>& json) {
  if (!json) return DefaultAuthSettings(portal);
  // Stored settings were valid when written; the provider was checked then.
  auto parsed = ParseAuthSettings(*json, portal, true);
  if (parsed.ok()) return parsed;
  return Status::Of(StatusCode::kUnavailable, std::string("the stored settings of the ") +
                                                  store::PortalName(portal) +
                                                  " portal cannot be read");
}

SettingsService::Cached SettingsService::Prepare(AuthSettings settings) {
  std::string policy_json = PasswordPolicyToJson(settings.password);
  return {std::move(settings), std::move(policy_json)};
}

void SettingsService::DropIfChangedElsewhere() {
  const auto now = std::chrono::steady_clock::now();
  if (cached_version_ && now - checked_at_ < kRecheck) return;
  checked_at_ = now;
  auto version = store_.SettingsVersion();
  // Unreadable: keep what is cached (the next look tries again).
  if (!version.ok() || version.value() == cached_version_) return;
  // Read before the settings, so the cache is never older than its version.
  cached_version_ = version.value();
  for (auto& entry : cache_) entry.reset();
}

Result<const SettingsService::Cached*> SettingsService::Entry(store::Portal portal) {
  DropIfChangedElsewhere();
  auto& cached = cache_[static_cast<size_t>(portal)];
  if (!cached) {
    auto loaded = Load(portal);
    if (!loaded.ok()) return loaded.status();
    cached = Prepare(std::move(loaded).value());
  }
  return &*cached;
}

Result<AuthSettings> SettingsService::Get(store::Portal portal) {
  std::lock_guard lock(mutex_);
  auto entry = Entry(portal);
  if (!entry.ok()) return entry.status();
  return entry.value()->settings;
}

Result<SessionSettings> SettingsService::Session(store::Portal portal) {
  std::lock_guard lock(mutex_);
  auto entry = Entry(portal);
  if (!entry.ok()) return entry.status();
  return entry.value()->settings.session;
}

Result<std::string> SettingsService::PasswordPolicyJson(store::Portal portal) {
  std::lock_guard lock(mutex_);
  auto entry = Entry(portal);
  if (!entry.ok()) return entry.status();
  return entry.value()->policy_json;
}

Result<AuthSettings> SettingsService::Load(store::Portal portal) {
  auto stored = store_.GetPortalSettings(portal);
  if (!stored.ok()) return stored.status();
  return StoredAuthSettings(portal, stored.value());
}

Result<AuthSettings> SettingsService::Put(store::Portal portal, const JsonValue& change,
                                          int64_t actor_id, int64_t actor_session_id,
                                          const std::string& ip) {
  auto read = Get(portal);
  if (!read.ok()) return read.status();
  const AuthSettings& current = read.value();
  // Whether a provider exists is checked below, inside the write.
  auto parsed = ApplyAuthSettingsChange(change, current, portal, true);
  if (!parsed.ok()) return parsed.status();
  const AuthSettings& wanted = parsed.value();
  const int64_t now = clock_.Now();
  const store::SignInGuard guard = [&](const store::PortalSignInState& state) -> Status {
    if (UsesSingleSignOn(wanted) && !state.provider) {
      return Status::Error("portal_access.mode: \"" + wanted.portal_access +
                           "\" needs single sign-on; configure an identity provider first");
    }
    auto stored = StoredAuthSettings(portal, state.settings_json);
    if (!stored.ok()) return stored.status();
    if (AllowsPasswordLogin(stored.value()) && !AllowsPasswordLogin(wanted) &&
        !(state.provider && TestVouchesFor(*state.provider, actor_id, now))) {
      return Status::Error(
          "portal_access.mode: complete a Test sign-in with the current identity provider "
          "settings first; with passwords off, nobody could sign in if single sign-on failed");
    }
    return Status::Ok();
  };
  const bool end_sessions = MfaChangeEndsSessions(current.mfa, parsed.value().mfa);
  const std::string before = AuthSettingsToJson(current);
  const std::string after = AuthSettingsToJson(parsed.value());
  JsonWriter details_json;
  details_json.BeginObject().Key("before").Raw(before).Key("after").Raw(after).EndObject();
  const std::string details = details_json.Take();
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
