#include "server/http/listener.h"

#include <arpa/inet.h>
#include <malloc.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <algorithm>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "shared/core/json_writer.h"

namespace deskgate::http {
namespace {

using Clock = std::chrono::steady_clock;

constexpr uint64_t kListenId = 0;
constexpr uint64_t kWakeId = 1;
constexpr size_t kReadChunk = 16 * 1024;
constexpr size_t kFlushAt = 64 * 1024;  // a streamed answer goes out in pieces this big
constexpr int kListenBacklog = 1024;
constexpr auto kTick = std::chrono::milliseconds(100);
constexpr auto kTrimEvery = std::chrono::seconds(5);
constexpr auto kDrainTime = std::chrono::seconds(2);
constexpr size_t kDrainBytes = 8 << 20;

std::string AddressText(const sockaddr_storage& addr, int& port) {
  char host[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(addr);
    inet_ntop(AF_INET, &in.sin_addr, host, sizeof host);
    port = ntohs(in.sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(addr);
    inet_ntop(AF_INET6, &in6.sin6_addr, host, sizeof host);
    port = ntohs(in6.sin6_port);
  }
  return host;
}

// Raises the open-file limit to its hard maximum (every connection is a
// descriptor, and the usual soft limit, 1,024, is low) and answers how many
// connections fit, leaving room for the database, mail and the rest.
size_t RaiseFileLimit(size_t wanted) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return wanted;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
  }
  constexpr rlim_t kReserved = 128;
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > wanted + kReserved) return wanted;
  return limit.rlim_cur > 2 * kReserved ? static_cast<size_t>(limit.rlim_cur - kReserved) : 64;
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 408:
      return "Request Timeout";
    case 411:
      return "Length Required";
    case 413:
      return "Payload Too Large";
    case 417:
      return "Expectation Failed";
    case 431:
      return "Request Header Fields Too Large";
    default:
      return "Service Unavailable";
  }
}

// A whole answer for a request refused before routing; the connection
// closes after it.
std::string RefusalResponse(int status, const std::string& reason) {
  JsonWriter w;
  w.BeginObject().Key("error").String(reason).EndObject();
  const std::string body = w.Take();
  return "HTTP/1.1 " + std::to_string(status) + " " + ReasonPhrase(status) +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: "
         "close\r\n\r\n" +
         body;
}

}  // namespace

// One client connection. The poller owns it except while `busy`, when
// exactly one worker does; ownership passes through the pool's queue and
// the returns list, so its fields need no lock.
struct Connection {
  uint64_t id = 0;
  int fd = -1;
  std::string peer_ip;
  int peer_port = 0;
  std::string local_ip;
  int local_port = 0;
  Clock::time_point opened;

  std::string buffer;  // received, not yet served
  HeadScanner scanner;
  std::optional<Framing> framing;
  bool started = false;  // a byte of the current request has arrived
  Clock::time_point deadline;
  Clock::time_point request_started;
  bool peer_closed = false;
  bool busy = false;
  bool close_after = false;
  // Refused: the answer is sent and what the client still sends is read
  // and dropped for a moment, so the answer is not lost to a reset.
  bool draining = false;
  size_t drained = 0;
  size_t served = 0;
  size_t reserved = 0;  // of the large-body budget, for the current request

  explicit Connection(const HeadLimits& limits) : scanner(limits) {}
  size_t request_bytes() const { return scanner.head_size() + framing->body_bytes; }
  bool request_ready() const {
    return framing && framing->refusal == 0 && buffer.size() >= request_bytes();
  }
  void NextRequest() {
    scanner.Reset();
    framing.reset();
    started = false;
  }
};

namespace {

// The httplib::Stream a worker hands httplib for one request: reads come
// from the bytes the poller gathered (then end of input, so httplib never
// reads past this request), writes are gathered and sent with a deadline.
class ConnectionStream : public httplib::Stream {
 public:
  ConnectionStream(Connection& c, std::chrono::milliseconds write_timeout)
      : c_(c), end_(c.request_bytes()), write_timeout_(write_timeout) {}
  ~ConnectionStream() override { Flush(); }

