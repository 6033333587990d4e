// Backup, restore, verify and key rotation with the real CLI, against a
// running server's database and under a concurrent write load.
#include <httplib.h>
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "../support/accounts.h"
#include "../support/records_fixture.h"
#include "../support/sqlite_probe.h"
#include "../support/temp_dir.h"
#include "server/crypto/secret_box.h"
#include "server/store/sqlite/sqlite_store.h"

using deskgate::testing::json;
using deskgate::testing::Lists;
using deskgate::testing::Must;
using deskgate::testing::Run;
using deskgate::testing::SqlCount;
using deskgate::testing::StatusOf;

namespace {

constexpr int kAssets = 400;

// Changes every asset in one bulk action, again and again, until stopped:
// each action writes kAssets rows and kAssets history rows in one
// transaction, so a consistent copy holds a multiple of kAssets of them.
class BulkLoad {
 public:
  explicit BulkLoad(Lists& f) : f_(f), thread_([this] { Loop(); }) {}
  ~BulkLoad() { Stop(); }
  int Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    return actions_;
  }

 private:
  void Loop() {
    httplib::Client client("127.0.0.1", f_.server.port());
    const json all = {{"filter", json::object()}, {"except", json::array()}};
    for (int i = 0; !stop_; ++i) {
      const json body = {{"selection", all}, {"change", {{"impact", i % 2 ? "low" : "high"}}}};
      auto res =
          client.Post("/api/assets/bulk", {{"Cookie", f_.admin}}, body.dump(), "application/json");
      if (res && res->status == 200) ++actions_;
    }
  }
  Lists& f_;
  std::atomic<bool> stop_ = false;
  std::atomic<int> actions_ = 0;
  std::thread thread_;
};

std::string KeyFile(const Lists& f) {
  return (std::filesystem::path(f.server.db_path()).parent_path() / "master.key").string();
}

}  // namespace

TEST_CASE("Backups taken under a write load are consistent, verify, and restore", "[api][backup]") {
  Lists f(kAssets, 10);
  deskgate::testing::TempDir tmp;
  // Every asset low first, so each action of the load changes all of them.
  const json all = {{"filter", json::object()}, {"except", json::array()}};
  REQUIRE(StatusOf(f.Bulk({{"selection", all}, {"change", {{"impact", "low"}}}}, f.admin)) == 200);
  const std::string db = f.server.db_path();
  const std::string kHistory = "SELECT count(*) FROM record_history WHERE bulk = 1";
  const std::string kAudits = "SELECT count(*) FROM audit_log WHERE event LIKE '%.bulk_updated'";
  const int64_t history_before = SqlCount(db, kHistory), audits_before = SqlCount(db, kAudits);
  BulkLoad load(f);
  std::vector<std::string> backups;
  for (int i = 0; i < 3; ++i) {
    const std::string out =
        (tmp.path() / std::string("b").append(std::to_string(i)).append(".db")).string();
    auto r = Run({"backup", "--db", f.server.db_path(), out});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("backed up") != std::string::npos);
    // The master key is not in the backup, and the command says so.
    CHECK(r.err.find("warning: the backup's secrets") != std::string::npos);
    backups.push_back(out);
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
  }
  const int actions = load.Stop();
  INFO("bulk actions during the backups: " << actions);
  REQUIRE(actions >= 2);
  for (const std::string& b : backups) {
    INFO(b);
    CHECK(!std::filesystem::exists(b + "-wal"));  // one self-contained file
    // Whole actions only: as many history rows as the actions audited wrote.
    const int64_t actions_in = SqlCount(b, kAudits) - audits_before;
    CHECK(actions_in >= 0);
    CHECK(SqlCount(b, kHistory) - history_before == actions_in * kAssets);
    auto v = Run({"verify", "--key-file", KeyFile(f), b});
    INFO(v.out << v.err);
    CHECK(v.exit_code == 0);
    CHECK(v.out.find("integrity:   ok") != std::string::npos);
    CHECK(v.out.find("master key:  ok opens all") != std::string::npos);
  }

  // Restoring needs the server stopped: the database is in use.
  auto refused = Run({"restore", "--db", db, "--key-file", KeyFile(f), backups[0]});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("a deskgate server is running on") != std::string::npos);
  const int64_t history_in_first = SqlCount(backups[0], "SELECT count(*) FROM record_history");
  REQUIRE(f.server.Stop() == 0);
  auto restored = Run({"restore", "--db", db, "--key-file", KeyFile(f), backups[0]});
  INFO(restored.err);
  REQUIRE(restored.exit_code == 0);
  CHECK(SqlCount(db, "SELECT count(*) FROM record_history") == history_in_first);
  auto verified = Run({"verify", "--db", db, "--key-file", KeyFile(f)});
  CHECK(verified.exit_code == 0);
}

