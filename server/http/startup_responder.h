// StartupResponder: answers on the server's address while the database is
// being migrated at startup (which can take seconds on a large database),
// so load balancers and orchestrators see a live process that is not yet
// ready instead of a refused connection: /healthz answers 200 "starting",
// /readyz and everything else 503 with Retry-After.
#pragma once

#include <httplib.h>

#include <string>
#include <thread>

#include "shared/core/status.h"

namespace deskgate::http {

class StartupResponder {
 public:
  // Binds host:port (0 picks a free port) and answers from a thread of its
  // own; `why` is the readiness message ("migrating the database …").
  Status Start(const std::string& host, int port, std::string why);
  int port() const { return port_; }
  // Stops answering and frees the port for the real server.
  void Stop();
  ~StartupResponder() { Stop(); }

 private:
  httplib::Server server_;
  std::thread thread_;
  std::string why_;
  int port_ = 0;
};

}  // namespace deskgate::http
