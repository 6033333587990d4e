// SettingsService: each portal's authentication settings. A portal never
// saved has the defaults; a read that fails (the database, or stored JSON
// that no longer parses) is an error the caller refuses the request with,
// never the defaults, which are the weakest settings. Writes are validated
// by the shared/ parser, stored, and audited with the values before and
// after, in one transaction.
#pragma once

#include <array>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "server/services/clock.h"
#include "server/store/people_store.h"
#include "server/store/settings_store.h"
#include "shared/core/json_value.h"
#include "shared/settings/auth_settings.h"

namespace deskgate::services {

// How long a successful test sign-in lets its admin turn passwords off.
inline constexpr int64_t kSsoTestValidSeconds = 24 * 3600;

// Whether `provider`'s last successful test sign-in was by `person_id`
// within kSsoTestValidSeconds of `now`.
bool TestVouchesFor(const store::SsoProviderRow& provider, int64_t person_id, int64_t now);

// A portal's settings from their stored JSON; the defaults when none,
// kUnavailable when the JSON does not parse.
Result<AuthSettings> StoredAuthSettings(store::Portal portal,
                                        const std::optional<std::string>& json);

class SettingsService {
 public:
  SettingsService(store::SettingsStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Served from memory after the first successful read; Put refreshes it,
  // and a change written by another process (the break-glass command, a
  // second server on the same database) is read within kRecheck.
  Result<AuthSettings> Get(store::Portal portal);
  // Parts read on every request, without copying the whole document.
  Result<SessionSettings> Session(store::Portal portal);
  Result<std::string> PasswordPolicyJson(store::Portal portal);
  // Applies `change` (any of the sections; each given replaces the stored
  // one, each left out keeps its stored values) to the portal's settings. Errors name the
  // field. Modes with single sign-on need a provider, and turning password
  // sign-in off (SSO-only) a recent successful test sign-in by the same
  // admin, so nobody is locked out; both are checked in the write's
  // transaction. When the change turns MFA on with enforcement
  // "immediately", every other session of the portal ends in the same
  // transaction; `actor_session_id` (the admin making the change) is kept.
  Result<AuthSettings> Put(store::Portal portal, const JsonValue& change, int64_t actor_id,
                           int64_t actor_session_id, const std::string& ip);

 private:
  struct Cached {
    AuthSettings settings;
    std::string policy_json;  // PasswordPolicyToJson(settings.password)
  };
  static Cached Prepare(AuthSettings settings);
  Result<AuthSettings> Load(store::Portal portal);
  // The portal's cache entry, loaded on first use; only a successful read
  // is cached. Caller holds mutex_.
  Result<const Cached*> Entry(store::Portal portal);

  // Drops the cache when the database's settings version moved since the
  // last look (at most every kRecheck). Caller holds mutex_.
  void DropIfChangedElsewhere();

  // How stale a change made by another process may be seen.
  static constexpr std::chrono::milliseconds kRecheck{250};

  store::SettingsStore& store_;
  const Clock& clock_;
  std::mutex mutex_;
  std::array<std::optional<Cached>, 2> cache_;  // by portal
  std::optional<int64_t> cached_version_;       // settings_version the cache belongs to
  std::chrono::steady_clock::time_point checked_at_;
};

// Whether a signed-in person may read and change authentication settings.
bool CanManageAuthentication(const store::Person& person);

}  // namespace deskgate::services
