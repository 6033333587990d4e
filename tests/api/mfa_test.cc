// Multi-factor authentication over real HTTP (docs/mfa.md): enrollment with
// codes from oathtool, the ±1 step window and replay under an injected
// clock, email codes through a real SMTP server, the outbox when mail is
// down, recovery codes, recovery requests and the administrators' tools.
#include <httplib.h>

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "../support/accounts.h"
#include "../support/smtp_sink.h"
#include "../support/subprocess.h"
#include "../support/temp_dir.h"
#include "server/store/sqlite/sqlite_store.h"

using deskgate::testing::Must;
using deskgate::testing::Run;
using deskgate::testing::ServerProcess;
using deskgate::testing::StatusOf;
using nlohmann::json;

namespace {

std::string Shell(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[256];
  while (fgets(buffer, sizeof buffer, pipe)) out += buffer;
  REQUIRE(pclose(pipe) == 0);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// The code an authenticator app shows for `secret` at `unix_time`, from oathtool.
std::string OathtoolCode(const std::string& secret, int64_t unix_time) {
  return Shell("oathtool --totp -b " + secret + " -N @" + std::to_string(unix_time));
}

int64_t WallClock() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A server whose clock the test moves, with an admin signed in.
struct MfaServer {
  deskgate::testing::TempDir clock_dir;
  std::string clock_file = (clock_dir.path() / "offset").string();
  int64_t offset = 0;
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<httplib::Client> client;
  std::string admin;  // the administrator's Cookie header

  explicit MfaServer(std::vector<std::string> extra = {}) {
    std::ofstream(clock_file) << 0;
    extra.insert(extra.end(), {"--clock-file", clock_file});
    server = std::make_unique<ServerProcess>(extra);
    client = std::make_unique<httplib::Client>("127.0.0.1", server->port());
    client->set_read_timeout(15);
    AddUser("agent", "admin@example.com", "Administrator");
    admin = Cookie(Login("agent", "admin@example.com"));
  }

  void AddUser(const std::string& portal, const std::string& email, const std::string& role = "") {
    deskgate::testing::AddUser(server->db_path(), portal, email, role);
  }

  // Moves the server's clock forward.
  void Advance(int64_t seconds) {
    offset += seconds;
    std::ofstream(clock_file, std::ios::trunc) << offset;
  }
  int64_t Now() const { return WallClock() + offset; }
  // Moves the clock to just after the start of a time step, so a test
  // has most of 30 seconds before "the current code" changes.
  void AlignToStep() {
    const int64_t into = ((Now() % 30) + 30) % 30;
    Advance(30 - into + 1);
  }

  void SetMfa(const std::string& portal, const std::string& mfa_json) {
    auto res = client->Put("/api/settings/authentication/" + portal, {{"Cookie", admin}},
                           R"({"mfa":)" + mfa_json + "}", "application/json");
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 200);
  }

  httplib::Result Login(const std::string& portal, const std::string& email) {
    auto res = deskgate::testing::Login(*client, portal, email);
    REQUIRE(res);
    return res;
  }

  httplib::Result Post(const std::string& path, const std::string& cookie, const json& body) {
    auto res = client->Post(path, {{"Cookie", cookie}}, body.dump(), "application/json");
    REQUIRE(res);
    return res;
  }
  httplib::Result Get(const std::string& path, const std::string& cookie) {
    auto res = client->Get(path, {{"Cookie", cookie}});
    REQUIRE(res);
    return res;
  }

  static std::string Cookie(const httplib::Result& res) {
    return deskgate::testing::CookieFrom(res);
  }

  int64_t Audits(const std::string& event) const {
    return deskgate::store::SqliteStore::Open(server->db_path()).value()->CountAudit(event).value();
  }

  // Enrolls `email` in the app through the sign-in flow; returns the base32
  // secret, the recovery codes and the signed-in cookie.
  struct Enrolled {
    std::string secret;
    std::vector<std::string> recovery_codes;
    std::string cookie;
  };
  Enrolled Enroll(const std::string& portal, const std::string& email) {
    auto login = Login(portal, email);
    REQUIRE(json::parse(login->body)["status"] == "mfa_setup_required");
    const std::string pending = Cookie(login);
    auto setup = Post("/api/" + portal + "/mfa/totp/setup", pending, json::object());
    REQUIRE(setup->status == 200);
    const json s = json::parse(setup->body);
    AlignToStep();
    auto confirm = Post("/api/" + portal + "/mfa/totp/confirm", pending,
                        {{"code", OathtoolCode(s["secret"], Now())}});
    INFO(confirm->body);
    REQUIRE(confirm->status == 200);
    const json c = json::parse(confirm->body);
    return {s["secret"], c["recovery_codes"].get<std::vector<std::string>>(), Cookie(confirm)};
  }
};

}  // namespace

