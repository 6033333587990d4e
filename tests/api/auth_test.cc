// Sign-in over real HTTP: login per portal, sessions, logout, throttling,
// and refusal of malformed or cross-origin requests.
#include <httplib.h>
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include <fstream>

#include "../support/accounts.h"
#include "../support/subprocess.h"
#include "../support/temp_dir.h"
#include "server/crypto/tokens.h"
#include "server/store/sqlite/sqlite_store.h"

using deskgate::testing::ClientFor;
using deskgate::testing::Run;
using deskgate::testing::ServerProcess;
using deskgate::testing::StatusOf;

namespace {

constexpr const char* kPassword = "plum orchard lantern 42";

void AddUser(const ServerProcess& server, const std::string& portal, const std::string& email,
             const std::string& role = "") {
  std::vector<std::string> args = {"user", "add",    "--portal",    portal, "--email",
                                   email,  "--name", "Test Person", "--db", server.db_path()};
  if (!role.empty()) args.insert(args.end(), {"--role", role});
  const auto r = Run(args, std::string(kPassword) + "\n");
  REQUIRE(r.exit_code == 0);
}

httplib::Result Login(httplib::Client& client, const std::string& portal, const std::string& email,
                      const std::string& password) {
  const std::string body = R"({"email":")" + email + R"(","password":")" + password + R"("})";
  return client.Post("/api/" + portal + "/login", body, "application/json");
}

// "deskgate_session=TOKEN" from a Set-Cookie header.
std::string CookieFrom(const httplib::Result& res) {
  const std::string set = res->get_header_value("Set-Cookie");
  return set.substr(0, set.find(';'));
}

int64_t AuditCount(const ServerProcess& server, const std::string& event) {
  auto store = deskgate::store::SqliteStore::Open(server.db_path());
  return store.value()->CountAudit(event).value();
}

}  // namespace

TEST_CASE("An agent signs in, sees who they are, and signs out", "[api][auth]") {
  ServerProcess server;
  AddUser(server, "agent", "jane@example.com", "Administrator");
  auto client = ClientFor(server);

  auto login = Login(client, "agent", "JANE@example.com", kPassword);  // email is case-insensitive
  REQUIRE(login);
  CHECK(login->status == 200);
  CHECK(login->body == R"({"status":"ok"})");
  const std::string set_cookie = login->get_header_value("Set-Cookie");
  CHECK(set_cookie.find("HttpOnly") != std::string::npos);
  CHECK(set_cookie.find("SameSite=Strict") != std::string::npos);
  const std::string cookie = CookieFrom(login);
  CHECK(cookie.size() == std::string("deskgate_session=").size() + 43);  // 256 bits, base64url

  auto me = client.Get("/api/me", {{"Cookie", cookie}});
  REQUIRE(me);
  CHECK(me->status == 200);
  CHECK(me->body.find(R"("portal":"agent","email":"jane@example.com")") != std::string::npos);
  CHECK(me->body.find(R"("role":"Administrator")") != std::string::npos);
  CHECK(me->get_header_value("Cache-Control") == "no-store");

  auto logout = client.Post("/api/logout", {{"Cookie", cookie}}, "", "application/json");
  REQUIRE(logout);
  CHECK(logout->status == 200);
  CHECK(logout->get_header_value("Set-Cookie").find("Max-Age=0") != std::string::npos);
  CHECK(StatusOf(client.Get("/api/me", {{"Cookie", cookie}})) == 401);
  CHECK(StatusOf(client.Get("/api/me")) == 401);
  CHECK(AuditCount(server, "login.success") == 1);
  CHECK(AuditCount(server, "logout") == 1);
}

