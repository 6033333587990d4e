// The password lifecycle over HTTP: changing one's own password, reuse,
// expiry, a tightened policy enforced at next sign-in, and admin resets.
#include <httplib.h>

#include <catch2/catch.hpp>

#include <fstream>

#include "../support/accounts.h"
#include "../support/subprocess.h"
#include "../support/temp_dir.h"
#include "server/store/sqlite/sqlite_store.h"

using deskgate::testing::Run;
using deskgate::testing::ServerProcess;
using deskgate::testing::StatusOf;

namespace {

constexpr const char* kPassword = "plum orchard lantern 42";
constexpr const char* kNewPassword = "quiet harbour compass 17";

struct Session {
  int status = 0;
  std::string login_status;
  std::string cookie;
};

class Env {
 public:
  explicit Env(std::vector<std::string> args = {})
      : server(std::move(args)), client("127.0.0.1", server.port()) {}

  void AddUser(const std::string& email, const std::string& role) {
    const auto r = Run({"user", "add", "--portal", "agent", "--email", email, "--role", role,
                        "--db", server.db_path()},
                       std::string(kPassword) + "\n");
    REQUIRE(r.exit_code == 0);
  }

  Session SignIn(const std::string& email, const std::string& password = kPassword) {
    auto res = client.Post("/api/agent/login",
                           R"({"email":")" + email + R"(","password":")" + password + R"("})",
                           "application/json");
    REQUIRE(res);
    Session s;
    s.status = res->status;
    if (res->status == 200) {
      s.login_status = res->body;
      const std::string set = res->get_header_value("Set-Cookie");
      s.cookie = set.substr(0, set.find(';'));
    }
    return s;
  }

  httplib::Result Post(const std::string& path, const std::string& cookie,
                       const std::string& body) {
    return client.Post(path, {{"Cookie", cookie}}, body, "application/json");
  }

  httplib::Result ChangePassword(const std::string& cookie, const std::string& current,
                                 const std::string& replacement) {
    return Post(
        "/api/password", cookie,
        R"({"current_password":")" + current + R"(","new_password":")" + replacement + R"("})");
  }

  void PutSettings(const std::string& admin_cookie, const std::string& body) {
    auto res = client.Put("/api/settings/authentication/agent", {{"Cookie", admin_cookie}}, body,
                          "application/json");
    REQUIRE(res);
    REQUIRE(res->status == 200);
  }

  int Me(const std::string& cookie) {
    return StatusOf(client.Get("/api/me", {{"Cookie", cookie}}));
  }

  ServerProcess server;
  httplib::Client client;
};

}  // namespace

TEST_CASE("Changing one's password checks the current one and ends other sessions",
          "[api][password]") {
  Env env;
  env.AddUser("jane@example.com", "Agent");
  const Session laptop = env.SignIn("jane@example.com");
  const Session phone = env.SignIn("jane@example.com");

  auto wrong = env.ChangePassword(laptop.cookie, "not my password", kNewPassword);
  CHECK(wrong->status == 400);
  CHECK(
      wrong->body ==
      R"({"error":"current_password: the current password is incorrect","code":"invalid_argument"})");
  auto weak = env.ChangePassword(laptop.cookie, kPassword, "short");
  CHECK(weak->body ==
        R"({"error":"new_password: Use at least 12 characters.","code":"invalid_argument"})");
  auto personal = env.ChangePassword(laptop.cookie, kPassword, "jane's own password 1");
  CHECK(personal->body.find("new_password: Don't use your name or email") != std::string::npos);
  CHECK(env.Me(phone.cookie) == 200);  // failures changed nothing

  auto changed = env.ChangePassword(laptop.cookie, kPassword, kNewPassword);
  REQUIRE(changed->status == 200);
  CHECK(env.Me(laptop.cookie) == 200);  // this session stays
  CHECK(env.Me(phone.cookie) == 401);   // the others end
  CHECK(env.SignIn("jane@example.com").status == 401);
  CHECK(env.SignIn("jane@example.com", kNewPassword).status == 200);
  CHECK(env.client
            .Post("/api/password", R"({"current_password":"a","new_password":"b"})",
                  "application/json")
            ->status == 401);
}

