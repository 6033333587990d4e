// The authentication settings API: who may read and change it, validation
// that changes nothing on error, audit with before/after values, and the
// session timeout taking effect.
#include <httplib.h>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>

#include "../support/accounts.h"
#include "../support/subprocess.h"
#include "../support/temp_dir.h"
#include "server/store/sqlite/sqlite_store.h"

using deskgate::testing::Must;
using deskgate::testing::Run;
using deskgate::testing::ServerProcess;
using deskgate::testing::SignIn;
using deskgate::testing::StatusOf;

namespace {

// A JSON string literal for `text` (quotes and backslashes escaped).
std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

void AddUser(const ServerProcess& server, const std::string& portal, const std::string& email,
             const std::string& role = "") {
  deskgate::testing::AddUser(server.db_path(), portal, email, role);
}

// A server with one person of every kind the permission matrix needs.
struct Fixture {
  ServerProcess server;
  httplib::Client client{"127.0.0.1", server.port()};
  std::map<std::string, std::string> cookies;  // who → Cookie header ("" = anonymous)

  Fixture() {
    Must(Run({"role", "add", "--name", "Security Lead", "--permissions", "manage_authentication",
              "--db", server.db_path()}));
    Must(Run({"role", "add", "--name", "MFA Helper", "--permissions", "manage_agent_mfa", "--db",
              server.db_path()}));
    AddUser(server, "agent", "admin@example.com", "Administrator");
    AddUser(server, "agent", "lead@example.com", "Security Lead");
    AddUser(server, "agent", "helper@example.com", "MFA Helper");
    AddUser(server, "agent", "agent@example.com", "Agent");
    AddUser(server, "contact", "customer@example.com");
    cookies["administrator"] = SignIn(client, "agent", "admin@example.com");
    cookies["custom role with the flag"] = SignIn(client, "agent", "lead@example.com");
    cookies["custom role without it"] = SignIn(client, "agent", "helper@example.com");
    cookies["agent"] = SignIn(client, "agent", "agent@example.com");
    cookies["contact"] = SignIn(client, "contact", "customer@example.com");
    cookies["anonymous"] = "";
  }

  httplib::Headers As(const std::string& who) {
    return cookies.at(who).empty() ? httplib::Headers{}
                                   : httplib::Headers{{"Cookie", cookies.at(who)}};
  }
  int64_t Audits(const std::string& event) {
    return deskgate::store::SqliteStore::Open(server.db_path()).value()->CountAudit(event).value();
  }
};

}  // namespace

TEST_CASE("Settings routes answer 200/401/403 by permission", "[api][settings]") {
  Fixture f;
  const std::map<std::string, int> expected = {{"administrator", 200},
                                               {"custom role with the flag", 200},
                                               {"custom role without it", 403},
                                               {"agent", 403},
                                               {"contact", 403},
                                               {"anonymous", 401}};
  for (const std::string portal : {"agent", "contact"}) {
    for (const auto& [who, status] : expected) {
      INFO(who << " on " << portal);
      auto get = f.client.Get("/api/settings/authentication/" + portal, f.As(who));
      REQUIRE(get);
      CHECK(get->status == status);
      auto put = f.client.Put("/api/settings/authentication/" + portal, f.As(who),
                              R"({"session":{"idle_timeout_minutes":45}})", "application/json");
      REQUIRE(put);
      CHECK(put->status == status);
      if (status != 200) CHECK(put->body.find("\"error\"") != std::string::npos);
    }
  }
  CHECK(f.Audits("settings.authentication.changed") == 4);  // 2 portals × 2 permitted people
}

TEST_CASE("Settings read back with defaults, and a change is audited with before/after",
          "[api][settings]") {
  Fixture f;
  auto get = f.client.Get("/api/settings/authentication/contact", f.As("administrator"));
  CHECK(
      get->body ==
      R"({"portal_access":{"mode":"email_only"},"mfa":{"authenticator_app":false,"email_otp":false,)"
      R"("issuer":"deskgate Helpdesk","enforcement":"next_login"},"password":{"min_length":12,"max_length":128,)"
      R"("require_uppercase":false,"require_lowercase":false,"require_digit":false,)"
      R"("require_symbol":false,"expiry_days":0,"reuse_history":0,"enforce_policy":"next_change"},)"
      R"("session":{"idle_timeout_minutes":30,"absolute_timeout_hours":12}})");
  auto put = f.client.Put("/api/settings/authentication/agent", f.As("administrator"),
                          R"({"password":{"min_length":16,"enforce_policy":"next_login"}})",
                          "application/json");
  REQUIRE(put->status == 200);
  CHECK(put->body.find(R"("min_length":16)") != std::string::npos);
  CHECK(put->body.find(R"("enforce_policy":"next_login")") != std::string::npos);
  auto again = f.client.Get("/api/settings/authentication/agent", f.As("administrator"));
  CHECK(again->body == put->body);

  // The audit entry holds both versions.
  auto db = deskgate::store::Database::Open(f.server.db_path());
  auto stmt = deskgate::store::Statement::Prepare(
      db.value(),
      "SELECT details, actor_id FROM audit_log WHERE event = 'settings.authentication.changed'");
  REQUIRE(stmt.value().Step());
  const std::string details = stmt.value().ColumnText(0);
  CHECK(details.find(R"({"before":{"portal_access")") == 0);
  CHECK(details.find(R"("min_length":12)") != std::string::npos);
  CHECK(details.find(R"("after":{)") != std::string::npos);
  CHECK(details.find(R"("min_length":16)") != std::string::npos);
}