TEST_CASE("Wrong password, unknown account and wrong portal look the same", "[api][auth]") {
  ServerProcess server;
  AddUser(server, "agent", "agent@example.com", "Agent");
  AddUser(server, "contact", "customer@example.com");
  auto client = ClientFor(server);

  auto wrong = Login(client, "agent", "agent@example.com", "not the password");
  auto unknown = Login(client, "agent", "nobody@example.com", kPassword);
  auto agent_on_contact = Login(client, "contact", "agent@example.com", kPassword);
  auto contact_on_agent = Login(client, "agent", "customer@example.com", kPassword);
  for (const auto* res : {&wrong, &unknown, &agent_on_contact, &contact_on_agent}) {
    REQUIRE(*res);
    CHECK((*res)->status == 401);
    CHECK((*res)->body ==
          R"({"error":"The email or password is incorrect.","code":"unauthenticated"})");
    CHECK((*res)->get_header_value("Set-Cookie").empty());
  }
  auto contact = Login(client, "contact", "customer@example.com", kPassword);
  CHECK(contact->status == 200);
  auto me = client.Get("/api/me", {{"Cookie", CookieFrom(contact)}});
  CHECK(me->body.find(R"("portal":"contact")") != std::string::npos);
  CHECK(me->body.find(R"("role":null)") != std::string::npos);
  CHECK(AuditCount(server, "login.failure") == 4);
}

TEST_CASE("Repeated failures are throttled with Retry-After", "[api][auth]") {
  ServerProcess server;
  AddUser(server, "agent", "jane@example.com");
  auto client = ClientFor(server);
  for (int i = 0; i < 5; ++i)
    CHECK(StatusOf(Login(client, "agent", "jane@example.com", "wrong")) == 401);
  auto blocked = Login(client, "agent", "jane@example.com", kPassword);  // even the right one
  REQUIRE(blocked);
  CHECK(blocked->status == 429);
  const int retry_after = std::stoi(blocked->get_header_value("Retry-After"));
  CHECK(retry_after > 0);
  CHECK(retry_after <= 15 * 60);
  CHECK(blocked->body.find("Too many failed sign-in attempts") != std::string::npos);
  // The block's start is audited once; refusals during it add no rows.
  for (int i = 0; i < 3; ++i)
    CHECK(StatusOf(Login(client, "agent", "jane@example.com", "wrong")) == 429);
  CHECK(AuditCount(server, "login.throttled") == 1);
  CHECK(AuditCount(server, "login.failure") == 5);
}

TEST_CASE("The throttle lifts after its window, and sessions time out when idle", "[api][auth]") {
  deskgate::testing::TempDir clock_dir;
  const std::string clock_file = (clock_dir.path() / "offset").string();
  std::ofstream(clock_file) << 0;
  ServerProcess server({"--clock-file", clock_file});
  AddUser(server, "agent", "jane@example.com");
  auto client = ClientFor(server);
  for (int i = 0; i < 5; ++i) Login(client, "agent", "jane@example.com", "wrong");
  CHECK(StatusOf(Login(client, "agent", "jane@example.com", kPassword)) == 429);

  std::ofstream(clock_file) << 16 * 60;  // past the 15-minute window
  auto login = Login(client, "agent", "jane@example.com", kPassword);
  REQUIRE(login->status == 200);
  const std::string cookie = CookieFrom(login);

  std::ofstream(clock_file) << 16 * 60 + 29 * 60;  // 29 idle minutes: still signed in
  CHECK(StatusOf(client.Get("/api/me", {{"Cookie", cookie}})) == 200);
  std::ofstream(clock_file) << 16 * 60 + 29 * 60 + 31 * 60;  // 31 more: timed out
  CHECK(StatusOf(client.Get("/api/me", {{"Cookie", cookie}})) == 401);
  CHECK(AuditCount(server, "session.expired") == 1);
}

TEST_CASE("Malformed, mistyped and cross-origin logins are refused", "[api][auth]") {
  ServerProcess server;
  AddUser(server, "agent", "jane@example.com");
  auto client = ClientFor(server);
  const std::pair<std::string, std::string> bad_bodies[] = {
      {"not json", "the body is not valid JSON (at byte 0: unexpected character)"},
      {"[1,2]", "the body must be a JSON object"},
      {R"({"email":"jane@example.com"})", "password: required, a string"},
      {R"({"email":5,"password":"x"})", "email: required, a string"},
      {R"({"email":"jane@example.com","password":null})", "password: required, a string"},
      {R"({"email":"jane@example.com","password":"\xFF"})",
       "the body is not valid JSON (at byte 42: unknown escape)"},
  };
  for (const auto& [body, message] : bad_bodies) {
    INFO(body);
    auto res = client.Post("/api/agent/login", body, "application/json");
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(res->body == R"({"error":")" + message + R"(","code":"invalid_argument"})");
  }
  auto form = client.Post("/api/agent/login", "email=jane@example.com",
                          "application/x-www-form-urlencoded");
  CHECK(form->status == 415);
  const std::string good =
      std::string(R"({"email":"jane@example.com","password":")") + kPassword + "\"}";
  auto cross = client.Post("/api/agent/login", {{"Origin", "https://evil.example"}}, good,
                           "application/json");
  CHECK(cross->status == 403);
  CHECK(cross->get_header_value("Set-Cookie").empty());
  CHECK(StatusOf(client.Post("/api/portal/login", good, "application/json")) == 404);
  CHECK(AuditCount(server, "login.success") == 0);
}