  bool is_readable() const override { return read_ < end_; }
  bool is_writable() const override { return !failed_; }
  ssize_t read(char* ptr, size_t size) override {
    const size_t n = std::min(size, end_ - read_);
    std::memcpy(ptr, c_.buffer.data() + read_, n);
    read_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    if (failed_) return -1;
    out_.append(ptr, size);
    if (out_.size() >= kFlushAt && !Flush()) return -1;
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.peer_ip;
    port = c_.peer_port;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = c_.local_ip;
    port = c_.local_port;
  }
  // httplib uses the descriptor only to refuse ones select() cannot watch;
  // this stream never selects, so it names none.
  socket_t socket() const override { return INVALID_SOCKET; }

  // Sends what was written; false when the client stopped reading.
  bool Flush() {
    // Each flush gets the whole timeout: a long answer (an export) streams
    // for as long as the client keeps reading.
    const Clock::time_point write_deadline = Clock::now() + write_timeout_;
    size_t sent = 0;
    while (!failed_ && sent < out_.size()) {
      const ssize_t n = ::send(c_.fd, out_.data() + sent, out_.size() - sent, MSG_NOSIGNAL);
      if (n > 0) {
        sent += static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(write_deadline - Clock::now());
      pollfd p{c_.fd, POLLOUT, 0};
      if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) || left.count() <= 0 ||
          ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
        failed_ = true;
      }
    }
    out_.clear();
    return !failed_;
  }
  bool failed() const { return failed_; }

 private:
  Connection& c_;
  size_t read_ = 0;
  size_t end_;
  std::string out_;
  std::chrono::milliseconds write_timeout_;
  bool failed_ = false;
};

}  // namespace

class Listener::Impl {
 public:
  Impl(const ListenerOptions& options, RoutingServer& routes)
      : options_(options), routes_(routes) {}
  ~Impl() {
    for (int fd : {listen_fd_, epoll_fd_, wake_fd_}) {
      if (fd >= 0) ::close(fd);
    }
  }

  Status Bind(int& port);
  void Run(std::atomic<bool>& running);
  void Stop() {
    stopping_ = true;
    routes_.StopStreaming();
    Wake();
  }

 private:
  enum class Progress { kNeedMore, kReady, kRefused };

  void Wake() {
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof one);
  }
  void Arm(uint64_t id, int fd, int op) {
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
    ev.data.u64 = id;
    epoll_ctl(epoll_fd_, op, fd, &ev);
  }

  void AcceptAll();
  bool MakeRoom(const std::string& ip);
  void Drain(Connection& c);
  bool EvictOldest(const std::string* ip);
  void OnReadable(Connection& c);
  Progress Examine(Connection& c);
  void Advance(Connection& c);
  void Dispatch(Connection& c);
  void Serve(Connection& c);
  void Refuse(Connection& c, int status, const std::string& reason);
  // Tells options_.on_refused of an answer given before routing.
  void Told(int status, const std::string& peer_ip);
  void Close(Connection& c);
  void TakeReturns();
  void ExpireDeadlines();
  void ReturnToPoller(Connection& c);
  bool Reserve(Connection& c);
  void Release(Connection& c);

  const ListenerOptions& options_;
  RoutingServer& routes_;
  int listen_fd_ = -1;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::atomic<bool> stopping_ = false;
  uint64_t next_id_ = 2;
  std::unordered_map<uint64_t, std::unique_ptr<Connection>> connections_;
  std::unordered_map<std::string, size_t> per_address_;
  size_t busy_ = 0;
  size_t max_connections_ = 0;
  std::unique_ptr<httplib::ThreadPool> pool_;
  std::mutex returns_mutex_;
  std::vector<Connection*> returns_;
  // Workers examine the next request of their connection too.
  std::atomic<size_t> large_bytes_ = 0;
};

Status Listener::Impl::Bind(int& port) {
  max_connections_ = RaiseFileLimit(options_.max_connections);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(options_.port);
  const std::string where = options_.host + ":" + service;
  if (getaddrinfo(options_.host.c_str(), service.c_str(), &hints, &found) != 0 || !found) {
    return Status::Error("cannot listen on " + where + ": unknown host");
  }
  const int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  // SO_REUSEADDR only: SO_REUSEPORT would let a second server bind the
  // same port and silently share its traffic.
  const int yes = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  const bool bound = fd >= 0 && ::bind(fd, found->ai_addr, found->ai_addrlen) == 0 &&
                     ::listen(fd, kListenBacklog) == 0;
  freeaddrinfo(found);
  if (!bound) {
    if (fd >= 0) ::close(fd);
    return Status::Error("cannot listen on " + where + ": " + std::strerror(errno));
  }
  listen_fd_ = fd;
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  AddressText(addr, port);
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) return Status::Error("cannot create the connection poller");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kListenId;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev);
  ev.data.u64 = kWakeId;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  return Status::Ok();
}