TEST_CASE("Enrolling an authenticator app at sign-in, with codes from oathtool", "[api][mfa]") {
  MfaServer f;
  f.AddUser("agent", "jane@example.com", "Agent");
  f.SetMfa("agent", R"({"authenticator_app":true,"issuer":"Acme Support"})");

  auto login = f.Login("agent", "jane@example.com");
  CHECK(login->status == 200);
  CHECK(json::parse(login->body) ==
        json::parse(R"({"status":"mfa_setup_required","methods":[],"setup_suggested":true})"));
  const std::string pending = MfaServer::Cookie(login);
  // The password step alone signs nobody in.
  CHECK(StatusOf(f.Get("/api/me", pending)) == 401);
  CHECK(StatusOf(f.Post("/api/agent/mfa/verify", pending,
                        {{"method", "totp"}, {"code", "123456"}})) == 400);

  auto setup = f.Post("/api/agent/mfa/totp/setup", pending, json::object());
  REQUIRE(setup->status == 200);
  const json s = json::parse(setup->body);
  const std::string secret = s["secret"];
  CHECK(secret.size() == 32);  // 160 bits in base32, no padding
  CHECK(s["grouped_key"].get<std::string>().substr(0, 9) ==
        secret.substr(0, 4) + " " + secret.substr(4, 4));
  CHECK(s["otpauth_uri"] == "otpauth://totp/Acme%20Support:jane%40example.com?secret=" + secret +
                                "&issuer=Acme%20Support&algorithm=SHA1&digits=6&period=30");
  CHECK(setup->get_header_value("Cache-Control") == "no-store");
  // The secret is sealed at rest: the database never holds it in base32 or raw.
  {
    std::ifstream db(f.server->db_path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(db)), {});
    CHECK(bytes.find(secret) == std::string::npos);
  }

  auto wrong = f.Post("/api/agent/mfa/totp/confirm", pending, {{"code", "000000"}});
  CHECK(wrong->status == 400);
  CHECK(json::parse(wrong->body)["error"].get<std::string>().find("does not match") !=
        std::string::npos);
  CHECK(StatusOf(f.Get("/api/me", pending)) == 401);

  f.AlignToStep();
  const std::string first_code = OathtoolCode(secret, f.Now());
  auto confirm = f.Post("/api/agent/mfa/totp/confirm", pending, {{"code", first_code}});
  REQUIRE(confirm->status == 200);
  const json c = json::parse(confirm->body);
  CHECK(c["status"] == "ok");
  REQUIRE(c["recovery_codes"].size() == 10);
  const std::regex code_shape("[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}");
  for (const auto& code : c["recovery_codes"])
    CHECK(std::regex_match(code.get<std::string>(), code_shape));
  // A new token signs in; the one that held only the password is dead.
  const std::string signed_in = MfaServer::Cookie(confirm);
  CHECK(signed_in != pending);
  CHECK(StatusOf(f.Get("/api/me", signed_in)) == 200);
  CHECK(StatusOf(f.Get("/api/me", pending)) == 401);
  auto status = json::parse(f.Get("/api/mfa", signed_in)->body);
  CHECK(status["totp"]["enrolled"] == true);
  CHECK(status["recovery_codes"]["remaining"] == 10);
  CHECK(status["recovery_codes"]["low"] == false);
  CHECK(f.Audits("mfa.totp_enrolled") == 1);

  // Next sign-in asks for a code; the one used to enroll is a replay.
  auto again = f.Login("agent", "jane@example.com");
  CHECK(json::parse(again->body) ==
        json::parse(
            R"({"status":"mfa_required","methods":["totp","recovery"],"setup_suggested":false})"));
  const std::string pending2 = MfaServer::Cookie(again);
  auto replay =
      f.Post("/api/agent/mfa/verify", pending2, {{"method", "totp"}, {"code", first_code}});
  CHECK(replay->status == 401);
  CHECK(f.Audits("mfa.replay") == 1);
  f.Advance(30);
  auto verify = f.Post("/api/agent/mfa/verify", pending2,
                       {{"method", "totp"}, {"code", OathtoolCode(secret, f.Now())}});
  INFO(verify->body);
  REQUIRE(verify->status == 200);
  CHECK(json::parse(verify->body)["status"] == "ok");
  CHECK(StatusOf(f.Get("/api/me", MfaServer::Cookie(verify))) == 200);
  CHECK(f.Audits("login.success") >= 3);  // the admin, the enrollment, this sign-in
}