TEST_CASE("user add validates before writing anything", "[cli][auth]") {
  deskgate::testing::TempDir tmp;
  const std::string db = (tmp.path() / "u.db").string();
  const auto add = [&](std::vector<std::string> extra, const std::string& password) {
    std::vector<std::string> args = {"user", "add", "--db", db};
    args.insert(args.end(), extra.begin(), extra.end());
    return Run(args, password);
  };
  CHECK(add({"--portal", "agent", "--email", "a@example.com"}, "short\n").err ==
        "deskgate: password: Use at least 12 characters.\n");
  CHECK(add({"--portal", "agent", "--email", "jane@example.com", "--name", "Jane"},
            "jane's secret garden\n")
            .err == "deskgate: password: Don't use your name or email address in your password.\n");
  CHECK(add({"--portal", "agent", "--email", "not-an-email"}, "plum orchard lantern\n").err ==
        "deskgate: email: not a valid email address\n");
  CHECK(
      add({"--portal", "contact", "--email", "c@example.com", "--role", "Agent"}, "x").exit_code ==
      2);
  CHECK(add({"--portal", "robot", "--email", "c@example.com"}, "x").exit_code == 2);
  CHECK(add({"--portal", "agent", "--email", "b@example.com", "--role", "Wizard"},
            "plum orchard lantern\n")
            .err == "deskgate: no role named 'Wizard'\n");
  CHECK(
      add({"--portal", "agent", "--email", "b@example.com"}, "plum orchard lantern\n").exit_code ==
      0);
  CHECK(add({"--portal", "agent", "--email", "B@example.com"}, "plum orchard lantern\n").err ==
        "deskgate: an account with this email already exists in this portal\n");
  auto store = deskgate::store::SqliteStore::Open(db);
  CHECK(store.value()->CountPeople().value() == 1);
  CHECK(store.value()->CountAudit("person.created").value() == 1);
}

namespace {

// The token from the "setup.html#token=…" line the server prints.
std::string SetupToken(const ServerProcess& server) {
  const std::string& out = server.output();
  const size_t at = out.find("#token=");
  if (at == std::string::npos) return "";
  const size_t start = at + 7;
  return out.substr(start, out.find('\n', start) - start);
}

httplib::Result Setup(httplib::Client& client, const std::string& token, const std::string& email,
                      const std::string& password = kPassword) {
  const std::string body = R"({"token":")" + token + R"(","email":")" + email +
                           R"(","name":"Ada Admin","password":")" + password + R"("})";
  return client.Post("/api/setup", body, "application/json");
}

}  // namespace

TEST_CASE("The setup link creates the first administrator, once", "[api][auth]") {
  ServerProcess server;
  const std::string token = SetupToken(server);
  REQUIRE(token.size() == 43);
  auto client = ClientFor(server);

  CHECK(Setup(client, token, "ada@example.com", "short")->body ==
        R"({"error":"password: Use at least 12 characters.","code":"invalid_argument"})");
  CHECK(StatusOf(Setup(client, "not-the-token", "ada@example.com")) == 403);
  // The token is checked before anything else, the password included.
  CHECK(StatusOf(Setup(client, "not-the-token", "ada@example.com", "short")) == 403);
  auto done = Setup(client, token, "ada@example.com");
  REQUIRE(done);
  CHECK(done->status == 200);
  auto again = Setup(client, token, "mallory@example.com");
  CHECK(again->status == 403);
  CHECK(
      again->body ==
      R"({"error":"this setup link is invalid, expired or already used","code":"permission_denied"})");

  auto login = Login(client, "agent", "ada@example.com", kPassword);
  REQUIRE(login->status == 200);
  auto me = client.Get("/api/me", {{"Cookie", CookieFrom(login)}});
  CHECK(me->body.find(R"("role":"Administrator")") != std::string::npos);
  CHECK(AuditCount(server, "setup.completed") == 1);
}

