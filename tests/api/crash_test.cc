// kill -9 in the middle of the writes that matter — a 10,000-row bulk
// update, an import, a settings change, a key rotation — and after a
// restart each is all or nothing: the database passes its integrity check,
// and rows, history and audit agree.
#include <httplib.h>
#include <signal.h>
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <thread>

#include "../support/accounts.h"
#include "../support/sqlite_probe.h"
#include "../support/subprocess.h"
#include "../support/temp_dir.h"
#include "server/crypto/secret_box.h"

using deskgate::testing::Must;
using deskgate::testing::Run;
using deskgate::testing::ServerProcess;
using deskgate::testing::SqlCount;
using nlohmann::json;

namespace {

void Exec(const std::string& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &handle) == SQLITE_OK);
  sqlite3_busy_timeout(handle, 5000);
  const int rc = sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(handle);
  REQUIRE(rc == SQLITE_OK);
}

std::string IntegrityOf(const std::string& db) {
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &handle) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(handle, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  const std::string result = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(handle);
  return result;
}

// A database that outlives the servers started on it.
struct CrashSite {
  deskgate::testing::TempDir tmp;
  std::string db = (tmp.path() / "crash.db").string();

  // A server on the database, an Administrator signed in.
  std::unique_ptr<ServerProcess> Start(std::string& cookie) {
    auto server = std::make_unique<ServerProcess>(std::vector<std::string>{"--db", db});
    httplib::Client client("127.0.0.1", server->port());
    cookie = deskgate::testing::SignIn(client, "agent", "admin@example.com");
    return server;
  }

  // Sends `body` to `path` from another thread and kills the server
  // `delay` later, whatever the request is doing then.
  void CrashDuring(ServerProcess& server, const std::string& cookie, const std::string& method,
                   const std::string& path, const json& body, std::chrono::milliseconds delay) {
    std::thread request([&] {
      httplib::Client client("127.0.0.1", server.port());
      client.set_read_timeout(30);
      if (method == "PUT") {
        client.Put(path, {{"Cookie", cookie}}, body.dump(), "application/json");
      } else {
        client.Post(path, {{"Cookie", cookie}}, body.dump(), "application/json");
      }
    });
    std::this_thread::sleep_for(delay);
    server.Kill();
    request.join();
  }
};

// From before the write starts to after it committed (the last): both
// outcomes are seen, and the ones between land inside the transaction.
const std::vector<std::chrono::milliseconds> kDelays = {
    std::chrono::milliseconds(2), std::chrono::milliseconds(40), std::chrono::milliseconds(120),
    std::chrono::milliseconds(300), std::chrono::milliseconds(3000)};

}  // namespace

TEST_CASE("kill -9 during a 10,000-row bulk update: all rows or none", "[api][crash]") {
  CrashSite site;
  Must(Run({"seed", "--assets", "10000", "--software", "0", "--db", site.db}));
  deskgate::testing::AddUser(site.db, "agent", "admin@example.com", "Administrator");
  int64_t committed = 0;
  for (size_t round = 0; round < kDelays.size(); ++round) {
    INFO("round " << round << ", killed after " << kDelays[round].count() << " ms");
    // Every asset low before the round (outside the product: no history),
    // so a whole action changes exactly 10,000 rows to high.
    Exec(site.db, "UPDATE assets SET impact = 'low'");
    std::string cookie;
    auto server = site.Start(cookie);
    const json body = {{"selection", {{"filter", json::object()}, {"except", json::array()}}},
                       {"change", {{"impact", "high"}}}};
    site.CrashDuring(*server, cookie, "POST", "/api/assets/bulk", body, kDelays[round]);
    REQUIRE(IntegrityOf(site.db) == "ok");
    const int64_t changed = SqlCount(site.db, "SELECT count(*) FROM assets WHERE impact = 'high'");
    CHECK((changed == 0 || changed == 10000));
    if (changed == 10000) ++committed;
    // History and audit agree with the rows, action by action.
    CHECK(SqlCount(site.db, "SELECT count(*) FROM record_history WHERE bulk = 1") ==
          committed * 10000);
    CHECK(SqlCount(site.db, "SELECT count(*) FROM audit_log WHERE event LIKE '%.bulk_updated'") ==
          committed);
  }
  // The database serves again after the last crash.
  std::string cookie;
  auto server = site.Start(cookie);
  httplib::Client client("127.0.0.1", server->port());
  auto page = client.Get("/api/assets?limit=1", {{"Cookie", cookie}});
  REQUIRE(page);
  CHECK(json::parse(page->body)["total"] == 10000);
  INFO("committed rounds: " << committed);
}