TEST_CASE("TOTP accepts the previous, current and next step, never two away, never twice",
          "[api][mfa]") {
  MfaServer f;
  f.AddUser("agent", "jane@example.com", "Agent");
  f.SetMfa("agent", R"({"authenticator_app":true})");
  const auto enrolled = f.Enroll("agent", "jane@example.com");
  auto attempt = [&](int64_t at) {
    auto login = f.Login("agent", "jane@example.com");
    return f
        .Post("/api/agent/mfa/verify", MfaServer::Cookie(login),
              {{"method", "totp"}, {"code", OathtoolCode(enrolled.secret, at)}})
        ->status;
  };
  f.Advance(300);  // well past the enrollment's step
  f.AlignToStep();
  const int64_t t = f.Now();
  CHECK(attempt(t - 60) == 401);  // two steps behind
  CHECK(attempt(t + 60) == 401);  // two steps ahead
  CHECK(attempt(t - 30) == 200);  // previous
  CHECK(attempt(t - 30) == 401);  // the same code again
  CHECK(attempt(t) == 200);       // current
  CHECK(attempt(t + 30) == 200);  // next
  CHECK(attempt(t) == 401);       // older than the last accepted
  CHECK(f.Audits("mfa.replay") == 2);
}

TEST_CASE("Wrong codes are throttled: even the right code waits", "[api][mfa]") {
  MfaServer f;
  f.AddUser("agent", "jane@example.com", "Agent");
  f.SetMfa("agent", R"({"authenticator_app":true})");
  const auto enrolled = f.Enroll("agent", "jane@example.com");
  f.Advance(60);
  f.AlignToStep();
  auto login = f.Login("agent", "jane@example.com");
  const std::string pending = MfaServer::Cookie(login);
  for (int i = 0; i < 5; ++i) {
    CHECK(f.Post("/api/agent/mfa/verify", pending, {{"method", "totp"}, {"code", "999999"}})
              ->status == 401);
  }
  auto blocked = f.Post("/api/agent/mfa/verify", pending,
                        {{"method", "totp"}, {"code", OathtoolCode(enrolled.secret, f.Now())}});
  CHECK(blocked->status == 429);
  CHECK(std::stoi(blocked->get_header_value("Retry-After")) > 0);
  CHECK(f.Audits("mfa.failure") == 5);
  CHECK(f.Audits("mfa.throttled") == 1);
  // A pending sign-in lasts 15 minutes; the block lifts with the window.
  f.Advance(15 * 60 + 1);
  f.AlignToStep();
  auto late = f.Post("/api/agent/mfa/verify", pending,
                     {{"method", "totp"}, {"code", OathtoolCode(enrolled.secret, f.Now())}});
  CHECK(late->status == 401);  // the pending sign-in itself expired
  CHECK(json::parse(late->body)["sign_in_again"] == true);
  auto fresh = f.Login("agent", "jane@example.com");
  CHECK(f.Post("/api/agent/mfa/verify", MfaServer::Cookie(fresh),
               {{"method", "totp"}, {"code", OathtoolCode(enrolled.secret, f.Now())}})
            ->status == 200);
}

TEST_CASE("Email codes through a real SMTP server: once, 10 minutes, resend throttled",
          "[api][mfa][mail]") {
  deskgate::testing::SmtpSink sink;
  MfaServer f({"--smtp-host", "127.0.0.1", "--smtp-port", std::to_string(sink.port()),
               "--smtp-from", "deskgate@example.com"});
  f.AddUser("contact", "customer@example.com");
  f.SetMfa("contact", R"({"email_otp":true})");

  auto code_in = [&](size_t n) {
    REQUIRE(sink.WaitForMessages(n, std::chrono::seconds(10)));
    const std::string message = sink.Messages()[n - 1];
    std::smatch m;
    REQUIRE(std::regex_search(message, m, std::regex("sign-in code is ([0-9]{6})")));
    return m[1].str();
  };

  auto login = f.Login("contact", "customer@example.com");
  CHECK(json::parse(login->body) ==
        json::parse(R"({"status":"mfa_required","methods":["email"],"setup_suggested":false})"));
  const std::string pending = MfaServer::Cookie(login);
  auto sent = f.Post("/api/contact/mfa/email/send", pending, json::object());
  REQUIRE(sent->status == 200);
  CHECK(json::parse(sent->body) ==
        json::parse(R"({"sent_to":"c•••@example.com","expires_in":600,"resend_after":60})"));
  const std::string code = code_in(1);
  CHECK(sink.Envelopes()[0].to == std::vector<std::string>{"customer@example.com"});
  // The code is stored keyed-hashed and the queued body sealed, then wiped.
  {
    std::ifstream db(f.server->db_path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(db)), {});
    CHECK(bytes.find("sign-in code is " + code) == std::string::npos);
  }

  auto resend = f.Post("/api/contact/mfa/email/send", pending, json::object());
  CHECK(resend->status == 429);
  CHECK(std::stoi(resend->get_header_value("Retry-After")) <= 60);

  CHECK(f.Post("/api/contact/mfa/verify", pending, {{"method", "email"}, {"code", "000000"}})
            ->status == 401);
  auto ok = f.Post("/api/contact/mfa/verify", pending, {{"method", "email"}, {"code", code}});
  REQUIRE(ok->status == 200);
  CHECK(StatusOf(f.Get("/api/me", MfaServer::Cookie(ok))) == 200);

  // Used once: a new sign-in cannot reuse it.
  auto second = f.Login("contact", "customer@example.com");
  CHECK(f.Post("/api/contact/mfa/verify", MfaServer::Cookie(second),
               {{"method", "email"}, {"code", code}})
            ->status == 401);

  // Expired after 10 minutes of (injected) time.
  f.Advance(61);
  auto third = f.Login("contact", "customer@example.com");
  const std::string pending3 = MfaServer::Cookie(third);
  REQUIRE(StatusOf(f.Post("/api/contact/mfa/email/send", pending3, json::object())) == 200);
  const std::string late_code = code_in(2);
  f.Advance(601);
  auto late =
      f.Post("/api/contact/mfa/verify", pending3, {{"method", "email"}, {"code", late_code}});
  CHECK(late->status == 401);
  CHECK(json::parse(late->body)["error"].get<std::string>().find("expired") != std::string::npos);
  CHECK_FALSE(json::parse(late->body).contains("sign_in_again"));  // the code, not the sign-in
}