TEST_CASE("Wrong setup links are throttled per address before any password is hashed",
          "[api][auth]") {
  ServerProcess server;
  const std::string token = SetupToken(server);
  auto client = ClientFor(server);
  for (int i = 0; i < 10; ++i) {
    CHECK(StatusOf(Setup(client, "wrong-" + std::to_string(i), "ada@example.com")) == 403);
  }
  // Blocked now, even with the right link, until the window ends.
  auto blocked = Setup(client, token, "ada@example.com");
  CHECK(blocked->status == 429);
  CHECK(std::stoi(blocked->get_header_value("Retry-After")) > 0);
  CHECK(blocked->body.find(R"("code":"throttled")") != std::string::npos);
}

TEST_CASE("A setup link expires after seven days", "[api][auth]") {
  deskgate::testing::TempDir clock_dir;
  const std::string clock_file = (clock_dir.path() / "offset").string();
  std::ofstream(clock_file) << 0;
  ServerProcess server({"--clock-file", clock_file});
  const std::string token = SetupToken(server);
  auto client = ClientFor(server);
  std::ofstream(clock_file) << 7 * 24 * 3600 + 60;
  CHECK(StatusOf(Setup(client, token, "ada@example.com")) == 403);
  std::ofstream(clock_file) << 6 * 24 * 3600;
  CHECK(StatusOf(Setup(client, token, "ada@example.com")) == 200);
}

TEST_CASE("Setup stays open until an Administrator can sign in, with the same link at every start",
          "[api][auth]") {
  deskgate::testing::TempDir tmp;
  const std::string db = (tmp.path() / "s.db").string();
  const auto add = [&](const std::string& email, const std::string& role) {
    REQUIRE(Run({"user", "add", "--portal", "agent", "--email", email, "--role", role, "--db", db},
                std::string(kPassword) + "\n")
                .exit_code == 0);
  };
  // Demo data and an agent who is not an Administrator: still no way in.
  REQUIRE(Run({"seed", "--assets", "10", "--software", "2", "--db", db}).exit_code == 0);
  add("agent@example.com", "Agent");
  std::string first;
  {
    ServerProcess server({"--db", db});
    first = SetupToken(server);
    REQUIRE(first.size() == 43);
  }
  // A restart prints the same link.
  {
    ServerProcess server({"--db", db});
    CHECK(SetupToken(server) == first);
    auto client = ClientFor(server);
    // An address the demo data or an agent uses already is refused, nothing used up.
    CHECK(StatusOf(Setup(client, first, "agent@example.com")) == 409);
    auto done = Setup(client, first, "ada@example.com");
    INFO(done->body);
    REQUIRE(done->status == 200);
    CHECK(StatusOf(Setup(client, first, "bob@example.com")) == 403);
  }
  // Used: the next start prints no link, and the old one stays dead.
  {
    ServerProcess server({"--db", db});
    CHECK(server.output().find("setup.html") == std::string::npos);
    auto client = ClientFor(server);
    CHECK(StatusOf(Setup(client, first, "bob@example.com")) == 403);
  }
}

TEST_CASE("No setup link while an Administrator can sign in", "[api][auth]") {
  deskgate::testing::TempDir tmp;
  const std::string db = (tmp.path() / "s.db").string();
  REQUIRE(Run({"user", "add", "--portal", "agent", "--email", "a@example.com", "--role",
               "Administrator", "--db", db},
              std::string(kPassword) + "\n")
              .exit_code == 0);
  {
    ServerProcess server({"--db", db});
    CHECK(server.output().find("setup.html") == std::string::npos);
  }
  // Deactivated, that Administrator no longer counts (whoever did it
  // through the database): setup opens again.
  {
    auto store = deskgate::store::SqliteStore::Open(db);
    REQUIRE(store.ok());
  }
  sqlite3* handle = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &handle) == SQLITE_OK);
  REQUIRE(sqlite3_exec(handle, "UPDATE people SET deactivated_at = 1", nullptr, nullptr, nullptr) ==
          SQLITE_OK);
  sqlite3_close(handle);
  ServerProcess server({"--db", db});
  CHECK(SetupToken(server).size() == 43);
}

