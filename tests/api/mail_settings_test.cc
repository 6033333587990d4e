// Mail settings in the product, over real HTTP with a real SMTP server
// (tests/support/smtp_sink.py): an Administrator sets the server, sends a
// test email that arrives, and queued mail goes out through the settings at
// once, without a restart; the password is sealed and never answered;
// every bad field is reported at once; only Administrators; flags win.
#include <httplib.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "../support/accounts.h"
#include "../support/people_fixture.h"
#include "../support/smtp_sink.h"
#include "../support/temp_dir.h"

using deskgate::testing::CodeOf;
using deskgate::testing::People;
using deskgate::testing::SmtpSink;
using deskgate::testing::StatusOf;
using nlohmann::json;

namespace {

httplib::Result Put(People& p, const json& body, const std::string& who) {
  auto res = p.client.Put("/api/settings/mail", {{"Cookie", who}}, body.dump(), "application/json");
  REQUIRE(res);
  return res;
}

httplib::Result Test(People& p, const json& body = json::object()) {
  auto res = p.client.Post("/api/settings/mail/test", {{"Cookie", p.admin}}, body.dump(),
                           "application/json");
  REQUIRE(res);
  return res;
}

}  // namespace

TEST_CASE("Mail settings: saved in the product, tested with a real server, used at once",
          "[api][mail]") {
  SmtpSink sink({"helpdesk:s3cret-relay-pass", false, 0});
  People p;
  json state = p.GetJson("/api/settings/mail", p.admin);
  CHECK(state["source"] == "none");
  CHECK(state["configured"] == false);
  CHECK(state["delivery"]["last_delivered_at"].is_null());

  // Queued before any mail server: an invitation waits in the outbox.
  auto invited = p.client.Post(
      "/api/people", {{"Cookie", p.admin}},
      json{{"portal", "contact"}, {"email", "early@customer.example"}, {"name", "Early"}}.dump(),
      "application/json");
  REQUIRE(invited->status == 201);
  CHECK(json::parse(invited->body)["mailed"] == false);

  // Every bad field at once; nothing saved.
  auto bad = Put(p,
                 {{"host", "bad host!"},
                  {"port", 70000},
                  {"starttls", false},
                  {"username", ""},
                  {"from", "nobody"}},
                 p.admin);
  CHECK(bad->status == 400);
  const json errors = json::parse(bad->body)["errors"];
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].get<std::string>().rfind("port: ", 0) == 0);
  CHECK(errors[1].get<std::string>().rfind("host: ", 0) == 0);
  CHECK(errors[2].get<std::string>().rfind("from: ", 0) == 0);
  CHECK(p.GetJson("/api/settings/mail", p.admin)["source"] == "none");
  // Header values are one line: no way to slip in another header.
  auto injected = Put(p,
                      {{"host", "127.0.0.1"},
                       {"port", 25},
                       {"starttls", false},
                       {"username", "a\r\nX: y"},
                       {"from", "Desk\r\nBcc: x@evil.example <d@example.com>"}},
                      p.admin);
  CHECK(injected->status == 400);
  CHECK(json::parse(injected->body)["errors"].size() == 2);
  CHECK(p.GetJson("/api/settings/mail", p.admin)["source"] == "none");

  // The right settings, but the wrong password: the test says why.
  const json settings = {{"host", "127.0.0.1"},      {"port", sink.port()},
                         {"starttls", false},        {"username", "helpdesk"},
                         {"password", "wrong-pass"}, {"from", "Helpdesk <helpdesk@example.com>"}};
  auto saved = Put(p, settings, p.admin);
  INFO(saved->body);
  REQUIRE(saved->status == 200);
  state = json::parse(saved->body);
  CHECK(state["source"] == "settings");
  CHECK(state["settings"]["password_set"] == true);
  CHECK_FALSE(state["settings"].contains("password"));
  CHECK(saved->body.find("wrong-pass") == std::string::npos);
  auto failed = Test(p);
  REQUIRE(failed->status == 200);
  CHECK(json::parse(failed->body)["sent"] == false);
  CHECK_FALSE(json::parse(failed->body)["error"].get<std::string>().empty());
  CHECK(p.GetJson("/api/settings/mail", p.admin)["delivery"]["last_delivered_at"].is_null());

  // A new password (the rest as before); the test arrives.
  json fixed = settings;
  fixed["password"] = "s3cret-relay-pass";
  REQUIRE(StatusOf(Put(p, fixed, p.admin)) == 200);
  auto sent = Test(p, {{"to", "ops@example.com"}});
  REQUIRE(sent->status == 200);
  CHECK(json::parse(sent->body)["sent"] == true);
  REQUIRE(sink.WaitForMessages(1, std::chrono::seconds(10)));
  CHECK(sink.Messages()[0].find("Subject: deskgate test email") != std::string::npos);
  CHECK(sink.Envelopes()[0].to == std::vector<std::string>{"ops@example.com"});
  state = p.GetJson("/api/settings/mail", p.admin);
  CHECK(state["delivery"]["last_delivered_at"].is_number());
  CHECK(state["settings"]["test_error"] == "");
  CHECK(p.Audits("mail.test_sent") == 1);
  CHECK(p.Audits("mail.test_failed") == 1);

  // Saving without a password keeps it; the waiting invitation goes out now
  // (no restart), and new ones are mailed.
  json same = fixed;
  same.erase("password");
  REQUIRE(StatusOf(Put(p, same, p.admin)) == 200);
  auto resent = p.client.Post("/api/people/" +
                                  std::to_string(json::parse(invited->body)["id"].get<int64_t>()) +
                                  "/invitation",
                              {{"Cookie", p.admin}}, "{}", "application/json");
  REQUIRE(resent->status == 200);
  CHECK(json::parse(resent->body)["mailed"] == true);
  REQUIRE(sink.WaitForMessages(2, std::chrono::seconds(15)));
  CHECK(sink.Envelopes()[1].to == std::vector<std::string>{"early@customer.example"});

  // The password is sealed at rest.
  {
    std::ifstream db(p.server.db_path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(db)), {});
    CHECK(bytes.find("s3cret-relay-pass") == std::string::npos);
  }

  // Administrators only.
  p.Add("agent", "auth@example.com", "Agent");
  const std::string agent = p.SignIn("agent", "auth@example.com");
  CHECK(StatusOf(p.Get("/api/settings/mail", agent)) == 403);
  CHECK(StatusOf(Put(p, fixed, agent)) == 403);
  CHECK(StatusOf(p.Get("/api/settings/mail", "")) == 401);

  // Removed: nothing configured any more.
  auto removed = p.client.Delete("/api/settings/mail", {{"Cookie", p.admin}});
  REQUIRE(removed->status == 200);
  CHECK(p.GetJson("/api/settings/mail", p.admin)["configured"] == false);
  CHECK(CodeOf(Test(p)) == "conflict");
}