TEST_CASE("Bad settings are refused with the field named, and nothing changes", "[api][settings]") {
  Fixture f;
  const std::pair<const char*, const char*> cases[] = {
      {R"({"session":{"idle_timeout_minutes":2}})",
       "session.idle_timeout_minutes: must be an integer from 5 to 1440"},
      {R"({"password":{"min_length":4}})", "password.min_length: must be an integer from 8 to 128"},
      {R"({"password":{"enforce_policy":"never"}})",
       "password.enforce_policy: must be next_login or next_change"},
      {R"({"portal_access":{"mode":"magic"}})",
       "portal_access.mode: must be one of password, sso, both"},
      {R"({"portal_access":{"mode":"sso"}})",
       "portal_access.mode: \"sso\" needs single sign-on; configure an identity provider first"},
      {R"({"mfa":{"enforcement":"later"}})", "mfa.enforcement: must be immediately or next_login"},
      {R"({"mfa":{"email_otp":"yes"}})", "mfa.email_otp: must be true or false"},
      {R"({"mfa":{"issuer":"Acme:Support"}})", "mfa.issuer: must not contain a colon (:)"},
      {R"({"mfa":{"sms":true}})", "mfa: unknown field \"sms\""},
      {R"({"session":{"idle_timeout_minutes":"30"}})",
       "session.idle_timeout_minutes: must be an integer from 5 to 1440"},
      {R"({"session":[]})", "session: must be a JSON object"},
      {"{", "settings: invalid JSON at byte 1: expected a member name"},
  };
  for (const auto& [body, message] : cases) {
    INFO(body);
    auto res = f.client.Put("/api/settings/authentication/agent", f.As("administrator"), body,
                            "application/json");
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(res->body ==
          std::string(R"({"error":)") + JsonString(message) + R"(,"code":"invalid_argument"})");
  }
  auto cross =
      f.client.Put("/api/settings/authentication/agent",
                   {{"Cookie", f.cookies.at("administrator")}, {"Origin", "https://evil.example"}},
                   R"({"session":{"idle_timeout_minutes":45}})", "application/json");
  CHECK(cross->status == 403);
  CHECK(f.Audits("settings.authentication.changed") == 0);
  auto get = f.client.Get("/api/settings/authentication/agent", f.As("administrator"));
  CHECK(get->body.find(R"("idle_timeout_minutes":30)") != std::string::npos);
}

TEST_CASE("A settings PUT changes only the sections it names", "[api][settings]") {
  Fixture f;
  const auto& admin = f.cookies["administrator"];
  auto put = [&](const std::string& body) {
    return f.client.Put("/api/settings/authentication/agent", {{"Cookie", admin}}, body,
                        "application/json");
  };
  REQUIRE(put(R"({"mfa":{"authenticator_app":true,"issuer":"Acme"},"password":{"min_length":14}})")
              ->status == 200);
  // Only the session: MFA and the password policy stay as they were.
  auto session = put(R"({"session":{"idle_timeout_minutes":45}})");
  REQUIRE(session->status == 200);
  for (const char* kept : {R"("authenticator_app":true)", R"("issuer":"Acme")",
                           R"("min_length":14)", R"("idle_timeout_minutes":45)"}) {
    INFO(kept);
    CHECK(session->body.find(kept) != std::string::npos);
  }
  // An empty change changes nothing.
  auto empty = put("{}");
  CHECK(empty->body == session->body);
  // A section named is taken whole: its missing fields take their defaults.
  auto mfa = put(R"({"mfa":{"email_otp":true}})");
  CHECK(mfa->body.find(R"("authenticator_app":false,"email_otp":true)") != std::string::npos);
  CHECK(mfa->body.find(R"("min_length":14)") != std::string::npos);
  auto stored = f.client.Get("/api/settings/authentication/agent", {{"Cookie", admin}});
  CHECK(stored->body == mfa->body);
}

