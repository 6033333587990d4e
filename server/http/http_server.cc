#include "server/http/http_server.h"

#include "server/http/error_response.h"

#include <algorithm>
#include <ctime>
#include <utility>

#include "server/http/api_routes.h"
#include "server/http/audit_routes.h"
#include "server/http/catalog_routes.h"
#include "server/http/json_request.h"
#include "server/http/mail_settings_routes.h"
#include "server/http/mfa_routes.h"
#include "server/http/password_reset_routes.h"
#include "server/http/people_routes.h"
#include "server/http/record_routes.h"
#include "server/http/security_headers.h"
#include "server/http/session_routes.h"
#include "server/http/settings_routes.h"
#include "server/http/setup_routes.h"
#include "server/http/sso_routes.h"
#include "server/http/step_up_routes.h"
#include "server/observe/heap_usage.h"
#include "server/observe/metrics.h"
#include "server/store/sqlite/migrations.h"
#include "server/store/sqlite/sqlite.h"
#include "shared/core/json_writer.h"

namespace deskgate::http {
namespace {

bool IsApiPath(const std::string& path) {
  return path.rfind("/api/", 0) == 0;
}

bool ChangesState(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

}  // namespace

void SendError(httplib::Response& res, int status, const std::string& message) {
  JsonWriter w;
  w.BeginObject().Key("error").String(message);
  w.Key("code").String(CodeNameOfHttpStatus(status)).EndObject();
  res.status = status;
  res.set_content(w.Take(), "application/json");
}

void SendJson(httplib::Response& res, std::string body, int status) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(std::move(body), "application/json");
}

namespace {

ListenerOptions ListenerOptionsFor(const ServerOptions& options, const Site& site,
                                   RequestObserver& observer) {
  ListenerOptions l;
  l.host = options.host;
  l.port = options.port;
  l.worker_threads = options.worker_threads;
  l.head_timeout = options.header_timeout;
  l.idle_timeout = options.idle_timeout;
  l.limits.max_body_bytes = kMaxBodyBytes;
  l.limits.large_body_bytes = kMaxUploadBytes;
  l.limits.takes_large_body = IsUpload;
  l.exempt_from_address_limit = [&site](const std::string& ip) { return site.IsTrustedProxy(ip); };
  l.on_refused = [&observer](int status, const std::string& peer_ip) {
    observer.Refused(status, peer_ip);
  };
  return l;
}

}  // namespace

HttpServer::HttpServer(ServerOptions options, store::Store& store, Services services)
    : options_(std::move(options)),
      site_(options_.public_url, options_.trusted_proxies),
      store_(store),
      services_(services),
      observer_(site_, access_log_),
      listener_(ListenerOptionsFor(options_, site_, observer_), server_) {
  static_files_.Mount("/", options_.web_root);
  static_files_.Mount("/wasm/", options_.wasm_dir);
  static_files_.Alias("/login/agent.html", "/login/sign-in.html");
  static_files_.Alias("/login/contact.html", "/login/sign-in.html");
  static_files_.Alias("/assets.html", "/records.html");
  static_files_.Alias("/software.html", "/records.html");
  static_files_.Alias("/admin/agents.html", "/admin/people.html");
  static_files_.Alias("/admin/contacts.html", "/admin/people.html");
  static_files_.Alias("/admin/groups.html", "/admin/catalog.html");
  static_files_.Alias("/admin/locations.html", "/admin/catalog.html");
  // The listener holds each route to its own limit before httplib reads.
  server_.set_payload_max_length(kMaxUploadBytes);
  // The Keep-Alive header tells clients how long the listener keeps an idle
  // connection, so they stop reusing it before it closes.
  server_.set_keep_alive_timeout(options_.idle_timeout.count());
  // Every state-changing API request must come from this site's own pages
  // (or from no browser at all): checked here, once, before any route.
  server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    observer_.Begin(req);
    if (!IsApiPath(req.path) || !ChangesState(req.method) || site_.IsSameOrigin(req)) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    SendError(res, 403, "cross-origin requests are not allowed");
    return httplib::Server::HandlerResponse::Handled;
  });
  server_.set_post_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    AddSecurityHeaders(site_, req, res);
    res.set_header("X-Request-Id", observer_.RequestId());
  });
  // Called once the answer's last byte is written, streamed ones included.
  server_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    observer_.Finish(req, res);
  });
  InstallRoutes();
}

HttpServer::~HttpServer() = default;

// A proxy deskgate does not trust still connects from its own address,
// often loopback, and says where the request came from in a forwarding
// header: such a request is from an unknown client, never a local one.
bool HttpServer::MayReadMetrics(const httplib::Request& req) const {
  if (!site_.IsTrustedProxy(req.remote_addr)) {
    for (const char* header : {"X-Forwarded-For", "Forwarded", "X-Real-IP"}) {
      if (req.has_header(header)) return false;
    }
  }
  const std::string client = site_.ClientAddress(req);
  if (client == "::1" || client.rfind("127.", 0) == 0) return true;
  const auto& allowed = options_.metrics_clients;
  return std::find(allowed.begin(), allowed.end(), client) != allowed.end();
}