void Listener::Impl::Run(std::atomic<bool>& running) {
  pool_ = std::make_unique<httplib::ThreadPool>(options_.worker_threads);
  running = true;
  epoll_event events[256];
  auto next_tick = Clock::now() + kTick;
  auto next_trim = next_tick + kTrimEvery;
  while (!stopping_) {
    const int n = epoll_wait(epoll_fd_, events, 256, static_cast<int>(kTick.count()));
    for (int i = 0; i < n; ++i) {
      const uint64_t id = events[i].data.u64;
      if (id == kListenId) {
        AcceptAll();
      } else if (id == kWakeId) {
        uint64_t count;
        [[maybe_unused]] ssize_t r = ::read(wake_fd_, &count, sizeof count);
      } else if (auto it = connections_.find(id); it != connections_.end() && !it->second->busy) {
        OnReadable(*it->second);
      }
    }
    TakeReturns();
    if (Clock::now() >= next_tick) {
      ExpireDeadlines();
      next_tick = Clock::now() + kTick;
      if (next_tick >= next_trim) {
        // Large bodies and floods leave freed memory in malloc's arenas,
        // which it keeps; give it back to the system now and then.
        malloc_trim(0);
        next_trim = next_tick + kTrimEvery;
      }
    }
  }
  // Stop accepting, let the requests in progress finish, close the rest.
  ::close(listen_fd_);
  listen_fd_ = -1;
  pool_->shutdown();
  TakeReturns();
  while (!connections_.empty()) Close(*connections_.begin()->second);
  running = false;
}

void Listener::Impl::AcceptAll() {
  while (true) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    const int fd =
        accept4(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      // Out of descriptors: make room and let the next readiness retry.
      if ((errno == EMFILE || errno == ENFILE) && EvictOldest(nullptr)) continue;
      return;
    }
    auto c = std::make_unique<Connection>(options_.limits);
    c->id = next_id_++;
    c->fd = fd;
    c->peer_ip = AddressText(addr, c->peer_port);
    sockaddr_storage local{};
    len = sizeof local;
    getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len);
    c->local_ip = AddressText(local, c->local_port);
    c->opened = Clock::now();
    // A connection that has not spoken yet gets the head's deadline: only
    // one that completed a request may wait the (longer) keep-alive idle.
    c->deadline = c->opened + std::min(options_.idle_timeout, options_.head_timeout);
    // Without TCP_NODELAY, Nagle's algorithm and delayed ACKs stall each
    // keep-alive response by about 40 ms.
    const int yes = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    if (!MakeRoom(c->peer_ip)) {
      // Every connection in the way is being served: this one waits its turn elsewhere.
      const std::string busy = RefusalResponse(503, "too many connections; try again");
      [[maybe_unused]] ssize_t n =
          ::send(fd, busy.data(), busy.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      Told(503, c->peer_ip);
      ::close(fd);
      continue;
    }
    ++per_address_[c->peer_ip];
    Arm(c->id, fd, EPOLL_CTL_ADD);
    connections_.emplace(c->id, std::move(c));
  }
}

// Before a connection from `ip` is added: the oldest connection not being
// served gives way when the address or the server is at its limit. False
// when every connection in the way is being served.
bool Listener::Impl::MakeRoom(const std::string& ip) {
  const bool exempt = options_.exempt_from_address_limit && options_.exempt_from_address_limit(ip);
  if (!exempt) {
    for (auto it = per_address_.find(ip);
         it != per_address_.end() && it->second >= options_.max_per_address;
         it = per_address_.find(ip)) {
      if (!EvictOldest(&ip)) return false;
    }
  }
  while (connections_.size() >= max_connections_) {
    if (!EvictOldest(nullptr)) return false;
  }
  return true;
}