TEST_CASE("The session timeout from the settings ends idle sessions", "[api][settings]") {
  deskgate::testing::TempDir clock_dir;
  const std::string clock_file = (clock_dir.path() / "offset").string();
  std::ofstream(clock_file) << 0;
  ServerProcess server({"--clock-file", clock_file});
  AddUser(server, "agent", "admin@example.com", "Administrator");
  AddUser(server, "agent", "agent@example.com", "Agent");
  httplib::Client client("127.0.0.1", server.port());
  const std::string admin = SignIn(client, "agent", "admin@example.com");
  REQUIRE(client
              .Put("/api/settings/authentication/agent", {{"Cookie", admin}},
                   R"({"session":{"idle_timeout_minutes":10}})", "application/json")
              ->status == 200);
  const std::string agent = SignIn(client, "agent", "agent@example.com");
  std::ofstream(clock_file) << 9 * 60;
  CHECK(StatusOf(client.Get("/api/me", {{"Cookie", agent}})) == 200);
  std::ofstream(clock_file) << 9 * 60 + 11 * 60;
  CHECK(StatusOf(client.Get("/api/me", {{"Cookie", agent}})) == 401);
}

TEST_CASE("Administrators filter the audit log and export it as CSV", "[api][audit]") {
  Fixture f;  // every sign-in above is already audited
  // A failed login naming a formula-looking address must stay inert in CSV.
  f.client.Post("/api/agent/login", R"({"email":"=HYPERLINK(1)@example.com","password":"x"})",
                "application/json");

  auto all = f.client.Get("/api/audit", f.As("administrator"));
  REQUIRE(all->status == 200);
  CHECK(all->body.find(R"({"total":)") == 0);
  auto logins = f.client.Get("/api/audit?event=login.&limit=2", f.As("administrator"));
  REQUIRE(logins->status == 200);
  CHECK(logins->body.find(R"({"total":6,"events":[)") == 0);  // 5 successes + 1 failure
  size_t events = 0;
  for (size_t at = logins->body.find(R"("event":"login.)"); at != std::string::npos;
       at = logins->body.find(R"("event":"login.)", at + 1)) {
    ++events;
  }
  CHECK(events == 2);  // the page size
  CHECK(logins->body.find(R"("event":"person.created")") == std::string::npos);

  auto lead =
      f.client.Get("/api/audit?person=lead@example.com&event=login.success", f.As("administrator"));
  CHECK(lead->body.find(R"({"total":1,)") == 0);
  CHECK(lead->body.find(R"("actor":"lead@example.com")") != std::string::npos);
  auto future = f.client.Get("/api/audit?from=4000000000", f.As("administrator"));
  CHECK(future->body == R"({"total":0,"events":[]})");

  auto csv = f.client.Get("/api/audit.csv?event=login.failure", f.As("administrator"));
  REQUIRE(csv->status == 200);
  CHECK(csv->get_header_value("Content-Type") == "text/csv; charset=utf-8");
  CHECK(csv->get_header_value("Content-Disposition").find("attachment") == 0);
  CHECK(csv->body.rfind("id,time_utc_unix,actor,portal,event,target,ip,details\r\n", 0) == 0);
  CHECK(csv->body.find(",\"'=hyperlink(1)@example.com\",") != std::string::npos);
  CHECK(csv->body.find(",\"{}\"\r\n") != std::string::npos);  // every field quoted

  for (const std::string who : {"custom role with the flag", "agent", "contact"}) {
    CHECK(StatusOf(f.client.Get("/api/audit", f.As(who))) == 403);
    CHECK(StatusOf(f.client.Get("/api/audit.csv", f.As(who))) == 403);
  }
  CHECK(StatusOf(f.client.Get("/api/audit")) == 401);
  CHECK(StatusOf(f.client.Get("/api/audit?limit=-1", f.As("administrator"))) == 400);
  CHECK(StatusOf(f.client.Get("/api/audit?from=abc", f.As("administrator"))) == 400);
}

