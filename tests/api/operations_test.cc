// Running deskgate as a service: settings changed by another process,
// readiness, metrics and the access log, over real HTTP.
#include <httplib.h>

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "../support/accounts.h"
#include "../support/sso_only.h"
#include "../support/subprocess.h"
#include "../support/temp_dir.h"
#include "server/store/sqlite/migrations.h"
#include "server/store/sqlite/sqlite.h"
#include "server/store/sqlite/sqlite_store.h"

using deskgate::testing::ClientFor;
using deskgate::testing::Login;
using deskgate::testing::Must;
using deskgate::testing::Run;
using deskgate::testing::ServerProcess;
using deskgate::testing::StatusOf;

namespace {

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

  // Another process locks the agent portal to single sign-on, as a second
  // server's settings page would.
  deskgate::testing::LockAgentPortalToSso(server.db_path());
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

namespace {

// A port nothing listens on now (bound and released).
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The value of the metric line starting with `series` (name and labels).
std::optional<double> MetricValue(const std::string& page, const std::string& series) {
  for (const std::string& line : Lines(page)) {
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("/readyz is ready once the schema is current; /metrics counts sign-ins and routes",
          "[api][operations]") {
  ServerProcess server;
  deskgate::testing::AddUser(server.db_path(), "agent", "ops@example.com", "Administrator");
  auto client = ClientFor(server);
  auto ready = client.Get("/readyz");
  REQUIRE(ready);
  CHECK(ready->status == 200);
  const int latest = deskgate::store::SchemaMigrations().back().version;
  CHECK(nlohmann::json::parse(ready->body) ==
        nlohmann::json({{"status", "ready"}, {"schema_version", latest}}));

  REQUIRE(StatusOf(Login(client, "agent", "ops@example.com", "wrong password 1")) == 401);
  REQUIRE(StatusOf(Login(client, "agent", "ops@example.com", "wrong password 2")) == 401);
  REQUIRE(StatusOf(Login(client, "agent", "ops@example.com")) == 200);
  REQUIRE(StatusOf(client.Get("/api/people/12345")) == 401);

  auto metrics = client.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  CHECK(metrics->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0) == 0);
  const std::string& page = metrics->body;
  CHECK(MetricValue(
            page,
            R"(deskgate_sign_ins_total{portal="agent",method="password",outcome="failure"})") == 2);
  CHECK(MetricValue(
            page,
            R"(deskgate_sign_ins_total{portal="agent",method="password",outcome="success"})") == 1);
  CHECK(
      MetricValue(
          page,
          R"(deskgate_http_requests_total{method="POST",route="/api/agent/login",status="401"})") ==
      2);
  // Ids in paths are folded, so a route is one series however many rows exist.
  CHECK(
      MetricValue(
          page,
          R"(deskgate_http_requests_total{method="GET",route="/api/people/{id}",status="401"})") ==
      1);
  CHECK(MetricValue(page,
                    R"(deskgate_http_request_duration_seconds_count{route="/api/agent/login"})") ==
        3);
  CHECK(
      MetricValue(
          page,
          R"(deskgate_http_request_duration_seconds_bucket{route="/api/agent/login",le="+Inf"})") ==
      3);
  CHECK(MetricValue(page, "deskgate_outbox_depth") == 0);
  for (const char* family :
       {"deskgate_mfa_verifications_total", "deskgate_throttle_blocks_total",
        "deskgate_mail_failures_total", "deskgate_sqlite_busy_retries_total"}) {
    INFO(family);
    CHECK(page.find(std::string("# TYPE ") + family + " counter\n") != std::string::npos);
  }
  // Nothing secret or personal is a label.
  CHECK(page.find("ops@example.com") == std::string::npos);
  CHECK(page.find("wrong password") == std::string::npos);
}

TEST_CASE("/metrics is served to loopback and listed addresses only", "[api][operations]") {
  ServerProcess server({"--trusted-proxy", "127.0.0.1", "--metrics-client", "198.51.100.7"});
  auto client = ClientFor(server);
  CHECK(StatusOf(client.Get("/metrics")) == 200);
  auto outsider = client.Get("/metrics", {{"X-Forwarded-For", "203.0.113.9"}});
  CHECK(outsider->status == 403);
  CHECK(nlohmann::json::parse(outsider->body)["error"] == "metrics are not served to this address");
  CHECK(StatusOf(client.Get("/metrics", {{"X-Forwarded-For", "198.51.100.7"}})) == 200);
}

TEST_CASE("/metrics refuses what a proxy deskgate does not trust relays from loopback",
          "[api][operations]") {
  // No --trusted-proxy: a proxy on this host connects from 127.0.0.1 like a
  // local scraper, and only its forwarding headers tell the two apart.
  ServerProcess server;
  auto client = ClientFor(server);
  auto local = client.Get("/metrics");
  REQUIRE(local);
  CHECK(local->status == 200);
  for (const auto& [header, value] :
       std::vector<std::pair<std::string, std::string>>{{"X-Forwarded-For", "203.0.113.9"},
                                                        {"X-Forwarded-For", "127.0.0.1"},
                                                        {"Forwarded", "for=203.0.113.9"},
                                                        {"X-Real-IP", "203.0.113.9"}}) {
    INFO(header << ": " << value);
    auto relayed = client.Get("/metrics", {{header, value}});
    REQUIRE(relayed);
    CHECK(relayed->status == 403);
    CHECK(relayed->body.find("deskgate_") == std::string::npos);
  }
}

TEST_CASE("/metrics reports the heap and SQLite's share of it", "[api][operations]") {
  ServerProcess server;
  auto client = ClientFor(server);
  auto metrics = client.Get("/metrics");
  REQUIRE(metrics);
  const std::string page = metrics->body;
  const double in_use = MetricValue(page, "deskgate_heap_in_use_bytes").value_or(-1);
  const double held = MetricValue(page, "deskgate_heap_held_bytes").value_or(-1);
  const double sqlite = MetricValue(page, "deskgate_sqlite_memory_bytes").value_or(-1);
  CHECK(sqlite > 0);
  CHECK(in_use >= sqlite);  // SQLite allocates from the same heap
  CHECK(held >= in_use);
  CHECK(held < 1e9);
}

TEST_CASE("The access log has a JSON line per request, no secrets, and SIGHUP reopens it",
          "[api][operations]") {
  deskgate::testing::TempDir tmp;
  const std::string log = (tmp.path() / "access.log").string();
  ServerProcess server({"--access-log", log, "--trusted-proxy", "127.0.0.1"});
  deskgate::testing::AddUser(server.db_path(), "agent", "ops@example.com", "Administrator");
  auto client = ClientFor(server);
  auto signed_in = Login(client, "agent", "ops@example.com");
  REQUIRE(signed_in);
  REQUIRE(signed_in->status == 200);
  const std::string cookie = deskgate::testing::CookieFrom(signed_in);
  const std::string token = cookie.substr(cookie.find('=') + 1);
  auto me = client.Get("/api/me?secret-query=s3cr3t",
                       {{"Cookie", cookie}, {"X-Forwarded-For", "203.0.113.9"}});
  REQUIRE(me);
  REQUIRE(me->status == 200);
  const std::string request_id = me->get_header_value("X-Request-Id");
  CHECK(!request_id.empty());

  auto lines = Lines(ReadFile(log));
  REQUIRE(lines.size() == 2);
  const auto login = nlohmann::json::parse(lines[0]);
  CHECK(login["method"] == "POST");
  CHECK(login["route"] == "/api/agent/login");
  CHECK(login["status"] == 200);
  CHECK(login["duration_ms"].is_number());
  CHECK(login["client"] == "127.0.0.1");
  const auto read = nlohmann::json::parse(lines[1]);
  CHECK(read["request_id"] == request_id);
  CHECK(read["route"] == "/api/me");
  CHECK(read["client"] == "203.0.113.9");  // as the trusted proxy forwarded it
  CHECK(read["time"].get<std::string>().size() == 24);
  const std::string text = ReadFile(log);
  for (const std::string& secret : {std::string(deskgate::testing::kTestPassword), token,
                                    std::string("s3cr3t"), std::string("ops@example.com")}) {
    INFO(secret);
    CHECK(text.find(secret) == std::string::npos);
  }

  // Log rotation: the file is moved away, SIGHUP opens a new one.
  std::filesystem::rename(log, log + ".1");
  REQUIRE(kill(server.pid(), SIGHUP) == 0);
  REQUIRE(Within(std::chrono::milliseconds(2000), [&] {
    client.Get("/healthz");
    return std::filesystem::exists(log);
  }));
  CHECK(Lines(ReadFile(log + ".1")).size() >= 2);
  CHECK(nlohmann::json::parse(Lines(ReadFile(log)).back())["route"] == "/healthz");
  CHECK(server.Stop() == 0);  // SIGHUP did not stop it
}

TEST_CASE("Requests refused before routing are counted and logged as (refused)",
          "[api][operations]") {
  deskgate::testing::TempDir tmp;
  const std::string log = (tmp.path() / "access.log").string();
  ServerProcess server({"--access-log", log, "--header-timeout", "1"});
  auto client = ClientFor(server);
  // 431: a head of too many lines; 413: a body past the route's limit.
  httplib::Headers many;
  for (int i = 0; i < 120; ++i) many.emplace("X-Filler-" + std::to_string(i), "y");
  auto wide = client.Get("/healthz", many);
  REQUIRE(wide);
  CHECK(wide->status == 431);
  auto big = client.Post("/api/agent/login", std::string(1 << 21, ' '), "application/json");
  REQUIRE(big);
  CHECK(big->status == 413);
  // 408: a head that never ends.
  {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(server.port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    const std::string partial = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    REQUIRE(::send(fd, partial.data(), partial.size(), MSG_NOSIGNAL) > 0);
    char answer[256] = {};
    timeval tv{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    const ssize_t n = ::recv(fd, answer, sizeof answer - 1, 0);
    ::close(fd);
    CHECK(std::string(answer, n > 0 ? static_cast<size_t>(n) : 0).rfind("HTTP/1.1 408 ", 0) == 0);
  }

  // A worker reports a refusal just after its answer goes out.
  const auto refusals = [&](const char* status) {
    auto metrics = client.Get("/metrics");
    const std::string series =
        std::string("deskgate_http_requests_total{method=\"-\",route=\"(refused)\",status=\"") +
        status + "\"}";
    return metrics ? MetricValue(metrics->body, series) : -1;
  };
  REQUIRE(Within(std::chrono::milliseconds(2000), [&] { return refusals("408") == 1; }));
  for (const char* status : {"408", "413", "431"}) {
    INFO(status);
    CHECK(refusals(status) == 1);
  }
  std::vector<int> logged;
  for (const std::string& line : Lines(ReadFile(log))) {
    const auto entry = nlohmann::json::parse(line);
    if (entry["route"] != "(refused)") continue;
    logged.push_back(entry["status"].get<int>());
    CHECK(entry["client"] == "127.0.0.1");
    CHECK(entry["method"] == "-");
    CHECK(!entry["request_id"].get<std::string>().empty());
  }
  std::sort(logged.begin(), logged.end());
  CHECK(logged == std::vector<int>{408, 413, 431});
}

TEST_CASE("While migrations run, /readyz answers 503 and /healthz 200; then ready",
          "[api][operations]") {
  deskgate::testing::TempDir tmp;
  const std::string db = (tmp.path() / "old.db").string();
  const int latest = deskgate::store::SchemaMigrations().back().version;
  {
    // A database one migration behind: every migration but the newest.
    auto raw = std::move(deskgate::store::Database::Open(db)).value();
    std::vector<deskgate::store::Migration> older = deskgate::store::SchemaMigrations();
    older.pop_back();
    REQUIRE(deskgate::store::Migrate(raw, older).ok());
  }
  // Another connection holds the write lock, so the migration waits.
  auto holder = std::move(deskgate::store::Database::Open(db)).value();
  REQUIRE(holder.Exec("BEGIN IMMEDIATE").ok());
  const int port = FreePort();
  std::atomic<int> starting_health = 0, not_ready = 0;
  std::string why;
  std::thread prober([&] {
    httplib::Client c("127.0.0.1", port);
    c.set_connection_timeout(1);
    REQUIRE(Within(std::chrono::milliseconds(5000), [&] {
      auto r = c.Get("/readyz");
      return r && r->status == 503;
    }));
    auto readyz = c.Get("/readyz");
    why = readyz ? readyz->body : "no answer";
    auto health = c.Get("/healthz");
    if (health && health->status == 200) starting_health = 1;
    auto api = c.Get("/api/me");
    if (api && api->status == 503 && api->get_header_value("Retry-After") == "5") not_ready = 1;
    holder.Exec("ROLLBACK");  // the migration may go on
  });
  ServerProcess server({"--db", db, "--port", std::to_string(port)});
  prober.join();
  CHECK(starting_health == 1);
  CHECK(not_ready == 1);
  CHECK(nlohmann::json::parse(why)["error"] ==
        "not ready: migrating the database from schema version " + std::to_string(latest - 1) +
            " to " + std::to_string(latest));
  auto client = ClientFor(server);
  auto ready = client.Get("/readyz");
  REQUIRE(ready);
  CHECK(ready->status == 200);
}

namespace {

std::string WriteFile(const deskgate::testing::TempDir& tmp, const std::string& name,
                      const std::string& text) {
  const std::string path = (tmp.path() / name).string();
  std::ofstream(path) << text;
  return path;
}

// Sets an environment variable for one scope (children inherit it).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() { unsetenv(name_); }

 private:
  const char* name_;
};

}  // namespace

TEST_CASE("config check reports every bad value with its line", "[cli][operations]") {
  deskgate::testing::TempDir tmp;
  const std::string bad = WriteFile(tmp, "bad.toml",
                                    "# deskgate\n"
                                    "port = 99999\n"
                                    "host = 5\n"
                                    "trusted_proxies = \"10.0.0.1\"\n"
                                    "threads = 0\n"
                                    "public_url = \"ftp://helpdesk\"\n"
                                    "web_root = \"/no/such/folder\"\n"
                                    "colour = \"blue\"\n"
                                    "[smtp]\n"
                                    "host = \"mail.example.com\"\n"
                                    "starttls = \"yes\"\n"
                                    "port = 0\n");
  auto r = Run({"config", "check", bad});
  CHECK(r.exit_code == 1);
  const std::vector<std::string> expected = {
      bad + ":2: port: must be a whole number from 0 to 65535",
      bad + ":3: host: must be a string",
      bad + ":4: trusted_proxies: must be a list of strings",
      bad + ":5: threads: must be a whole number from 1 to 1024",
      bad + ":6: public_url: must start with https:// or http://",
      bad + ":7: web_root: no such folder: /no/such/folder",
      bad + ":8: colour: unknown key",
      bad + ":11: smtp.starttls: must be true or false",
      bad + ":12: smtp.port: must be a whole number from 1 to 65535",
      bad + ":10: smtp.host: needs smtp.from (the sender address) as well",
      "deskgate: 10 problems in " + bad};
  CHECK(Lines(r.err) == expected);
  CHECK(r.out.empty());

  const std::string good = WriteFile(tmp, "good.toml",
                                     "db = \"/var/lib/deskgate/deskgate.db\"\n"
                                     "port = 8080\n"
                                     "trusted_proxies = [\"127.0.0.1\", \"::1\"]\n"
                                     "[smtp]\n"
                                     "host = \"mail.example.com\"\n"
                                     "from = \"helpdesk@example.com\"\n"
                                     "starttls = true\n"
                                     "[sso]\n"
                                     "allow_private_networks = false\n");
  auto ok = Run({"config", "check", good});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out == good + ": OK\n");

  auto syntax = Run({"config", "check", WriteFile(tmp, "syntax.toml", "port = 1\nhost = \n")});
  CHECK(syntax.exit_code == 1);
  CHECK(syntax.err.find("syntax.toml:2: ") != std::string::npos);
  auto missing = Run({"config", "check", (tmp.path() / "nope.toml").string()});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("cannot read") != std::string::npos);
}

TEST_CASE("serve reads the file, the environment overrides it and flags override both",
          "[api][operations]") {
  deskgate::testing::TempDir tmp;
  const std::string from_file = (tmp.path() / "file.log").string();
  const std::string from_env = (tmp.path() / "env.log").string();
  const std::string from_flag = (tmp.path() / "flag.log").string();
  const std::string config = WriteFile(tmp, "deskgate.toml",
                                       "access_log = \"" + from_file +
                                           "\"\n"
                                           "metrics_clients = [\"198.51.100.7\"]\n"
                                           "trusted_proxies = [\"127.0.0.1\"]\n");
  {
    ServerProcess server({"--config", config});
    auto client = ClientFor(server);
    // Both lists came from the file: the proxy is believed, the address listed.
    CHECK(StatusOf(client.Get("/metrics", {{"X-Forwarded-For", "198.51.100.7"}})) == 200);
    CHECK(StatusOf(client.Get("/metrics", {{"X-Forwarded-For", "203.0.113.9"}})) == 403);
    CHECK(std::filesystem::exists(from_file));
  }
  {
    ScopedEnv env("DESKGATE_ACCESS_LOG", from_env);
    ScopedEnv config_env("DESKGATE_CONFIG", config);  // the file without --config
    {
      ServerProcess server;
      ClientFor(server).Get("/healthz");
      CHECK(Lines(ReadFile(from_env)).size() == 1);
    }
    {
      ServerProcess server({"--access-log", from_flag});
      ClientFor(server).Get("/healthz");
      CHECK(Lines(ReadFile(from_flag)).size() == 1);
      CHECK(Lines(ReadFile(from_env)).size() == 1);
    }
  }
  CHECK(Lines(ReadFile(from_file)).size() == 2);  // the two /metrics reads only
}

TEST_CASE("serve refuses a bad configuration, naming each problem", "[cli][operations]") {
  deskgate::testing::TempDir tmp;
  const std::string config =
      WriteFile(tmp, "deskgate.toml", "port = \"eighty\"\nidle_timeout = 0\n");
  auto r = Run({"serve", "--config", config, "--db", (tmp.path() / "x.db").string()});
  CHECK(r.exit_code == 2);
  CHECK(Lines(r.err) ==
        std::vector<std::string>{
            "deskgate: " + config + ":1: port: must be a whole number",
            "deskgate: " + config + ":2: idle_timeout: must be a whole number from 1 to 3600"});
  ScopedEnv env("DESKGATE_PORT", "http");
  auto from_env = Run({"serve", "--db", (tmp.path() / "x.db").string()});
  CHECK(from_env.exit_code == 2);
  CHECK(from_env.err == "deskgate: DESKGATE_PORT: must be a whole number from 0 to 65535\n");
  CHECK(!std::filesystem::exists(tmp.path() / "x.db"));
}
