// The /api routes for sign-in: login per portal, the current user, logout.
// Routes are thin: check the request's shape, call a service, answer JSON.
#pragma once

#include <httplib.h>

#include "server/services/auth_service.h"

namespace deskgate::http {

inline constexpr const char* kSessionCookie = "deskgate_session";

void InstallAuthRoutes(httplib::Server& server, services::AuthService& auth);

// State-changing requests must carry JSON and, when the browser names an
// Origin, come from this server's own origin. Returns false after writing
// the error response.
bool AcceptStateChange(const httplib::Request& req, httplib::Response& res);

// The session token from the request's cookie, or "".
std::string SessionToken(const httplib::Request& req);

}  // namespace deskgate::http