TEST_CASE("kill -9 during an import and a settings change: all or nothing", "[api][crash]") {
  CrashSite site;
  Must(Run({"seed", "--assets", "100", "--software", "0", "--db", site.db}));
  deskgate::testing::AddUser(site.db, "agent", "admin@example.com", "Administrator");
  int64_t imported_rounds = 0;
  for (size_t round = 0; round < kDelays.size(); ++round) {
    INFO("round " << round << ", killed after " << kDelays[round].count() << " ms");
    std::string csv = "name,asset_tag,type,status,impact\r\n";
    for (int i = 0; i < 5000; ++i) {
      csv += "Laptop " + std::to_string(i) + ",CR-" + std::to_string(round) + "-" +
             std::to_string(i) + ",laptop,in_use,low\r\n";
    }
    std::string cookie;
    auto server = site.Start(cookie);
    site.CrashDuring(*server, cookie, "POST", "/api/assets/import",
                     {{"csv", csv}, {"dry_run", false}}, kDelays[round]);
    REQUIRE(IntegrityOf(site.db) == "ok");
    const int64_t rows = SqlCount(site.db, "SELECT count(*) FROM assets WHERE asset_tag LIKE 'CR-" +
                                               std::to_string(round) + "-%'");
    CHECK((rows == 0 || rows == 5000));
    if (rows == 5000) ++imported_rounds;
    CHECK(SqlCount(site.db, "SELECT count(*) FROM assets") == 100 + imported_rounds * 5000);
    CHECK(SqlCount(site.db, "SELECT count(*) FROM audit_log WHERE event = 'asset.imported'") ==
          imported_rounds);
  }
  INFO("imports committed: " << imported_rounds);

  for (size_t round = 0; round < kDelays.size(); ++round) {
    INFO("settings round " << round);
    std::string cookie;
    auto server = site.Start(cookie);
    const int minutes = 20 + static_cast<int>(round);
    site.CrashDuring(*server, cookie, "PUT", "/api/settings/authentication/agent",
                     {{"session", {{"idle_timeout_minutes", minutes}}}}, kDelays[round] / 4);
    REQUIRE(IntegrityOf(site.db) == "ok");
    const int64_t applied =
        SqlCount(site.db,
                 "SELECT count(*) FROM portal_settings WHERE portal = 'agent' AND "
                 "json_extract(settings, '$.session.idle_timeout_minutes') = " +
                     std::to_string(minutes));
    const int64_t audited = SqlCount(site.db,
                                     "SELECT count(*) FROM audit_log WHERE event = "
                                     "'settings.authentication.changed' AND json_extract(details, "
                                     "'$.after.session.idle_timeout_minutes') = " +
                                         std::to_string(minutes));
    CHECK(applied == audited);  // the setting and its audit entry, together or neither
  }
}

TEST_CASE("kill -9 during a key rotation loses no secret", "[api][crash]") {
  CrashSite site;
  deskgate::testing::AddUser(site.db, "agent", "admin@example.com", "Administrator");
  {
    std::string cookie;
    site.Start(cookie);  // creates the master key and records its fingerprint
  }
  // Many sealed values, so the rotation takes long enough to be cut.
  const std::string key = (site.tmp.path() / "master.key").string();
  {
    sqlite3* handle = nullptr;
    REQUIRE(sqlite3_open(site.db.c_str(), &handle) == SQLITE_OK);
    REQUIRE(sqlite3_exec(handle, "BEGIN", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(handle,
                               "INSERT INTO recovery_codes (person_id, code, created_at) "
                               "SELECT id, ?1, 1 FROM people LIMIT 1",
                               -1, &st, nullptr) == SQLITE_OK);
    // Sealed under the current key through the real command path: a
    // backup-and-verify round trip below reads every one back.
    auto box = std::move(deskgate::crypto::SecretBox::LoadFile(key)).value();
    for (int i = 0; i < 20000; ++i) {
      const auto sealed = box.Seal("code-" + std::to_string(i));
      sqlite3_bind_blob(st, 1, sealed.data(), static_cast<int>(sealed.size()), SQLITE_TRANSIENT);
      REQUIRE(sqlite3_step(st) == SQLITE_DONE);
      sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    REQUIRE(sqlite3_exec(handle, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(handle);
  }
  for (int delay : {5, 30, 80, 150, 300}) {
    INFO("rotate-key killed after " << delay << " ms");
    const pid_t rotation = deskgate::testing::Start({"rotate-key", "--db", site.db});
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    kill(rotation, SIGKILL);
    deskgate::testing::Reap(rotation);
    REQUIRE(IntegrityOf(site.db) == "ok");
    // A restart finishes a rotation that committed; every secret opens with
    // the key then in place.
    std::string cookie;
    { auto server = site.Start(cookie); }
    auto verified = Run({"verify", site.db});
    INFO(verified.out << verified.err);
    CHECK(verified.exit_code == 0);
    CHECK(verified.out.find("opens all 2000") != std::string::npos);
  }
}