// /healthz: the process answers and can read its database. /readyz: it may
// be sent traffic — the database answers and its schema is the one this
// build migrates to (while migrations run, the startup responder answers
// 503 instead; see startup_responder.h). /metrics: Prometheus text.
void HttpServer::InstallOperatorRoutes() {
  server_.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    auto version = store_.SchemaVersion();
    if (!version.ok()) return SendError(res, 503, "database unavailable");
    JsonWriter w;
    w.BeginObject().Key("status").String("ok").Key("schema_version").Int(version.value());
    w.EndObject();
    res.set_header("Cache-Control", "no-store");
    res.set_content(w.Take(), "application/json");
  });
  server_.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    const int latest = store::SchemaMigrations().back().version;
    auto version = store_.SchemaVersion();
    if (!version.ok()) return SendError(res, 503, "not ready: the database is unavailable");
    if (version.value() != latest) {
      return SendError(res, 503,
                       "not ready: the database schema is version " +
                           std::to_string(version.value()) + ", this deskgate needs " +
                           std::to_string(latest));
    }
    JsonWriter w;
    w.BeginObject().Key("status").String("ready").Key("schema_version").Int(latest).EndObject();
    SendJson(res, w.Take());
  });
  server_.Get("/metrics", [this](const httplib::Request& req, httplib::Response& res) {
    if (!MayReadMetrics(req)) return SendError(res, 403, "metrics are not served to this address");
    std::vector<observe::Gauge> gauges;
    if (auto mail = store_.MailDeliveryState(std::time(nullptr)); mail.ok()) {
      gauges.push_back({"deskgate_outbox_depth", "Mails queued and not yet delivered.",
                        static_cast<double>(mail.value().waiting)});
    }
    const observe::HeapUsage heap = observe::ReadHeapUsage();
    gauges.push_back({"deskgate_heap_in_use_bytes", "Heap memory the process holds.",
                      static_cast<double>(heap.in_use_bytes)});
    gauges.push_back({"deskgate_heap_held_bytes",
                      "Heap memory the allocator keeps from the system (in use and free).",
                      static_cast<double>(heap.held_bytes)});
    gauges.push_back({"deskgate_sqlite_memory_bytes",
                      "Heap memory SQLite holds (page caches, statements), every connection.",
                      static_cast<double>(store::SqliteMemoryInUse())});
    res.set_header("Cache-Control", "no-store");
    res.set_content(observe::MetricsText(gauges), "text/plain; version=0.0.4; charset=utf-8");
  });
}

void HttpServer::InstallRoutes() {
  InstallOperatorRoutes();

  InstallAuthRoutes(server_, site_, services_.auth, services_.sso, services_.notices);
  InstallSsoRoutes(server_, site_, services_.auth, services_.sso, services_.invitations);
  InstallSetupRoutes(server_, site_, services_.accounts);
  InstallSettingsRoutes(server_, site_, services_.auth, services_.settings);
  InstallSessionRoutes(server_, site_, services_.auth);
  InstallAuditRoutes(server_, site_, services_.auth, services_.audit);
  InstallMfaRoutes(server_, site_, services_.auth, services_.mfa, services_.outbox, services_.mail,
                   services_.notices, store_);
  InstallStepUpRoutes(server_, site_, services_.auth, services_.mfa);
  InstallRecordRoutes(server_, site_, services_.auth, services_.records);
  InstallPeopleRoutes(server_, site_, services_.auth, services_.people, services_.invitations);
  InstallPasswordResetRoutes(server_, site_, services_.password_reset, services_.notices);
  InstallCatalogRoutes(server_, site_, services_.auth, services_.catalog);
  InstallMailSettingsRoutes(server_, site_, services_.auth, services_.mail);

  // Static pages and the module: GET and HEAD on anything outside /api.
  server_.Get(R"(/(?!api/).*)", [this](const httplib::Request& req, httplib::Response& res) {
    auto file = static_files_.Find(req.path);
    if (!file) {
      res.status = 404;
      res.set_content("Not found\n", "text/plain; charset=utf-8");
      return;
    }
    res.set_header("ETag", file->etag);
    res.set_header("Cache-Control", file->cache_control);
    if (req.get_header_value("If-None-Match") == file->etag) {
      res.status = 304;
      return;
    }
    res.set_content(std::move(file->body), file->content_type);
  });

  // Anything unrouted under /api answers in JSON; httplib calls this for
  // every 4xx/5xx that has no body yet.
  server_.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (IsApiPath(req.path) || res.status != 404) {
      SendError(res, res.status, res.status == 404 ? "no such endpoint" : "request failed");
    } else {
      res.set_content("Not found\n", "text/plain; charset=utf-8");
    }
  });
}

Status HttpServer::Bind() {
  if (Status s = access_log_.Open(options_.access_log); !s.ok()) return s;
  Status bound = listener_.Bind();
  if (bound.ok()) site_.UseListeningAddress(options_.host, listener_.port());
  return bound;
}

Status HttpServer::Run() {
  return listener_.Run();
}

void HttpServer::Stop() {
  listener_.Stop();
}

}  // namespace deskgate::http