bool Listener::Impl::EvictOldest(const std::string* ip) {
  Connection* oldest = nullptr;
  for (auto& [id, c] : connections_) {
    if (c->busy || (ip != nullptr && c->peer_ip != *ip)) continue;
    if (oldest == nullptr || c->opened < oldest->opened) oldest = c.get();
  }
  if (oldest == nullptr) return false;
  if (oldest->started && !oldest->draining) {
    const std::string busy = RefusalResponse(503, "too many connections; try again");
    [[maybe_unused]] ssize_t n =
        ::send(oldest->fd, busy.data(), busy.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    Told(503, oldest->peer_ip);
  }
  Close(*oldest);
  return true;
}

void Listener::Impl::OnReadable(Connection& c) {
  if (c.draining) return Drain(c);
  // Read what is there, but never more than this request and a little of
  // the next can use: a client cannot make the server buffer without bound.
  const size_t body =
      c.framing && c.framing->large ? c.framing->body_bytes : options_.limits.max_body_bytes;
  const size_t cap = options_.limits.max_bytes + body + kReadChunk;
  char chunk[kReadChunk];
  while (c.buffer.size() < cap) {
    const ssize_t n = ::recv(c.fd, chunk, sizeof chunk, MSG_DONTWAIT);
    if (n > 0) {
      c.buffer.append(chunk, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) c.peer_closed = true;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return Close(c);
    break;
  }
  Advance(c);
}

// Where the buffered request stands; sends "100 Continue" when the client
// waits for it. Either owner of the connection may call it.
Listener::Impl::Progress Listener::Impl::Examine(Connection& c) {
  if (!c.started && !c.buffer.empty()) {
    c.started = true;
    c.request_started = Clock::now();
    c.deadline = c.request_started + options_.head_timeout;
  }
  if (!c.framing) {
    switch (c.scanner.Scan(c.buffer)) {
      case HeadScanner::State::kNeedMore:
        return Progress::kNeedMore;
      case HeadScanner::State::kTooLarge:
        c.framing = Framing{431, "the request head is too large", 0, false, 0};
        return Progress::kRefused;
      case HeadScanner::State::kComplete:
        break;
    }
    c.framing =
        ReadFraming(std::string_view(c.buffer).substr(0, c.scanner.head_size()), options_.limits);
    if (c.framing->refusal != 0) return Progress::kRefused;
    if (c.framing->large && !Reserve(c)) {
      c.framing->refusal = 503;
      c.framing->reason = "too many large uploads at once; try again in a moment";
      return Progress::kRefused;
    }
    c.deadline = c.request_started + options_.request_timeout;
    if (c.framing->expects_continue) {
      // The body is read here, not by httplib: answer the client's
      // Expect ourselves and hide the header from httplib, which would
      // otherwise send a second "100 Continue".
      c.buffer[c.framing->expect_name_at] = 'X';
      if (c.buffer.size() < c.request_bytes()) {
        static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
        [[maybe_unused]] ssize_t n =
            ::send(c.fd, kContinue, sizeof kContinue - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
      }
    }
  }
  if (c.framing->refusal != 0) return Progress::kRefused;
  return c.request_ready() ? Progress::kReady : Progress::kNeedMore;
}

void Listener::Impl::Advance(Connection& c) {
  switch (Examine(c)) {
    case Progress::kReady:
      return Dispatch(c);
    case Progress::kRefused:
      return Refuse(c, c.framing->refusal, c.framing->reason);
    case Progress::kNeedMore:
      if (c.peer_closed) return Close(c);
      if (c.buffer.empty()) c.buffer.shrink_to_fit();
      return Arm(c.id, c.fd, EPOLL_CTL_MOD);
  }
}

void Listener::Impl::Dispatch(Connection& c) {
  c.busy = true;
  ++busy_;
  pool_->enqueue([this, &c] { Serve(c); });
}

// On a worker: answers the request, and the next ones while they are
// already there or arrive within the linger; then hands the connection back.
void Listener::Impl::Serve(Connection& c) {
  while (true) {
    const bool last = ++c.served >= options_.max_requests_per_connection || stopping_;
    bool closed = false;
    bool ok;
    {
      ConnectionStream stream(c, options_.write_timeout);
      ok = routes_.Process(stream, last, closed) && stream.Flush();
    }
    c.buffer.erase(0, c.request_bytes());
    c.NextRequest();
    Release(c);
    if (!ok || closed || last) {
      c.close_after = true;
      break;
    }
    if (c.buffer.empty() && !c.peer_closed) {
      pollfd p{c.fd, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(options_.linger.count())) > 0) {
        char chunk[kReadChunk];
        const ssize_t n = ::recv(c.fd, chunk, sizeof chunk, MSG_DONTWAIT);
        if (n > 0) c.buffer.append(chunk, static_cast<size_t>(n));
        if (n == 0) c.peer_closed = true;
      }
    }
    if (Examine(c) != Progress::kReady) break;
  }
  ReturnToPoller(c);
}

void Listener::Impl::ReturnToPoller(Connection& c) {
  {
    std::lock_guard lock(returns_mutex_);
    returns_.push_back(&c);
  }
  Wake();
}

bool Listener::Impl::Reserve(Connection& c) {
  const size_t bytes = c.framing->body_bytes;
  size_t taken = large_bytes_.load();
  do {
    if (taken + bytes > options_.large_body_budget) return false;
  } while (!large_bytes_.compare_exchange_weak(taken, taken + bytes));
  c.reserved = bytes;
  return true;
}

void Listener::Impl::Release(Connection& c) {
  large_bytes_ -= std::exchange(c.reserved, 0);
}

void Listener::Impl::TakeReturns() {
  std::vector<Connection*> returned;
  {
    std::lock_guard lock(returns_mutex_);
    returned.swap(returns_);
  }
  for (Connection* c : returned) {
    c->busy = false;
    --busy_;
    if (c->close_after) {
      Close(*c);
    } else {
      if (!c->started) c->deadline = Clock::now() + options_.idle_timeout;
      Advance(*c);
    }
  }
}

void Listener::Impl::ExpireDeadlines() {
  const auto now = Clock::now();
  std::vector<Connection*> expired;
  for (auto& [id, c] : connections_) {
    if (!c->busy && now >= c->deadline) expired.push_back(c.get());
  }
  for (Connection* c : expired) {
    if (c->draining) {
      Close(*c);
    } else if (c->started) {
      Refuse(*c, 408, "the request did not arrive in time");
    } else {
      Close(*c);  // idle between requests
    }
  }
}

void Listener::Impl::Told(int status, const std::string& peer_ip) {
  // A worker tells it: the access log is file I/O (or a pipe to the
  // journal, which can block), and every connection waits on this thread.
  // (While stopping, the workers may be gone: told here.)
  if (!options_.on_refused) return;
  if (stopping_) return options_.on_refused(status, peer_ip);
  pool_->enqueue([this, status, peer_ip] { options_.on_refused(status, peer_ip); });
}

void Listener::Impl::Refuse(Connection& c, int status, const std::string& reason) {
  Told(status, c.peer_ip);
  Release(c);
  const std::string response = RefusalResponse(status, reason);
  // Best effort: the socket buffer takes a short answer whole.
  [[maybe_unused]] ssize_t n =
      ::send(c.fd, response.data(), response.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  // Closing with unread input would reset the connection, and the client
  // might never read the answer: stop sending and drop its input a while.
  ::shutdown(c.fd, SHUT_WR);
  c.draining = true;
  c.started = false;
  c.buffer.clear();
  c.buffer.shrink_to_fit();
  c.deadline = Clock::now() + kDrainTime;
  Drain(c);
}

void Listener::Impl::Drain(Connection& c) {
  char chunk[kReadChunk];
  while (c.drained < kDrainBytes) {
    const ssize_t n = ::recv(c.fd, chunk, sizeof chunk, MSG_DONTWAIT);
    if (n > 0) {
      c.drained += static_cast<size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return Arm(c.id, c.fd, EPOLL_CTL_MOD);
    } else {
      break;  // the client closed, or failed
    }
  }
  Close(c);
}

void Listener::Impl::Close(Connection& c) {
  Release(c);
  ::close(c.fd);  // also takes it out of the poller
  auto count = per_address_.find(c.peer_ip);
  if (count != per_address_.end() && --count->second == 0) per_address_.erase(count);
  connections_.erase(c.id);
}

Listener::Listener(ListenerOptions options, RoutingServer& routes)
    : options_(std::move(options)),
      routes_(routes),
      impl_(std::make_unique<Impl>(options_, routes_)) {}

Listener::~Listener() = default;

Status Listener::Bind() {
  return impl_->Bind(port_);
}

Status Listener::Run() {
  impl_->Run(running_);
  return Status::Ok();
}

void Listener::Stop() {
  impl_->Stop();
}

}  // namespace deskgate::http
