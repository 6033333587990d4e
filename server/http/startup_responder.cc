#include "server/http/startup_responder.h"

#include "server/http/http_server.h"
#include "shared/core/json_writer.h"

namespace deskgate::http {

Status StartupResponder::Start(const std::string& host, int port, std::string why) {
  why_ = std::move(why);
  server_.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    JsonWriter w;
    w.BeginObject().Key("status").String("starting").EndObject();
    SendJson(res, w.Take());
  });
  server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (req.path == "/healthz") return httplib::Server::HandlerResponse::Unhandled;
    res.set_header("Retry-After", "5");
    SendError(res, 503, "not ready: " + why_);
    return httplib::Server::HandlerResponse::Handled;
  });
  // SO_REUSEADDR (httplib's default is SO_REUSEPORT alone), and one request
  // per connection: the real server binds the same port once this one
  // stops, which a lingering connection without it would prevent.
  server_.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server_.set_keep_alive_max_count(1);
  port_ =
      port == 0 ? server_.bind_to_any_port(host) : (server_.bind_to_port(host, port) ? port : -1);
  if (port_ <= 0) {
    return Status::Error("cannot listen on " + host + ":" + std::to_string(port) +
                         " (is another server using it?)");
  }
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  return Status::Ok();
}

void StartupResponder::Stop() {
  if (!thread_.joinable()) return;
  server_.stop();
  thread_.join();
}

}  // namespace deskgate::http