TEST_CASE("verify reports a damaged file, a wrong key and a newer schema", "[api][backup]") {
  Lists f(50, 5);
  deskgate::testing::TempDir tmp;
  const std::string backup = (tmp.path() / "b.db").string();
  Must(Run({"backup", "--db", f.server.db_path(), backup}));

  // Another key: the fingerprint the database records does not match.
  const std::string other_key = (tmp.path() / "other.key").string();
  REQUIRE(deskgate::crypto::SecretBox::Generate().WriteKeyFile(other_key).ok());
  auto wrong = Run({"verify", "--key-file", other_key, backup});
  CHECK(wrong.exit_code == 1);
  CHECK(wrong.out.find("master key:  FAILED not the key this database is sealed under") !=
        std::string::npos);
  CHECK(wrong.err.find("failed verification") != std::string::npos);

  // Damage: the second quarter of the file's pages overwritten (some of
  // them in use whatever the layout; a free page alone would pass).
  const std::string damaged = (tmp.path() / "damaged.db").string();
  std::filesystem::copy_file(backup, damaged);
  {
    std::fstream file(damaged, std::ios::in | std::ios::out | std::ios::binary);
    const auto quarter = std::filesystem::file_size(damaged) / 4 / 4096 * 4096;
    file.seekp(static_cast<std::streamoff>(quarter));
    const std::string junk(quarter, '\x5a');
    file.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  auto bad = Run({"verify", "--key-file", KeyFile(f), damaged});
  CHECK(bad.exit_code == 1);
  CHECK(bad.out.find("integrity:   FAILED") != std::string::npos);
  auto restore_bad =
      Run({"restore", "--db", (tmp.path() / "new.db").string(), "--key-file", KeyFile(f), damaged});
  CHECK(restore_bad.exit_code == 1);
  CHECK(restore_bad.err.find("is damaged") != std::string::npos);
  CHECK(!std::filesystem::exists(tmp.path() / "new.db"));

  auto missing = Run({"verify", (tmp.path() / "none.db").string()});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("no database at ") != std::string::npos);
}

TEST_CASE("A key bundle carries the master key to a new machine", "[api][backup]") {
  Lists f(50, 5);
  deskgate::testing::TempDir tmp;
  const std::string backup = (tmp.path() / "b.db").string();
  const std::string bundle = (tmp.path() / "b.key").string();
  auto short_pass =
      Run({"backup", "--db", f.server.db_path(), "--key-bundle", bundle, backup}, "short\n");
  CHECK(short_pass.exit_code == 2);
  CHECK(!std::filesystem::exists(backup));
  auto r = Run({"backup", "--db", f.server.db_path(), "--key-bundle", bundle, backup},
               "correct horse battery staple\n");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());  // no warning: the key travels with it
  const std::string text = [&] {
    std::ifstream in(bundle);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  CHECK(text.rfind("deskgate-key-bundle-1\nargon2id ", 0) == 0);

  // A new machine: an empty folder, the backup and the bundle.
  const std::filesystem::path fresh = tmp.path() / "fresh";
  std::filesystem::create_directories(fresh);
  const std::string db = (fresh / "deskgate.db").string();
  auto wrong = Run({"restore", "--db", db, "--key-bundle", bundle, backup}, "not the passphrase\n");
  CHECK(wrong.exit_code == 1);
  CHECK(wrong.err == "deskgate: the passphrase does not open this key bundle\n");
  auto restored = Run({"restore", "--db", db, "--key-bundle", bundle, backup},
                      "correct horse battery staple\n");
  INFO(restored.err);
  REQUIRE(restored.exit_code == 0);
  CHECK(std::filesystem::exists(fresh / "master.key"));
  CHECK((std::filesystem::status(fresh / "master.key").permissions() &
         std::filesystem::perms::group_all) == std::filesystem::perms::none);
  auto verified = Run({"verify", db});
  INFO(verified.out << verified.err);
  CHECK(verified.exit_code == 0);
  // And the restored database serves with its key.
  deskgate::testing::ServerProcess server({"--db", db});
  httplib::Client client("127.0.0.1", server.port());
  CHECK(StatusOf(client.Get("/readyz")) == 200);
  CHECK(StatusOf(deskgate::testing::Login(client, "agent", "admin@example.com")) == 200);
}

