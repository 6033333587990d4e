// Running deskgate as a service: settings changed by another process,
// readiness, metrics and the access log, over real HTTP.
#include <httplib.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "../support/accounts.h"
#include "../support/subprocess.h"
#include "server/store/sqlite/sqlite_store.h"

using deskgate::testing::Login;
using deskgate::testing::Must;
using deskgate::testing::Run;
using deskgate::testing::ServerProcess;

namespace {

httplib::Client ClientFor(const ServerProcess& server) {
  httplib::Client client("127.0.0.1", server.port());
  client.set_connection_timeout(5);
  client.set_read_timeout(5);
  return client;
}

// Polls `check` every 20 ms for up to `limit`; returns how long it took to
// hold, or nullopt if it never did.
template <typename Check>
std::optional<std::chrono::milliseconds> Within(std::chrono::milliseconds limit, Check check) {
  const auto start = std::chrono::steady_clock::now();
  while (true) {
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    if (check()) return waited;
    if (waited > limit) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

int LoginStatus(httplib::Client& client, const std::string& email) {
  auto res = Login(client, "agent", email);
  return res ? res->status : -1;
}

}  // namespace

TEST_CASE("Settings written by another process apply within a second, without a restart",
          "[api][operations]") {
  ServerProcess server;
  deskgate::testing::AddUser(server.db_path(), "agent", "ops@example.com", "Administrator");
  auto client = ClientFor(server);
  REQUIRE(LoginStatus(client, "ops@example.com") == 200);  // the settings are cached now

  {
    // Another process locks the agent portal to single sign-on, as a second
    // server's settings page would.
    auto store = std::move(deskgate::store::SqliteStore::Open(server.db_path())).value();
    const deskgate::store::AuditEvent audit{1, std::nullopt, "agent", "test", "", "", "{}"};
    deskgate::store::SsoProviderRow provider;
    provider.settings_json =
        R"({"kind":"oidc","tenant":"","authority":"https://login.microsoftonline.com",)"
        R"("issuer":"https://id.example","client_id":"c","allowed_tenants":[],)"
        R"("allowed_domains":[],"create_contacts":false})";
    provider.updated_at = 1;
    REQUIRE(
        store->PutSsoProvider(deskgate::store::Portal::kAgent, provider, false, audit, nullptr, {})
            .ok());
    REQUIRE(store
                ->PutPortalSettings(deskgate::store::Portal::kAgent,
                                    R"({"portal_access":{"mode":"sso"}})", audit, false, 0, nullptr)
                .ok());
  }
  auto refused = Within(std::chrono::milliseconds(1000),
                        [&] { return LoginStatus(client, "ops@example.com") != 200; });
  REQUIRE(refused);

  // The break-glass command lets passwords back in, while the server runs.
  auto glass = Run({"settings", "portal-access", "--portal", "agent", "--mode", "both", "--db",
                    server.db_path()});
  Must(glass);
  CHECK(glass.out.find("within a second") != std::string::npos);
  auto allowed = Within(std::chrono::milliseconds(1000),
                        [&] { return LoginStatus(client, "ops@example.com") == 200; });
  REQUIRE(allowed);
  INFO("applied after " << allowed->count() << " ms");
  CHECK(allowed->count() <= 1000);
}
