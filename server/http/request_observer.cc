#include "server/http/request_observer.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "server/crypto/secret_box.h"
#include "server/observe/metrics.h"
#include "shared/core/json_writer.h"

namespace deskgate::http {
namespace {

struct InFlight {
  std::chrono::steady_clock::time_point start;
  std::string id;
};
thread_local InFlight in_flight;

std::atomic<uint64_t> request_counter{0};

std::string Hex(const std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

bool IsPlainToken(const std::string& text, size_t max_length) {
  if (text.empty() || text.size() > max_length) return false;
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// A path segment that names a route ("assets", "login-options",
// "assets.csv") rather than a value.
bool IsRouteWord(const std::string& segment) {
  if (segment.empty() || segment.size() > 32 || segment[0] < 'a' || segment[0] > 'z') return false;
  for (char c : segment) {
    if (!((c >= 'a' && c <= 'z') || c == '-' || c == '_' || c == '.')) return false;
  }
  return true;
}

bool IsNumber(const std::string& segment) {
  if (segment.empty()) return false;
  for (char c : segment) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "2026-12-04T02:19:54.123Z"
std::string UtcTimestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  return text;
}

}  // namespace

std::string RouteLabel(const std::string& path) {
  if (path == "/healthz" || path == "/readyz" || path == "/metrics") return path;
  if (path.rfind("/api/", 0) != 0) return "static";
  std::string label;
  size_t start = 1;
  while (start <= path.size()) {
    const size_t slash = std::min(path.find('/', start), path.size());
    const std::string segment = path.substr(start, slash - start);
    label += "/";
    if (IsNumber(segment)) {
      label += "{id}";
    } else if (IsRouteWord(segment)) {
      label += segment;
    } else if (!segment.empty()) {
      label += "{token}";
    }
    start = slash + 1;
  }
  return label;
}

RequestObserver::RequestObserver(const Site& site, observe::AccessLog& log)
    : site_(site), log_(log), id_prefix_(Hex(crypto::RandomSecret(4).view())) {}

std::string RequestObserver::IdFor(const httplib::Request& req) {
  const std::string given = req.get_header_value("X-Request-Id");
  if (IsPlainToken(given, 64) && site_.IsTrustedProxy(req.remote_addr)) return given;
  return NewId();
}

std::string RequestObserver::NewId() {
  const uint64_t n = request_counter.fetch_add(1, std::memory_order_relaxed) + 1;
  char text[40];
  std::snprintf(text, sizeof text, "%s-%llx", id_prefix_.c_str(),
                static_cast<unsigned long long>(n));
  return text;
}

void RequestObserver::Begin(const httplib::Request& req) {
  in_flight.start = std::chrono::steady_clock::now();
  in_flight.id = IdFor(req);
}

const std::string& RequestObserver::RequestId() const {
  return in_flight.id;
}

void RequestObserver::Finish(const httplib::Request& req, const httplib::Response& res) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - in_flight.start).count();
  const std::string route = RouteLabel(req.path);
  const std::string status = std::to_string(res.status);
  observe::Count(observe::Counter::kHttpRequests, {req.method, route, status});
  observe::Observe(observe::Histogram::kHttpRequestSeconds, {route}, seconds);
  Log(in_flight.id, req.method, route, res.status, seconds, site_.ClientAddress(req));
}

void RequestObserver::Refused(int status, const std::string& peer_ip) {
  // The head may be partial or too large to read: no method or route is known.
  observe::Count(observe::Counter::kHttpRequests, {"-", "(refused)", std::to_string(status)});
  Log(NewId(), "-", "(refused)", status, 0, peer_ip);
}

void RequestObserver::Log(const std::string& request_id, const std::string& method,
                          const std::string& route, int status, double seconds,
                          const std::string& client) {
  if (!log_.enabled()) return;
  JsonWriter w;
  w.BeginObject().Key("time").String(UtcTimestamp());
  w.Key("request_id").String(request_id);
  w.Key("method").String(method).Key("route").String(route);
  w.Key("status").Int(status);
  char millis[32];
  std::snprintf(millis, sizeof millis, "%.3f", seconds * 1000);
  w.Key("duration_ms").Raw(millis);
  w.Key("client").String(client);
  log_.Write(w.EndObject().Take());
}

}  // namespace deskgate::http