TEST_CASE(
    "Notices: a recovery-code request reaches those who can act; a person hears of an admin's "
    "change",
    "[api][mail][notices]") {
  SmtpSink sink;
  deskgate::testing::ServerProcess server({"--smtp-host", "127.0.0.1", "--smtp-port",
                                           std::to_string(sink.port()), "--smtp-from",
                                           "deskgate@example.com"});
  httplib::Client client("127.0.0.1", server.port());
  const std::string db = server.db_path();
  deskgate::testing::Must(deskgate::testing::Run(
      {"role", "add", "--name", "Security desk", "--permissions", "manage_agent_mfa", "--db", db}));
  deskgate::testing::AddUser(db, "agent", "ada@example.com", "Administrator", "Ada Admin");
  deskgate::testing::AddUser(db, "agent", "helen@example.com", "Security desk", "Helen Desk");
  deskgate::testing::AddUser(db, "agent", "pat@example.com", "Agent", "Pat Agent");
  deskgate::testing::AddUser(db, "agent", "rob@example.com", "Agent", "Rob Agent");
  const std::string rob = deskgate::testing::SignIn(client, "agent", "rob@example.com");

  auto asked =
      client.Post("/api/mfa/recovery-request", {{"Cookie", rob}}, "{}", "application/json");
  REQUIRE(asked->status == 201);
  REQUIRE(sink.WaitForMessages(2, std::chrono::seconds(15)));
  std::vector<std::string> told;
  for (const auto& e : sink.Envelopes()) told.push_back(e.to.at(0));
  std::sort(told.begin(), told.end());
  CHECK(told == std::vector<std::string>{"ada@example.com", "helen@example.com"});
  CHECK(sink.Messages()[0].find("Subject: Recovery codes requested: rob@example.com") !=
        std::string::npos);
  CHECK(sink.Messages()[0].find("/admin/mfa.html?portal=agent&email=rob%40example.com") !=
        std::string::npos);

  // An administrator issues Rob new codes: Rob hears of it, and from whom.
  const std::string ada = deskgate::testing::SignIn(client, "agent", "ada@example.com");
  const int64_t rob_id =
      json::parse(client.Get("/api/me", {{"Cookie", rob}})->body)["id"].get<int64_t>();
  auto reissued = client.Post("/api/people/" + std::to_string(rob_id) + "/mfa/recovery-codes",
                              {{"Cookie", ada}}, "{}", "application/json");
  INFO(reissued->body);
  REQUIRE(reissued->status == 200);
  REQUIRE(sink.WaitForMessages(3, std::chrono::seconds(15)));
  CHECK(sink.Envelopes()[2].to == std::vector<std::string>{"rob@example.com"});
  CHECK(sink.Messages()[2].find("An administrator (ada@example.com) issued you new recovery") !=
        std::string::npos);
}

