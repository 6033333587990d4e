#include "server/cli/serve_command.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "server/cli/args.h"
#include "server/crypto/password_hasher.h"
#include "server/http/http_server.h"
#include "server/services/accounts.h"
#include "server/services/auth_service.h"
#include "server/services/clock.h"
#include "server/store/sqlite_store.h"

namespace deskgate::cli {
namespace {

// Argon2id hashes at once: one per core (two at least); each holds 19 MiB.
int HashConcurrency() {
  return std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
}

// Blocks SIGINT and SIGTERM in every thread (threads inherit the mask), so
// only the waiter thread below receives them, via sigwait.
sigset_t BlockShutdownSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

}  // namespace

int RunServeCommand(const std::vector<std::string>& rest) {
  auto args =
      Args::Parse(rest, {"db", "host", "port", "web-root", "wasm-dir", "threads", "clock-file"});
  if (!args.ok()) return Fail(kExitUsage, args.error());
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

  const sigset_t signals = BlockShutdownSignals();
  auto opened = store::SqliteStore::Open(a.GetOr("db", "data/deskgate.db"));
  if (!opened.ok()) return Fail(kExitFailure, opened.error());
  store::SqliteStore& store = *opened.value();

  crypto::PasswordHasher hasher(HashConcurrency());
  const services::SystemClock system_clock;
  const auto clock_file = a.Get("clock-file");
  const services::OffsetFileClock test_clock(clock_file.value_or(""));
  const services::Clock& clock =
      clock_file ? static_cast<const services::Clock&>(test_clock) : system_clock;
  services::SettingsService settings(store, clock);
  services::AuthService auth(store, hasher, clock, settings);
  services::Accounts accounts(store, hasher, clock);
  auto setup_token = accounts.StartSetup();
  if (!setup_token.ok()) return Fail(kExitFailure, setup_token.error());
  http::HttpServer server(options, store, auth, accounts, settings);
  if (Status s = server.Bind(); !s.ok()) return Fail(kExitFailure, s.message());

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
        "No accounts yet. Create the first administrator within the hour at:\n"
        "  http://%s:%d/setup.html#token=%s\n",
        options.host.c_str(), server.port(), setup_token.value()->c_str());
  }
  std::fflush(stdout);

  int signal = 0;
  sigwait(&signals, &signal);
  server.Stop();
  runner.join();
  if (!result.ok()) return Fail(kExitFailure, result.message());
  std::printf("deskgate stopped\n");
  return kExitOk;
}

}  // namespace deskgate::cli