TEST_CASE("With the mail server down, the message waits in the outbox and is sent later",
          "[api][mfa][mail]") {
  int port = 0;
  {
    deskgate::testing::SmtpSink probe;  // finds a free port, then frees it
    port = probe.port();
  }
  MfaServer f({"--smtp-host", "127.0.0.1", "--smtp-port", std::to_string(port), "--smtp-from",
               "deskgate@example.com"});
  f.AddUser("agent", "jane@example.com", "Agent");
  f.SetMfa("agent", R"({"email_otp":true})");
  auto login = f.Login("agent", "jane@example.com");
  REQUIRE(StatusOf(f.Post("/api/agent/mfa/email/send", MfaServer::Cookie(login), json::object())) ==
          200);
  json outbox;
  for (int i = 0; i < 50; ++i) {
    outbox = json::parse(f.Get("/api/outbox", f.admin)->body);
    if (outbox["messages"].size() == 1 && outbox["messages"][0]["attempts"] >= 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE(outbox["messages"].size() == 1);
  CHECK(outbox["smtp_configured"] == true);
  CHECK(outbox["messages"][0]["state"] == "queued");
  CHECK(outbox["messages"][0]["recipient"] == "jane@example.com");
  CHECK(outbox["messages"][0]["attempts"] >= 1);
  CHECK(!outbox["messages"][0]["last_error"].get<std::string>().empty());
  CHECK(!outbox["messages"][0].contains("body"));

  // The server comes back; once the retry is due the message goes out.
  deskgate::testing::SmtpSinkOptions same_port;
  same_port.port = port;
  deskgate::testing::SmtpSink sink(same_port);
  f.Advance(45);  // past the first retry (30 s), well before expiry
  REQUIRE(sink.WaitForMessages(1, std::chrono::seconds(10)));
  CHECK(sink.Messages()[0].find("sign-in code is") != std::string::npos);
  for (int i = 0; i < 50; ++i) {
    outbox = json::parse(f.Get("/api/outbox", f.admin)->body);
    if (outbox["messages"][0]["state"] == "sent") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(outbox["messages"][0]["state"] == "sent");
}

TEST_CASE("Without SMTP, mail stays queued for administrators to see", "[api][mfa][mail]") {
  MfaServer f;
  f.AddUser("agent", "jane@example.com", "Agent");
  f.SetMfa("agent", R"({"email_otp":true})");
  auto login = f.Login("agent", "jane@example.com");
  REQUIRE(StatusOf(f.Post("/api/agent/mfa/email/send", MfaServer::Cookie(login), json::object())) ==
          200);
  auto outbox = json::parse(f.Get("/api/outbox", f.admin)->body);
  CHECK(outbox["smtp_configured"] == false);
  REQUIRE(outbox["messages"].size() == 1);
  CHECK(outbox["messages"][0]["state"] == "queued");
  CHECK(outbox["messages"][0]["attempts"] == 0);
  // Only people who manage authentication read the outbox.
  f.SetMfa("agent", R"({"email_otp":false})");
  auto plain = f.Login("agent", "jane@example.com");
  CHECK(StatusOf(f.Get("/api/outbox", MfaServer::Cookie(plain))) == 403);
  CHECK(StatusOf(f.client->Get("/api/outbox")) == 401);
}

TEST_CASE(
    "Both methods on: the app user may switch to email, and without the app email still works",
    "[api][mfa]") {
  MfaServer f;
  f.AddUser("agent", "jane@example.com", "Agent");
  f.AddUser("agent", "sam@example.com", "Agent");
  f.SetMfa("agent", R"({"authenticator_app":true})");
  f.Enroll("agent", "jane@example.com");
  f.SetMfa("agent", R"({"authenticator_app":true,"email_otp":true})");
  auto jane = f.Login("agent", "jane@example.com");
  CHECK(json::parse(jane->body)["methods"] == json::parse(R"(["totp","email","recovery"])"));
  CHECK(StatusOf(f.Post("/api/agent/mfa/email/send", MfaServer::Cookie(jane), json::object())) ==
        200);
  // Sam never enrolled: email lets him in, and enrollment is suggested.
  auto sam = f.Login("agent", "sam@example.com");
  CHECK(json::parse(sam->body) ==
        json::parse(R"({"status":"mfa_required","methods":["email"],"setup_suggested":true})"));
  CHECK(f.Post("/api/agent/mfa/verify", MfaServer::Cookie(sam),
               {{"method", "totp"}, {"code", "123456"}})
            ->status == 400);  // not offered to him
  // With only email on, the app is not offered and setup is refused.
  f.SetMfa("agent", R"({"email_otp":true})");
  auto email_only = f.Login("agent", "jane@example.com");
  CHECK(json::parse(email_only->body)["methods"] == json::parse(R"(["email"])"));
}

TEST_CASE("Recovery codes work once, and new ones are asked for at most every two hours",
          "[api][mfa]") {
  MfaServer f;
  f.AddUser("agent", "jane@example.com", "Agent");
  f.SetMfa("agent", R"({"authenticator_app":true})");
  const auto enrolled = f.Enroll("agent", "jane@example.com");
  const std::string code = enrolled.recovery_codes[3];

  auto login = f.Login("agent", "jane@example.com");
  // Typing is forgiving: upper case and spaces instead of hyphens.
  std::string typed = code;
  for (char& c : typed) c = c == '-' ? ' ' : static_cast<char>(std::toupper(c));
  auto used = f.Post("/api/agent/mfa/verify", MfaServer::Cookie(login),
                     {{"method", "recovery"}, {"code", typed}});
  REQUIRE(used->status == 200);
  const std::string cookie = MfaServer::Cookie(used);
  CHECK(json::parse(f.Get("/api/mfa", cookie)->body)["recovery_codes"]["remaining"] == 9);
  CHECK(f.Audits("mfa.recovery_code_used") == 1);
  auto again = f.Login("agent", "jane@example.com");
  CHECK(f.Post("/api/agent/mfa/verify", MfaServer::Cookie(again),
               {{"method", "recovery"}, {"code", code}})
            ->status == 401);

  // Asking an administrator for new codes, from the challenge itself.
  auto stuck = f.Login("agent", "jane@example.com");
  CHECK(StatusOf(f.Post("/api/mfa/recovery-request", MfaServer::Cookie(stuck), json::object())) ==
        201);
  auto soon = f.Post("/api/mfa/recovery-request", cookie, json::object());
  CHECK(soon->status == 429);
  CHECK(std::stoi(soon->get_header_value("Retry-After")) > 7000);
  CHECK(json::parse(soon->body)["error"].get<std::string>().find("2 hours") != std::string::npos);
  CHECK(f.Audits("mfa.recovery_requested") == 1);
  f.Advance(2 * 3600);  // (the signed-in session has timed out by now)
  auto later = f.Login("agent", "jane@example.com");
  CHECK(StatusOf(f.Post("/api/mfa/recovery-request", MfaServer::Cookie(later), json::object())) ==
        201);
}

TEST_CASE("Administrators' recovery tools: permission matrix, audit, regenerate and reset",
          "[api][mfa]") {
  MfaServer f;
  Must(Run({"role", "add", "--name", "MFA Helper", "--permissions", "manage_agent_mfa", "--db",
            f.server->db_path()}));
  Must(Run({"role", "add", "--name", "Security Lead", "--permissions", "manage_authentication",
            "--db", f.server->db_path()}));
  f.AddUser("agent", "helper@example.com", "MFA Helper");
  f.AddUser("agent", "lead@example.com", "Security Lead");
  f.AddUser("agent", "plain@example.com", "Agent");
  f.AddUser("agent", "jane@example.com", "Agent");
  f.AddUser("contact", "customer@example.com");
  f.AddUser("agent", "second-admin@example.com", "Administrator");
  const std::string other_admin = MfaServer::Cookie(f.Login("agent", "second-admin@example.com"));
  std::map<std::string, std::string> as = {
      {"administrator", f.admin},
      {"MFA permission", MfaServer::Cookie(f.Login("agent", "helper@example.com"))},
      {"authentication permission", MfaServer::Cookie(f.Login("agent", "lead@example.com"))},
      {"agent", MfaServer::Cookie(f.Login("agent", "plain@example.com"))},
      {"contact", MfaServer::Cookie(f.Login("contact", "customer@example.com"))},
      {"anonymous", ""}};
  f.SetMfa("agent", R"({"authenticator_app":true})");
  const auto jane = f.Enroll("agent", "jane@example.com");
  auto lookup = f.Get("/api/people/lookup?portal=agent&email=JANE@example.com", f.admin);
  REQUIRE(lookup->status == 200);
  const int64_t id = json::parse(lookup->body)["id"];
  CHECK(json::parse(lookup->body)["totp_enrolled"] == true);
  const std::string codes_path = "/api/people/" + std::to_string(id) + "/mfa/recovery-codes";

  for (const auto& [who, cookie] : as) {
    INFO(who);
    const bool allowed = who == "administrator" || who == "MFA permission";
    const int denied = who == "anonymous" ? 401 : 403;
    CHECK(StatusOf(f.Get(codes_path, cookie)) == (allowed ? 200 : denied));
    CHECK(StatusOf(f.Get("/api/mfa/recovery-requests", cookie)) == (allowed ? 200 : denied));
    CHECK(StatusOf(f.Get("/api/people/lookup?portal=agent&email=jane@example.com", cookie)) ==
          (allowed ? 200 : denied));
    if (!allowed) {
      CHECK(StatusOf(f.Post(codes_path, cookie, json::object())) == denied);
      CHECK(f.Post("/api/people/" + std::to_string(id) + "/mfa/reset", cookie, json::object())
                ->status == denied);
    }
  }
  // Two views allowed above, two audited; the codes are the unused ones.
  CHECK(f.Audits("mfa.recovery_codes_viewed") == 2);
  auto viewed = json::parse(f.Get(codes_path, f.admin)->body);
  CHECK(viewed["recovery_codes"].get<std::vector<std::string>>() == jane.recovery_codes);
  CHECK(StatusOf(f.Get("/api/people/999/mfa/recovery-codes", f.admin)) == 404);
  CHECK(StatusOf(f.Get("/api/people/lookup?portal=agent&email=nobody@example.com", f.admin)) ==
        404);
  CHECK(StatusOf(f.Get("/api/people/lookup?portal=staff&email=jane@example.com", f.admin)) == 400);
  CHECK(StatusOf(f.Get("/api/people/99999999999999999999/mfa/recovery-codes", f.admin)) == 404);
  // The recovery permission stops at Administrators: only another admin
  // may see or reset an admin's second factor.
  auto admin_lookup = f.Get("/api/people/lookup?portal=agent&email=admin@example.com", f.admin);
  const std::string admin_codes =
      "/api/people/" + std::to_string(json::parse(admin_lookup->body)["id"].get<int64_t>()) +
      "/mfa/recovery-codes";
  CHECK(StatusOf(f.Get(admin_codes, as["MFA permission"])) == 403);
  CHECK(StatusOf(f.Get(admin_codes, other_admin)) == 200);
  // The lookup says so beforehand, in the words the refusal uses, so the
  // page can disable the actions instead of failing on a click.
  auto answer = [&](const std::string& email, const std::string& cookie) {
    return json::parse(f.Get("/api/people/lookup?portal=agent&email=" + email, cookie)->body);
  };
  const json helper_on_admin = answer("admin@example.com", as["MFA permission"]);
  CHECK(helper_on_admin["can_handle"] == false);
  CHECK(helper_on_admin["cannot_handle_reason"] ==
        json::parse(f.Get(admin_codes, as["MFA permission"])->body)["error"]);
  CHECK(answer("helper@example.com", as["MFA permission"])["can_handle"] == false);
  CHECK(answer("admin@example.com", f.admin)["cannot_handle_reason"] ==
        json::parse(f.Get(admin_codes, f.admin)->body)["error"]);
  const json on_jane = answer("jane@example.com", as["MFA permission"]);
  CHECK(on_jane["can_handle"] == true);
  CHECK_FALSE(on_jane.contains("cannot_handle_reason"));
  CHECK(answer("admin@example.com", other_admin)["can_handle"] == true);
  // Nobody reads their own codes here, Administrators included: a stolen
  // session alone must not yield its owner's second factor.
  auto own = f.Get(admin_codes, f.admin);
  CHECK(own->status == 403);
  CHECK(StatusOf(f.Post(admin_codes, f.admin, json::object())) == 403);

  // Jane asks; the request is pending until someone acts.
  CHECK(StatusOf(f.Post("/api/mfa/recovery-request", jane.cookie, json::object())) == 201);
  auto requests = json::parse(f.Get("/api/mfa/recovery-requests", as["MFA permission"])->body);
  REQUIRE(requests["requests"].size() == 1);
  CHECK(requests["requests"][0]["email"] == "jane@example.com");

  // A new set: the old codes die, the request resolves.
  auto fresh = f.Post(codes_path, as["MFA permission"], json::object());
  REQUIRE(fresh->status == 200);
  const auto new_codes = json::parse(fresh->body)["recovery_codes"].get<std::vector<std::string>>();
  CHECK(new_codes.size() == 10);
  CHECK(json::parse(f.Get("/api/mfa/recovery-requests", f.admin)->body)["requests"].empty());
  auto old = f.Login("agent", "jane@example.com");
  CHECK(f.Post("/api/agent/mfa/verify", MfaServer::Cookie(old),
               {{"method", "recovery"}, {"code", jane.recovery_codes[0]}})
            ->status == 401);
  CHECK(f.Post("/api/agent/mfa/verify", MfaServer::Cookie(old),
               {{"method", "recovery"}, {"code", new_codes[0]}})
            ->status == 200);

  // Reset: Jane's sessions end and she must enroll again.
  CHECK(StatusOf(f.Get("/api/me", jane.cookie)) == 200);
  auto reset = f.Post("/api/people/" + std::to_string(id) + "/mfa/reset", f.admin, json::object());
  REQUIRE(reset->status == 200);
  CHECK(StatusOf(f.Get("/api/me", jane.cookie)) == 401);
  CHECK(json::parse(f.Login("agent", "jane@example.com")->body)["status"] == "mfa_setup_required");
  CHECK(f.Audits("mfa.reset") == 1);
  CHECK(f.Audits("mfa.recovery_codes_regenerated") == 1);
}

TEST_CASE("MFA routes refuse malformed requests and change nothing", "[api][mfa]") {
  MfaServer f;
  f.AddUser("agent", "jane@example.com", "Agent");
  f.SetMfa("agent", R"({"authenticator_app":true})");
  const auto enrolled = f.Enroll("agent", "jane@example.com");
  auto login = f.Login("agent", "jane@example.com");
  const std::string pending = MfaServer::Cookie(login);
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"not json", "JSON"},
      {R"({"method":"totp"})", "code"},
      {R"({"method":7,"code":"123456"})", "method"},
      {R"({"method":"sms","code":"123456"})", "method"},
      {R"(["totp"])", "JSON object"}};
  for (const auto& [body, mentions] : bad) {
    INFO(body);
    auto res =
        f.client->Post("/api/agent/mfa/verify", {{"Cookie", pending}}, body, "application/json");
    CHECK(res->status == 400);
    CHECK(res->body.find(mentions) != std::string::npos);
  }
  // The wrong portal's route, no cookie, and a cross-site request.
  CHECK(f.Post("/api/contact/mfa/verify", pending, {{"method", "totp"}, {"code", "123456"}})
            ->status == 401);
  CHECK(f.client
            ->Post("/api/agent/mfa/verify", R"({"method":"totp","code":"123456"})",
                   "application/json")
            ->status == 401);
  auto cross = f.client->Post("/api/agent/mfa/verify",
                              {{"Cookie", pending}, {"Origin", "https://evil.example"}},
                              R"({"method":"totp","code":"123456"})", "application/json");
  CHECK(cross->status == 403);
  CHECK(f.Audits("mfa.failure") == 0);
  // Still works afterwards.
  f.AlignToStep();
  CHECK(f.Post("/api/agent/mfa/verify", pending,
               {{"method", "totp"}, {"code", OathtoolCode(enrolled.secret, f.Now())}})
            ->status == 200);
}

TEST_CASE(
    "Moving to a new phone needs a code from the current app, and a pending sign-in "
    "cannot replace an enrollment",
    "[api][mfa]") {
  MfaServer f;
  f.AddUser("agent", "jane@example.com", "Agent");
  f.SetMfa("agent", R"({"authenticator_app":true})");
  // Two password-only sign-ins wait at the setup step; the second enrolls.
  const std::string first = MfaServer::Cookie(f.Login("agent", "jane@example.com"));
  const auto enrolled = f.Enroll("agent", "jane@example.com");
  auto hijack = f.Post("/api/agent/mfa/totp/setup", first, json::object());
  CHECK(hijack->status == 400);
  CHECK(hijack->body.find("already set up") != std::string::npos);

  // Signed in, moving needs the current app's code.
  auto bare = f.Post("/api/agent/mfa/totp/setup", enrolled.cookie, json::object());
  CHECK(bare->status == 400);
  CHECK(bare->body.find("current_code") != std::string::npos);
  auto wrong = f.Post("/api/agent/mfa/totp/setup", enrolled.cookie, {{"current_code", "000000"}});
  CHECK(wrong->status == 400);
  CHECK(f.Audits("mfa.failure") == 1);
  f.AlignToStep();
  auto moved = f.Post("/api/agent/mfa/totp/setup", enrolled.cookie,
                      {{"current_code", OathtoolCode(enrolled.secret, f.Now())}});
  REQUIRE(moved->status == 200);
  const std::string new_secret = json::parse(moved->body)["secret"];
  CHECK(new_secret != enrolled.secret);
  // Until confirmed, the old app still signs in.
  f.Advance(30);
  auto login = f.Login("agent", "jane@example.com");
  CHECK(f.Post("/api/agent/mfa/verify", MfaServer::Cookie(login),
               {{"method", "totp"}, {"code", OathtoolCode(enrolled.secret, f.Now())}})
            ->status == 200);
}

TEST_CASE("A sign-in waiting for its second factor can be abandoned with logout", "[api][mfa]") {
  MfaServer f;
  f.AddUser("agent", "jane@example.com", "Agent");
  f.SetMfa("agent", R"({"email_otp":true})");
  const std::string pending = MfaServer::Cookie(f.Login("agent", "jane@example.com"));
  auto out = f.client->Post("/api/logout", {{"Cookie", pending}}, "", "application/json");
  CHECK(out->status == 200);
  auto gone = f.Post("/api/agent/mfa/email/send", pending, json::object());
  CHECK(gone->status == 401);
  CHECK(json::parse(gone->body)["sign_in_again"] == true);
}

TEST_CASE("Recovery tools need a recent re-authentication: the password and the app's code",
          "[api][mfa]") {
  MfaServer f;
  Must(Run({"role", "add", "--name", "MFA Helper", "--permissions", "manage_agent_mfa", "--db",
            f.server->db_path()}));
  f.AddUser("agent", "helper@example.com", "MFA Helper");
  f.AddUser("agent", "jane@example.com", "Agent");
  f.SetMfa("agent", R"({"authenticator_app":true})");
  const auto helper = f.Enroll("agent", "helper@example.com");
  const auto jane = f.Enroll("agent", "jane@example.com");
  const int64_t jane_id = json::parse(
      f.Get("/api/people/lookup?portal=agent&email=jane@example.com", helper.cookie)->body)["id"];
  const std::string codes = "/api/people/" + std::to_string(jane_id) + "/mfa/recovery-codes";
  // Just signed in (password and app): allowed.
  CHECK(StatusOf(f.Get(codes, helper.cookie)) == 200);

  // Six minutes on, the session alone is not enough for any of the three.
  f.Advance(6 * 60);
  auto stale = f.Get(codes, helper.cookie);
  CHECK(stale->status == 403);
  CHECK(json::parse(stale->body)["code"] == "reauthentication_required");
  CHECK(StatusOf(f.Post(codes, helper.cookie, json::object())) == 403);
  CHECK(
      f.Post("/api/people/" + std::to_string(jane_id) + "/mfa/reset", helper.cookie, json::object())
          ->status == 403);
  CHECK(f.Audits("mfa.recovery_codes_viewed") == 1);

  auto asks = json::parse(f.Get("/api/reauthenticate", helper.cookie)->body);
  CHECK(asks["password"] == true);
  CHECK(asks["methods"] == json::parse(R"(["totp"])"));
  // The password alone is not enough when sign-in asks for the app.
  CHECK(
      f.Post("/api/reauthenticate", helper.cookie, {{"password", deskgate::testing::kTestPassword}})
          ->status == 400);
  f.AlignToStep();
  CHECK(f.Post("/api/reauthenticate", helper.cookie,
               {{"password", "wrong password entirely"},
                {"method", "totp"},
                {"code", OathtoolCode(helper.secret, f.Now())}})
            ->status == 400);
  auto proved = f.Post("/api/reauthenticate", helper.cookie,
                       {{"password", deskgate::testing::kTestPassword},
                        {"method", "totp"},
                        {"code", OathtoolCode(helper.secret, f.Now())}});
  INFO(proved->body);
  REQUIRE(proved->status == 200);
  CHECK(StatusOf(f.Get(codes, helper.cookie)) == 200);
  CHECK(f.Audits("reauthentication.success") == 1);
  CHECK(f.Audits("reauthentication.failure") == 1);
  // The same code does not prove it twice (a TOTP code works once).
  f.Advance(6 * 60);
  CHECK(f.Post("/api/reauthenticate", helper.cookie,
               {{"password", deskgate::testing::kTestPassword},
                {"method", "totp"},
                {"code", OathtoolCode(helper.secret, f.Now() - 6 * 60)}})
            ->status == 400);
  // Nobody re-authenticates for a session that is not theirs or not signed in.
  CHECK(StatusOf(f.Post("/api/reauthenticate", "", {{"password", "x"}})) == 401);
  (void)jane;
}