TEST_CASE("People see their own sessions and end the others", "[api][auth]") {
  ServerProcess server;
  AddUser(server, "agent", "jane@example.com");
  AddUser(server, "agent", "bob@example.com");
  auto client = ClientFor(server);
  const std::string laptop = CookieFrom(Login(client, "agent", "jane@example.com", kPassword));
  const std::string phone = CookieFrom(Login(client, "agent", "jane@example.com", kPassword));
  const std::string tablet = CookieFrom(Login(client, "agent", "jane@example.com", kPassword));
  const std::string bob = CookieFrom(Login(client, "agent", "bob@example.com", kPassword));

  auto list = client.Get("/api/sessions", {{"Cookie", laptop}, {"User-Agent", "ignored here"}});
  REQUIRE(list->status == 200);
  const auto count = [](const std::string& body, const std::string& needle) {
    size_t n = 0;
    for (size_t at = body.find(needle); at != std::string::npos; at = body.find(needle, at + 1))
      ++n;
    return n;
  };
  CHECK(count(list->body, R"("id":)") == 3);
  CHECK(count(list->body, R"("current":true)") == 1);
  CHECK(list->body.find(R"("ip":"127.0.0.1")") != std::string::npos);

  // Bob's session id is not Jane's to end.
  auto bobs = client.Get("/api/sessions", {{"Cookie", bob}});
  const size_t at = bobs->body.find(R"("id":)") + 5;
  const std::string bob_id = bobs->body.substr(at, bobs->body.find(',', at) - at);
  CHECK(StatusOf(client.Delete("/api/sessions/" + bob_id, {{"Cookie", laptop}})) == 404);
  CHECK(StatusOf(client.Get("/api/me", {{"Cookie", bob}})) == 200);

  auto ended =
      client.Post("/api/sessions/end-others", {{"Cookie", laptop}}, "{}", "application/json");
  REQUIRE(ended->status == 200);
  CHECK(ended->body == R"({"ended":2})");
  CHECK(StatusOf(client.Get("/api/me", {{"Cookie", laptop}})) == 200);
  CHECK(StatusOf(client.Get("/api/me", {{"Cookie", phone}})) == 401);
  CHECK(StatusOf(client.Get("/api/me", {{"Cookie", tablet}})) == 401);
  CHECK(StatusOf(client.Get("/api/me", {{"Cookie", bob}})) == 200);
  CHECK(AuditCount(server, "session.ended_others") == 1);
}

TEST_CASE("A portal set to single sign-on only refuses passwords", "[api][auth]") {
  ServerProcess server;
  AddUser(server, "contact", "customer@example.com");
  AddUser(server, "agent", "agent@example.com", "Agent");
  {
    // Written behind the server's back: the settings API refuses SSO-only
    // until an identity provider is configured.
    auto db = deskgate::store::Database::Open(server.db_path());
    REQUIRE(db.value()
                .Exec("INSERT INTO portal_settings VALUES ('contact', "
                      "'{\"portal_access\":{\"mode\":\"sso_only\"}}', 0)")
                .ok());
  }
  auto client = ClientFor(server);
  for (const char* password : {kPassword, "wrong password"}) {
    auto res = Login(client, "contact", "customer@example.com", password);
    REQUIRE(res);
    CHECK(res->status == 403);
    CHECK(res->body.find("single sign-on only") != std::string::npos);
    CHECK(res->get_header_value("Set-Cookie").empty());
  }
  // The agent portal keeps its own mode.
  CHECK(StatusOf(Login(client, "agent", "agent@example.com", kPassword)) == 200);
  CHECK(AuditCount(server, "login.success") == 1);
}

