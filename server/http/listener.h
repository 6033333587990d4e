// Listener: deskgate's connections, from accept to close.
//
// One thread polls every connection and reads each request whole, head
// and body, before a worker sees it; workers run the complete request
// through httplib's routing (RoutingServer) and write the answer. A client
// that sends slowly, or keeps a connection open between requests, costs a
// buffer and a file descriptor, never a worker thread, so slow clients
// cannot starve the workers (httplib alone gives each connection a worker
// for its whole life).
//
// Promises, with the limits of ListenerOptions:
//  - a request's head must arrive within head_timeout of its first byte and
//    the whole request within request_timeout, or it is answered 408 and
//    the connection closed; a new connection must send its first byte
//    within head_timeout, and one idle between requests for idle_timeout
//    is closed;
//  - framing follows request_framing.h: oversized heads get 431, bodies
//    over the limit 413, ambiguous framing 400/411; a refused request's
//    connection is closed;
//  - a client address holds at most max_per_address connections (trusted
//    proxies excepted) and the server max_connections in all: a new
//    connection past either limit closes the oldest one of that scope that
//    is not being served, so a flood of idle or slow connections cannot
//    lock anyone out;
//  - memory per connection is bounded by the head and body limits, and
//    buffers are released between requests; bodies over max_body_bytes
//    (uploads, HeadLimits::takes_large_body) share large_body_budget: one
//    that would take it past the budget is answered 503 and not read.
// Thread safety: Bind() and Run() are called once, Stop() from any thread.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <limits>
#include <memory>
#include <string>

#include "server/http/request_framing.h"
#include "shared/core/status.h"

namespace deskgate::http {

// httplib::Server with its per-request processing opened to the Listener:
// routes are installed on it as usual; it never listens itself.
class RoutingServer : public httplib::Server {
 public:
  // httplib streams a response's content provider (a CSV export) only while
  // its listening socket is valid, and this server never listens: it holds
  // a descriptor no file can have, which stop() never closes (httplib
  // closes it only after listening), until StopStreaming().
  RoutingServer() { svr_sock_ = kNotASocket; }
  bool Process(httplib::Stream& stream, bool close_connection, bool& connection_closed) {
    return process_request(stream, close_connection, connection_closed, nullptr);
  }
  // Responses still streaming end at their next chunk (shutting down).
  void StopStreaming() { svr_sock_ = INVALID_SOCKET; }

 private:
  static constexpr socket_t kNotASocket = std::numeric_limits<int>::max();
};

struct ListenerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 picks a free port
  int worker_threads = 64;
  HeadLimits limits;
  std::chrono::milliseconds idle_timeout{30'000};
  std::chrono::milliseconds head_timeout{10'000};
  std::chrono::milliseconds request_timeout{30'000};
  std::chrono::milliseconds write_timeout{10'000};
  // How long a worker that answered waits for the same client's next
  // request before handing the connection back to the poller. Busy
  // keep-alive clients then keep their worker (a hand-over per request cost
  // a quarter of GET /api/me's throughput at 2 ms); idle ones give it back
  // soon, and only a client whose request arrived whole is waited for.
  std::chrono::milliseconds linger{20};
  size_t max_connections = 4096;
  size_t max_per_address = 128;
  size_t max_requests_per_connection = 1000;
  // Bytes of large bodies being received or served at once, in all.
  size_t large_body_budget = 64 << 20;
  // Addresses the per-address limit does not apply to (reverse proxies,
  // which carry many clients' connections).
  std::function<bool(const std::string& ip)> exempt_from_address_limit;
  // Told of every request answered here, before routing (400, 408, 411,
  // 413, 417, 431; 503 when connections are turned away), with the peer's
  // address: for metrics and the access log. Called on a worker thread,
  // soon after the answer is sent (never on the poller's: it may block).
  std::function<void(int status, const std::string& peer_ip)> on_refused;
};

class Listener {
 public:
  Listener(ListenerOptions options, RoutingServer& routes);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Binds and listens; the port is known afterwards.
  Status Bind();
  int port() const { return port_; }
  // Serves until Stop(); requests in progress finish before it returns.
  Status Run();
  void Stop();
  bool running() const { return running_; }

 private:
  class Impl;
  ListenerOptions options_;
  RoutingServer& routes_;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
  std::atomic<bool> running_ = false;
};

}  // namespace deskgate::http