TEST_CASE("MFA turned on \"immediately\" ends that portal's other sessions at once",
          "[api][settings][mfa]") {
  Fixture f;
  // "On next login" leaves everyone signed in.
  auto next_login =
      f.client.Put("/api/settings/authentication/agent", f.As("administrator"),
                   R"({"mfa":{"email_otp":true,"enforcement":"next_login"}})", "application/json");
  REQUIRE(next_login->status == 200);
  CHECK(StatusOf(f.client.Get("/api/me", f.As("agent"))) == 200);
  CHECK(f.Audits("sessions.ended_by_mfa_policy") == 0);

  // Off, then on again "immediately": agent sessions end, the acting
  // admin's and the contact portal's continue.
  REQUIRE(f.client
              .Put("/api/settings/authentication/agent", f.As("administrator"),
                   R"({"mfa":{"email_otp":false}})", "application/json")
              ->status == 200);
  auto immediately = f.client.Put(
      "/api/settings/authentication/agent", f.As("administrator"),
      R"({"mfa":{"authenticator_app":true,"enforcement":"immediately"}})", "application/json");
  REQUIRE(immediately->status == 200);
  for (const char* who : {"agent", "custom role with the flag", "custom role without it"}) {
    INFO(who);
    CHECK(StatusOf(f.client.Get("/api/me", f.As(who))) == 401);
  }
  CHECK(StatusOf(f.client.Get("/api/me", f.As("administrator"))) == 200);
  CHECK(StatusOf(f.client.Get("/api/me", f.As("contact"))) == 200);
  CHECK(f.Audits("sessions.ended_by_mfa_policy") == 1);

  // Saving again with MFA already on ends nothing more.
  REQUIRE(f.client
              .Put("/api/settings/authentication/agent", f.As("administrator"),
                   R"({"mfa":{"authenticator_app":true,"enforcement":"immediately"}})",
                   "application/json")
              ->status == 200);
  CHECK(f.Audits("sessions.ended_by_mfa_policy") == 1);
}

TEST_CASE("Settings that cannot be read refuse sign-in instead of falling back to the defaults",
          "[api][settings]") {
  ServerProcess server;
  AddUser(server, "agent", "admin@example.com", "Administrator");
  AddUser(server, "contact", "customer@example.com");
  // The agent portal's stored settings no longer parse (a damaged row). The
  // defaults would mean MFA off and passwords on: the weakest settings.
  auto db = deskgate::store::Database::Open(server.db_path());
  REQUIRE(db.value()
              .Exec(R"(INSERT INTO portal_settings VALUES ('agent', '{"mfa":{"enabled":', 0))")
              .ok());
  httplib::Client client("127.0.0.1", server.port());

  auto login = deskgate::testing::Login(client, "agent", "admin@example.com");
  REQUIRE(login);
  CHECK(login->status == 503);
  CHECK(login->body.find(R"("code":"unavailable")") != std::string::npos);
  CHECK(login->get_header_value("Set-Cookie").empty());
  auto options = client.Get("/api/agent/login-options");
  CHECK(options->status == 503);
  CHECK(options->body.find(R"("code":"unavailable")") != std::string::npos);
  // The other portal is unaffected.
  CHECK(StatusOf(client.Get("/api/contact/login-options")) == 200);
  const std::string customer = SignIn(client, "contact", "customer@example.com");
  CHECK(StatusOf(client.Get("/api/me", {{"Cookie", customer}})) == 200);

  // The failure was not remembered as the defaults: once the row is
  // repaired, sign-in works without a restart.
  REQUIRE(db.value().Exec("DELETE FROM portal_settings WHERE portal = 'agent'").ok());
  const std::string admin = SignIn(client, "agent", "admin@example.com");
  auto read = client.Get("/api/settings/authentication/agent", {{"Cookie", admin}});
  CHECK(read->status == 200);
}

TEST_CASE("A settings PUT with several bad fields names every one of them", "[api][settings]") {
  Fixture f;
  auto res = f.client.Put(
      "/api/settings/authentication/agent", f.As("administrator"),
      R"({"password":{"min_length":4},"session":{"idle_timeout_minutes":2,"absolute_timeout_hours":0},)"
      R"("mfa":{"issuer":"Acme:Support"}})",
      "application/json");
  REQUIRE(res);
  CHECK(res->status == 400);
  const auto body = nlohmann::json::parse(res->body);
  CHECK(body["code"] == "invalid_argument");
  CHECK(body["error"] == "mfa.issuer: must not contain a colon (:)");
  CHECK(body["errors"] ==
        nlohmann::json{"mfa.issuer: must not contain a colon (:)",
                       "password.min_length: must be an integer from 8 to 128",
                       "session.idle_timeout_minutes: must be an integer from 5 to 1440",
                       "session.absolute_timeout_hours: must be an integer from 1 to 720"});
  CHECK(f.Audits("settings.authentication.changed") == 0);
}
