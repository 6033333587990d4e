#include "server/cli/serve_command.h"

#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "server/cli/args.h"
#include "server/cli/database_lock.h"
#include "server/cli/serve_config.h"
#include "server/cli/store_box.h"
#include "server/crypto/password_hasher.h"
#include "server/crypto/secret_box.h"
#include "server/http/http_server.h"
#include "server/http/site.h"
#include "server/http/startup_responder.h"
#include "server/mail/outbox_sender.h"
#include "server/net/https_client.h"
#include "server/services/accounts.h"
#include "server/services/auth_service.h"
#include "server/services/catalog_service.h"
#include "server/services/clock.h"
#include "server/services/invitations.h"
#include "server/services/mfa_service.h"
#include "server/services/oidc_client.h"
#include "server/services/password_reset.h"
#include "server/services/people_service.h"
#include "server/services/records_service.h"
#include "server/services/sso_service.h"
#include "server/store/sqlite/migrations.h"
#include "server/store/sqlite/sqlite_store.h"

namespace deskgate::cli {
namespace {

// Argon2id hashes at once: one per core (two at least); each holds 19 MiB.
int HashConcurrency() {
  return std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
}

// Blocks SIGINT, SIGTERM and SIGHUP in every thread (threads inherit the
// mask), so only the waiter thread below receives them, via sigwait.
sigset_t BlockControlSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

// SMTP from the --smtp-* flags (the password from DESKGATE_SMTP_PASSWORD,
// so it never shows in a process listing); nullopt without --smtp-host.
Result<std::optional<mail::SmtpConfig>> SmtpConfigFrom(const Args& a) {
  const auto host = a.Get("smtp-host");
  if (!host) return std::optional<mail::SmtpConfig>();
  mail::SmtpConfig config;
  config.host = *host;
  auto port = a.GetInt("smtp-port", 25, 1, 65535);
  if (!port.ok()) return port.status();
  config.port = port.value();
  const std::string starttls = a.GetOr("smtp-starttls", "no");
  if (starttls != "yes" && starttls != "no") {
    return Status::Error("--smtp-starttls: must be yes or no");
  }
  config.starttls = starttls == "yes";
  config.username = a.GetOr("smtp-user", "");
  if (const char* password = std::getenv("DESKGATE_SMTP_PASSWORD")) config.password = password;
  config.from = a.GetOr("smtp-from", "");
  if (config.from.empty()) return Status::Error("--smtp-from: required with --smtp-host");
  config.ca_file = a.GetOr("smtp-ca-file", "");
  return std::optional<mail::SmtpConfig>(std::move(config));
}

// "a, b,c" → {"a", "b", "c"}
std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    std::string item = text.substr(start, comma - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) items.push_back(std::move(item));
    start = comma + 1;
  }
  return items;
}

// Fills the options no flag gave from the environment (DESKGATE_*), then
// from the configuration file. Prints every problem; false if any.
bool MergeConfiguration(Args& a) {
  std::vector<ConfigProblem> problems;
  ServeConfig env = ConfigFromEnvironment();
  ServeConfig file;
  if (const auto path = a.Get("config") ? a.Get("config") : DefaultConfigPath()) {
    auto read = ReadConfigFile(*path);
    if (!read.ok()) {
      Fail(kExitUsage, read.error());
      return false;
    }
    file = std::move(read).value();
    for (ConfigProblem& p : CheckAcrossOptions(file)) file.problems.push_back(std::move(p));
  }
  for (const ServeConfig* source : {&env, &file}) {
    for (const ConfigProblem& p : source->problems) problems.push_back(p);
    for (const auto& [flag, value] : source->values) a.SetDefault(flag, value);
  }
  for (const ConfigProblem& p : problems) Fail(kExitUsage, p.Text());
  return problems.empty();
}

// The schema version of an existing database; nullopt for a new one.
std::optional<int> ExistingSchemaVersion(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  auto db = store::Database::OpenReadOnly(path);
  if (!db.ok()) return std::nullopt;
  auto version = store::SchemaVersion(db.value());
  return version.ok() ? std::optional<int>(version.value()) : std::nullopt;
}

// Serves until SIGINT or SIGTERM; SIGHUP reopens the access log.
void WaitForStop(const sigset_t& signals, http::HttpServer& server) {
  while (true) {
    int signal = 0;
    sigwait(&signals, &signal);
    if (signal != SIGHUP) return;
    if (Status s = server.ReopenLogs(); !s.ok()) Fail(kExitFailure, s.message());
  }
}

