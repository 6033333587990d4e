// RequestObserver: what each answered request leaves behind — a request
// id (the X-Request-Id header), a line in the access log and the HTTP
// metrics. Begin() runs as routing starts and Finish() once the answer's
// last byte is written (httplib's logger), on the same worker thread, one
// request at a time.
#pragma once

#include <httplib.h>

#include <string>

#include "server/http/site.h"
#include "server/observe/access_log.h"

namespace deskgate::http {

class RequestObserver {
 public:
  RequestObserver(const Site& site, observe::AccessLog& log);

  void Begin(const httplib::Request& req);
  // The id Begin() gave the request this thread serves.
  const std::string& RequestId() const;
  void Finish(const httplib::Request& req, const httplib::Response& res);
  // A request the listener answered before routing (too large, too slow,
  // malformed, no room): counted and logged under the route "(refused)",
  // with the connection's address (no header was believed).
  void Refused(int status, const std::string& peer_ip);

 private:
  // A trusted proxy's X-Request-Id when it is a plain token, else a new one.
  std::string IdFor(const httplib::Request& req);
  std::string NewId();
  void Log(const std::string& request_id, const std::string& method, const std::string& route,
           int status, double seconds, const std::string& client);

  const Site& site_;
  observe::AccessLog& log_;
  const std::string id_prefix_;  // random per process, so ids differ across restarts
};

// The route a path belongs to, for metrics and logs: numbers become {id},
// anything that could be a token {token}; pages and files are "static".
std::string RouteLabel(const std::string& path);

}  // namespace deskgate::http
