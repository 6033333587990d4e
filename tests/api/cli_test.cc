// The deskgate command line, run as a real process.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <set>

#include "../support/sso_only.h"
#include "../support/subprocess.h"
#include "../support/temp_dir.h"
#include "server/store/sqlite/sqlite_store.h"

using deskgate::testing::Run;

TEST_CASE("policy check prints the JSON verdict", "[cli]") {
  auto r = Run({"policy", "check", "--policy", "{}", "--email", "jane.doe@example.com", "--name",
                "Jane Doe"},
               "plum orchard lantern\n");
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out.rfind(R"({"ok":true,"length":20,"violations":[],"rules":{"utf8":"pass",)", 0) == 0);
  CHECK(r.out.back() == '\n');

  auto weak = Run({"policy", "check", "--policy", R"({"min_length":8})"}, "sunshine");
  CHECK(weak.exit_code == 0);
  CHECK(weak.out.rfind(R"({"ok":false,"length":8,"violations":[{"rule":"common",)", 0) == 0);

  auto personal =
      Run({"policy", "check", "--policy", "{}", "--name", "Jane Doe"}, "jane's long password");
  CHECK(personal.out.find(R"("violations":[{"rule":"personal_info")") != std::string::npos);
}

TEST_CASE("policy check drops exactly one trailing newline", "[cli]") {
  CHECK(Run({"policy", "check", "--policy", "{}"}, "abc\r\n").out.find(R"("length":4,)") !=
        std::string::npos);
  CHECK(Run({"policy", "check", "--policy", "{}"}, "abc\n\n").out.find(R"("length":4,)") !=
        std::string::npos);
  CHECK(Run({"policy", "check", "--policy", "{}"}, "abc").out.find(R"("length":3,)") !=
        std::string::npos);
}

TEST_CASE("policy check takes raw bytes: NUL and invalid UTF-8", "[cli]") {
  auto r = Run({"policy", "check", "--policy", "{}"}, std::string("ab\0c\xFF", 5));
  CHECK(r.exit_code == 0);
  CHECK(r.out.find(R"("rules":{"utf8":"fail","control_characters":"fail",)") != std::string::npos);
}

TEST_CASE("Bad usage exits 2 with one line on stderr", "[cli]") {
  const std::vector<std::vector<std::string>> cases = {
      {"policy", "check"},
      {"policy", "check", "--policy", R"({"min_length":3})"},
      {"policy", "check", "--policy", "not json"},
      {"policy", "check", "--policy", "{}", "--bogus", "1"},
      {"policy", "frobnicate"},
      {"unknown-command"},
      {},
      {"serve", "--port", "70000"},
  };
  for (const auto& args : cases) {
    auto r = Run(args, "x");
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK((r.err.rfind("deskgate: ", 0) == 0 || r.err.rfind("usage: ", 0) == 0));
  }
  auto bad_policy = Run({"policy", "check", "--policy", R"({"min_length":3})"}, "x");
  CHECK(bad_policy.err == "deskgate: min_length: must be an integer from 8 to 128\n");
}

TEST_CASE("qr writes SVG, PBM and terminal text", "[cli]") {
  auto svg = Run({"qr", "--ecl", "H", "--format", "svg"}, "hello\n");
  CHECK(svg.exit_code == 0);
  CHECK(svg.out.rfind("<svg xmlns=", 0) == 0);
  auto pbm = Run({"qr", "--format", "pbm", "--scale", "2"}, "hello");
  CHECK(pbm.out.rfind("P4\n58 58\n", 0) == 0);
  auto text = Run({"qr"}, "hello");
  CHECK(text.out.find("\u2588\u2588\u2588\u2588") == 0);

  auto too_long = Run({"qr", "--ecl", "H"}, std::string(1300, 'a'));
  CHECK(too_long.exit_code == 2);
  CHECK(too_long.err == "deskgate: text is too long for a QR code at level H (1300 bytes)\n");
  CHECK(Run({"qr", "--ecl", "X"}, "a").exit_code == 2);
  CHECK(Run({"qr", "--format", "png"}, "a").exit_code == 2);
  CHECK(Run({"qr", "--scale", "0"}, "a").exit_code == 2);
}