TEST_CASE(
    "Notices of a person's own change (new password, new app) wait, so the mail they need next "
    "arrives first",
    "[api][mail][notices]") {
  SmtpSink sink;
  deskgate::testing::TempDir clock_dir;
  const std::string clock_file = (clock_dir.path() / "offset").string();
  std::ofstream(clock_file) << 0;
  deskgate::testing::ServerProcess server({"--smtp-host", "127.0.0.1", "--smtp-port",
                                           std::to_string(sink.port()), "--smtp-from",
                                           "deskgate@example.com", "--clock-file", clock_file});
  httplib::Client client("127.0.0.1", server.port());
  deskgate::testing::AddUser(server.db_path(), "agent", "pat@example.com", "Agent", "Pat Agent");
  const std::string pat = deskgate::testing::SignIn(client, "agent", "pat@example.com");

  auto changed = client.Post("/api/password", {{"Cookie", pat}},
                             json{{"current_password", deskgate::testing::kTestPassword},
                                  {"new_password", "a brand new passphrase 77"}}
                                 .dump(),
                             "application/json");
  REQUIRE(changed->status == 200);
  // Pat asks for a reset link next: it is sent, the notice still waits.
  auto reset = client.Post("/api/agent/password-reset", json{{"email", "pat@example.com"}}.dump(),
                           "application/json");
  REQUIRE(reset->status == 202);
  REQUIRE(sink.WaitForMessages(1, std::chrono::seconds(15)));
  CHECK(sink.Messages()[0].find("/reset-password.html") != std::string::npos);
  // A minute later (the default delay), the notice goes.
  std::ofstream(clock_file) << 61;
  REQUIRE(sink.WaitForMessages(2, std::chrono::seconds(15)));
  CHECK(sink.Envelopes()[1].to == std::vector<std::string>{"pat@example.com"});
  CHECK(sink.Messages()[1].find("Your password was changed") != std::string::npos);
  CHECK(sink.Messages()[1].find("a brand new passphrase") == std::string::npos);
  CHECK(sink.Messages().size() == 2);
}
