// SettingsStore: each portal's authentication settings, and the guard a
// write that could lock people out runs inside its own transaction.
//
// Thread safety: every method may be called from many threads at once; each
// is atomic (a write that changes several rows does so in one transaction,
// with its audit entry), and a read sees only committed writes.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "server/store/audit_event.h"
#include "server/store/portal.h"
#include "shared/core/status.h"

namespace deskgate::store {

// A portal's identity provider as stored.
struct SsoProviderRow {
  std::string settings_json;           // SsoSettingsToJson, without the secret
  std::vector<uint8_t> client_secret;  // sealed; empty for a public client
  int64_t version = 0;                 // set by the store: 1, then +1 per change
  int64_t updated_at = 0;
  // The admin whose test sign-in last succeeded with these settings.
  std::optional<int64_t> tested_by;
  int64_t tested_at = 0;
};

// A portal's sign-in setup as stored: its settings JSON and its provider.
struct PortalSignInState {
  std::optional<std::string> settings_json;
  std::optional<SsoProviderRow> provider;
};
// A check that a write which could lock people out runs inside its own
// transaction, on the state as it is there; an error aborts the write.
using SignInGuard = std::function<Status(const PortalSignInState&)>;

class SettingsStore {
 public:
  virtual ~SettingsStore() = default;

  // A portal's authentication settings as JSON text, or nullopt when never saved.
  virtual Result<std::optional<std::string>> GetPortalSettings(Portal portal) = 0;
  // A number that moves whenever any process changes any portal's settings.
  virtual Result<int64_t> SettingsVersion() = 0;
  // With `end_sessions`, also ends every session of the portal except
  // `keep_session_id` (MFA required "immediately"). `guard` runs first, in
  // the same transaction.
  virtual Status PutPortalSettings(Portal portal, const std::string& json, const AuditEvent& audit,
                                   bool end_sessions = false, int64_t keep_session_id = 0,
                                   const SignInGuard& guard = nullptr) = 0;
};

}  // namespace deskgate::store
