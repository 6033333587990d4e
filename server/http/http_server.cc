#include "server/http/http_server.h"

#include <sys/socket.h>

#include <utility>

#include "server/http/api_routes.h"
#include "server/http/audit_routes.h"
#include "server/http/mfa_routes.h"
#include "server/http/record_routes.h"
#include "server/http/security_headers.h"
#include "server/http/session_routes.h"
#include "server/http/settings_routes.h"
#include "server/http/setup_routes.h"
#include "server/http/sso_routes.h"
#include "server/store/migrations.h"
#include "shared/json_writer.h"

namespace deskgate::http {
namespace {

constexpr size_t kMaxBodyBytes = 1 << 20;

bool IsApiPath(const std::string& path) {
  return path.rfind("/api/", 0) == 0;
}

}  // namespace

void SendError(httplib::Response& res, int status, const std::string& message) {
  JsonWriter w;
  w.BeginObject().Key("error").String(message).EndObject();
  res.status = status;
  res.set_content(w.Take(), "application/json");
}

void SendJson(httplib::Response& res, std::string body, int status) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(std::move(body), "application/json");
}

HttpServer::HttpServer(ServerOptions options, store::Store& store, Services services)
    : options_(std::move(options)), store_(store), services_(services) {
  static_files_.Mount("/", options_.web_root);
  static_files_.Mount("/wasm/", options_.wasm_dir);

  const int threads = options_.worker_threads;
  server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // Without TCP_NODELAY, Nagle's algorithm and delayed ACKs stall each
  // keep-alive response by about 40 ms.
  server_.set_tcp_nodelay(true);
  // httplib's default also sets SO_REUSEPORT, which lets a second server
  // bind the same port and silently share its traffic; refuse that.
  // The socket is remembered for Bind(), which widens its backlog.
  server_.set_socket_options([this](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_socket_ = sock;
  });
  server_.set_keep_alive_max_count(1000);
  server_.set_keep_alive_timeout(5);
  server_.set_read_timeout(10);
  server_.set_write_timeout(10);
  server_.set_payload_max_length(kMaxBodyBytes);
  server_.set_post_routing_handler(AddSecurityHeaders);
  InstallRoutes();
}

HttpServer::~HttpServer() = default;

void HttpServer::InstallRoutes() {
  server_.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    auto version = store_.SchemaVersion();
    if (!version.ok()) return SendError(res, 503, "database unavailable");
    JsonWriter w;
    w.BeginObject().Key("status").String("ok").Key("schema_version").Int(version.value());
    w.EndObject();
    res.set_header("Cache-Control", "no-store");
    res.set_content(w.Take(), "application/json");
  });

  InstallAuthRoutes(server_, services_.auth, services_.sso);
  InstallSsoRoutes(server_, services_.auth, services_.sso);
  InstallSetupRoutes(server_, services_.accounts);
  InstallSettingsRoutes(server_, services_.auth, services_.settings);
  InstallSessionRoutes(server_, services_.auth, store_);
  InstallAuditRoutes(server_, services_.auth, store_);
  InstallMfaRoutes(server_, services_.auth, services_.mfa, store_, services_.outbox);
  InstallRecordRoutes(server_, services_.auth, services_.records);

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
  if (options_.port == 0) {
    port_ = server_.bind_to_any_port(options_.host);
  } else {
    port_ = server_.bind_to_port(options_.host, options_.port) ? options_.port : -1;
  }
  if (port_ <= 0) {
    return Status::Error("cannot listen on " + options_.host + ":" + std::to_string(options_.port));
  }
  // httplib listens with a backlog of 5. When many keep-alive clients
  // reconnect at once (each connection ends after 1,000 requests) the
  // kernel drops the surplus SYNs and those clients wait a full second to
  // retry, which showed as a one-second p99. Listening again on the bound
  // socket only changes its backlog.
  if (::listen(listen_socket_, kListenBacklog) != 0) {
    return Status::Error("cannot listen on " + options_.host + ":" + std::to_string(port_));
  }
  return Status::Ok();
}

Status HttpServer::Run() {
  if (!server_.listen_after_bind()) return Status::Error("server stopped with an error");
  return Status::Ok();
}

void HttpServer::Stop() {
  server_.stop();
}

}  // namespace deskgate::http
