// A portal locked to single sign-on, written straight into a database as
// the settings page would leave it (a provider, then mode "sso").
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "server/store/sqlite/sqlite_store.h"

namespace deskgate::testing {

// `settings_json` is the portal's whole settings document.
inline void LockAgentPortalToSso(const std::string& db, const std::string& settings_json =
                                                            R"({"portal_access":{"mode":"sso"}})") {
  auto store = std::move(store::SqliteStore::Open(db)).value();
  const store::AuditEvent audit{1, std::nullopt, "agent", "test", "", "", "{}"};
  store::SsoProviderRow provider;
  provider.settings_json =
      R"({"kind":"oidc","tenant":"","authority":"https://login.microsoftonline.com",)"
      R"("issuer":"https://id.example","client_id":"c","allowed_tenants":[],)"
      R"("allowed_domains":[],"create_contacts":false})";
  provider.updated_at = 1;
  REQUIRE(store->PutSsoProvider(store::Portal::kAgent, provider, false, audit, nullptr, {}).ok());
  REQUIRE(store->PutPortalSettings(store::Portal::kAgent, settings_json, audit, false, 0, nullptr)
              .ok());
}

}  // namespace deskgate::testing