TEST_CASE("The reuse rule refuses the last N passwords", "[api][password]") {
  Env env;
  env.AddUser("admin@example.com", "Administrator");
  const Session admin = env.SignIn("admin@example.com");
  env.PutSettings(admin.cookie, R"({"password":{"reuse_history":2}})");
  auto same = env.ChangePassword(admin.cookie, kPassword, kPassword);
  CHECK(
      same->body ==
      R"({"error":"new_password: Choose a password you have not used for your last 2 passwords.","code":"invalid_argument"})");
  REQUIRE(StatusOf(env.ChangePassword(admin.cookie, kPassword, kNewPassword)) == 200);
  // The first password is now the second-newest: still refused.
  CHECK(StatusOf(env.ChangePassword(admin.cookie, kNewPassword, kPassword)) == 400);
  REQUIRE(StatusOf(env.ChangePassword(admin.cookie, kNewPassword, "third fresh passphrase 3")) ==
          200);
  // Three passwords later the first falls out of a history of two.
  CHECK(StatusOf(env.ChangePassword(admin.cookie, "third fresh passphrase 3", kPassword)) == 200);
}

TEST_CASE("An expired password must be changed before anything else works", "[api][password]") {
  deskgate::testing::TempDir clock_dir;
  const std::string clock_file = (clock_dir.path() / "offset").string();
  std::ofstream(clock_file) << 0;
  Env env({"--clock-file", clock_file});
  env.AddUser("admin@example.com", "Administrator");
  env.PutSettings(env.SignIn("admin@example.com").cookie,
                  R"({"password":{"expiry_days":30},"session":{"idle_timeout_minutes":1440}})");
  CHECK(env.SignIn("admin@example.com").login_status == R"({"status":"ok"})");

  std::ofstream(clock_file) << 31 * 86400;
  const Session expired = env.SignIn("admin@example.com");
  REQUIRE(expired.status == 200);
  CHECK(expired.login_status == R"({"status":"password_change_required"})");
  auto me = env.client.Get("/api/me", {{"Cookie", expired.cookie}});
  CHECK(me->status == 200);
  CHECK(me->body.find(R"("must_change_password":true)") != std::string::npos);
  auto blocked = env.client.Get("/api/settings/authentication/agent", {{"Cookie", expired.cookie}});
  CHECK(blocked->status == 403);
  CHECK(blocked->body == R"({"error":"change your password first","code":"permission_denied"})");

  REQUIRE(StatusOf(env.ChangePassword(expired.cookie, kPassword, kNewPassword)) == 200);
  CHECK(StatusOf(env.client.Get("/api/settings/authentication/agent",
                                {{"Cookie", expired.cookie}})) == 200);
  CHECK(env.SignIn("admin@example.com", kNewPassword).login_status == R"({"status":"ok"})");
}

TEST_CASE("A tightened policy applies at next sign-in only when the admin says so",
          "[api][password]") {
  Env env;
  env.AddUser("admin@example.com", "Administrator");
  const Session admin = env.SignIn("admin@example.com");
  env.PutSettings(admin.cookie, R"({"password":{"min_length":30}})");  // next_change by default
  CHECK(env.SignIn("admin@example.com").login_status == R"({"status":"ok"})");
  env.PutSettings(admin.cookie, R"({"password":{"min_length":30,"enforce_policy":"next_login"}})");
  CHECK(env.SignIn("admin@example.com").login_status == R"({"status":"password_change_required"})");
}

TEST_CASE("An administrator can require a password change, and only they can", "[api][password]") {
  Env env;
  env.AddUser("admin@example.com", "Administrator");
  env.AddUser("agent@example.com", "Agent");
  const Session admin = env.SignIn("admin@example.com");
  const Session agent = env.SignIn("agent@example.com");
  auto store = deskgate::store::SqliteStore::Open(env.server.db_path());
  const int64_t agent_id =
      store.value()->FindPerson(deskgate::store::Portal::kAgent, "agent@example.com").value()->id;
  const int64_t admin_id =
      store.value()->FindPerson(deskgate::store::Portal::kAgent, "admin@example.com").value()->id;
  const std::string path = "/api/people/" + std::to_string(agent_id) + "/require-password-change";

  CHECK(env.Post("/api/people/" + std::to_string(admin_id) + "/require-password-change",
                 agent.cookie, "{}")
            ->status == 403);
  CHECK(StatusOf(env.Post("/api/people/999999/require-password-change", admin.cookie, "{}")) ==
        404);
  REQUIRE(StatusOf(env.Post(path, admin.cookie, "{}")) == 200);
  CHECK(env.Me(agent.cookie) == 401);  // signed out everywhere
  CHECK(env.SignIn("agent@example.com").login_status == R"({"status":"password_change_required"})");
  CHECK(store.value()->CountAudit("password.reset_by_admin").value() == 1);
}
