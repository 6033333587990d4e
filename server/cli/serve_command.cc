#include "server/cli/serve_command.h"

#include <pthread.h>
#include <signal.h>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "server/cli/args.h"
#include "server/http/http_server.h"
#include "server/store/migrations.h"

namespace deskgate::cli {
namespace {

Result<int> ParsePort(const std::string& text) {
  int port = -1;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc() || end != text.data() + text.size() || port < 0 || port > 65535) {
    return Status::Error("--port must be a number from 0 to 65535");
  }
  return port;
}

Result<store::Database> OpenDatabase(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  auto db = store::Database::Open(path);
  if (!db.ok()) return db.status();
  if (Status s = store::Migrate(db.value(), store::SchemaMigrations()); !s.ok()) return s;
  return db;
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
  auto args = Args::Parse(rest, {"db", "host", "port", "web-root", "wasm-dir", "threads"});
  if (!args.ok()) return Fail(kExitUsage, args.error());
  const Args& a = args.value();

  http::ServerOptions options;
  options.host = a.GetOr("host", "127.0.0.1");
  auto port = ParsePort(a.GetOr("port", "8080"));
  if (!port.ok()) return Fail(kExitUsage, port.error());
  options.port = port.value();
  options.web_root = a.GetOr("web-root", DESKGATE_WEB_ROOT);
  options.wasm_dir = a.GetOr("wasm-dir", DESKGATE_WASM_DIR);

  const sigset_t signals = BlockShutdownSignals();
  auto db = OpenDatabase(a.GetOr("db", "data/deskgate.db"));
  if (!db.ok()) return Fail(kExitFailure, db.error());

  http::HttpServer server(options, std::move(db).value());
  if (Status s = server.Bind(); !s.ok()) return Fail(kExitFailure, s.message());

  std::thread waiter([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    server.Stop();
  });
  std::printf("deskgate serving at http://%s:%d/\n", options.host.c_str(), server.port());
  std::fflush(stdout);

  const Status result = server.Run();
  // If the server stopped on its own, wake the waiter so it can be joined.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  if (!result.ok()) return Fail(kExitFailure, result.message());
  std::printf("deskgate stopped\n");
  return kExitOk;
}

}  // namespace deskgate::cli