TEST_CASE("A session still waiting for its second factor signs nobody in", "[api][auth]") {
  ServerProcess server;
  AddUser(server, "agent", "agent@example.com", "Agent");
  const std::string token = "pending-token-of-a-password-only-sign-in";
  {
    auto db = deskgate::store::Database::Open(server.db_path());
    REQUIRE(db.value()
                .Exec("INSERT INTO sessions (token_hash, person_id, portal, created_at, "
                      "last_seen_at, ip, user_agent, stage) SELECT '" +
                      deskgate::crypto::Sha256Hex(token) +
                      "', id, 'agent', unixepoch(), unixepoch(), '127.0.0.1', 'test', 'mfa' "
                      "FROM people")
                .ok());
  }
  auto client = ClientFor(server);
  auto me = client.Get("/api/me", {{"Cookie", "deskgate_session=" + token}});
  REQUIRE(me);
  CHECK(me->status == 401);
  CHECK(StatusOf(client.Get("/api/sessions", {{"Cookie", "deskgate_session=" + token}})) == 401);
}

TEST_CASE("Guessing the current password to change it is throttled", "[api][auth]") {
  ServerProcess server;
  AddUser(server, "agent", "jane@example.com");
  auto client = ClientFor(server);
  const std::string cookie = CookieFrom(Login(client, "agent", "jane@example.com", kPassword));
  auto change = [&](const std::string& current) {
    const std::string body = R"({"current_password":")" + current +
                             R"(","new_password":"a brand new long passphrase 7"})";
    return client.Post("/api/password", {{"Cookie", cookie}}, body, "application/json");
  };
  for (int i = 0; i < 5; ++i) CHECK(StatusOf(change("wrong guess")) == 400);
  auto blocked = change(kPassword);
  CHECK(blocked->status == 400);
  CHECK(blocked->body.find("too many wrong tries") != std::string::npos);
  // Signing in is not blocked by it: the counters are separate.
  CHECK(StatusOf(Login(client, "agent", "jane@example.com", kPassword)) == 200);
  // Ending a session by an id too large for any session is simply not found.
  CHECK(StatusOf(client.Delete("/api/sessions/99999999999999999999999", {{"Cookie", cookie}})) ==
        404);
  CHECK(StatusOf(client.Get("/api/me", {{"Cookie", cookie}})) == 200);
}

