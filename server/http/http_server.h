// HttpServer: deskgate's HTTP front end. Routes stay thin: they parse the
// request, call a service and write the answer. Static pages and the
// WebAssembly module are served from folders; everything else is under /api.
// The services it routes to are owned by the caller and outlive it.
#pragma once

#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "server/http/listener.h"
#include "server/http/request_observer.h"
#include "server/http/site.h"
#include "server/http/static_files.h"
#include "server/mail/outbox_sender.h"
#include "server/observe/access_log.h"
#include "server/services/accounts.h"
#include "server/services/audit_log.h"
#include "server/services/auth_service.h"
#include "server/services/catalog_service.h"
#include "server/services/invitations.h"
#include "server/services/mail_settings.h"
#include "server/services/mfa_service.h"
#include "server/services/notices.h"
#include "server/services/password_reset.h"
#include "server/services/people_service.h"
#include "server/services/records_service.h"
#include "server/services/settings_service.h"
#include "server/services/sso_service.h"
#include "server/store/store.h"
#include "shared/core/status.h"

namespace deskgate::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 picks a free port
  std::filesystem::path web_root;
  std::filesystem::path wasm_dir;
  // Requests served at once. Connections waiting between requests or still
  // sending hold none (see listener.h).
  int worker_threads = 64;
  // A request's head must arrive whole within header_timeout of its first
  // byte; a connection idle between requests closes after idle_timeout.
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds idle_timeout{30};
  // The address people reach deskgate at ("" for the listening address)
  // and the reverse proxies trusted to name the client (see site.h).
  std::string public_url;
  std::vector<std::string> trusted_proxies;
  // Where each request's JSON line goes: "" nowhere, "-" stdout, or a file.
  std::string access_log;
  // Besides loopback, the client addresses that may read GET /metrics.
  std::vector<std::string> metrics_clients;
};

class HttpServer {
 public:
  struct Services {
    services::AuthService& auth;
    services::Accounts& accounts;
    services::SettingsService& settings;
    services::MfaService& mfa;
    mail::OutboxSender& outbox;
    services::RecordsService& records;
    services::SsoService& sso;
    services::AuditLog& audit;
    services::PeopleService& people;
    services::InvitationService& invitations;
    services::PasswordReset& password_reset;
    services::CatalogService& catalog;
    services::MailSettings& mail;
    services::Notices& notices;
  };

  HttpServer(ServerOptions options, store::Store& store, Services services);
  ~HttpServer();

  // Opens the access log and binds the listening socket; the port is
  // known afterwards.
  Status Bind();
  // Opens the access log file again (after rotation: SIGHUP).
  Status ReopenLogs() { return access_log_.Reopen(); }
  int port() const { return listener_.port(); }
  // Serves until Stop() is called (from any thread).
  Status Run();
  void Stop();
  bool running() const { return listener_.running(); }
  // How people reach this server; the origin is final once Bind succeeded.
  const Site& site() const { return site_; }

 private:
  void InstallRoutes();
  void InstallOperatorRoutes();
  // Loopback and the addresses of ServerOptions::metrics_clients.
  bool MayReadMetrics(const httplib::Request& req) const;

  ServerOptions options_;
  Site site_;
  store::Store& store_;
  Services services_;
  StaticFiles static_files_;
  observe::AccessLog access_log_;
  RequestObserver observer_;
  RoutingServer server_;
  Listener listener_;
};

// Writes a JSON error body {"error": message} with the given status.
void SendError(httplib::Response& res, int status, const std::string& message);

// Writes a JSON body that must not be cached (it is someone's data).
void SendJson(httplib::Response& res, std::string body, int status = 200);

}  // namespace deskgate::http