// Stops the server: no new connections, requests in progress finish. One
// still running after `limit` (a long import) ends with the process; its
// transaction was never committed, so nothing is half written.
void StopWithin(http::HttpServer& server, std::thread& runner, std::chrono::seconds limit) {
  std::atomic<bool> stopped = false;
  std::thread watchdog([&] {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!stopped && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (stopped) return;
    Fail(kExitFailure, "requests still running " + std::to_string(limit.count()) +
                           " s after the stop signal; exiting without them");
    std::_Exit(kExitFailure);
  });
  server.Stop();
  runner.join();
  stopped = true;
  watchdog.join();
}

}  // namespace

int RunServeCommand(const std::vector<std::string>& rest) {
  auto args = Args::Parse(rest, {"db",           "host",           "port",
                                 "web-root",     "wasm-dir",       "threads",
                                 "clock-file",   "key-file",       "smtp-host",
                                 "smtp-port",    "smtp-starttls",  "smtp-user",
                                 "smtp-from",    "smtp-ca-file",   "public-url",
                                 "sso-ca-file",  "trusted-proxy",  "header-timeout",
                                 "idle-timeout", "notice-delay",   "config",
                                 "access-log",   "metrics-client", "shutdown-timeout"},
                          {"sso-allow-private-networks"});
  if (!args.ok()) return Fail(kExitUsage, args.error());
  if (!MergeConfiguration(args.value())) return kExitUsage;
  const Args& a = args.value();

  http::ServerOptions options;
  options.host = a.GetOr("host", "127.0.0.1");
  auto port = a.GetInt("port", 8080, 0, 65535);
  if (!port.ok()) return Fail(kExitUsage, port.error());
  options.port = port.value();
  options.web_root = a.GetOr("web-root", DESKGATE_WEB_ROOT);
  options.wasm_dir = a.GetOr("wasm-dir", DESKGATE_WASM_DIR);
  auto threads = a.GetInt("threads", options.worker_threads, 1, 1024);
  if (!threads.ok()) return Fail(kExitUsage, threads.error());
  options.worker_threads = threads.value();
  auto header_timeout = a.GetInt("header-timeout", 10, 1, 300);
  if (!header_timeout.ok()) return Fail(kExitUsage, header_timeout.error());
  options.header_timeout = std::chrono::seconds(header_timeout.value());
  auto idle_timeout = a.GetInt("idle-timeout", 30, 1, 3600);
  if (!idle_timeout.ok()) return Fail(kExitUsage, idle_timeout.error());
  options.idle_timeout = std::chrono::seconds(idle_timeout.value());
  // How long the notice of a person's own security change waits (see notices.h).
  auto notice_delay =
      a.GetInt("notice-delay", services::Notices::kDefaultOwnChangeDelay, 0, 24 * 60 * 60);
  if (!notice_delay.ok()) return Fail(kExitUsage, notice_delay.error());
  options.public_url = a.GetOr("public-url", "");
  if (!options.public_url.empty() && options.public_url.rfind("https://", 0) != 0 &&
      options.public_url.rfind("http://", 0) != 0) {
    return Fail(kExitUsage, "--public-url: must start with https:// or http://");
  }
  options.trusted_proxies = SplitList(a.GetOr("trusted-proxy", ""));
  options.access_log = a.GetOr("access-log", "");
  options.metrics_clients = SplitList(a.GetOr("metrics-client", ""));
  auto shutdown_timeout = a.GetInt("shutdown-timeout", 30, 1, 3600);
  if (!shutdown_timeout.ok()) return Fail(kExitUsage, shutdown_timeout.error());

  // One malloc arena: with an arena per worker thread, memory freed after
  // large or hostile requests stays spread over the arenas and is never
  // returned (measured: 80 MB kept after the hostile-client bench, 19 MB
  // with one). Small allocations still come from per-thread caches.
  mallopt(M_ARENA_MAX, 1);
  const sigset_t signals = BlockControlSignals();
  const std::string store_path = a.GetOr("db", "data/deskgate.db");
  // Migrating a large database takes a while; meanwhile the address
  // answers "not ready" rather than refusing connections.
  http::StartupResponder responder;
  const int latest = store::SchemaMigrations().back().version;
  if (const auto version = ExistingSchemaVersion(store_path); version && *version < latest) {
    const std::string why = "migrating the database from schema version " +
                            std::to_string(*version) + " to " + std::to_string(latest);
    if (Status s = responder.Start(options.host, options.port, why); !s.ok()) {
      return Fail(kExitFailure, s.message());
    }
    options.port = responder.port();
    std::fprintf(stderr, "deskgate: %s; /readyz answers 503 until it is done\n", why.c_str());
  }
  auto opened = store::SqliteStore::Open(store_path);
  responder.Stop();
  if (!opened.ok()) return Fail(kExitFailure, opened.error());
  store::SqliteStore& store = *opened.value();
  // Held while serving: restore and rotate-key refuse to run meanwhile.
  auto serving_lock = DatabaseLock::Shared(store_path);
  if (!serving_lock.ok()) return Fail(kExitFailure, serving_lock.error());

  crypto::PasswordHasher hasher(HashConcurrency());
  const services::SystemClock system_clock;
  // --clock-file is a test hook (the clock jumps to whatever offset the file
  // holds), never for a real deployment: it says so loudly when used.
  const auto clock_file = a.Get("clock-file");
  if (clock_file)
    std::fprintf(stderr, "deskgate: test clock in use (--clock-file): not for production\n");
  const services::OffsetFileClock test_clock(clock_file.value_or(""));
  const services::Clock& clock =
      clock_file ? static_cast<const services::Clock&>(test_clock) : system_clock;
  services::SettingsService settings(store, clock);
  auto box = OpenMasterKey(store, a.GetOr("key-file", KeyFileBeside(store_path)));
  if (!box.ok()) return Fail(kExitFailure, box.error());
  auto smtp = SmtpConfigFrom(a);
  if (!smtp.ok()) return Fail(kExitUsage, smtp.error());
  mail::OutboxSender outbox(store, box.value(), clock, std::move(smtp).value());
  services::MfaService mfa(store, clock, settings, box.value());
  services::AuthService auth(store, hasher, clock, settings, mfa);
  services::Accounts accounts(store, hasher, clock);
  services::RecordsService records(store, clock);
  const net::HttpsClient https(a.GetOr("sso-ca-file", ""),
                               a.Get("sso-allow-private-networks").has_value());
  services::OidcClient oidc(https);
  services::SsoService sso(store, clock, box.value(), settings, oidc);
  auto setup_token = accounts.StartSetup(box.value());
  if (!setup_token.ok()) return Fail(kExitFailure, setup_token.error());
  services::AuditLog audit(store);
  services::PeopleService people(store, clock);
  services::InvitationService invitations(store, clock, box.value(), settings, hasher);
  services::PasswordReset password_reset(store, clock, box.value(), settings, hasher);
  services::CatalogService catalog(store, clock, records);
  services::MailSettings mail(store, clock, box.value(), outbox);
  if (Status s = mail.Start(a.Get("smtp-host").has_value(), a.GetOr("smtp-ca-file", "")); !s.ok()) {
    return Fail(kExitFailure, "mail settings: " + s.message());
  }
  services::Notices notices(store, clock, box.value());
  http::HttpServer server(options, store,
                          {auth, accounts, settings, mfa, outbox, records, sso, audit, people,
                           invitations, password_reset, catalog, mail, notices});
  if (Status s = server.Bind(); !s.ok()) return Fail(kExitFailure, s.message());
  // Redirect URLs need the address people use; without --public-url it is
  // the one listened on, known once bound.
  sso.SetPublicOrigin(server.site().origin());
  invitations.SetPublicOrigin(server.site().origin());
  invitations.SetMailConfigured([&outbox] { return outbox.configured(); });
  password_reset.SetPublicOrigin(server.site().origin());
  notices.SetPublicOrigin(server.site().origin());
  notices.SetOwnChangeDelay(notice_delay.value());
  sso.SetMailConfigured([&outbox] { return outbox.configured(); });

  // Serve on a thread of its own, and announce readiness only once the
  // server is accepting: a signal that arrives before then would otherwise
  // stop a server that had not started yet, and it would run forever.
  Status result;
  std::atomic<bool> finished = false;
  std::thread runner([&] {
    result = server.Run();
    finished = true;
    kill(getpid(), SIGTERM);  // wakes the sigwait below if the server stopped on its own
  });
  while (!server.running() && !finished) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::printf("deskgate serving at http://%s:%d/\n", options.host.c_str(), server.port());
  if (setup_token.value()) {
    // The token travels in the fragment, which browsers never send to a
    // server or in a Referer header.
    std::printf(
        "No Administrator can sign in yet. Create one at this one-time link\n"
        "(the same link at every start until it is used; it expires in 7 days):\n"
        "  %s/setup.html#token=%s\n",
        server.site().origin().c_str(), setup_token.value()->c_str());
  }
  std::fflush(stdout);
  outbox.Start();

  WaitForStop(signals, server);
  StopWithin(server, runner, std::chrono::seconds(shutdown_timeout.value()));
  outbox.Stop();
  if (!result.ok()) return Fail(kExitFailure, result.message());
  std::printf("deskgate stopped\n");
  return kExitOk;
}

}  // namespace deskgate::cli