namespace {

// One sealed value in every sealed column, sealed under `key_file`'s key:
// returns how many (the setup link the server sealed at start included).
int SealOneOfEach(const Lists& f, const std::string& key_file) {
  auto box = std::move(deskgate::crypto::SecretBox::LoadFile(key_file)).value();
  auto store = std::move(deskgate::store::SqliteStore::Open(f.server.db_path())).value();
  auto hex = [&](const std::string& plain) {
    std::string out = "x'";
    static const char* digits = "0123456789abcdef";
    for (uint8_t b : box.Seal(plain)) out.append(1, digits[b >> 4]).append(1, digits[b & 15]);
    return out + "'";
  };
  deskgate::testing::Sql(
      f.server,
      "INSERT INTO mfa_totp (person_id, secret, pending_secret) SELECT id, " + hex("totp") + ", " +
          hex("pending") +
          " FROM people WHERE email = 'admin@example.com';"
          "INSERT INTO recovery_codes (person_id, code, created_at) SELECT id, " +
          hex("rc") +
          ", 1 FROM people WHERE email = 'admin@example.com';"
          "INSERT INTO outbox (recipient, subject, body, created_at, expires_at, next_attempt_at) "
          "VALUES ('a@example.com', 's', " +
          hex("body") +
          ", 1, 4000000000, 4000000000);"
          "INSERT INTO sso_providers (portal, settings, client_secret, version, updated_at) "
          "VALUES ('contact', '{}', " +
          hex("client secret") +
          ", 1, 1);"
          "INSERT INTO sso_attempts (state_hash, portal, purpose, secrets, binding_hash, "
          "provider_version, created_at, expires_at) VALUES ('s', 'contact', 'login', " +
          hex("pkce") +
          ", 'b', 1, 1, 4000000000);"
          "INSERT INTO mail_settings (id, host, port, starttls, username, password, from_address, "
          "updated_at) VALUES (1, 'smtp', 25, 0, 'u', " +
          hex("smtp password") +
          ", 'f', 1);"
          "INSERT INTO email_otps (person_id, code_hash, sent_at, expires_at) SELECT id, 'h', 1, "
          "4000000000 FROM people WHERE email = 'admin@example.com';");
  int sealed = 0;
  REQUIRE(store
              ->ForEachSealed([&](std::string_view, const std::vector<uint8_t>& value) {
                REQUIRE(box.Open(value).ok());
                ++sealed;
              })
              .ok());
  return sealed;
}

}  // namespace

TEST_CASE("rotate-key re-seals every secret under a new key, and nothing is lost if cut short",
          "[api][backup]") {
  Lists f(20, 2);
  const std::string key = KeyFile(f);
  const std::string db = f.server.db_path();
  const int sealed = SealOneOfEach(f, key);
  REQUIRE(sealed >= 8);  // a value in each sealed column, and the setup link

  auto running = Run({"rotate-key", "--db", db});
  CHECK(running.exit_code == 1);
  CHECK(running.err.find("a deskgate server is running on") != std::string::npos);
  REQUIRE(f.server.Stop() == 0);

  const auto old_key = std::move(deskgate::crypto::SecretBox::LoadFile(key)).value();
  auto rotated = Run({"rotate-key", "--db", db});
  INFO(rotated.err);
  REQUIRE(rotated.exit_code == 0);
  CHECK(rotated.out.find("re-sealed " + std::to_string(sealed) + " secrets") != std::string::npos);
  const auto new_key = std::move(deskgate::crypto::SecretBox::LoadFile(key)).value();
  CHECK(new_key.Fingerprint() != old_key.Fingerprint());
  CHECK(deskgate::crypto::SecretBox::LoadFile(key + ".old").value().Fingerprint() ==
        old_key.Fingerprint());
  CHECK(!std::filesystem::exists(key + ".new"));
  auto verified = Run({"verify", db});
  INFO(verified.out);
  CHECK(verified.exit_code == 0);
  CHECK(verified.out.find("opens all " + std::to_string(sealed) + " sealed values") !=
        std::string::npos);
  CHECK(SqlCount(db, "SELECT count(*) FROM email_otps") == 0);  // keyed by the old key
  auto with_old = Run({"verify", "--key-file", key + ".old", db});
  CHECK(with_old.exit_code == 1);

  // Cut short after the commit, before the key file's rename: the new key
  // still at KEY.new, the old one at KEY. The next start finishes it.
  std::filesystem::rename(key, key + ".new");
  std::filesystem::rename(key + ".old", key);
  {
    deskgate::testing::ServerProcess server({"--db", db});
    CHECK(StatusOf(httplib::Client("127.0.0.1", server.port()).Get("/readyz")) == 200);
  }
  CHECK(!std::filesystem::exists(key + ".new"));
  CHECK(deskgate::crypto::SecretBox::LoadFile(key).value().Fingerprint() == new_key.Fingerprint());
  CHECK(Run({"verify", db}).exit_code == 0);

  // Cut short before the commit: a stray KEY.new, the database untouched.
  REQUIRE(deskgate::crypto::SecretBox::Generate().WriteKeyFile(key + ".new").ok());
  auto again = Run({"rotate-key", "--db", db});
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(Run({"verify", db}).exit_code == 0);

  // A server given the wrong key refuses to start, naming the problem.
  std::filesystem::remove(key);
  REQUIRE(deskgate::crypto::SecretBox::Generate().WriteKeyFile(key).ok());
  auto refused = Run({"serve", "--db", db, "--port", "0"});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("is not the key this database's secrets are sealed under") !=
        std::string::npos);
}