TEST_CASE("seed fills a database with demo records, and --if-empty leaves a filled one alone",
          "[cli]") {
  deskgate::testing::TempDir dir;
  const std::string db = (dir.path() / "demo.db").string();
  auto first = Run({"seed", "--assets", "120", "--software", "30", "--db", db});
  CHECK(first.exit_code == 0);
  CHECK(first.out == "added 120 assets and 30 software records\n");
  auto again = Run({"seed", "--assets", "50", "--if-empty", "--db", db});
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("nothing added") != std::string::npos);
  auto more = Run({"seed", "--assets", "10", "--software", "0", "--db", db});
  CHECK(more.exit_code == 0);

  auto store = deskgate::store::SqliteStore::Open(db).value();
  deskgate::store::RecordQuery all;
  all.limit = 500;
  const auto assets = store->ListRecords(deskgate::store::RecordKind::kAsset, all).value();
  CHECK(assets.total == 130);
  std::set<std::string> tags;
  for (const auto& r : assets.rows) tags.insert(r.details.detail1);
  CHECK(tags.size() == 130);  // tags stay unique across seedings
  CHECK(store->ListRecords(deskgate::store::RecordKind::kSoftware, all).value().total == 30);
  const auto names = store->ListRecordNames().value();
  CHECK(names.locations.size() >= 10);
  CHECK(names.groups.size() == 6);
  CHECK(names.agents.size() == 24);

  for (const std::vector<std::string>& bad :
       {std::vector<std::string>{"seed", "--assets", "-1", "--db", db},
        std::vector<std::string>{"seed", "--assets", "many", "--db", db},
        std::vector<std::string>{"seed", "--rows", "5", "--db", db}}) {
    auto r = Run(bad);
    CHECK(r.exit_code == 2);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
}

TEST_CASE("settings portal-access lets passwords back in on an SSO-only portal", "[cli]") {
  deskgate::testing::TempDir tmp;
  const std::string db = (tmp.path() / "s.db").string();
  // A portal locked to single sign-on, as the settings page leaves it.
  deskgate::testing::LockAgentPortalToSso(
      db, R"({"portal_access":{"mode":"sso"},"session":{"idle_timeout_minutes":45}})");
  // Modes without passwords are refused here: they need a test sign-in.
  auto refused =
      Run({"settings", "portal-access", "--portal", "agent", "--mode", "sso", "--db", db});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("--mode: a mode with password sign-in") != std::string::npos);
  // "both" for contacts needs a provider, which the contact portal lacks.
  auto no_provider = Run({"settings", "portal-access", "--portal", "contact", "--mode",
                          "microsoft_and_email", "--db", db});
  CHECK(no_provider.exit_code == 2);
  CHECK(no_provider.err.find("needs an identity provider") != std::string::npos);

  auto ok = Run({"settings", "portal-access", "--portal", "agent", "--mode", "both", "--db", db});
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("within a second") != std::string::npos);
  auto store = std::move(deskgate::store::SqliteStore::Open(db)).value();
  const std::string stored =
      store->GetPortalSettings(deskgate::store::Portal::kAgent).value().value();
  CHECK(stored.find(R"("portal_access":{"mode":"both"})") != std::string::npos);
  CHECK(stored.find(R"("idle_timeout_minutes":45)") != std::string::npos);  // the rest kept
  CHECK(store->CountAudit("settings.authentication.changed").value() == 1);
}

TEST_CASE("The database and its journal files are created readable by the owner only", "[cli]") {
  deskgate::testing::TempDir tmp;
  const std::string db = (tmp.path() / "fresh" / "d.db").string();
  auto r = Run({"user", "add", "--portal", "agent", "--email", "a@example.com", "--db", db},
               "plum orchard lantern 42\n");
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  namespace fs = std::filesystem;
  for (const std::string& file : {db, db + "-wal", db + "-shm"}) {
    if (!fs::exists(file)) continue;  // the journal may be checkpointed away
    INFO(file);
    CHECK((fs::status(file).permissions() & (fs::perms::group_all | fs::perms::others_all)) ==
          fs::perms::none);
  }
  CHECK((fs::status(tmp.path() / "fresh").permissions() & fs::perms::others_all) ==
        fs::perms::none);
  // One that others can read is reported at every use.
  fs::permissions(db, fs::perms::others_read, fs::perm_options::add);
  auto warned = Run({"seed", "--assets", "1", "--software", "1", "--db", db});
  CHECK(warned.exit_code == 0);
  CHECK(warned.err.find("warning: " + db + " can be read by other users (mode 604)") !=
        std::string::npos);
}