TEST_CASE(
    "Behind TLS (--public-url https://…) cookies are Secure and the public origin is same-origin",
    "[api][auth]") {
  ServerProcess server({"--public-url", "https://help.example.test/"});
  REQUIRE(Run({"user", "add", "--portal", "agent", "--email", "jane@example.com", "--role",
               "Administrator", "--db", server.db_path()},
              std::string(kPassword) + "\n")
              .exit_code == 0);
  httplib::Client client("127.0.0.1", server.port());
  const std::string good =
      std::string(R"({"email":"jane@example.com","password":")") + kPassword + "\"}";
  auto login = client.Post("/api/agent/login", {{"Origin", "https://help.example.test"}}, good,
                           "application/json");
  REQUIRE(login);
  CHECK(login->status == 200);
  const std::string cookie = login->get_header_value("Set-Cookie");
  CHECK(cookie.find("HttpOnly; SameSite=Strict; Secure") != std::string::npos);
  // __Host-: a sibling subdomain or plain http cannot plant one of its own.
  CHECK(cookie.rfind("__Host-deskgate_session=", 0) == 0);
  CHECK(cookie.find("Path=/") != std::string::npos);
  CHECK(cookie.find("Domain") == std::string::npos);
  CHECK(login->get_header_value("Strict-Transport-Security") == "max-age=31536000");
  const std::string session = cookie.substr(0, cookie.find(';'));
  CHECK(StatusOf(client.Get("/api/me", {{"Cookie", session}})) == 200);
  // The plain name is not read over TLS.
  CHECK(StatusOf(client.Get("/api/me", {{"Cookie", session.substr(7)}})) == 401);
  auto cross = client.Post("/api/agent/login", {{"Origin", "http://help.example.test"}}, good,
                           "application/json");
  CHECK(cross->status == 403);
  // The redirect URL given for the provider's app registration uses the public origin.
  auto sso =
      client.Get("/api/settings/sso/agent", {{"Cookie", cookie.substr(0, cookie.find(';'))}});
  REQUIRE(sso);
  CHECK(sso->status == 200);
  CHECK(sso->body.find(R"("redirect_url":"https://help.example.test/api/agent/sso/callback")") !=
        std::string::npos);
}

TEST_CASE("Two session cookies of one name sign nobody in (one was planted)", "[api][auth]") {
  ServerProcess server;
  REQUIRE(Run({"user", "add", "--portal", "agent", "--email", "jane@example.com", "--db",
               server.db_path()},
              std::string(kPassword) + "\n")
              .exit_code == 0);
  auto client = ClientFor(server);
  const std::string mine = CookieFrom(Login(client, "agent", "jane@example.com", kPassword));
  CHECK(StatusOf(client.Get("/api/me", {{"Cookie", mine}})) == 200);
  const std::string planted = "deskgate_session=" + std::string(43, 'A');
  for (const std::string& both : {planted + "; " + mine, mine + "; " + planted}) {
    CHECK(StatusOf(client.Get("/api/me", {{"Cookie", both}})) == 401);
  }
  CHECK(StatusOf(client.Get("/api/me", {{"Cookie", mine}, {"Cookie", planted}})) == 401);
  CHECK(StatusOf(client.Get("/api/me", {{"Cookie", "other=1; " + mine}})) == 200);
}

TEST_CASE("No HSTS over plain http", "[api][auth]") {
  ServerProcess server;
  auto res = ClientFor(server).Get("/healthz");
  CHECK_FALSE(res->has_header("Strict-Transport-Security"));
}

TEST_CASE("serve refuses a --public-url that is not http(s)", "[api][auth]") {
  auto r = Run({"serve", "--port", "0", "--public-url", "ftp://x.example"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--public-url") != std::string::npos);
}

namespace {

// The addresses recorded for failed sign-ins, newest first.
std::vector<std::string> FailureAddresses(const ServerProcess& server) {
  auto store = deskgate::store::SqliteStore::Open(server.db_path());
  deskgate::store::AuditFilter filter;
  filter.event = "login.failure";
  auto rows = store.value()->QueryAudit(filter);
  REQUIRE(rows.ok());
  const std::vector<deskgate::store::AuditRow> found = std::move(rows).value().first;
  std::vector<std::string> ips;
  for (const auto& row : found) ips.push_back(row.ip);
  return ips;
}

int LoginFrom(httplib::Client& client, const std::string& forwarded_for) {
  const std::string wrong = R"({"email":"jane@example.com","password":"not the password"})";
  return client
      .Post("/api/agent/login", {{"X-Forwarded-For", forwarded_for}}, wrong, "application/json")
      ->status;
}

}  // namespace

TEST_CASE("Behind a trusted proxy the forwarded client address is throttled and audited",
          "[api][auth]") {
  ServerProcess server({"--trusted-proxy", "10.0.0.9, 127.0.0.1"});
  httplib::Client client("127.0.0.1", server.port());
  // The client may write anything on the left; the proxy appends what it saw.
  CHECK(LoginFrom(client, "6.6.6.6, 203.0.113.7") == 401);
  CHECK(FailureAddresses(server).front() == "203.0.113.7");
  // Chained trusted proxies are skipped.
  CHECK(LoginFrom(client, "203.0.113.7, 10.0.0.9") == 401);
  CHECK(FailureAddresses(server).front() == "203.0.113.7");
  for (int i = 0; i < 3; ++i) LoginFrom(client, "203.0.113.7");
  // Five failures from that client and account: that pair is blocked, but
  // the same account from another client behind the same proxy is not.
  CHECK(LoginFrom(client, "203.0.113.7") == 429);
  CHECK(LoginFrom(client, "198.51.100.4") == 401);
}

TEST_CASE("Without --trusted-proxy, X-Forwarded-For is ignored", "[api][auth]") {
  ServerProcess server;
  httplib::Client client("127.0.0.1", server.port());
  CHECK(LoginFrom(client, "203.0.113.7") == 401);
  CHECK(FailureAddresses(server).front() == "127.0.0.1");
}
