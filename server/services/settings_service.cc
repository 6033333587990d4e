#include "server/services/settings_service.h"

namespace deskgate::services {

SettingsPortal ToSettingsPortal(store::Portal portal) {
  return portal == store::Portal::kAgent ? SettingsPortal::kAgent : SettingsPortal::kContact;
}

bool CanManageAuthentication(const store::Person& person) {
  return person.portal == store::Portal::kAgent && person.role &&
         (person.role->is_admin || person.role->manage_authentication);
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
  if (stored.ok() && stored.value()) {
    // Stored settings were valid when written; SSO was checked then.
    auto parsed = ParseAuthSettings(*stored.value(), ToSettingsPortal(portal), true);
    if (parsed.ok()) return parsed.value();
  }
  return DefaultAuthSettings(ToSettingsPortal(portal));
}

Result<AuthSettings> SettingsService::Put(store::Portal portal, const std::string& json,
                                          int64_t actor_id, int64_t actor_session_id,
                                          const std::string& ip) {
  const bool sso_configured = sso_ != nullptr && sso_->Configured(portal);
  auto parsed = ParseAuthSettings(json, ToSettingsPortal(portal), sso_configured);
  if (!parsed.ok()) return parsed.status();
  const AuthSettings current = Get(portal);
  if (AllowsPasswordLogin(current) && !AllowsPasswordLogin(parsed.value()) &&
      !sso_->TestedBy(portal, actor_id)) {
    return Status::Error(
        "portal_access.mode: complete a Test sign-in with the current identity provider "
        "settings first; with passwords off, nobody could sign in if single sign-on failed");
  }
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
  if (Status s = store_.PutPortalSettings(portal, after, audit, end_sessions, actor_session_id);
      !s.ok()) {
    cache_[static_cast<size_t>(portal)].reset();  // unknown state: read it again next time
    return s;
  }
  cache_[static_cast<size_t>(portal)] = Prepare(parsed.value());
  return parsed.value();
}

}  // namespace deskgate::services
